import { pageSize, recordIdOf } from '../../runtime/ids';
import { searchDrugs } from '../drug-catalogue';
import type { MutationResolvers, QueryResolvers } from '../resolver-types';

export const Query: QueryResolvers = {
  drugs: (_root, { search, codes, first }) => searchDrugs(search, pageSize(first), codes),
  prescription: (_root, { id }, { loaders }) => loaders.prescriptionById.load(recordIdOf(id, 'Prescription')),
  organizationPrescriptions: (_root, { status, first, after }, { repository }) => repository.organizationPrescriptions(status, pageSize(first), after),
  pharmacyQueue: (_root, { status, first, after }, { repository }) => repository.pharmacyQueue(status, pageSize(first), after),
};

export const Mutation: MutationResolvers = {
  issuePrescription: (_root, { input }, { repository }) => repository.issue(input),
  revisePrescription: (_root, { id, items }, { repository }) => repository.revise(id, items),
  signPrescription: (_root, { id }, { repository }) => repository.sign(id),
  reviewPrescription: (_root, { id, decision, reason, acknowledgedWarnings, safetyFacts }, { repository }) =>
    repository.review(id, decision, reason, acknowledgedWarnings ?? [], safetyFacts),
  routePrescription: (_root, { id }, { repository }) => repository.route(id),
  dispensePrescription: (_root, { id, lot, substitutions }, { repository }) => repository.dispense(id, lot, substitutions ?? []),
  completePrescription: (_root, { id, kind }, { repository }) => repository.complete(id, kind),
  cancelPrescription: (_root, { id, reason }, { repository }) => repository.cancel(id, reason),
  uploadPrescriptions: (_root, { inputs }, { repository }) => repository.upload(inputs),
};
