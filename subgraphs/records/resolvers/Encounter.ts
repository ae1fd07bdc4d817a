import { recordIdOf } from '../../runtime/ids';
import type { EncounterResolvers, SourceResolvers } from '../resolver-types';

export const Encounter: EncounterResolvers = {
  // Encounters are referenced by other subgraphs (referral attachments, prescriptions); the
  // loader applies the policy through the encounter's resident.
  __resolveReference: (reference, { loaders }) => loaders.encounterById.load(recordIdOf(reference.id, 'Encounter')),
  id: (encounter) => encounter._id,
  organization: (encounter, _args, { loaders }) => loaders.knownOrganization(encounter.organizationCode),
  class: (encounter) => encounter.encounterClass,
  start: (encounter) => encounter.start.toISOString(),
  end: (encounter) => encounter.end?.toISOString() ?? null,
};

export const Source: SourceResolvers = {
  organization: (source, _args, { loaders }) => loaders.knownOrganization(source.organizationCode),
  uploadedAt: (source) => source.uploadedAt.toISOString(),
};
