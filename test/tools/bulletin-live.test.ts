/**
 * Live writes against the bulletin's month: what hospitals upload and residents book now counts
 * on the day it happens (a visit on its day of care), for its organization and its district,
 * and adds to the cumulative appointments; September 2024 stays the bulletin's, cell by cell.
 */

import { makeIdNumber } from '../../access-control/id-number';
import { cityDay } from '../../monitoring/activity-store';
import { fetchBulletin } from '../../tools/bulletin-tables';
import bulletin from '../../tools/seed/nanjing-2024-09.json';
import { insertResidents, insertSlotPool } from '../support/fixtures';
import { byName, commissionToken, hospitalSystemToken, useSeededCity } from '../support/seeded-city';

const { stack, codeOf } = useSeededCity();

const commission = () => commissionToken(stack);
const hospitalSystem = (organizationCode: string) => hospitalSystemToken(stack, organizationCode);

describe('live bookings', () => {
  const APPOINTMENTS = `query($month: String!) { appointmentsByChannel(month: $month) { hospitalsTotal { total } appointmentsCumulative } }`;
  const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;
  const appointments = async (month: string) => {
    const { body } = await stack.query(commission(), APPOINTMENTS, { month });
    expect(body.errors).toBeUndefined();
    return body.data!.appointmentsByChannel;
  };

  it('adds the bookings counted after the bulletin’s month to its cumulative appointments', async () => {
    const month = cityDay(new Date()).slice(0, 7);
    expect(await appointments(month)).toEqual({ hospitalsTotal: { total: 0 }, appointmentsCumulative: 34185584 });

    // 南京鼓楼医院江北国际医院: one resident books online, the hospital's own clinic books another.
    const hospital = '3201-H040';
    const [online, inClinic] = (await insertResidents(stack, { organizationCode: hospital, count: 2 })) as [string, string];
    const pool = await insertSlotPool(stack, { organizationCode: hospital, capacity: 5, reserved: 0 });
    const resident = stack.token({ subject: `resident-${online}`, roles: ['resident'], residentId: online });
    for (const [token, input] of [
      [resident, { residentId: online, poolId: pool._id, channel: 'ONLINE_12320', platform: 'HEALTHY_NANJING_APP' }],
      [hospitalSystem(hospital), { residentId: inClinic, poolId: pool._id, channel: 'IN_CLINIC' }],
    ] as const)
      expect((await stack.query(token, BOOK, { input })).body.errors).toBeUndefined();

    expect(await appointments(month)).toEqual({ hospitalsTotal: { total: 2 }, appointmentsCumulative: 34185586 });
    // The bulletin's month keeps its figures; the month before it has the opening balance only (34185584 - 17794).
    expect(await appointments('2024-09')).toEqual({ hospitalsTotal: { total: 17794 }, appointmentsCumulative: 34185584 });
    expect(await appointments('2024-08')).toEqual({ hospitalsTotal: { total: 0 }, appointmentsCumulative: 34167790 });
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
