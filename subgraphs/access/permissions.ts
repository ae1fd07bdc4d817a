/** Who may call each resolver of the access subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

export const permissions: PermissionMap = {
  Query: { _entities: entitiesWithinLimit, _service: isAuthenticated },
  Resident: {
    accessLog: hasAnyRole('resident', 'privacy_officer'),
    careRelationships: hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'resident', 'privacy_officer'),
  },
  CareRelationship: { organization: isAuthenticated, since: isAuthenticated, lastSeenAt: isAuthenticated, endsAt: isAuthenticated },
  AuditEvent: {
    id: isAuthenticated,
    at: isAuthenticated,
    subject: isAuthenticated,
    organization: isAuthenticated,
    outcome: isAuthenticated,
    source: isAuthenticated,
  },
};
