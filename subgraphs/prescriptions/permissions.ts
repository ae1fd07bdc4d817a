/** Who may call each resolver of the prescriptions subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

export const permissions: PermissionMap = {
  Query: { _entities: entitiesWithinLimit, _service: isAuthenticated },
  Resident: { prescriptions: hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'resident') },
  Prescription: { id: isAuthenticated, prescriber: isAuthenticated, issuedAt: isAuthenticated },
};
