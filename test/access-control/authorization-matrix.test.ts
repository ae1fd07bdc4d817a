/**
 * The authorization matrix: every viewer context × every entry point, each cell with the
 * outcome the policy promises, run through the real gateway (and, for `_entities`, against
 * each subgraph with the internal token the gateway would mint for that viewer).
 *
 * The leak oracle rides along: canary values live in a mental-health diagnosis the resident
 * restricted; they never appear in a cell whose outcome is deny or omit, in any error, or in
 * any log line the services wrote.
 */
import { randomUUID } from 'node:crypto';
import { makeIdNumber } from '../../access-control/id-number';
import { mintInternalToken } from '../../access-control/internal-token';
import type { Viewer } from '../../access-control/viewer';
import { addDays, beijingDate } from '../../subgraphs/referrals/referral-rules';
import type { DemoIdentity } from '../../tools/demo-issuer';
import { entryPoints } from '../support/entry-points';
import { insertHospitals, insertHotlineCentre, labReport, modelsOf, newId, nursingOrderDoc, prescriptionDoc, referralDoc, relate } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';
import { ALL, CHECKUP_PACKAGE, CLINICIANS, CONTEXTS, type Context, GATES, INSTITUTIONS } from './matrix-contexts';

const CANARIES = ['CANARY-7731-抑郁发作', 'CANARY-7732-心境障碍'];
const ID_NUMBER = makeIdNumber('320106', '1966-09-30', 89);
const NAME = '钱矩阵';
/** A day slots may be asked for: tomorrow in the city (a past day is refused). */
const SLOT_DAY = addDays(beijingDate(new Date()), 1);

// Who may see the record, by how the policy reaches them.
const CLINICAL: Context[] = ['self', ...CLINICIANS];
/** See the record but not the category the resident restricted (it came from another organization). */
const OMITTED: Context[] = ['doctorRelated', 'doctorBreakGlass', 'familyDoctor'];
/** The cockpit's readers: the health commission, and every doctor or hospital system of an organization. */
const COCKPIT: Context[] = ['healthCommission', 'doctorOwnOrg', 'doctorRelated', 'doctorStranger', 'doctorBreakGlass', 'hospitalSystem'];

const logLines: string[] = [];
const { stack } = useStack({ logLines });
let residentId: string;
let ids: { encounter: string; labReport: string; prescription: string; referral: string; hospitalBooking: string };
/** A home nursing order the resident placed with a centre none of the contexts works at. */
const NURSING_ORDER = newId();

function identity(context: Context): DemoIdentity {
  const base = CONTEXTS[context] as Partial<DemoIdentity>;
  return {
    subject: `matrix-${context}`,
    roles: base.roles!,
    organizationCode: base.organizationCode,
    practitionerId: base.practitionerId,
    residentId: context === 'self' ? residentId : base.residentId,
  };
}
const token = (context: Context) => stack.token(identity(context));
const viewerOf = (context: Context): Viewer => {
  const { subject, roles, organizationCode, practitionerId, residentId: own } = identity(context);
  return { subject, roles, organizationCode, practitionerId, residentId: own, purposeOfUse: context === 'self' ? 'self' : 'treatment' };
};

beforeAll(async () => {
  await insertHospitals(stack);
  await insertHotlineCentre(stack);
  await modelsOf(stack).referrals.CheckupPackage.create(CHECKUP_PACKAGE);
  const his = stack.token({ subject: 'his', roles: ['hospital_system'], organizationCode: '3201-H001' });
  const register = await stack.query(his, `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`, {
    input: {
      name: NAME,
      gender: 'MALE',
      birthDate: '1966-09-30',
      idNumber: ID_NUMBER,
      phone: '13955550000',
      district: '鼓楼区',
      identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-M-1' },
    },
  });
  residentId = register.body.data!.registerResident.resident.id;
  const record = await stack.query(his, `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
    input: {
      residentId,
      sourceRecordId: 'V-M-1',
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '精神科',
      start: '2026-06-01T01:00:00.000Z',
      end: '2026-06-01T02:00:00.000Z',
      diagnoses: [{ code: 'F32.9', display: CANARIES[0], rank: 1, primary: true }],
    },
  });
  await stack.query(his, `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
    input: { residentId, sourceRecordId: 'P-M-1', code: 'F34.1', display: CANARIES[1], clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
  });
  const models = modelsOf(stack);
  const now = Date.now();
  ids = { encounter: record.body.data!.recordEncounter.id, labReport: newId(), prescription: newId(), referral: newId(), hospitalBooking: newId() };
  await models.labs.LabReport.create(
    labReport({ id: ids.labReport, residentId, organizationCode: '3201-H002', code: '4548-4', results: [{ code: '4548-4', value: 6.8, unit: '%' }] }),
  );
  await models.prescriptions.Prescription.create(
    prescriptionDoc({ id: ids.prescription, residentId, organizationCode: '3201-H103', drugCodes: ['H20023370'] }),
  );
  await models.referrals.Contract.create({
    _id: 'matrix-contract',
    residentId,
    familyDoctor: 'F1',
    organizationCode: '3201-H102',
    servicePackage: 'CHRONIC_DISEASE',
    since: new Date(now - 86_400_000),
    until: new Date(now + 300 * 86_400_000),
    status: 'ACTIVE',
    terminationReason: null,
  });
  await models.referrals.Referral.create(
    referralDoc({ id: ids.referral, residentId, fromOrganizationCode: '3201-H102', toOrganizationCode: '3201-H002', requestedAt: new Date(now) }),
  );
  await models.referrals.NursingOrder.create(nursingOrderDoc({ id: NURSING_ORDER, residentId, organizationCode: '3201-C050', preferredDate: SLOT_DAY }));
  // A family doctor's exam booking at the hospital the referral went to, its report filed back.
  await models.referrals.HospitalBooking.create({
    _id: ids.hospitalBooking,
    residentId,
    kind: 'EXAM',
    examType: 'CT',
    reason: '慢阻肺随访，复查胸部CT',
    poolId: newId(),
    placeId: `${newId()}:R:1`,
    share: 'RESERVED',
    organizationCode: '3201-H002',
    department: '影像科',
    date: SLOT_DAY,
    session: 'MORNING',
    fromOrganizationCode: '3201-H102',
    familyDoctor: 'F1',
    status: 'COMPLETED',
    bookedAt: new Date(now - 86_400_000),
    clientRequestId: 'matrix-booking-1',
    requestHash: 'matrix',
    resultReportId: ids.labReport,
    completedAt: new Date(now),
  });
  await relate(stack, [residentId], '3201-H002', 'REGISTRATION');
  await relate(stack, [residentId], '3201-H102', 'REFERRAL');
  await relate(stack, [residentId], '3201-H103', 'REGISTRATION');
  await stack.query(
    token('self'),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { restrictedCategories } }`,
    { id: residentId },
  );
  await stack.query(
    token('doctorBreakGlass'),
    `mutation($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "急诊昏迷，需查既往史") { id } }`,
    { id: residentId },
  );
});

type Expectation = 'allowed' | 'omitted' | 'denied';
interface Cell {
  text: string;
  /** The value the cell is about: null or absent when nothing was disclosed. */
  value: unknown;
  codes: string[];
}

const viaGateway =
  (query: string, pick: (data: any) => unknown, variables?: () => Record<string, unknown>) =>
  async (context: Context): Promise<Cell> => {
    const { text, body } = await stack.query(token(context), query, { id: residentId, ...(variables?.() ?? {}) });
    return { text, value: body.data ? pick(body.data) : null, codes: (body.errors ?? []).map((error) => error.extensions?.code ?? '') };
  };
const field = (selection: string) =>
  viaGateway(`query($id: ID!) { resident(id: $id) { id ${selection} } }`, (data) => data.resident?.[selection.split(/[ ({]/)[0]!] ?? null);

interface ReadPoint {
  allowed: Context[];
  omitted?: Context[];
  run: (context: Context) => Promise<Cell>;
}

const READS: Record<string, ReadPoint> = {
  'Query.resident': {
    allowed: [...CLINICAL, 'internetHospital', 'hospitalSystem', 'privacyOfficer'],
    run: viaGateway(`query($id: ID!) { resident(id: $id) { name } }`, (data) => data.resident),
  },
  'Query.residents': {
    allowed: [...CLINICAL, 'internetHospital', 'hospitalSystem', 'privacyOfficer'],
    run: viaGateway(`query($id: ID!) { residents(ids: [$id]) { name } }`, (data) => data.residents?.[0] ?? null),
  },
  'Resident.encounters': {
    allowed: CLINICAL,
    omitted: OMITTED,
    run: field('encounters { edges { node { department diagnoses { code { code display } } } } }'),
  },
  'Resident.conditions': { allowed: CLINICAL, omitted: OMITTED, run: field('conditions { edges { node { code { code display } } } }') },
  'Resident.allergies': { allowed: CLINICAL, run: field('allergies { assertion }') },
  'Resident.summary': {
    allowed: CLINICAL,
    omitted: OMITTED,
    run: field('summary { activeProblems { code { display } } lastEncounters { department diagnoses { code { display } } } }'),
  },
  'Resident.labReports': { allowed: CLINICAL, run: field('labReports { edges { node { id } } }') },
  'Resident.latestResults': { allowed: CLINICAL, run: field('latestResults(codes: ["4548-4"]) { reportId }') },
  'Resident.labTrend': { allowed: CLINICAL, run: field('labTrend(code: "4548-4") { unit }') },
  'Query.labReport': {
    allowed: CLINICAL,
    run: viaGateway(
      `query($report: ID!) { labReport(id: $report) { id } }`,
      (data) => data.labReport,
      () => ({ report: ids.labReport }),
    ),
  },
  'Query.reminderStatistics': {
    allowed: ['healthCommission'],
    run: viaGateway(`{ reminderStatistics(month: "2026-01") { shown } }`, (data) => data.reminderStatistics),
  },
  // A centre's family doctors: its contracted residents' overdue follow-ups (each as decided for its records).
  'Query.overdueFollowUps': {
    allowed: ['familyDoctor'],
    run: viaGateway(`{ overdueFollowUps { edges { node { id } } } }`, (data) => data.overdueFollowUps),
  },
  // Clinicians of an organization: their own organization's inbox (each alert as decided for its report).
  'Query.criticalResultInbox': {
    allowed: ['doctorOwnOrg', 'doctorRelated', 'doctorStranger', 'doctorBreakGlass', 'familyDoctor'],
    run: viaGateway(`{ criticalResultInbox { edges { node { id } } } }`, (data) => data.criticalResultInbox),
  },
  'Query.prescription': {
    allowed: [...CLINICAL, 'internetHospital'],
    run: viaGateway(
      `query($rx: ID!) { prescription(id: $rx) { id } }`,
      (data) => data.prescription,
      () => ({ rx: ids.prescription }),
    ),
  },
  'Query.organizationPrescriptions': {
    allowed: [...CLINICIANS, 'doctorStranger', 'internetHospital'],
    run: viaGateway(`{ organizationPrescriptions { pageInfo { hasNextPage } } }`, (data) => data.organizationPrescriptions),
  },
  'Query.pharmacyQueue': { allowed: ['pharmacist'], run: viaGateway(`{ pharmacyQueue { pageInfo { hasNextPage } } }`, (data) => data.pharmacyQueue) },
  'Resident.prescriptions': { allowed: [...CLINICAL, 'internetHospital'], run: field('prescriptions { edges { node { id } } }') },
  'Resident.referrals': { allowed: CLINICAL, run: field('referrals { edges { node { id } } }') },
  'Resident.familyDoctorContract': { allowed: CLINICAL, run: field('familyDoctorContract { status }') },
  // Home nursing orders: clinicians with standing, the internet hospital with standing (it orders), the resident.
  'Resident.nursingOrders': { allowed: [...CLINICAL, 'internetHospital'], run: field('nursingOrders { id }') },
  'Query.nursingOrder': {
    allowed: [...CLINICAL, 'internetHospital'],
    run: viaGateway(`{ nursingOrder(id: "${NURSING_ORDER}") { id } }`, (data) => data.nursingOrder),
  },
  'Query.nursingInbox': { allowed: ['familyDoctor'], run: viaGateway(`{ nursingInbox { pageInfo { hasNextPage } } }`, (data) => data.nursingInbox) },
  'Query.nursingServices': { allowed: ALL, run: viaGateway(`{ nursingServices { code } }`, (data) => data.nursingServices) },
  'Query.availableSlots': {
    allowed: [...CLINICIANS, 'doctorStranger'],
    run: viaGateway(
      `{ availableSlots(organizationCode: "3201-H001", department: "心血管内科", from: "${SLOT_DAY}", to: "${SLOT_DAY}") { poolId } }`,
      (data) => data.availableSlots,
    ),
  },
  'Query.referralInbox': {
    allowed: [...CLINICIANS, 'doctorStranger'],
    run: viaGateway(`{ referralInbox { pageInfo { hasNextPage } } }`, (data) => data.referralInbox),
  },
  // A resident's own appointments: for any resident token, about that resident alone.
  'Query.myAppointments': { allowed: ['self', 'otherResident'], run: viaGateway(`{ myAppointments { id } }`, (data) => data.myAppointments) },
  // Settlements: a resident's own; an institution's own day and reconciliation; the city's sums for the health commission.
  'Query.mySettlements': { allowed: ['self', 'otherResident'], run: viaGateway(`{ mySettlements { id } }`, (data) => data.mySettlements) },
  // Check-ups: a resident's own bookings; a package's availability is reference data (no resident).
  'Query.myCheckups': { allowed: ['self', 'otherResident'], run: viaGateway(`{ myCheckups { id } }`, (data) => data.myCheckups) },
  'Query.checkupAvailability': {
    allowed: ALL,
    run: viaGateway(
      `{ checkupAvailability(packageId: "${CHECKUP_PACKAGE._id}", from: "2026-01-05", to: "2026-01-05") { date booked } }`,
      (data) => data.checkupAvailability,
    ),
  },
  'Query.institutionSettlements': {
    allowed: INSTITUTIONS,
    run: viaGateway(`{ institutionSettlements(day: "2026-01-05") { id } }`, (data) => data.institutionSettlements),
  },
  'Query.settlementReconciliation': {
    allowed: INSTITUTIONS,
    run: viaGateway(`{ settlementReconciliation(day: "2026-01-05", lines: []) { balanced } }`, (d) => d.settlementReconciliation),
  },
  'Query.settlementDays': {
    allowed: ['healthCommission', ...INSTITUTIONS],
    run: viaGateway(`{ settlementDays(month: "2026-01") { day } }`, (data) => data.settlementDays),
  },

  'Query.referralOutbox': {
    allowed: [...CLINICIANS, 'doctorStranger'],
    run: viaGateway(`{ referralOutbox { pageInfo { hasNextPage } } }`, (data) => data.referralOutbox),
  },
  // A centre's inbox or a hospital's worklist: any family doctor, hospital clinician or system; which bookings, the policy's.
  'Query.hospitalBookings': {
    allowed: [...CLINICIANS, 'doctorStranger', 'labSystem', 'hospitalSystem'],
    run: viaGateway(`{ hospitalBookings { pageInfo { hasNextPage } } }`, (data) => data.hospitalBookings),
  },
  'Resident.careRelationships': { allowed: [...CLINICAL, 'internetHospital', 'privacyOfficer'], run: field('careRelationships { kind }') },
  'Resident.accessLog': { allowed: ['self', 'privacyOfficer'], run: field('accessLog { edges { node { at } } }') },
  'Resident.consent': { allowed: ['self', 'privacyOfficer'], run: field('consent { restrictedCategories }') },
  'Query.residentByIdentifier': {
    allowed: ['doctorOwnOrg', 'hospitalSystem'],
    run: viaGateway(`{ residentByIdentifier(system: MEDICAL_RECORD_NUMBER, value: "MRN-M-1") { name } }`, (data) => data.residentByIdentifier),
  },
  'Query.residentsByIdentifiers': {
    allowed: ['doctorOwnOrg', 'hospitalSystem'],
    run: viaGateway(
      `{ residentsByIdentifiers(identifiers: [{ system: MEDICAL_RECORD_NUMBER, value: "MRN-M-1" }]) { name } }`,
      (data) => data.residentsByIdentifiers?.[0] ?? null,
    ),
  },
  'Query.searchResidents': {
    allowed: [...CLINICIANS, 'hospitalSystem'],
    run: viaGateway(
      `{ searchResidents(criteria: { name: "${NAME}", birthDate: "1966-09-30" }) { edges { node { name } } } }`,
      (data) => data.searchResidents?.edges?.[0] ?? null,
    ),
  },
  'Query.matchReviews': {
    allowed: ['privacyOfficer', 'hospitalSystem'],
    run: viaGateway(`{ matchReviews { pageInfo { hasNextPage } } }`, (data) => data.matchReviews),
  },
  'Query.auditEvents': {
    allowed: ['privacyOfficer'],
    run: viaGateway(`query($id: ID!) { auditEvents(filter: { residentId: $id }) { edges { node { at } } } }`, (data) => data.auditEvents),
  },
  'Query.breakGlassReviews': {
    allowed: ['privacyOfficer'],
    run: viaGateway(`{ breakGlassReviews { edges { node { id } } } }`, (data) => data.breakGlassReviews),
  },
  'Query.registrationsWithoutCare': {
    allowed: ['privacyOfficer'],
    run: viaGateway(`{ registrationsWithoutCare(since: "2020-01-01") { count } }`, (data) => data.registrationsWithoutCare),
  },
  'Query.organization': { allowed: ALL, run: viaGateway(`{ organization(code: "3201-H001") { name } }`, (data) => data.organization) },
  // Discovery: reference data and the caller's own identity, for every authenticated caller.
  'Query.viewer': { allowed: ALL, run: viaGateway(`{ viewer { subject roles } }`, (data) => data.viewer) },
  'Query.organizations': {
    allowed: ALL,
    run: viaGateway(
      `{ organizations(level: [TERTIARY]) { edges { node { code referralServices { bookingHorizonDays } } } } }`,
      (data) => data.organizations?.edges[0] ?? null,
    ),
  },
  'Query.departments': { allowed: ALL, run: viaGateway(`{ departments }`, (data) => data.departments) },
  'Query.drugs': { allowed: ALL, run: viaGateway(`{ drugs(first: 1) { code } }`, (data) => data.drugs) },
  'Query.labItems': { allowed: ALL, run: viaGateway(`{ labItems(search: "4548-4") { code } }`, (data) => data.labItems) },
  // The cockpit: aggregates for the health commission, and a hospital's doctors and systems (their own rows).
  'Query.cockpitMonth': { allowed: COCKPIT, run: viaGateway(`{ cockpitMonth(month: "2026-01") { month } }`, (data) => data.cockpitMonth) },
  'Query.cockpitTrend': { allowed: COCKPIT, run: viaGateway(`{ cockpitTrend(from: "2026-01", to: "2026-02") { period } }`, (data) => data.cockpitTrend) },
  'Query.cockpitDays': { allowed: COCKPIT, run: viaGateway(`{ cockpitDays(month: "2026-01") { period } }`, (data) => data.cockpitDays) },
  // Districts and hospitals against each other: the health commission only.
  'Query.cockpitRanking': {
    allowed: ['healthCommission'],
    run: viaGateway(`{ cockpitRanking(month: "2026-01", indicator: DISCHARGES) { month } }`, (data) => data.cockpitRanking),
  },
  'Query.formsCompleteness': {
    allowed: COCKPIT,
    run: viaGateway(`{ formsCompleteness(month: "2026-01") { organizationsReporting } }`, (data) => data.formsCompleteness),
  },
  'Query.appointmentsByChannel': {
    allowed: COCKPIT,
    run: viaGateway(`{ appointmentsByChannel(month: "2026-01") { month } }`, (data) => data.appointmentsByChannel),
  },
  'Query.realtimeForms': { allowed: ALL, run: viaGateway(`{ realtimeForms { code } }`, (data) => data.realtimeForms) },
  // The 12320 hotline: the city's table and headline for the health commission, the centre's work orders for its operators.
  'Query.hotlineMonth': { allowed: ['healthCommission'], run: viaGateway(`{ hotlineMonth(month: "2026-01") { month } }`, (data) => data.hotlineMonth) },
  'Query.bulletinHeadline': {
    allowed: ['healthCommission'],
    run: viaGateway(`{ bulletinHeadline(month: "2026-01") { month } }`, (data) => data.bulletinHeadline),
  },
  'Query.openWorkOrders': { allowed: ['hotlineOperator'], run: viaGateway(`{ openWorkOrders { id } }`, (data) => data.openWorkOrders) },
  // A resident's calls to the hotline: the resident and their family doctor.
  'Resident.hotlineCalls': { allowed: ['self', 'familyDoctor'], run: field('hotlineCalls { category }') },
};

/** `_entities` straight to a subgraph, with the internal token the gateway would mint for the viewer. */
const entity =
  (
    subgraph: 'records' | 'labs' | 'prescriptions' | 'referrals' | 'access',
    typename: string,
    key: () => Record<string, unknown>,
    selection: string,
    pick: (entity: any) => unknown,
  ) =>
  async (context: Context): Promise<Cell> => {
    const internal = mintInternalToken({ viewer: viewerOf(context), requestId: randomUUID() }, subgraph, stack.keys.internal.privateKey);
    const { text, body } = await stack.query(
      internal,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
      { r: [{ __typename: typename, ...key() }] },
      stack.subgraphs[subgraph].url,
    );
    const found = body.data?._entities?.[0];
    return { text, value: found ? pick(found) : null, codes: (body.errors ?? []).map((error) => error.extensions?.code ?? '') };
  };
const resident = () => ({ id: residentId });

const ENTITIES: Record<string, ReadPoint> = {
  'records Resident': {
    allowed: [...CLINICAL, 'internetHospital', 'hospitalSystem', 'privacyOfficer'],
    run: entity('records', 'Resident', resident, 'name', (found) => found.name),
  },
  'records Encounter': {
    allowed: ['self', 'doctorOwnOrg'],
    run: entity(
      'records',
      'Encounter',
      () => ({ id: ids.encounter }),
      'department diagnoses { code { display } }',
      (found) => found.department,
    ),
  },
  'records Organization': {
    allowed: ALL,
    run: entity(
      'records',
      'Organization',
      () => ({ code: '3201-H001' }),
      'name',
      (found) => found.name,
    ),
  },
  'referrals Organization': {
    allowed: ALL,
    run: entity(
      'referrals',
      'Organization',
      () => ({ code: '3201-H001' }),
      'referralServices { bookingHorizonDays }',
      (found) => found.referralServices,
    ),
  },
  'labs Resident.labReports': {
    allowed: CLINICAL,
    run: entity('labs', 'Resident', resident, 'labReports { edges { node { id } } }', (found) => found.labReports),
  },
  'labs LabReport': {
    allowed: CLINICAL,
    run: entity(
      'labs',
      'LabReport',
      () => ({ id: ids.labReport }),
      'id',
      (found) => found.id,
    ),
  },
  'prescriptions Resident.prescriptions': {
    allowed: [...CLINICAL, 'internetHospital'],
    run: entity('prescriptions', 'Resident', resident, 'prescriptions { edges { node { id } } }', (found) => found.prescriptions),
  },
  'records Prescription.safetyFacts': {
    allowed: [...CLINICIANS, 'internetHospital'],
    run: entity(
      'records',
      'Prescription',
      () => ({ id: ids.prescription, residentId }),
      'safetyFacts { diagnosisCodes }',
      (found) => found.safetyFacts,
    ),
  },
  'prescriptions Prescription': {
    allowed: [...CLINICAL, 'internetHospital'],
    run: entity(
      'prescriptions',
      'Prescription',
      () => ({ id: ids.prescription }),
      'id',
      (found) => found.id,
    ),
  },
  'referrals Resident.referrals': {
    allowed: CLINICAL,
    run: entity('referrals', 'Resident', resident, 'referrals { edges { node { id } } }', (found) => found.referrals),
  },
  'referrals Referral': {
    allowed: CLINICAL,
    run: entity(
      'referrals',
      'Referral',
      () => ({ id: ids.referral }),
      'id',
      (found) => found.id,
    ),
  },
  // Attachments are resolved by the subgraph that owns them: the first attached record, or null when it is withheld.
  'records Referral.attachedEncounters': {
    allowed: ['self', 'doctorOwnOrg'],
    run: entity(
      'records',
      'Referral',
      () => ({ id: ids.referral, attachedEncounterIds: [ids.encounter], resident: { id: residentId } }),
      'attachedEncounters { department }',
      (found) => found.attachedEncounters[0]?.department ?? null,
    ),
  },
  'labs Referral.attachedLabReports': {
    allowed: CLINICAL,
    run: entity(
      'labs',
      'Referral',
      () => ({ id: ids.referral, attachedLabReportIds: [ids.labReport], resident: { id: residentId } }),
      'attachedLabReports { id }',
      (found) => found.attachedLabReports[0]?.id ?? null,
    ),
  },
  'referrals HospitalBooking': {
    allowed: CLINICAL,
    run: entity(
      'referrals',
      'HospitalBooking',
      () => ({ id: ids.hospitalBooking }),
      'id',
      (found) => found.id,
    ),
  },
  // A booking's result is resolved by the subgraph that owns it, like an attachment.
  'labs HospitalBooking.examReport': {
    allowed: CLINICAL,
    run: entity(
      'labs',
      'HospitalBooking',
      () => ({ id: ids.hospitalBooking, resultReportIds: [ids.labReport], resident: { id: residentId } }),
      'examReport { id }',
      (found) => found.examReport?.id ?? null,
    ),
  },
  'records HospitalBooking.discharge': {
    allowed: ['self', 'doctorOwnOrg'],
    run: entity(
      'records',
      'HospitalBooking',
      () => ({ id: ids.hospitalBooking, dischargeEncounterIds: [ids.encounter], resident: { id: residentId } }),
      'discharge { department }',
      (found) => found.discharge?.department ?? null,
    ),
  },
  'access Resident.accessLog': {
    allowed: ['self', 'privacyOfficer'],
    run: entity('access', 'Resident', resident, 'accessLog { edges { node { at } } }', (found) => found.accessLog),
  },
  'access Resident.consent': {
    allowed: ['self', 'privacyOfficer'],
    run: entity('access', 'Resident', resident, 'consent { restrictedCategories }', (found) => found.consent),
  },
  'access Resident.careRelationships': {
    allowed: [...CLINICAL, 'internetHospital', 'privacyOfficer'],
    run: entity('access', 'Resident', resident, 'careRelationships { kind }', (found) => found.careRelationships),
  },
};

/** Mutations: the gate alone (each input is invalid on purpose, so nothing is written). */
const expected = (point: ReadPoint, context: Context): Expectation =>
  !point.allowed.includes(context) ? 'denied' : point.omitted?.includes(context) ? 'omitted' : 'allowed';

function observed(cell: Cell): Expectation {
  if (cell.value === null || cell.value === undefined) return 'denied';
  return CANARIES.some((canary) => cell.text.includes(canary)) ? 'allowed' : 'omitted';
}

const cells: [string, Context][] = [...Object.keys(READS), ...Object.keys(ENTITIES)].flatMap((name) =>
  ALL.map((context): [string, Context] => [name, context]),
);
const gateCells: [string, Context][] = Object.keys(GATES).flatMap((name) => ALL.map((context): [string, Context] => [name, context]));

describe('reads (gateway) and entity fetches (each subgraph)', () => {
  it.each(cells)('%s as %s', async (name, context) => {
    const point = READS[name] ?? ENTITIES[name]!;
    const cell = await point.run(context);
    const want = expected(point, context);
    const got = observed(cell);
    // Only points that can carry the restricted diagnosis tell allowed from omitted.
    if (point.omitted) expect(got).toBe(want);
    else expect(got === 'denied' ? 'denied' : 'allowed').toBe(want);
    if (want !== 'allowed') for (const canary of CANARIES) expect(cell.text).not.toContain(canary);
    if (want === 'denied') expect(cell.text).not.toContain(NAME);
    for (const code of cell.codes) expect(['FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND']).toContain(code);
  });
});

describe('mutations: only the roles that may call them get past the gate', () => {
  it.each(gateCells)('%s as %s', async (name, context) => {
    const gate = GATES[name]!;
    const { body, text } = await stack.query(token(context), gate.query, { id: residentId });
    const codes = (body.errors ?? []).map((error) => error.extensions?.code);
    expect(codes).toHaveLength(1);
    expect(codes[0]).toBe(gate.allowed.includes(context) ? 'BAD_USER_INPUT' : 'FORBIDDEN');
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  });
});

describe('the leak oracle over the logs', () => {
  it('finds no canary, name, ID number or phone in any log line', () => {
    expect(logLines.length).toBeGreaterThan(5);
    const all = logLines.join('\n');
    for (const secret of [...CANARIES, NAME, ID_NUMBER, '13955550000']) expect(all).not.toContain(secret);
  });
});

it('has a cell for every viewer context at every entry point of the supergraph', () => {
  const schema = entryPoints();
  const points = [...schema.queries.map((name) => `Query.${name}`), ...schema.mutations, ...schema.entities];
  // An entity point may be tested through several of its fields (`labs Resident.labReports`).
  const pointOf = (name: string) => (name in ENTITIES ? name.split('.')[0]! : name);
  const tested = new Set([...cells, ...gateCells].map(([name, context]) => `${pointOf(name)}|${context}`));
  expect(points.flatMap((point) => ALL.map((context) => `${point}|${context}`)).filter((cell) => !tested.has(cell))).toEqual([]);
});
