/**
 * Who may reach each field that has a resolver, in every subgraph: the one table graphql-shield's
 * rule maps are built from (`shieldRulesOf` in permissions.ts). A field names the policy's
 * entry points or write kinds it stands for, never roles, so the roles that reach a field are
 * the policy's and are declared once. Fields of objects already decided are open to any
 * signed-in caller; `_entities` is the gateway's, within the representation limit.
 */
import type { SubgraphName } from '../platform/config';
import { ENTRY_RULES, type EntryPoint } from './entry-points';
import { WRITE_RULES, type WriteKind } from './policy';
import type { Role } from './viewer';

export type Reach = 'signed-in' | 'gateway' | { entries: readonly EntryPoint[] } | { writes: readonly WriteKind[] };
export type FieldTable = Readonly<Record<string, Readonly<Record<string, Reach>>>>;

const entry = (...entries: EntryPoint[]): Reach => ({ entries });
const write = (...writes: WriteKind[]): Reach => ({ writes });
/** Fields of an object the data path already decided: any signed-in caller. */
const open = (...fields: string[]): Record<string, Reach> => Object.fromEntries(fields.map((field) => [field, 'signed-in']));
/** What every subgraph's Query has for the gateway. */
const FEDERATION: Record<string, Reach> = { _entities: 'gateway', _service: 'signed-in' };

/** The roles a reach lets through (none for the open and the gateway's). */
export function rolesOf(reach: Reach): Role[] {
  if (typeof reach === 'string') return [];
  const sets = 'entries' in reach ? reach.entries.map((name) => ENTRY_RULES[name].roles) : reach.writes.map((kind) => WRITE_RULES[kind].roles);
  return [...new Set(sets.flat())];
}

const records: FieldTable = {
  Query: {
    resident: entry('read-residents'),
    residents: entry('read-residents'),
    residentByIdentifier: entry('find-residents'),
    residentsByIdentifiers: entry('find-residents'),
    searchResidents: entry('find-residents'),
    matchReviews: entry('administer-identity'),
    ...open('organization', 'organizations', 'realtimeForms'),
    // Aggregates only: the city for the health commission, a hospital's own rows for it (decided in cockpit.ts).
    overdueFollowUps: entry('overdue-follow-ups'),
    cockpitMonth: entry('cockpit-city', 'cockpit-own-organization'),
    cockpitTrend: entry('cockpit-city', 'cockpit-own-organization'),
    cockpitDays: entry('cockpit-city', 'cockpit-own-organization'),
    // Districts and hospitals against each other: the whole city, so the health commission only.
    cockpitRanking: entry('cockpit-city'),
    formsCompleteness: entry('cockpit-city', 'cockpit-own-organization'),
    appointmentsByChannel: entry('cockpit-city', 'cockpit-own-organization'),
    // The hotline table is the city's (decided in cockpit-hotline.ts); its work orders are its centre's (hotline.ts).
    hotlineMonth: entry('cockpit-city'),
    bulletinHeadline: entry('cockpit-city'),
    openWorkOrders: write('handle-work-order'),
    ...FEDERATION,
  },
  Mutation: {
    registerResident: write('register'),
    resolveMatchReview: entry('administer-identity'),
    mergeResidents: entry('administer-identity'),
    unmergeResident: entry('administer-identity'),
    recordEncounter: write('record-clinical'),
    recordCondition: write('record-clinical'),
    recordAllergy: write('record-clinical'),
    uploadEncounters: write('record-clinical'),
    uploadConditions: write('record-clinical'),
    uploadAllergies: write('record-clinical'),
    recordHotlineCall: write('record-hotline-call'),
    uploadHotlineCalls: write('record-hotline-call'),
    receiveWorkOrder: write('handle-work-order'),
    advanceWorkOrder: write('handle-work-order'),
  },
  Resident: {
    ...open('id', 'idNumber', 'phone', 'identifiers'),
    encounters: entry('read-clinical-record'),
    conditions: entry('read-clinical-record'),
    allergies: entry('read-clinical-record'),
    summary: entry('read-clinical-record'),
    hotlineCalls: entry('read-clinical-record'),
  },
  Organization: open('code'),
  HotlineCall: open('id', 'organization', 'receivedAt'),
  WorkOrder: open('id', 'receivedAt'),
  WorkOrderStep: open('at'),
  Encounter: open('id', 'organization', 'class', 'start', 'end'),
  Source: open('organization', 'uploadedAt'),
  Condition: open('id'),
  OverdueFollowUp: open('id', 'resident', 'condition', 'rule'),
  AllergyIntolerance: open('id'),
  Identifier: open('value', 'assigner'),
  MergeEvent: open('at'),
  MatchReview: open('id', 'status', 'registered', 'candidate', 'score', 'reasons', 'openedAt', 'organization', 'resolvedAt', 'resolvedBy', 'reason'),
  MatchedRecord: open('residentId', 'idNumber', 'phone'),
  Prescription: { safetyFacts: entry('see-safety-warnings'), ...open('encounter') },
  Referral: open('attachedEncounters'),
  HospitalBooking: open('discharge'),
  ActivityRow: open('organization'),
  CockpitHospitalAppointments: open('organization'),
};

const labs: FieldTable = {
  // Reference data from the in-process registry of names (subgraphs/runtime/organization-catalogue.ts).
  Organization: open('name'),
  Query: {
    ...open('labItems'),
    labReport: entry('read-clinical-record'),
    reminderStatistics: entry('reminder-statistics'),
    criticalResultInbox: entry('critical-result-inbox'),
    ...FEDERATION,
  },
  Mutation: {
    submitLabReport: write('submit-lab-report'),
    uploadLabReports: write('submit-lab-report'),
    checkOrder: write('check-order'),
    acknowledgeCriticalResult: write('acknowledge-critical-result'),
    submitCheckupReport: write('submit-lab-report'),
  },
  Resident: { labReports: entry('read-clinical-record'), latestResults: entry('read-clinical-record'), labTrend: entry('read-clinical-record') },
  Referral: open('attachedLabReports'),
  HospitalBooking: open('examReport'),
  LabReport: open('id', 'organization', 'orderingOrganization', 'collectedAt', 'effectiveAt', 'issuedAt', 'history', 'checkup'),
  LabReportVersion: open('issuedAt', 'replacedAt'),
  LabSource: open('organization', 'uploadedAt'),
  Observation: open('referenceRange'),
  LatestResult: open('code', 'issuedAt', 'organization', 'reportId'),
  LabTrend: open('code', 'unit'),
  TrendPoint: open('at', 'reportedValue', 'reportedUnit', 'interpretation', 'organization', 'reportId', 'referenceRange'),
  OrderCheck: open('itemCode', 'name', 'lastReport', 'lastValue', 'validUntil'),
  ReminderStatistics: open('organization'),
  CriticalResultAlert: open(
    'id',
    'resident',
    'criticalResults',
    'reason',
    'addressedTo',
    'raisedAt',
    'escalatesAt',
    'state',
    'acknowledgedAt',
    'acknowledgedBy',
  ),
};

const prescriptions: FieldTable = {
  // Reference data from the in-process registry of names (subgraphs/runtime/organization-catalogue.ts).
  Organization: open('name'),
  Query: {
    ...open('drugs'),
    prescription: entry('read-prescriptions'),
    organizationPrescriptions: write('prescribe'),
    pharmacyQueue: write('dispense'),
    ...FEDERATION,
  },
  Mutation: {
    issuePrescription: write('prescribe'),
    revisePrescription: write('prescribe'),
    signPrescription: entry('sign-prescription'),
    reviewPrescription: write('dispense'),
    routePrescription: write('route-to-pharmacy'),
    dispensePrescription: write('dispense'),
    completePrescription: write('dispense'),
    cancelPrescription: write('prescribe'),
    uploadPrescriptions: write('file-prescription'),
  },
  Resident: { prescriptions: entry('read-prescriptions') },
  Prescription: {
    ...open(
      'id',
      'resident',
      'prescriber',
      'status',
      'issuedAt',
      'validUntil',
      'pharmacy',
      'delivery',
      'signature',
      'review',
      'dispensing',
      'transitions',
      'renewalCheck',
      'filed',
    ),
    warnings: entry('see-safety-warnings'),
    // Taken (and kept) for the chosen pharmacy's review only.
    safetySnapshot: entry('act-for-pharmacy'),
  },
  Transition: open('organization', 'at'),
  Warning: open('duplicates', 'acrossOrganizations'),
};

/** Who books appointments: residents for themselves, the 12320 hotline for callers, hospitals' systems at their clinic. */
const BOOKING = write('book-appointment', 'book-appointment-by-phone', 'book-in-clinic');

/** Home nursing: the resident or an internet hospital orders and cancels; the ordered centre acts on the order. */
const ORDERING = write('order-nursing', 'order-nursing-for-patient');
const NURSING_WRITES: Record<string, Reach> = {
  orderNursing: ORDERING,
  cancelNursingOrder: ORDERING,
  acceptNursingOrder: write('provide-nursing'),
  refuseNursingOrder: write('provide-nursing'),
  recordNursingVisit: write('provide-nursing'),
  completeNursingOrder: write('provide-nursing'),
};

const referrals: FieldTable = {
  Query: {
    ...open('departments'),
    availableSlots: entry('see-bookable-slots'),
    referralInbox: write('receive-referral'),
    referralOutbox: write('refer'),
    myAppointments: entry('list-own-appointments'),
    ...open('nursingServices'),
    nursingOrder: entry('read-nursing-orders'),
    nursingInbox: write('provide-nursing'),
    hospitalBookings: write('book-hospital-resource', 'file-hospital-result'),
    mySettlements: entry('list-own-settlements'),
    institutionSettlements: entry('institution-settlements'),
    settlementReconciliation: entry('institution-settlements'),
    // Aggregates only: the city's for the health commission, an institution's own otherwise (decided in settlements.ts).
    settlementDays: entry('cockpit-city', 'institution-settlements'),
    // Reference data: a package's booked places per day, no resident named.
    ...open('checkupAvailability'),
    myCheckups: entry('list-own-appointments'),
    ...FEDERATION,
  },
  Mutation: {
    signContract: write('offer-contract'),
    acceptContract: write('accept-contract'),
    renewContract: write('offer-contract'),
    terminateContract: write('offer-contract'),
    requestReferral: write('refer'),
    // The sender books as `refer`, the receiver as `receive-referral`.
    bookReferralSlot: write('refer', 'receive-referral'),
    acceptReferral: write('receive-referral'),
    rejectReferral: write('receive-referral'),
    markArrived: write('receive-referral'),
    completeReferral: write('receive-referral'),
    cancelReferral: write('refer'),
    publishSlotPools: entry('publish-slot-pools'),
    bookAppointment: BOOKING,
    cancelAppointment: BOOKING,
    ...NURSING_WRITES,
    bookHospitalResource: write('book-hospital-resource'),
    cancelHospitalBooking: write('book-hospital-resource'),
    fileHospitalResult: write('file-hospital-result'),
    settle: write('settle'),
    refundSettlement: write('settle'),
    publishCheckupPackages: entry('publish-checkup-packages'),
    bookCheckup: write('book-checkup'),
    payCheckup: write('book-checkup'),
    cancelCheckup: write('book-checkup'),
  },
  Organization: open('referralServices', 'name', 'checkupPackages'),
  Resident: {
    referrals: entry('read-clinical-record'),
    familyDoctorContract: entry('read-clinical-record'),
    nursingOrders: entry('read-nursing-orders'),
  },
  Referral: open('id', 'resident', 'fromOrganization', 'toOrganization', 'status', 'requestedAt', 'transitions'),
  ReferralTransition: open('organization', 'at'),
  FamilyDoctorContract: open('id', 'resident', 'organization', 'since', 'until', 'status'),
  Appointment: open('id', 'resident', 'organization', 'bookedAt', 'cancelledAt'),
  NursingOrder: open('id', 'resident', 'organization', 'orderer', 'service', 'status', 'orderedAt', 'expiresAt', 'transitions'),
  NursingVisit: open('at'),
  NursingTransition: open('organization', 'at'),
  HospitalBooking: open(
    'id',
    'resident',
    'organization',
    'fromOrganization',
    'bookedAt',
    'completedAt',
    'cancelledAt',
    'resultReportIds',
    'dischargeEncounterIds',
  ),
  SlotAvailability: open('poolId', 'organization', 'department', 'date', 'session', 'kind', 'capacity', 'reserved', 'releaseAt'),
  Settlement: open('id', 'organization', 'settledAt'),
  CheckupPackage: open('id', 'organization'),
  CheckupBooking: open('id', 'resident', 'organization', 'package', 'bookedAt', 'paidAt', 'cancelledAt'),
};

const access: FieldTable = {
  // Reference data from the in-process registry of names (subgraphs/runtime/organization-catalogue.ts).
  Organization: open('name'),
  Query: {
    ...open('viewer'),
    auditEvents: entry('oversee'),
    breakGlassReviews: entry('oversee'),
    registrationsWithoutCare: entry('oversee'),
    ...FEDERATION,
  },
  Mutation: {
    setConsent: write('set-consent'),
    breakGlass: write('break-glass'),
    closeBreakGlassReview: entry('oversee'),
  },
  Resident: {
    accessLog: entry('read-own-oversight'),
    careRelationships: entry('read-care-relationships'),
    consent: entry('read-own-oversight'),
  },
  AuditEvent: open('id', 'at', 'subject', 'organization', 'outcome', 'alert', 'source', 'sources', 'action'),
  CareRelationship: open('organization', 'since', 'lastSeenAt', 'careSeenAt', 'endsAt', 'source', 'root'),
  Consent: open('blockedOrganizations', 'updatedAt'),
  BreakGlassReview: open('id', 'organization', 'grantedAt', 'expiresAt', 'closedAt'),
};

export const FIELD_ACCESS: Readonly<Record<SubgraphName, FieldTable>> = { records, labs, prescriptions, referrals, access };
