/** Who may call each resolver of the records subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

const readsResidents = hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'resident');

export const permissions: PermissionMap = {
  Query: {
    resident: readsResidents,
    residents: readsResidents,
    organization: isAuthenticated,
    _entities: entitiesWithinLimit,
    _service: isAuthenticated,
  },
  Resident: { id: isAuthenticated, idNumber: isAuthenticated, phone: isAuthenticated },
  Organization: { code: isAuthenticated },
};
