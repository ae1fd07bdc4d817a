import { allowsEntry } from '../../../access-control/entry-points';
import type { AuditEventResolvers } from '../resolver-types';

export const AuditEvent: AuditEventResolvers = {
  id: (event) => event._id,
  at: (event) => event.at.toISOString(),
  // Residents see which organization looked, not which staff member.
  subject: (event, _args, { viewer }) => (allowsEntry(viewer, 'see-audit-subjects') ? event.subject : null),
  organization: (event) => (event.organizationCode ? { code: event.organizationCode } : null),
  outcome: (event) => (event.outcome === 'allowed' ? 'ALLOWED' : event.outcome === 'denied' ? 'DENIED' : 'OMITTED'),
  alert: (event) => event.alert === true,
  source: (event) => event.subgraph,
  sources: (event) => event.subgraphs ?? [event.subgraph],
  action: (event) => (event.action === 'write' ? 'WRITE' : 'READ'),
};
