import { pageSize, recordIdOf } from '../../runtime/ids';
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolver-types';
import { searchDrugs } from '../drug-catalogue';

export const Query: QueryResolvers = {
  drugs: (_root, { search, codes, first }) => searchDrugs(search, pageSize(first), codes),
  prescription: (_root, { id }, { loaders }) => loaders.prescriptionById.load(recordIdOf(id, 'Prescription')),
  organizationPrescriptions: (_root, { status, first, after }, { repository }) => repository.reads.organizationPrescriptions(status, pageSize(first), after),
  pharmacyQueue: (_root, { status, first, after }, { repository }) => repository.reads.pharmacyQueue(status, pageSize(first), after),
};

export const Mutation: MutationResolvers = {
  issuePrescription: (_root, { input }, { repository }) => repository.issuing.issue(input),
  revisePrescription: (_root, { id, items }, { repository }) => repository.issuing.revise(id, items),
  signPrescription: (_root, { id }, { repository }) => repository.issuing.sign(id),
  reviewPrescription: (_root, { id, decision, reason, acknowledgedWarnings, safetySnapshot, safetyFacts }, { repository }) =>
    repository.issuing.review(id, decision, reason, acknowledgedWarnings ?? [], { snapshotId: safetySnapshot, facts: safetyFacts }),
  routePrescription: (_root, { id }, { repository }) => repository.dispensing.route(id),
  dispensePrescription: (_root, { id, lot, substitutions }, { repository }) => repository.dispensing.dispense(id, lot, substitutions ?? []),
  completePrescription: (_root, { id, kind }, { repository }) => repository.dispensing.complete(id, kind),
  cancelPrescription: (_root, { id, reason }, { repository }) => repository.issuing.cancel(id, reason),
  uploadPrescriptions: (_root, { inputs }, { repository }) => repository.uploads.upload(inputs),
};
