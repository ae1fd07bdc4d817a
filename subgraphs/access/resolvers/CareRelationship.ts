import type { CareRelationshipResolvers } from '../resolver-types';

export const CareRelationship: CareRelationshipResolvers = {
  organization: (relationship) => ({ code: relationship.organizationCode }),
  since: (relationship) => relationship.since.toISOString(),
  lastSeenAt: (relationship) => relationship.lastSeenAt.toISOString(),
  endsAt: (relationship) => relationship.endsAt?.toISOString() ?? null,
  source: (relationship) => (relationship.source ? `${relationship.source.subgraph}/${relationship.source.recordId}` : ''),
};
