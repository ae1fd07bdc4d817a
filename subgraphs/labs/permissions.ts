/** Who may call each resolver of the labs subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

export const permissions: PermissionMap = {
  Query: { _entities: entitiesWithinLimit, _service: isAuthenticated },
  Resident: { labReports: hasAnyRole('doctor', 'family_doctor', 'resident') },
  LabReport: { id: isAuthenticated, organization: isAuthenticated, issuedAt: isAuthenticated },
  Observation: { referenceRange: isAuthenticated },
};
