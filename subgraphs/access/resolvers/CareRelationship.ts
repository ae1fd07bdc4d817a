import { effectiveEnd, rootRecordedBeforeRoots } from '../../../access-control/policy';
import type { CareRelationshipResolvers } from '../resolver-types';

export const CareRelationship: CareRelationshipResolvers = {
  organization: (relationship) => ({ code: relationship.organizationCode }),
  since: (relationship) => relationship.since.toISOString(),
  lastSeenAt: (relationship) => relationship.lastSeenAt.toISOString(),
  careSeenAt: (relationship) => relationship.careSeenAt?.toISOString() ?? null,
  endsAt: (relationship, _args, { settings }) => effectiveEnd(relationship, settings.policy)?.toISOString() ?? null,
  source: (relationship) => (relationship.source ? `${relationship.source.subgraph}/${relationship.source.recordId}` : ''),
  // Facts stored before roots were recorded get theirs from migration 0002 (migrations/); the same here, should one slip through.
  root: (relationship) => {
    const root = relationship.root ?? rootRecordedBeforeRoots(relationship.kind, relationship.organizationCode);
    return { kind: root.kind, organization: root.organizationCode ? { code: root.organizationCode } : null, basis: root.basis };
  },
};
