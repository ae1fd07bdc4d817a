/** Who may call each resolver of the labs subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

const readsResults = hasAnyRole('doctor', 'family_doctor', 'resident');
const fields = (...names: string[]) => Object.fromEntries(names.map((name) => [name, isAuthenticated]));

export const permissions: PermissionMap = {
  Query: {
    labItems: isAuthenticated,
    labReport: readsResults,
    reminderStatistics: hasAnyRole('health_commission'),
    _entities: entitiesWithinLimit,
    _service: isAuthenticated,
  },
  Mutation: {
    submitLabReport: hasAnyRole('lab_system'),
    uploadLabReports: hasAnyRole('lab_system'),
    checkOrder: hasAnyRole('doctor', 'family_doctor'),
  },
  Resident: { labReports: readsResults, latestResults: readsResults, labTrend: readsResults },
  Referral: fields('attachedLabReports'),
  LabReport: fields('id', 'organization', 'orderingOrganization', 'collectedAt', 'effectiveAt', 'issuedAt', 'history'),
  LabReportVersion: fields('issuedAt', 'replacedAt'),
  LabSource: fields('organization', 'uploadedAt'),
  Observation: fields('referenceRange'),
  LatestResult: fields('code', 'issuedAt', 'organization', 'reportId'),
  LabTrend: fields('code', 'unit'),
  TrendPoint: fields('at', 'reportedValue', 'reportedUnit', 'interpretation', 'organization', 'reportId'),
  OrderCheck: fields('itemCode', 'name', 'lastReport', 'lastValue', 'validUntil'),
  ReminderStatistics: fields('organization'),
};
