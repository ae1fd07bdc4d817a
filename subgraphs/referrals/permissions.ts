/** Who may call each resolver of the referrals subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

export const permissions: PermissionMap = {
  Query: { _entities: entitiesWithinLimit, _service: isAuthenticated },
  Resident: { referrals: hasAnyRole('doctor', 'family_doctor', 'resident') },
  Referral: { id: isAuthenticated, fromOrganization: isAuthenticated, toOrganization: isAuthenticated, requestedAt: isAuthenticated },
};
