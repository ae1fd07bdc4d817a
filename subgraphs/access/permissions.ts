/** Who may call each resolver of the access subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

const privacyOfficer = hasAnyRole('privacy_officer');

export const permissions: PermissionMap = {
  Query: { viewer: isAuthenticated, auditEvents: privacyOfficer, breakGlassReviews: privacyOfficer, registrationsWithoutCare: privacyOfficer, _entities: entitiesWithinLimit, _service: isAuthenticated },
  Mutation: {
    setConsent: hasAnyRole('resident'),
    breakGlass: hasAnyRole('doctor', 'family_doctor'),
    closeBreakGlassReview: privacyOfficer,
  },
  Resident: {
    accessLog: hasAnyRole('resident', 'privacy_officer'),
    careRelationships: hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'resident', 'privacy_officer'),
    consent: hasAnyRole('resident', 'privacy_officer'),
  },
  AuditEvent: {
    id: isAuthenticated,
    at: isAuthenticated,
    subject: isAuthenticated,
    organization: isAuthenticated,
    outcome: isAuthenticated,
    alert: isAuthenticated,
    source: isAuthenticated,
    sources: isAuthenticated,
    action: isAuthenticated,
  },
  CareRelationship: { organization: isAuthenticated, since: isAuthenticated, lastSeenAt: isAuthenticated, careSeenAt: isAuthenticated, endsAt: isAuthenticated, source: isAuthenticated, root: isAuthenticated },
  Consent: { blockedOrganizations: isAuthenticated, updatedAt: isAuthenticated },
  BreakGlassReview: { id: isAuthenticated, organization: isAuthenticated, grantedAt: isAuthenticated, expiresAt: isAuthenticated, closedAt: isAuthenticated },
};
