/**
 * Every date, time and month a client may send, read from the published schema: each is sent
 * through the real gateway with days the calendar does not have, impossible hours and offsets
 * and leap-year edges, and answers BAD_USER_INPUT naming the field and the value, with nothing
 * written. A new date argument or input field fails the first test until it has a case here.
 */
import { readFileSync } from 'node:fs';
import { buildASTSchema, type GraphQLInputType, getNamedType, isInputObjectType, isObjectType, isScalarType, parse } from 'graphql';
import { SUPERGRAPH_FILE } from '../../bin/services';
import { DATE_OR_TIME_RULE, DATE_RULE, MONTH_RULE, quoted, TIME_RULE } from '../../platform/calendar';
import { SUBGRAPH_NAMES } from '../../platform/config';
import type { DemoIdentity } from '../../tools/demo-issuer';
import { insertHospitals, insertHotlineCentre, insertResidents, labSubmission, modelsOf, newId } from '../support/fixtures';
import { TestStack } from '../support/stack';

jest.setTimeout(300_000);

/** Names a client's dates and times go by in the schema (every one is a String). */
const DATE_NAME = /(^|[a-z])(date|Date|At|at|since|until|from|to|start|end|month|day)$/;

/** Every String argument or input field named like a date, as Type.field(argument).inputField… */
function dateFieldsOfSchema(): string[] {
  const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')), { assumeValidSDL: true });
  const found: string[] = [];
  const walk = (coordinate: string, name: string, type: GraphQLInputType, seen: readonly string[]) => {
    const named = getNamedType(type);
    if (isInputObjectType(named) && !seen.includes(named.name)) {
      for (const field of Object.values(named.getFields())) walk(`${coordinate}.${field.name}`, field.name, field.type, [...seen, named.name]);
    } else if (isScalarType(named) && named.name === 'String' && DATE_NAME.test(name)) found.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()))
      for (const argument of field.args) walk(`${type.name}.${field.name}(${argument.name})`, argument.name, argument.type, []);
  }
  return found.sort();
}

type Kind = 'time' | 'date' | 'dayOrTime' | 'month';

const RULES: Record<Kind, string> = { time: TIME_RULE, date: DATE_RULE, dayOrTime: DATE_OR_TIME_RULE, month: MONTH_RULE };

/** Impossible days, hours and offsets, and leap-year edges (2027 and 2100 are not leap years). */
const IMPOSSIBLE: Record<Kind, string[]> = {
  time: ['2026-02-30T08:00:00+08:00', '2026-04-31T08:00:00Z', '2027-02-29T08:00:00Z', '2026-03-01T08:00:00+25:00', '2026-03-01T24:00:00Z'],
  date: ['2026-02-30', '2026-11-31', '2027-02-29', '2100-02-29'],
  dayOrTime: ['2026-06-31', '2027-02-29', '2026-03-01T08:00:00+25:00'],
  month: ['2026-13', '2026-00'],
};

const HOSPITAL = '3201-H001';
const CENTRE = '3201-C001';
const identities = {
  doctor: { subject: 'dr-calendar', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1001' },
  hospitalSystem: { subject: `his-${HOSPITAL}`, roles: ['hospital_system'], organizationCode: HOSPITAL },
  labSystem: { subject: `lis-${HOSPITAL}`, roles: ['lab_system'], organizationCode: HOSPITAL },
  familyDoctor: { subject: 'fd-calendar', roles: ['family_doctor'], organizationCode: CENTRE, practitionerId: 'F1001' },
  operator: { subject: 'op-calendar', roles: ['hotline_operator'], organizationCode: '3201-T01' },
  privacyOfficer: { subject: 'po-calendar', roles: ['privacy_officer'] },
  commission: { subject: 'hc-calendar', roles: ['health_commission'] },
  /** The test's resident (their id is known once the stack is up). */
  self: { subject: 'citizen-calendar', roles: ['resident'] },
} satisfies Record<string, DemoIdentity>;

interface Case {
  kind: Kind;
  caller: keyof typeof identities;
  /** The operation, taking the value as `$value` (and the resident as `$id` where it needs one). */
  query: string;
  /** The variables besides the resident, with the value in its place. */
  variables: (value: string) => Record<string, unknown>;
  /** How the answer names the field, when not by its own name. */
  field?: string;
  /** A batch mutation answers each input with an outcome instead of an error. */
  batch?: boolean;
}

const encounter = (overrides: Record<string, unknown>) => ({
  residentId: residentId(),
  sourceRecordId: `V-${newId().slice(0, 8)}`,
  class: 'OUTPATIENT',
  status: 'FINISHED',
  department: '心血管内科',
  start: '2026-06-01T01:00:00Z',
  diagnoses: [],
  ...overrides,
});
const filedPrescription = (overrides: Record<string, unknown>, dispensing: Record<string, unknown> = {}) => ({
  residentId: residentId(),
  sourceRecordId: `RX-${newId().slice(0, 8)}`,
  prescriberPractitioner: 'D1001',
  issuedAt: '2026-06-01T01:20:00Z',
  diagnoses: [{ code: 'E11.9', display: '2型糖尿病' }],
  items: [{ drugCode: 'H20023370', dose: 0.5, route: 'oral', frequency: 'tid', days: 14, quantity: 84 }],
  dispensing: { at: '2026-06-01T01:40:00Z', pharmacist: 'P3001', lot: 'LOT-2606-A', ...dispensing },
  ...overrides,
});
const registration = (birthDate: string) => ({
  name: '日历测试',
  gender: 'FEMALE',
  birthDate,
  district: '鼓楼区',
  identifier: { system: 'MEDICAL_INSURANCE_CARD', value: `MI-${newId().slice(0, 8)}` },
});
const pool = (date: string) => ({ department: '心血管内科', date, session: 'MORNING', kind: 'SPECIALIST', capacity: 10 });
const booking = (date: string) => ({
  residentId: residentId(),
  channel: 'QUICK',
  organizationCode: HOSPITAL,
  department: '心血管内科',
  date,
  session: 'MORNING',
  kind: 'SPECIALIST',
});
const outcome = 'status code message';
const hotlineCall = (receivedAt: string) => ({
  callId: `CALL-${newId().slice(0, 8)}`,
  receivedAt,
  category: 'CONSULTATION',
  channel: 'OPERATOR',
  outcome: 'ANSWERED',
});
const checkupFindings = { conclusions: ['未见明显异常'], recommendations: [] };
const residentField = (selection: string) => `query($id: ID!, $value: String) { resident(id: $id) { ${selection} } }`;
const slots = (from: string, to: string) => ({ from, to });

const CASES: Record<string, Case> = {
  'Mutation.bookCheckup(input).date': {
    kind: 'date',
    caller: 'self',
    query: 'mutation($value: BookCheckupInput!) { bookCheckup(input: $value) { id } }',
    variables: (value) => ({ value: { residentId: residentId(), packageId: checkupPackage, date: value } }),
  },
  'Mutation.orderNursing(input).preferredDate': {
    kind: 'date',
    caller: 'self',
    query: 'mutation($value: OrderNursingInput!) { orderNursing(input: $value) { id } }',
    variables: (value) => ({
      value: {
        residentId: residentId(),
        organizationCode: CENTRE,
        serviceCode: 'WOUND_CARE',
        preconditions: ['PRESCRIBED', 'WOUND_ASSESSED'],
        preferredDate: value,
        address: '南京市鼓楼区北京西路 10 号',
      },
    }),
  },
  'Mutation.receiveWorkOrder(input).receivedAt': {
    kind: 'time',
    caller: 'operator',
    query: 'mutation($value: WorkOrderInput!) { receiveWorkOrder(input: $value) { id } }',
    variables: (value) => ({ value: { source: 'DIRECT', ticketNumber: `T-${newId().slice(0, 8)}`, receivedAt: value } }),
  },
  'Mutation.recordHotlineCall(input).receivedAt': {
    kind: 'time',
    caller: 'operator',
    query: 'mutation($value: HotlineCallInput!) { recordHotlineCall(input: $value) { id } }',
    variables: (value) => ({ value: hotlineCall(value) }),
  },
  'Mutation.submitCheckupReport(input).collectedAt': {
    kind: 'time',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!, $findings: CheckupFindingsInput!) { submitCheckupReport(input: $value, findings: $findings) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { collectedAt: value }), findings: checkupFindings }),
  },
  'Mutation.submitCheckupReport(input).effectiveAt': {
    kind: 'time',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!, $findings: CheckupFindingsInput!) { submitCheckupReport(input: $value, findings: $findings) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { effectiveAt: value }), findings: checkupFindings }),
  },
  'Mutation.submitCheckupReport(input).issuedAt': {
    kind: 'time',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!, $findings: CheckupFindingsInput!) { submitCheckupReport(input: $value, findings: $findings) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { issuedAt: value }), findings: checkupFindings }),
  },
  'Mutation.submitCheckupReport(input).subjectBirthDate': {
    kind: 'date',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!, $findings: CheckupFindingsInput!) { submitCheckupReport(input: $value, findings: $findings) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { subjectBirthDate: value }), findings: checkupFindings }),
  },
  'Mutation.uploadHotlineCalls(inputs).receivedAt': {
    kind: 'time',
    caller: 'operator',
    query: `mutation($value: [HotlineCallInput!]!) { uploadHotlineCalls(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [hotlineCall(value)] }),
    batch: true,
  },
  'Query.bulletinHeadline(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { bulletinHeadline(month: $value) { month } }',
    variables: (value) => ({ value }),
  },
  'Query.checkupAvailability(from)': {
    kind: 'date',
    caller: 'self',
    query: 'query($package: ID!, $from: String!, $to: String!) { checkupAvailability(packageId: $package, from: $from, to: $to) { date } }',
    variables: (value) => ({ package: checkupPackage, from: value, to: '2099-01-01' }),
    field: 'from',
  },
  'Query.checkupAvailability(to)': {
    kind: 'date',
    caller: 'self',
    query: 'query($package: ID!, $from: String!, $to: String!) { checkupAvailability(packageId: $package, from: $from, to: $to) { date } }',
    variables: (value) => ({ package: checkupPackage, from: '2099-01-01', to: value }),
    field: 'to',
  },
  'Query.hotlineMonth(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { hotlineMonth(month: $value) { month } }',
    variables: (value) => ({ value }),
  },
  'Query.institutionSettlements(day)': {
    kind: 'date',
    caller: 'hospitalSystem',
    query: 'query($value: String!) { institutionSettlements(day: $value) { id } }',
    variables: (value) => ({ value }),
  },
  'Query.settlementDays(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { settlementDays(month: $value) { day } }',
    variables: (value) => ({ value }),
  },
  'Query.settlementReconciliation(day)': {
    kind: 'date',
    caller: 'hospitalSystem',
    query: 'query($value: String!) { settlementReconciliation(day: $value, lines: []) { day } }',
    variables: (value) => ({ value }),
  },
  'Mutation.bookAppointment(input).date': {
    kind: 'date',
    caller: 'operator',
    query: 'mutation($value: BookAppointmentInput!) { bookAppointment(input: $value) { id } }',
    variables: (value) => ({ value: booking(value) }),
  },
  'Mutation.publishSlotPools(pools).date': {
    kind: 'date',
    caller: 'hospitalSystem',
    query: 'mutation($value: [SlotPoolInput!]!) { publishSlotPools(pools: $value) { date } }',
    variables: (value) => ({ value: [pool(value)] }),
    field: 'pools.0.date',
  },
  'Mutation.recordEncounter(input).end': {
    kind: 'time',
    caller: 'hospitalSystem',
    query: 'mutation($value: RecordEncounterInput!) { recordEncounter(input: $value) { id } }',
    variables: (value) => ({ value: encounter({ end: value }) }),
  },
  'Mutation.recordEncounter(input).start': {
    kind: 'time',
    caller: 'hospitalSystem',
    query: 'mutation($value: RecordEncounterInput!) { recordEncounter(input: $value) { id } }',
    variables: (value) => ({ value: encounter({ start: value }) }),
  },
  'Mutation.registerResident(input).birthDate': {
    kind: 'date',
    caller: 'hospitalSystem',
    query: 'mutation($value: RegisterResidentInput!) { registerResident(input: $value) { resident { id } } }',
    variables: (value) => ({ value: registration(value) }),
  },
  'Mutation.renewContract(until)': {
    kind: 'dayOrTime',
    caller: 'familyDoctor',
    query: 'mutation($value: String!) { renewContract(id: "0123456789abcdef01234567", until: $value) { id } }',
    variables: (value) => ({ value }),
  },
  'Mutation.signContract(until)': {
    kind: 'dayOrTime',
    caller: 'familyDoctor',
    query: 'mutation($id: ID!, $value: String!) { signContract(residentId: $id, servicePackage: ELDERLY, until: $value) { id } }',
    variables: (value) => ({ value }),
  },
  'Mutation.submitLabReport(input).collectedAt': {
    kind: 'time',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!) { submitLabReport(input: $value) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { collectedAt: value }) }),
  },
  'Mutation.submitLabReport(input).effectiveAt': {
    kind: 'time',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!) { submitLabReport(input: $value) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { effectiveAt: value }) }),
  },
  'Mutation.submitLabReport(input).issuedAt': {
    kind: 'time',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!) { submitLabReport(input: $value) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { issuedAt: value }) }),
  },
  'Mutation.submitLabReport(input).subjectBirthDate': {
    kind: 'date',
    caller: 'labSystem',
    query: 'mutation($value: SubmitLabReportInput!) { submitLabReport(input: $value) { id } }',
    variables: (value) => ({ value: labSubmission(residentId(), { subjectBirthDate: value }) }),
  },
  'Mutation.uploadEncounters(inputs).end': {
    kind: 'time',
    caller: 'hospitalSystem',
    query: `mutation($value: [RecordEncounterInput!]!) { uploadEncounters(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [encounter({ end: value })] }),
    batch: true,
  },
  'Mutation.uploadEncounters(inputs).start': {
    kind: 'time',
    caller: 'hospitalSystem',
    query: `mutation($value: [RecordEncounterInput!]!) { uploadEncounters(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [encounter({ start: value })] }),
    batch: true,
  },
  'Mutation.uploadLabReports(inputs).collectedAt': {
    kind: 'time',
    caller: 'labSystem',
    query: `mutation($value: [SubmitLabReportInput!]!) { uploadLabReports(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [labSubmission(residentId(), { collectedAt: value })] }),
    batch: true,
  },
  'Mutation.uploadLabReports(inputs).effectiveAt': {
    kind: 'time',
    caller: 'labSystem',
    query: `mutation($value: [SubmitLabReportInput!]!) { uploadLabReports(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [labSubmission(residentId(), { effectiveAt: value })] }),
    batch: true,
  },
  'Mutation.uploadLabReports(inputs).issuedAt': {
    kind: 'time',
    caller: 'labSystem',
    query: `mutation($value: [SubmitLabReportInput!]!) { uploadLabReports(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [labSubmission(residentId(), { issuedAt: value })] }),
    batch: true,
  },
  'Mutation.uploadLabReports(inputs).subjectBirthDate': {
    kind: 'date',
    caller: 'labSystem',
    query: `mutation($value: [SubmitLabReportInput!]!) { uploadLabReports(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [labSubmission(residentId(), { subjectBirthDate: value })] }),
    batch: true,
  },
  'Mutation.uploadPrescriptions(inputs).dispensing.at': {
    kind: 'time',
    caller: 'hospitalSystem',
    query: `mutation($value: [FilePrescriptionInput!]!) { uploadPrescriptions(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [filedPrescription({}, { at: value })] }),
    field: 'dispensing.at',
    batch: true,
  },
  'Mutation.uploadPrescriptions(inputs).issuedAt': {
    kind: 'time',
    caller: 'hospitalSystem',
    query: `mutation($value: [FilePrescriptionInput!]!) { uploadPrescriptions(inputs: $value) { ${outcome} } }`,
    variables: (value) => ({ value: [filedPrescription({ issuedAt: value })] }),
    batch: true,
  },
  'Query.appointmentsByChannel(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { appointmentsByChannel(month: $value) { month } }',
    variables: (value) => ({ value }),
  },
  'Query.auditEvents(filter).since': {
    kind: 'dayOrTime',
    caller: 'privacyOfficer',
    query: 'query($value: String) { auditEvents(filter: { since: $value }) { edges { node { id } } } }',
    variables: (value) => ({ value }),
  },
  'Query.auditEvents(filter).until': {
    kind: 'dayOrTime',
    caller: 'privacyOfficer',
    query: 'query($value: String) { auditEvents(filter: { organizationCode: "3201-H001", until: $value }) { edges { node { id } } } }',
    variables: (value) => ({ value }),
  },
  'Query.availableSlots(from)': {
    kind: 'date',
    caller: 'doctor',
    query:
      'query($from: String!, $to: String!) { availableSlots(organizationCode: "3201-H001", department: "心血管内科", from: $from, to: $to, kind: SPECIALIST) { date } }',
    variables: (value) => slots(value, '2099-01-01'),
    field: 'from',
  },
  'Query.availableSlots(to)': {
    kind: 'date',
    caller: 'doctor',
    query:
      'query($from: String!, $to: String!) { availableSlots(organizationCode: "3201-H001", department: "心血管内科", from: $from, to: $to, kind: SPECIALIST) { date } }',
    variables: (value) => slots('2099-01-01', value),
    field: 'to',
  },
  'Query.cockpitDays(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { cockpitDays(month: $value) { period } }',
    variables: (value) => ({ value }),
  },
  'Query.cockpitMonth(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { cockpitMonth(month: $value) { month } }',
    variables: (value) => ({ value }),
  },
  'Query.cockpitRanking(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { cockpitRanking(month: $value, indicator: DISCHARGES) { month } }',
    variables: (value) => ({ value }),
  },
  'Query.cockpitTrend(from)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { cockpitTrend(from: $value, to: "2026-06") { period } }',
    variables: (value) => ({ value }),
  },
  'Query.cockpitTrend(to)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { cockpitTrend(from: "2026-01", to: $value) { period } }',
    variables: (value) => ({ value }),
  },
  'Query.formsCompleteness(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { formsCompleteness(month: $value) { hospitalsTotal } }',
    variables: (value) => ({ value }),
  },
  'Query.registrationsWithoutCare(since)': {
    kind: 'dayOrTime',
    caller: 'privacyOfficer',
    query: 'query($value: String!) { registrationsWithoutCare(since: $value) { count } }',
    variables: (value) => ({ value }),
  },
  'Query.reminderStatistics(month)': {
    kind: 'month',
    caller: 'commission',
    query: 'query($value: String!) { reminderStatistics(month: $value) { month } }',
    variables: (value) => ({ value }),
  },
  'Query.searchResidents(criteria).birthDate': {
    kind: 'date',
    caller: 'doctor',
    query: 'query($value: String) { searchResidents(criteria: { name: "测试零", birthDate: $value }) { edges { node { id } } } }',
    variables: (value) => ({ value }),
  },
  'Resident.encounters(filter).since': {
    kind: 'dayOrTime',
    caller: 'doctor',
    query: residentField('encounters(filter: { since: $value }) { edges { node { start } } }'),
    variables: (value) => ({ value }),
    field: 'filter.since',
  },
  'Resident.labReports(since)': {
    kind: 'dayOrTime',
    caller: 'doctor',
    query: residentField('labReports(since: $value) { edges { node { issuedAt } } }'),
    variables: (value) => ({ value }),
  },
  'Resident.labReports(until)': {
    kind: 'dayOrTime',
    caller: 'doctor',
    query: residentField('labReports(until: $value) { edges { node { issuedAt } } }'),
    variables: (value) => ({ value }),
  },
  'Resident.labTrend(since)': {
    kind: 'dayOrTime',
    caller: 'doctor',
    query: residentField('labTrend(code: "14749-6", since: $value) { code { code } }'),
    variables: (value) => ({ value }),
  },
  'Resident.prescriptions(since)': {
    kind: 'dayOrTime',
    caller: 'doctor',
    query: residentField('prescriptions(since: $value) { edges { node { id } } }'),
    variables: (value) => ({ value }),
  },
};

let stack: TestStack;
let resident: string;
let checkupPackage: string;
const residentId = () => resident;

beforeAll(async () => {
  stack = await TestStack.start();
  await insertHospitals(stack);
  [resident] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, alsoSeenAt: [CENTRE] })) as [string];
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
  await insertHotlineCentre(stack);
  const published = await stack.query(
    stack.token(identities.hospitalSystem),
    'mutation($packages: [CheckupPackageInput!]!) { publishCheckupPackages(packages: $packages) { id } }',
    { packages: [{ code: 'CAL-BASIC', name: '基础体检', items: [{ code: '14749-6', name: '空腹血糖' }], priceFen: 19900, dailyCapacity: 5 }] },
  );
  checkupPackage = published.body.data!.publishCheckupPackages[0].id;
});
afterAll(() => stack?.stop());

/** How many documents each collection of every service's database holds (a read's own audit of the resident it shows aside). */
async function documentCounts(read: boolean): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const connections = [...SUBGRAPH_NAMES.map((name) => [name, stack.connection(name)] as const), ['activity', stack.monitoringConnection()] as const];
  for (const [name, connection] of connections) {
    for (const { name: collection } of await connection.db!.listCollections().toArray()) {
      if (read && name === 'access' && collection === 'auditEvents') continue;
      counts[`${name}.${collection}`] = await connection.db!.collection(collection).countDocuments();
    }
  }
  return counts;
}

describe('dates, times and months in every input', () => {
  it('has a case for every date argument and input field of the schema', () => {
    expect(dateFieldsOfSchema()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))(
    '%s refuses what the calendar does not have, naming the field and the value, and writes nothing',
    async (coordinate, entry) => {
      const field = entry.field ?? /(\w+)\)?$/.exec(coordinate)![1]!;
      const token = stack.token(entry.caller === 'self' ? { ...identities.self, residentId: resident } : identities[entry.caller]);
      const read = !coordinate.startsWith('Mutation.');
      for (const value of IMPOSSIBLE[entry.kind]) {
        const before = await documentCounts(read);
        const { body } = await stack.query(token, entry.query, { id: resident, ...entry.variables(value) });
        const expected = `${field} ${RULES[entry.kind]} (not ${quoted(value)})`;
        const answer = entry.batch
          ? { code: body.data?.[Object.keys(body.data ?? {})[0]!]?.[0]?.code, message: body.data?.[Object.keys(body.data ?? {})[0]!]?.[0]?.message }
          : { code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message };
        expect({ value, ...answer }).toEqual({ value, code: 'BAD_USER_INPUT', message: expect.stringContaining(expected) });
        expect(await documentCounts(read)).toEqual(before);
      }
    },
  );
});
