/**
 * The cockpit against the city's bulletin: the demo city's seeded history for September 2024
 * read back through the gateway reproduces every cell of the bulletin's data-collection and
 * appointment tables (expected values come from the committed bulletin file, not from the
 * code); hospitals see only their own rows; live writes add to the day they happen on.
 */

import { makeIdNumber } from '../../access-control/id-number';
import { cityDay } from '../../monitoring/activity-store';
import { type BulletinTables, fetchBulletin } from '../../tools/bulletin-tables';
import bulletin from '../../tools/seed/nanjing-2024-09.json';
import { seedDemoCity } from '../../tools/seed/seed';
import { modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const { stack } = useStack();
let tables: BulletinTables;
let codeOf: Map<string, string>;

const commission = () => stack.token({ subject: 'hc-1', roles: ['health_commission'] });
const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });

const byName = <T extends { name: string }>(rows: readonly T[]) => Object.fromEntries(rows.map((row) => [row.name, row]));

beforeAll(async () => {
  await seedDemoCity({ uri: stack.uri, dbPrefix: stack.dbPrefix, residents: 300 });
  tables = await fetchBulletin(stack.gateway.url, commission(), '2024-09');
  const organizations = await modelsOf(stack).records.Organization.find({ level: 'TERTIARY' }).lean();
  codeOf = new Map(organizations.map((organization) => [organization.name, organization._id]));
});

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
    const { body } = await stack.query(
      commission(),
      `query($code: ID) { cockpitDays(month: "2024-09", organizationCode: $code) { period scheduledUploadRecords discharges realtimeUploadDays } }`,
      { code },
    );
    expect(body.errors).toBeUndefined();
    const days = body.data!.cockpitDays as { period: string; scheduledUploadRecords: number; discharges: number; realtimeUploadDays: number }[];
    expect(days).toHaveLength(30);
    expect(days[0]!.period).toBe('2024-09-01');
    expect(days.reduce((sum, day) => sum + day.scheduledUploadRecords, 0)).toBe(24085613);
    expect(days.reduce((sum, day) => sum + day.discharges, 0)).toBe(15982);
    expect(days.reduce((sum, day) => sum + day.realtimeUploadDays, 0)).toBe(30);
  });

  it('has per-hospital platform figures of 0: the bulletin gives online platforms for the city only', async () => {
    const { body } = await stack.query(
      commission(),
      `{ appointmentsByChannel(month: "2024-09") { hospitals { organization { name } total platforms { platform appointments } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const hospitals = body.data!.appointmentsByChannel.hospitals as {
      organization: { name: string };
      total: number;
      platforms: { platform: string; appointments: number }[];
    }[];
    expect(hospitals[0]).toEqual({
      organization: { name: '南京鼓楼医院' },
      total: 7551,
      platforms: ['HEALTHY_NANJING_APP', 'WECHAT_12320', 'MY_NANJING_APP', 'QUICK_BOOKING_12320', 'WEBSITE_12320'].map((platform) => ({
        platform,
        appointments: 0,
      })),
    });
    expect(hospitals.flatMap((row) => row.platforms).filter((platform) => platform.appointments !== 0)).toEqual([]);
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
    const { body } = await stack.query(
      hospitalSystem(codeOf.get('江苏省中医院')!),
      `query($code: ID) { cockpitTrend(from: "2024-09", to: "2024-09", organizationCode: $code) { scheduledUploadRecords } }`,
      { code: codeOf.get('南京鼓楼医院') },
    );
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
    expect(body.errors![0]!.message).toBe(`month must be a month as YYYY-MM, e.g. 2024-09 (not ${JSON.stringify(month)})`);
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
      input: {
        name: '钱文静',
        gender: 'FEMALE',
        birthDate: '1982-05-06',
        idNumber: makeIdNumber('320104', '1982-05-06', 78),
        phone: '13770002222',
        district: '秦淮区',
        identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-BULLETIN-1' },
      },
    });
    expect(registered.body.errors).toBeUndefined();
    const residentId = registered.body.data!.registerResident.resident.id;
    const today = cityDay(new Date());
    const month = today.slice(0, 7);
    // Seen today: the day the record arrives is its day of care too.
    const startOfToday = new Date(`${today}T00:00:01+08:00`).toISOString();
    const visit = {
      residentId,
      sourceRecordId: 'V-BULLETIN-1',
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '心血管内科',
      start: startOfToday,
      end: startOfToday,
      diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
      chargesFen: 12345,
    };
    const dayRow = async (day = today) => {
      const { body } = await stack.query(commission(), DAY, { month: day.slice(0, 7), code });
      expect(body.errors).toBeUndefined();
      return body.data!.cockpitDays.find((row: { period: string }) => row.period === day);
    };
    const monthRow = async () => {
      const { body } = await stack.query(commission(), MONTH_ROW, { month });
      expect(body.errors).toBeUndefined();
      return {
        city: body.data!.cockpitMonth.city,
        hospital: body.data!.cockpitMonth.hospitals.find((row: { organization: { code: string } }) => row.organization.code === code),
      };
    };

    expect((await stack.query(his, RECORD, { input: visit })).body.errors).toBeUndefined();
    const afterVisit = {
      period: today,
      realtimeRecords: 1,
      verifiedRecords: 1,
      realtimeUploadDays: 1,
      realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT'],
      outpatientVisits: 1,
      outpatientRevenueFen: 12345,
      emergencyVisits: 0,
      discharges: 0,
      inpatientRevenueFen: null,
    };
    expect(await dayRow()).toEqual(afterVisit);
    expect(await monthRow()).toEqual({
      city: { outpatientVisits: 1, outpatientRevenueFen: 12345 },
      hospital: {
        organization: { code },
        outpatientVisits: 1,
        outpatientRevenueFen: 12345,
        discharges: 0,
        inpatientRevenueFen: null,
        realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT'],
      },
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
      ...afterVisit,
      realtimeRecords: 3,
      verifiedRecords: 3,
      outpatientRevenueFen: 20000,
      discharges: 1,
      inpatientRevenueFen: 1500000,
      realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT', 'ADMISSION_DISCHARGE', 'INPATIENT_SETTLEMENT'],
    });

    // A refused write counts nothing.
    const refused = await stack.query(hospitalSystem(codeOf.get('江苏省中医院')!), RECORD, { input: { ...visit, sourceRecordId: 'V-BULLETIN-2' } });
    expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await dayRow()).realtimeRecords).toBe(3);

    // A visit of an earlier day (a nightly batch's, say) counts on that day; the record arrived today.
    const march = { ...visit, sourceRecordId: 'V-BULLETIN-3', start: '2025-03-10T01:00:00.000Z', end: '2025-03-10T02:00:00.000Z', chargesFen: 800 };
    expect((await stack.query(his, RECORD, { input: march })).body.errors).toBeUndefined();
    const quiet = {
      realtimeRecords: 0,
      verifiedRecords: 0,
      realtimeUploadDays: 0,
      realtimeForms: [],
      emergencyVisits: 0,
      discharges: 0,
      inpatientRevenueFen: null,
    };
    expect(await dayRow('2025-03-10')).toEqual({ ...quiet, period: '2025-03-10', outpatientVisits: 1, outpatientRevenueFen: 800 });
    expect(await dayRow()).toMatchObject({ realtimeRecords: 4, verifiedRecords: 4, outpatientVisits: 1, outpatientRevenueFen: 20000 });
    // Corrected to the next day: taken back from the first, counted on the second.
    expect(
      (await stack.query(his, RECORD, { input: { ...march, start: '2025-03-11T01:00:00.000Z', end: '2025-03-11T02:00:00.000Z' } })).body.errors,
    ).toBeUndefined();
    expect(await dayRow('2025-03-10')).toEqual({ ...quiet, period: '2025-03-10', outpatientVisits: 0, outpatientRevenueFen: 0 });
    expect(await dayRow('2025-03-11')).toEqual({ ...quiet, period: '2025-03-11', outpatientVisits: 1, outpatientRevenueFen: 800 });
    expect(await dayRow()).toMatchObject({ realtimeRecords: 5, verifiedRecords: 5 });

    // September 2024 stays the bulletin's.
    expect(byName((await fetchBulletin(stack.gateway.url, commission(), '2024-09')).dataCollectionByHospital)).toEqual(
      byName(bulletin.dataCollectionByHospital),
    );
  });
});

describe('a district day by day', () => {
  const DISTRICT_DAYS = `query($month: String!, $district: String, $code: ID) { cockpitDays(month: $month, district: $district, organizationCode: $code) { period district organization { code } scheduledUploadRecords verifiedRecords realtimeRecords realtimeUploadDays realtimeForms outpatientVisits outpatientRevenueFen emergencyVisits emergencyRevenueFen discharges inpatientRevenueFen } }`;
  const districtDays = async (month: string, district: string) => {
    const { body } = await stack.query(commission(), DISTRICT_DAYS, { month, district });
    expect(body.errors).toBeUndefined();
    return body.data!.cockpitDays as Record<string, unknown>[];
  };
  const ALL_FORMS = [
    'OUTPATIENT_REGISTRATION',
    'OUTPATIENT_SETTLEMENT',
    'ADMISSION_DISCHARGE',
    'INPATIENT_SETTLEMENT',
    'DIAGNOSIS',
    'ALLERGY',
    'LAB_REPORT',
    'EXAM_REPORT',
    'PRESCRIPTION',
    'DISPENSING',
    'REFERRAL',
  ];

  it('gives September 2024 of 溧水区 day by day: its 12 community centres, not its 4 city-level hospitals', async () => {
    const days = await districtDays('2024-09', '溧水区');
    expect(days).toHaveLength(30);
    const seeded = { district: '溧水区', organization: null, emergencyVisits: 0, emergencyRevenueFen: null };
    expect(days[0]).toEqual({
      ...seeded,
      period: '2024-09-01',
      scheduledUploadRecords: 281004,
      verifiedRecords: 288264,
      realtimeRecords: 7524,
      realtimeUploadDays: 1,
      realtimeForms: ALL_FORMS,
      outpatientVisits: 7211,
      outpatientRevenueFen: 163789740,
      discharges: 72,
      inpatientRevenueFen: 213572904,
    });
    expect(days[1]).toEqual({
      ...seeded,
      period: '2024-09-02',
      scheduledUploadRecords: 281004,
      verifiedRecords: 288264,
      realtimeRecords: 7524,
      realtimeUploadDays: 1,
      realtimeForms: ['OUTPATIENT_REGISTRATION'],
      outpatientVisits: 7200,
      outpatientRevenueFen: 163789740,
      discharges: 72,
      inpatientRevenueFen: 213572904,
    });
    expect(days[28]).toEqual({
      ...seeded,
      period: '2024-09-29',
      scheduledUploadRecords: 280992,
      verifiedRecords: 288252,
      realtimeRecords: 7512,
      realtimeUploadDays: 1,
      realtimeForms: ['OUTPATIENT_REGISTRATION'],
      outpatientVisits: 7200,
      outpatientRevenueFen: 163789728,
      discharges: 60,
      inpatientRevenueFen: 213572892,
    });
    // The bulletin: 29 days with real-time uploads in 溧水区.
    expect(days[29]).toEqual({
      ...seeded,
      period: '2024-09-30',
      scheduledUploadRecords: 280992,
      verifiedRecords: 288252,
      realtimeRecords: 0,
      realtimeUploadDays: 0,
      realtimeForms: [],
      outpatientVisits: 7200,
      outpatientRevenueFen: 163789728,
      discharges: 60,
      inpatientRevenueFen: 213572892,
    });
    // The days add up to the bulletin's row of the district.
    const total = (field: string) => days.reduce((sum, day) => sum + (day[field] as number), 0);
    expect(
      ['scheduledUploadRecords', 'outpatientVisits', 'outpatientRevenueFen', 'discharges', 'inpatientRevenueFen', 'realtimeUploadDays'].map(total),
    ).toEqual([8429978, 216011, 4913692000, 1894, 6407187000, 29]);
  });

  it('adds today’s live writes of the district’s units, not those of its city-level hospitals', async () => {
    const today = cityDay(new Date());
    // Visits of today: their figures count today, as the records do.
    const startOfToday = new Date(`${today}T00:00:01+08:00`).toISOString();
    const visitAt = async (organizationCode: string, index: number, visit: Record<string, unknown>, diagnosis = false) => {
      const his = hospitalSystem(organizationCode);
      const registered = await stack.query(his, `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`, {
        input: {
          name: ['周文', '吴建国', '郑海'][index],
          gender: 'MALE',
          birthDate: `197${index}-03-02`,
          idNumber: makeIdNumber('320117', `197${index}-03-02`, 401 + index * 2),
          phone: `1377000${3000 + index}`,
          district: '溧水区',
          identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN-LISHUI-${index}` },
        },
      });
      expect(registered.body.errors).toBeUndefined();
      const residentId = registered.body.data!.registerResident.resident.id;
      const recorded = await stack.query(his, `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
        input: {
          residentId,
          sourceRecordId: `V-LISHUI-${index}`,
          status: 'FINISHED',
          department: '全科医学科',
          start: startOfToday,
          end: startOfToday,
          diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
          ...visit,
        },
      });
      expect(recorded.body.errors).toBeUndefined();
      if (!diagnosis) return;
      const condition = await stack.query(his, `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
        input: {
          residentId,
          sourceRecordId: `P-LISHUI-${index}`,
          code: 'I10',
          display: '原发性高血压',
          clinicalStatus: 'ACTIVE',
          verificationStatus: 'CONFIRMED',
        },
      });
      expect(condition.body.errors).toBeUndefined();
    };
    await visitAt('3201-C026', 0, { class: 'OUTPATIENT', chargesFen: 10000 });
    await visitAt('3201-H042', 1, { class: 'EMERGENCY', chargesFen: 5000 }, true);
    // 南京市溧水区人民医院 is a city-level hospital: it uploads to the city platform, not the district's.
    await visitAt('3201-H017', 2, { class: 'OUTPATIENT', chargesFen: 99999 });

    const days = await districtDays(today.slice(0, 7), '溧水区');
    expect(days.find((day) => day.period === today)).toEqual({
      period: today,
      district: '溧水区',
      organization: null,
      scheduledUploadRecords: 0,
      verifiedRecords: 3,
      realtimeRecords: 3,
      realtimeUploadDays: 1,
      realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT', 'DIAGNOSIS'],
      outpatientVisits: 1,
      outpatientRevenueFen: 10000,
      emergencyVisits: 1,
      emergencyRevenueFen: 5000,
      discharges: 0,
      inpatientRevenueFen: null,
    });
    expect(days.filter((day) => day.period !== today && day.realtimeRecords !== 0)).toEqual([]);
    // The month's district row is the sum of the same units.
    const { body } = await stack.query(
      commission(),
      `query($month: String!) { cockpitMonth(month: $month) { districts { district realtimeRecords outpatientRevenueFen emergencyRevenueFen } } }`,
      { month: today.slice(0, 7) },
    );
    expect(body.data!.cockpitMonth.districts.find((row: { district: string }) => row.district === '溧水区')).toEqual({
      district: '溧水区',
      realtimeRecords: 3,
      outpatientRevenueFen: 10000,
      emergencyRevenueFen: 5000,
    });
    // September 2024 stays the bulletin's.
    expect(byName((await fetchBulletin(stack.gateway.url, commission(), '2024-09')).dataCollectionByDistrict)).toEqual(
      byName(bulletin.dataCollectionByDistrict),
    );
  });

  it('gives a district only to the health commission', async () => {
    for (const token of [
      hospitalSystem('3201-H017'),
      stack.token({ subject: 'dr-c026', roles: ['doctor'], organizationCode: '3201-C026', practitionerId: 'D9' }),
    ]) {
      const { body, text } = await stack.query(token, DISTRICT_DAYS, { month: '2024-09', district: '溧水区' });
      expect(body.errors!.map((error) => [error.extensions!.code, error.message])).toEqual([['FORBIDDEN', 'District figures are for the health commission']]);
      expect(body.data!.cockpitDays).toBeNull();
      expect(text).not.toContain('281004');
    }
  });

  it.each([
    ['both filters', { month: '2024-09', district: '溧水区', code: '3201-C026' }, 'Give organizationCode or district, not both'],
    [
      'an unknown district',
      { month: '2024-09', district: '火星区' },
      'district must be one of the city’s 12 districts: 玄武区, 秦淮区, 建邺区, 鼓楼区, 浦口区, 栖霞区, 雨花台区, 江宁区, 六合区, 溧水区, 高淳区, 江北新区',
    ],
    ['a district with a bad month', { month: '2024-9', district: '溧水区' }, 'month must be a month as YYYY-MM, e.g. 2024-09 (not "2024-9")'],
  ])('refuses %s', async (_what, variables, message) => {
    const { body } = await stack.query(commission(), DISTRICT_DAYS, variables);
    expect(body.errors!.map((error) => [error.extensions!.code, error.message])).toEqual([['BAD_USER_INPUT', message]]);
    expect(body.data!.cockpitDays).toBeNull();
  });
});

describe('cost', () => {
  it('reads a district’s days in two indexed queries, whatever its number of units', async () => {
    // 江北新区 has 5 community centres, 江宁区 25 (and the secondary hospitals, internet hospitals and pharmacies of each).
    for (const district of ['江北新区', '江宁区']) {
      const commands = await stack.commandsDuring(() =>
        stack.query(commission(), `query($district: String) { cockpitDays(month: "2024-09", district: $district) { period scheduledUploadRecords } }`, {
          district,
        }),
      );
      expect(commands.map((command) => `${command.commandName} ${String(command.command[command.commandName])}`)).toEqual([
        'find organizations',
        'find activityRollups',
      ]);
    }
  });

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
