/**
 * The cockpit against the city's bulletin: the demo city's seeded history for September 2024
 * read back through the gateway reproduces every cell of the bulletin's data-collection and
 * appointment tables, their total rows and the cumulative appointments (expected values come
 * from the committed bulletin file or are written out from the bulletin, not from the code);
 * the registry holds the bulletin's hospitals; hospitals see only their own rows; the whole
 * bulletin costs a fixed number of reads. Live writes: bulletin-live.test.ts.
 */

import { type BulletinTables, fetchBulletin, formatBulletin } from '../../tools/bulletin-tables';
import bulletin from '../../tools/seed/nanjing-2024-09.json';
import { byName, commissionToken, hospitalSystemToken, useSeededCity } from '../support/seeded-city';

const { stack, codeOf } = useSeededCity();
let tables: BulletinTables;

const commission = () => commissionToken(stack);
const hospitalSystem = (organizationCode: string) => hospitalSystemToken(stack, organizationCode);

beforeAll(async () => {
  tables = await fetchBulletin(stack.gateway.url, commission(), '2024-09');
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

  it('adds up both appointment tables as the bulletin prints them, and gives its cumulative appointments', () => {
    // The bulletin's 合计 rows, written out from it, and "截止 2024 年 9 月, 总预约挂号量为 34185584 次".
    expect(tables.appointmentsTotal).toEqual({ online12320: 13392, quick: 1696, inClinic: 823, thirdParty: 1883, total: 17794 });
    expect(tables.onlineAppointmentsTotal).toBe(16971);
    expect(tables.appointmentsCumulative).toBe(34185584);
    // The API's totals are its rows added up.
    const column = (channel: keyof typeof tables.appointmentsTotal) => tables.appointmentsByHospital.reduce((sum, row) => sum + row[channel], 0);
    expect(tables.appointmentsTotal).toEqual({
      online12320: column('online12320'),
      quick: column('quick'),
      inClinic: column('inClinic'),
      thirdParty: column('thirdParty'),
      total: column('total'),
    });
    expect(tables.onlineAppointmentsTotal).toBe(tables.onlineAppointmentChannels.reduce((sum, row) => sum + row.appointments, 0));
  });

  it('reproduces the 12320 hotline table, the bulletin’s first', () => {
    // Written out from "2024 年 9 月，南京 12320 卫生热线共受理咨询电话 27082 个，其中咨询类 6707 个、…".
    expect(tables.hotline).toEqual({
      calls: 27082,
      consultations: 6707,
      medicalComplaints: 1678,
      phoneAppointments: 10076,
      humanService: 7518,
      crisisInterventions: 671,
      selfServiceVoice: 432,
      workOrdersCity12345: 1195,
      workOrdersProvince12345: 3075,
      workOrdersDirect: 1678,
    });
    const { calls, workOrdersCity12345, workOrdersProvince12345, workOrdersDirect, ...categories } = tables.hotline;
    expect(Object.values(categories).reduce((sum, value) => sum + value, 0)).toBe(calls);
    const text = formatBulletin('2024-09', tables).split('\n');
    const start = text.indexOf('The 12320 hotline');
    expect(text.slice(start + 2, start + 12).map((line) => line.split(/\s{2,}/).at(-1))).toEqual([
      '27082',
      '6707',
      '1678',
      '10076',
      '7518',
      '671',
      '432',
      '1195',
      '3075',
      '1678',
    ]);
  });

  it('gives the headline counters of the bulletin’s text', () => {
    // "居民健康档案868万份、主索引2815万条", "178亿多条数据", "健康档案调阅累计服务441万次，智能提示累计服务892万次", "累计校验入库数据 275.08 亿条".
    expect(tables.headline).toEqual({
      residentArchives: 8680000,
      masterIndexEntries: 28150000,
      archiveLookups: 4410000,
      smartReminders: 8920000,
      dataUnderManagement: 17800000000,
      validatedRecords: 27508000000,
    });
    const text = formatBulletin('2024-09', tables).split('\n');
    const start = text.indexOf('Headline counters up to the end of 2024-09');
    expect(text.slice(start + 2, start + 8).map((line) => line.split(/\s{2,}/).at(-1))).toEqual([
      '8680000',
      '28150000',
      '4410000',
      '8920000',
      '17800000000',
      '27508000000',
    ]);
  });

  it('has the 12320 hotline centre in the registry', async () => {
    const { body } = await stack.query(commission(), `{ organizations(level: [HOTLINE]) { edges { node { code name } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.organizations.edges).toEqual([{ node: { code: '3201-T01', name: '南京12320卫生热线' } }]);
  });

  it('prints every table with its total row and the cumulative appointments', () => {
    const text = formatBulletin('2024-09', tables).split('\n');
    const lineAfter = (title: string, count: number) => text[text.indexOf(title) + count]!.split(/\s{2,}/);
    // Title, header, 38 hospitals, then the total row and the cumulative line.
    expect(lineAfter('Appointments by hospital', 40)).toEqual(['合计 total', '13392', '1696', '823', '1883', '17794']);
    expect(text[text.indexOf('Appointments by hospital') + 41]).toBe('Appointments booked up to the end of 2024-09: 34185584');
    expect(lineAfter('Online appointments by platform', 7)).toEqual(['合计 total', '16971']);
  });

  it('has the bulletin’s 39 city-level and 21 secondary hospitals in the registry', async () => {
    const { body } = await stack.query(
      commission(),
      `{ organizations(level: [TERTIARY, SECONDARY], first: 100) { edges { node { name level } } pageInfo { hasNextPage } } }`,
    );
    expect(body.errors).toBeUndefined();
    const hospitals = body.data!.organizations.edges.map((edge: { node: { name: string; level: string } }) => edge.node);
    expect(body.data!.organizations.pageInfo.hasNextPage).toBe(false);
    const named = (level: string) =>
      hospitals.filter((hospital: { level: string }) => hospital.level === level).map((hospital: { name: string }) => hospital.name);
    expect(named('TERTIARY')).toHaveLength(39);
    expect(named('SECONDARY')).toHaveLength(21);
    expect(bulletin.headline.secondaryHospitals).toBe(21);
    expect(named('SECONDARY').sort()).toEqual(bulletin.secondaryHospitals.map((hospital) => hospital.name).sort());
    // Every hospital of the bulletin's tables is in the registry under the bulletin's name.
    const registered = new Set(hospitals.map((hospital: { name: string }) => hospital.name));
    expect([...bulletin.appointmentsByHospital, ...bulletin.dataCollectionByHospital].filter((row) => !registered.has(row.name))).toEqual([]);
    // 11 of the 21 are demo names: the bulletin names only the secondary hospitals taking appointments.
    expect(bulletin.secondaryHospitals.filter((hospital) => 'demo' in hospital && hospital.demo)).toHaveLength(11);
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

  it('gives a hospital the total of its own appointments, and neither the city’s platforms nor its cumulative', async () => {
    const { body } = await stack.query(
      hospitalSystem(codeOf.get('江苏省中医院')!),
      `{ appointmentsByChannel(month: "2024-09") { hospitals { organization { name } total } hospitalsTotal { online12320 quick inClinic thirdParty total } platforms { platform } platformsTotal appointmentsCumulative } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.appointmentsByChannel).toEqual({
      hospitals: [{ organization: { name: '江苏省中医院' }, total: 3 }],
      hospitalsTotal: { online12320: 3, quick: 0, inClinic: 0, thirdParty: 0, total: 3 },
      platforms: [],
      platformsTotal: null,
      appointmentsCumulative: null,
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
    // Month rows twice (both tables), hospitals, the cumulative totals (one read for both tables),
    // the city's month for the hotline table, the city's months for the headline counters, the
    // month-end census (one read), and the organizations the rows name, which the request's
    // loader fetches in one or two batches as the resolvers run.
    expect(reads.filter((collection) => collection === 'activityRollups')).toHaveLength(6);
    expect(reads.filter((collection) => collection === 'organizations').length).toBeLessThanOrEqual(3);
  });
});
