/** Who may call each resolver of the records subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

// Privacy officers reach a resident (demographics only) to review their consent and access log.
const readsResidents = hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'resident', 'hospital_system', 'privacy_officer');
const readsClinicalRecord = hasAnyRole('doctor', 'family_doctor', 'resident');
const findsResidents = hasAnyRole('doctor', 'family_doctor', 'hospital_system');
const administersIdentity = hasAnyRole('privacy_officer', 'hospital_system');
const hospitalSystem = hasAnyRole('hospital_system');
// Aggregates only: the health commission reads every row, a hospital's doctors and systems their own (decided in cockpit.ts).
const readsCockpit = hasAnyRole('health_commission', 'doctor', 'hospital_system');

export const permissions: PermissionMap = {
  Query: {
    resident: readsResidents,
    residents: readsResidents,
    residentByIdentifier: findsResidents,
    searchResidents: findsResidents,
    matchReviews: administersIdentity,
    organization: isAuthenticated,
    organizations: isAuthenticated,
    cockpitMonth: readsCockpit,
    cockpitTrend: readsCockpit,
    cockpitDays: readsCockpit,
    formsCompleteness: readsCockpit,
    appointmentsByChannel: readsCockpit,
    realtimeForms: isAuthenticated,
    _entities: entitiesWithinLimit,
    _service: isAuthenticated,
  },
  Mutation: {
    registerResident: hospitalSystem,
    resolveMatchReview: administersIdentity,
    mergeResidents: administersIdentity,
    unmergeResident: administersIdentity,
    recordEncounter: hospitalSystem,
    recordCondition: hospitalSystem,
    recordAllergy: hospitalSystem,
  },
  Resident: {
    id: isAuthenticated,
    idNumber: isAuthenticated,
    phone: isAuthenticated,
    identifiers: isAuthenticated,
    encounters: readsClinicalRecord,
    conditions: readsClinicalRecord,
    allergies: readsClinicalRecord,
    summary: readsClinicalRecord,
  },
  Organization: { code: isAuthenticated },
  Encounter: { id: isAuthenticated, organization: isAuthenticated, class: isAuthenticated, start: isAuthenticated, end: isAuthenticated },
  Source: { organization: isAuthenticated, uploadedAt: isAuthenticated },
  Condition: { id: isAuthenticated },
  AllergyIntolerance: { id: isAuthenticated },
  Identifier: { value: isAuthenticated, assigner: isAuthenticated },
  MergeEvent: { at: isAuthenticated },
  MatchReview: {
    id: isAuthenticated,
    status: isAuthenticated,
    registered: isAuthenticated,
    candidate: isAuthenticated,
    score: isAuthenticated,
    reasons: isAuthenticated,
    openedAt: isAuthenticated,
    organization: isAuthenticated,
    resolvedAt: isAuthenticated,
    resolvedBy: isAuthenticated,
    reason: isAuthenticated,
  },
  MatchedRecord: { residentId: isAuthenticated, idNumber: isAuthenticated, phone: isAuthenticated },
  Prescription: { safetyFacts: hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'pharmacist'), encounter: isAuthenticated },
  Referral: { attachedEncounters: isAuthenticated },
  ActivityRow: { organization: isAuthenticated },
  CockpitHospitalAppointments: { organization: isAuthenticated },
};
