import { recordIdOf, residentIdOf } from '../../runtime/ids';
import type { MutationResolvers } from '../resolver-types';

export const Mutation: MutationResolvers = {
  registerResident: (_root, { input }, { repository }) => repository.registerResident(input),
  resolveMatchReview: (_root, { id, decision, reason }, { repository }) => repository.resolveMatchReview(recordIdOf(id, 'Match review'), decision, reason),
  mergeResidents: (_root, { survivorId, mergedId, reason }, { repository }) =>
    repository.mergeResidents(residentIdOf(survivorId), residentIdOf(mergedId), reason),
  unmergeResident: (_root, { mergedId, reason }, { repository }) => repository.unmergeResident(residentIdOf(mergedId), reason),
  recordEncounter: (_root, { input }, { repository }) => repository.recordEncounter(input),
  recordCondition: (_root, { input }, { repository }) => repository.recordCondition(input),
  recordAllergy: (_root, { input }, { repository }) => repository.recordAllergy(input),
  uploadEncounters: (_root, { inputs }, { repository }) => repository.uploadEncounters(inputs),
  uploadConditions: (_root, { inputs }, { repository }) => repository.uploadConditions(inputs),
  uploadAllergies: (_root, { inputs }, { repository }) => repository.uploadAllergies(inputs),
};
