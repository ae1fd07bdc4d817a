import { recordIdOf, residentIdOf } from '../../runtime/ids';
import type { MutationResolvers } from '../__generated__/resolver-types';

export const Mutation: MutationResolvers = {
  registerResident: (_root, { input }, { repository }) => repository.residents.registerResident(input),
  resolveMatchReview: (_root, { id, decision, reason }, { repository }) =>
    repository.merges.resolveMatchReview(recordIdOf(id, 'Match review'), decision, reason),
  mergeResidents: (_root, { survivorId, mergedId, reason }, { repository }) =>
    repository.merges.mergeResidents(residentIdOf(survivorId), residentIdOf(mergedId), reason),
  unmergeResident: (_root, { mergedId, reason }, { repository }) => repository.merges.unmergeResident(residentIdOf(mergedId), reason),
  recordEncounter: (_root, { input }, { repository }) => repository.filing.recordEncounter(input),
  recordCondition: (_root, { input }, { repository }) => repository.filing.recordCondition(input),
  recordAllergy: (_root, { input }, { repository }) => repository.filing.recordAllergy(input),
  uploadEncounters: (_root, { inputs }, { repository }) => repository.filing.uploadEncounters(inputs),
  uploadConditions: (_root, { inputs }, { repository }) => repository.filing.uploadConditions(inputs),
  uploadAllergies: (_root, { inputs }, { repository }) => repository.filing.uploadAllergies(inputs),
  recordHotlineCall: (_root, { input }, { repository }) => repository.hotline.recordCall(input),
  uploadHotlineCalls: (_root, { inputs }, { repository }) => repository.hotline.uploadCalls(inputs),
  receiveWorkOrder: (_root, { input }, { repository }) => repository.hotline.receiveWorkOrder(input),
  advanceWorkOrder: (_root, { id, status }, { repository }) => repository.hotline.advanceWorkOrder(id, status),
};
