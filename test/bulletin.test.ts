/**
 * The cockpit against the city's bulletin: the demo city's seeded history for September 2024
 * read back through the gateway reproduces every cell of the bulletin's data-collection and
 * appointment tables (expected values come from the committed bulletin file, not from the
 * code); hospitals see only their own rows; live writes add to the day they happen on.
 */
import bulletin from '../tools/seed/nanjing-2024-09.json';
import { fetchBulletin, type BulletinTables } from '../tools/bulletin-tables';
import { seedDemoCity } from '../tools/seed/seed';
import { cityDay } from '../subgraphs/kit/activity-store';
import { makeIdNumber } from '../subgraphs/kit/id-number';
import { modelsOf } from './support/fixtures';
import { TestStack } from './support/stack';

let stack: TestStack;
let tables: BulletinTables;
let codeOf: Map<string, string>;

const commission = () => stack.token({ subject: 'hc-1', roles: ['health_commission'] });
const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });

const byName = <T extends { name: string }>(rows: readonly T[]) => Object.fromEntries(rows.map((row) => [row.name, row]));

beforeAll(async () => {
  stack = await TestStack.start();
  await seedDemoCity({ uri: stack.uri, dbPrefix: stack.dbPrefix, residents: 300 });
  tables = await fetchBulletin(stack.gateway.url, commission(), '2024-09');
  const organizations = await modelsOf(stack).records.Organization.find({ level: 'TERTIARY' }).lean();
  codeOf = new Map(organizations.map((organization) => [organization.name, organization._id]));
});
afterAll(() => stack?.stop());

describe('September 2024 through the gateway', () => {
  it('reproduces every cell of the data collection by district', () => {
    expect(tables.dataCollectionByDistrict.map((row) => row.name)).toEqual(bulletin.dataCollectionByDistrict.map((row) => row.name));
    expect(byName(tables.dataCollectionByDistrict)).toEqual(byName(bulletin.dataCollectionByDistrict));
  });

  it('reproduces every cell of the data collection by hospital', () => {
    expect(tables.dataCollectionByHospital).toHaveLength(39);
    expect(byName(tables.dataCollectionByHospital)).toEqual(byName(bulletin.dataCollectionByHospital));
  });

  it('reproduces the appointment tables and the cumulative validated records', () => {
    expect(byName(tables.appointmentsByHospital)).toEqual(byName(bulletin.appointmentsByHospital));
    expect(tables.appointmentsByHospital.map((row) => row.total)).toEqual([...bulletin.appointmentsByHospital.map((row) => row.total)].sort((a, b) => b - a));
    expect(tables.onlineAppointmentChannels).toEqual(bulletin.onlineAppointmentChannels);
    expect(tables.validatedRecordsBillionsCumulative).toBe(27.508);
  });

  it('gives the month day by day, summing to the month', async () => {
    const code = codeOf.get('南京鼓楼医院')!;
    const { body } = await stack.query(commission(), `query($code: ID) { cockpitDays(month: "2024-09", organizationCode: $code) { period scheduledUploadRecords discharges realtimeUploadDays } }`, { code });
    expect(body.errors).toBeUndefined();
    const days = body.data!.cockpitDays as { period: string; scheduledUploadRecords: number; discharges: number; realtimeUploadDays: number }[];
    expect(days).toHaveLength(30);
    expect(days[0]!.period).toBe('2024-09-01');
    expect(days.reduce((sum, day) => sum + day.scheduledUploadRecords, 0)).toBe(24085613);
    expect(days.reduce((sum, day) => sum + day.discharges, 0)).toBe(15982);
    expect(days.reduce((sum, day) => sum + day.realtimeUploadDays, 0)).toBe(30);
  });

  it('tells which forms arrived', async () => {
    const { body } = await stack.query(commission(), `{ formsCompleteness(month: "2024-09") { form { code name } hospitalsReporting hospitalsTotal } }`);
    expect(body.errors).toBeUndefined();
    const forms = body.data!.formsCompleteness;
    expect(forms).toHaveLength(11);
    expect(forms[0]).toEqual({ form: { code: 'OUTPATIENT_REGISTRATION', name: '门急诊挂号' }, hospitalsReporting: 36, hospitalsTotal: 39 });
    // The bulletin: 25 hospitals sent all 11 forms.
    expect(forms[10].hospitalsReporting).toBe(bulletin.dataCollectionByHospital.filter((row) => row.realtimeFormsUploaded === 11).length);
  });
});

describe('who sees what', () => {
  const MONTH = `{ cockpitMonth(month: "2024-09") { city { scheduledUploadRecords } districts { district } hospitals { organization { name } scheduledUploadRecords outpatientVisits discharges } organizations { organization { name } } verifiedRecordsCumulative } }`;

  it('shows a hospital only its own row', async () => {
    const { body } = await stack.query(hospitalSystem(codeOf.get('江苏省中医院')!), MONTH);
    expect(body.errors).toBeUndefined();
    expect(body.data!.cockpitMonth).toEqual({
      city: null,
      districts: [],
      hospitals: [{ organization: { name: '江苏省中医院' }, scheduledUploadRecords: 26159315, outpatientVisits: 581997, discharges: 6236 }],
      organizations: [{ organization: { name: '江苏省中医院' } }],
      verifiedRecordsCumulative: null,
    });
  });

  it('refuses a hospital another organization’s figures', async () => {
    const { body } = await stack.query(hospitalSystem(codeOf.get('江苏省中医院')!), `query($code: ID) { cockpitTrend(from: "2024-09", to: "2024-09", organizationCode: $code) { scheduledUploadRecords } }`, { code: codeOf.get('南京鼓楼医院') });
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(body.data!.cockpitTrend).toBeNull();
  });

  it.each([
    ['a resident', { subject: 'r-1', roles: ['resident' as const], residentId: 'a'.repeat(24) }],
    ['a pharmacist', { subject: 'ph-1', roles: ['pharmacist' as const], organizationCode: '3201-P01' }],
    ['a privacy officer', { subject: 'po-1', roles: ['privacy_officer' as const] }],
  ])('refuses %s', async (_who, identity) => {
    const { body, text } = await stack.query(stack.token(identity), MONTH);
    expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(body.data!.cockpitMonth).toBeNull();
    expect(text).not.toContain('26159315');
  });
});

describe('bad input', () => {
  it.each(['2024-13', '2024-9', '09-2024', ''])('refuses the month %j and says how to write one', async (month) => {
    const { body } = await stack.query(commission(), `query($month: String!) { cockpitMonth(month: $month) { month } }`, { month });
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message).toBe('month must be a month as YYYY-MM, e.g. 2024-09');
  });

  it('refuses a trend that runs backwards or too long', async () => {
    const trend = `query($from: String!, $to: String!) { cockpitTrend(from: $from, to: $to) { period } }`;
    const backwards = await stack.query(commission(), trend, { from: '2024-09', to: '2024-08' });
    expect(backwards.body.errors![0]!.message).toBe('from must not be after to');
    const long = await stack.query(commission(), trend, { from: '2020-01', to: '2024-09' });
    expect(long.body.errors![0]!.message).toBe('A trend covers at most 36 months');
  });
});

describe('live writes', () => {
  const RECORD = `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`;
  const DAY = `query($month: String!, $code: ID) { cockpitDays(month: $month, organizationCode: $code) { period realtimeRecords verifiedRecords realtimeUploadDays realtimeForms outpatientVisits outpatientRevenueFen emergencyVisits discharges inpatientRevenueFen } }`;
  const MONTH_ROW = `query($month: String!) { cockpitMonth(month: $month) { city { outpatientVisits outpatientRevenueFen } hospitals { organization { code } outpatientVisits outpatientRevenueFen discharges inpatientRevenueFen realtimeForms } } }`;

  it('counts an encounter on its day of care, and an identical re-send not at all', async () => {
    const code = codeOf.get('南京市第二医院')!;
    const his = hospitalSystem(code);
    const registered = await stack.query(his, `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`, {
      input: { name: '钱文静', gender: 'FEMALE', birthDate: '1982-05-06', idNumber: makeIdNumber('320104', '1982-05-06', 78), phone: '13770002222', district: '秦淮区', identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-BULLETIN-1' } },
    });
    expect(registered.body.errors).toBeUndefined();
    const residentId = registered.body.data!.registerResident.resident.id;
    const today = cityDay(new Date());
    const month = today.slice(0, 7);
    // Seen today: the day the record arrives is its day of care too.
    const startOfToday = new Date(`${today}T00:00:01+08:00`).toISOString();
    const visit = { residentId, sourceRecordId: 'V-BULLETIN-1', class: 'OUTPATIENT', status: 'FINISHED', department: '心血管内科', start: startOfToday, end: startOfToday, diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }], chargesFen: 12345 };
    const dayRow = async (day = today) => {
      const { body } = await stack.query(commission(), DAY, { month: day.slice(0, 7), code });
      expect(body.errors).toBeUndefined();
      return body.data!.cockpitDays.find((row: { period: string }) => row.period === day);
    };
    const monthRow = async () => {
      const { body } = await stack.query(commission(), MONTH_ROW, { month });
      expect(body.errors).toBeUndefined();
      return { city: body.data!.cockpitMonth.city, hospital: body.data!.cockpitMonth.hospitals.find((row: { organization: { code: string } }) => row.organization.code === code) };
    };

    expect((await stack.query(his, RECORD, { input: visit })).body.errors).toBeUndefined();
    const afterVisit = {
      period: today, realtimeRecords: 1, verifiedRecords: 1, realtimeUploadDays: 1, realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT'],
      outpatientVisits: 1, outpatientRevenueFen: 12345, emergencyVisits: 0, discharges: 0, inpatientRevenueFen: null,
    };
    expect(await dayRow()).toEqual(afterVisit);
    expect(await monthRow()).toEqual({
      city: { outpatientVisits: 1, outpatientRevenueFen: 12345 },
      hospital: { organization: { code }, outpatientVisits: 1, outpatientRevenueFen: 12345, discharges: 0, inpatientRevenueFen: null, realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT'] },
    });

    // The same upload again changes nothing.
    expect((await stack.query(his, RECORD, { input: visit })).body.errors).toBeUndefined();
    expect(await dayRow()).toEqual(afterVisit);

    // A correction counts the record again and the charges by the difference, not a second visit.
    expect((await stack.query(his, RECORD, { input: { ...visit, chargesFen: 20000 } })).body.errors).toBeUndefined();
    expect(await dayRow()).toEqual({ ...afterVisit, realtimeRecords: 2, verifiedRecords: 2, outpatientRevenueFen: 20000 });

    // A discharged inpatient stay: a discharge and its charges as inpatient revenue, on the day of discharge.
    const stay = { ...visit, sourceRecordId: 'S-BULLETIN-1', class: 'INPATIENT', start: '2025-02-20T01:00:00.000Z', end: startOfToday, chargesFen: 1500000 };
    expect((await stack.query(his, RECORD, { input: stay })).body.errors).toBeUndefined();
    expect(await dayRow()).toEqual({
      ...afterVisit, realtimeRecords: 3, verifiedRecords: 3, outpatientRevenueFen: 20000, discharges: 1, inpatientRevenueFen: 1500000,
      realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT', 'ADMISSION_DISCHARGE', 'INPATIENT_SETTLEMENT'],
    });

    // A refused write counts nothing.
    const refused = await stack.query(hospitalSystem(codeOf.get('江苏省中医院')!), RECORD, { input: { ...visit, sourceRecordId: 'V-BULLETIN-2' } });
    expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await dayRow()).realtimeRecords).toBe(3);

    // A visit of an earlier day (a nightly batch's, say) counts on that day; the record arrived today.
    const march = { ...visit, sourceRecordId: 'V-BULLETIN-3', start: '2025-03-10T01:00:00.000Z', end: '2025-03-10T02:00:00.000Z', chargesFen: 800 };
    expect((await stack.query(his, RECORD, { input: march })).body.errors).toBeUndefined();
    const quiet = { realtimeRecords: 0, verifiedRecords: 0, realtimeUploadDays: 0, realtimeForms: [], emergencyVisits: 0, discharges: 0, inpatientRevenueFen: null };
    expect(await dayRow('2025-03-10')).toEqual({ ...quiet, period: '2025-03-10', outpatientVisits: 1, outpatientRevenueFen: 800 });
    expect(await dayRow()).toMatchObject({ realtimeRecords: 4, verifiedRecords: 4, outpatientVisits: 1, outpatientRevenueFen: 20000 });
    // Corrected to the next day: taken back from the first, counted on the second.
    expect((await stack.query(his, RECORD, { input: { ...march, start: '2025-03-11T01:00:00.000Z', end: '2025-03-11T02:00:00.000Z' } })).body.errors).toBeUndefined();
    expect(await dayRow('2025-03-10')).toEqual({ ...quiet, period: '2025-03-10', outpatientVisits: 0, outpatientRevenueFen: 0 });
    expect(await dayRow('2025-03-11')).toEqual({ ...quiet, period: '2025-03-11', outpatientVisits: 1, outpatientRevenueFen: 800 });
    expect(await dayRow()).toMatchObject({ realtimeRecords: 5, verifiedRecords: 5 });

    // September 2024 stays the bulletin's.
    expect(byName((await fetchBulletin(stack.gateway.url, commission(), '2024-09')).dataCollectionByHospital)).toEqual(byName(bulletin.dataCollectionByHospital));
  });
});

describe('cost', () => {
  it('reads only the rollups and the organization registry, in a fixed number of round trips', async () => {
    const commands = await stack.commandsDuring(() => fetchBulletin(stack.gateway.url, commission(), '2024-09'));
    const reads = commands.filter((command) => command.commandName === 'find').map((command) => String(command.command.find));
    expect([...new Set(reads)].sort()).toEqual(['activityRollups', 'organizations']);
    // Month rows twice (both tables), hospitals, the cumulative total, and the organizations the
    // rows name, which the request's loader fetches in one or two batches as the resolvers run.
    expect(reads.filter((collection) => collection === 'activityRollups')).toHaveLength(3);
    expect(reads.filter((collection) => collection === 'organizations').length).toBeLessThanOrEqual(3);
  });
});
