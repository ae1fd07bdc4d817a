/**
 * The city bulletin's tables (the 12320 hotline, data collection, appointments), read from the cockpit through
 * the gateway and put in the bulletin's shape (tools/seed/nanjing-2024-09.json): revenue in
 * thousand yuan with two decimals, null where nothing was reported (the bulletin's '/'), and
 * outpatient visits as the bulletin counts them (outpatient and emergency together). The total
 * rows and the cumulative appointments are the API's, which adds up the rows it answers.
 */

const CHANNEL_FIELDS = 'online12320 quick inClinic thirdParty total';
const HOTLINE_FIELDS =
  'calls consultations medicalComplaints phoneAppointments humanService crisisInterventions selfServiceVoice workOrdersCity12345 workOrdersProvince12345 workOrdersDirect';

export const BULLETIN_QUERY = `query Bulletin($month: String!) {
  cockpitMonth(month: $month) {
    districts { district ...figures }
    hospitals { organization { code name } ...figures }
    verifiedRecordsCumulative
  }
  appointmentsByChannel(month: $month) {
    hospitals { organization { code name } ${CHANNEL_FIELDS} }
    hospitalsTotal { ${CHANNEL_FIELDS} }
    platforms { platform name appointments }
    platformsTotal
    appointmentsCumulative
  }
  hotlineMonth(month: $month) { ${HOTLINE_FIELDS} }
  bulletinHeadline(month: $month) { residentArchives masterIndexEntries archiveLookups smartReminders dataUnderManagement validatedRecords }
}
fragment figures on ActivityRow {
  scheduledUploadRecords realtimeUploadDays realtimeFormsUploaded realtimeFormsTotal
  outpatientVisits outpatientRevenueFen emergencyVisits emergencyRevenueFen discharges inpatientRevenueFen
}`;

interface FiguresRow {
  scheduledUploadRecords: number;
  realtimeUploadDays: number;
  realtimeFormsUploaded: number;
  realtimeFormsTotal: number;
  outpatientVisits: number;
  outpatientRevenueFen: number | null;
  emergencyVisits: number;
  emergencyRevenueFen: number | null;
  discharges: number;
  inpatientRevenueFen: number | null;
}

export interface BulletinQueryData {
  cockpitMonth: {
    districts: (FiguresRow & { district: string })[];
    hospitals: (FiguresRow & { organization: { code: string; name: string } | null })[];
    verifiedRecordsCumulative: number | null;
  } | null;
  appointmentsByChannel: {
    hospitals: (AppointmentChannels & { organization: { code: string; name: string } | null })[];
    hospitalsTotal: AppointmentChannels;
    platforms: { platform: string; name: string; appointments: number }[];
    platformsTotal: number | null;
    appointmentsCumulative: number | null;
  } | null;
  hotlineMonth: HotlineTable | null;
  bulletinHeadline: HeadlineCounters | null;
}

/** The headline counters of the bulletin's text, up to the end of the month. */
export interface HeadlineCounters {
  residentArchives: number;
  masterIndexEntries: number;
  archiveLookups: number;
  smartReminders: number;
  dataUnderManagement: number;
  validatedRecords: number;
}

/** The bulletin's hotline table: calls by category, work orders by source. */
export interface HotlineTable {
  calls: number;
  consultations: number;
  medicalComplaints: number;
  phoneAppointments: number;
  humanService: number;
  crisisInterventions: number;
  selfServiceVoice: number;
  workOrdersCity12345: number;
  workOrdersProvince12345: number;
  workOrdersDirect: number;
}

export interface AppointmentChannels {
  online12320: number;
  quick: number;
  inClinic: number;
  thirdParty: number;
  total: number;
}

export interface DataCollectionRow {
  name: string;
  scheduledUploadRecords: number;
  realtimeUploadDays: number;
  realtimeFormsUploaded: number;
  realtimeFormsTotal: number;
  outpatientVisits: number;
  outpatientRevenueThousandYuan: number | null;
  discharges: number;
  inpatientRevenueThousandYuan: number | null;
}

export interface BulletinTables {
  headline: HeadlineCounters;
  hotline: HotlineTable;
  dataCollectionByDistrict: DataCollectionRow[];
  dataCollectionByHospital: DataCollectionRow[];
  appointmentsByHospital: (AppointmentChannels & { name: string })[];
  /** The 合计 row under the appointments by hospital. */
  appointmentsTotal: AppointmentChannels;
  onlineAppointmentChannels: { channel: string; appointments: number }[];
  /** The 合计 under the online appointments; null when the API gave no platforms (a hospital's caller). */
  onlineAppointmentsTotal: number | null;
  /** 截止 the month, 总预约挂号量: appointments booked up to its end. */
  appointmentsCumulative: number | null;
  validatedRecordsBillionsCumulative: number | null;
}

/** Fen as the bulletin prints money: thousand yuan, two decimals. */
export const thousandYuanOf = (fen: number) => Math.round(fen / 1000) / 100;

/** The sum of the revenues that were reported; null when none was. */
function revenueOf(...fen: (number | null)[]): number | null {
  const reported = fen.filter((value): value is number => value !== null);
  return reported.length === 0 ? null : thousandYuanOf(reported.reduce((sum, value) => sum + value, 0));
}

function dataCollectionRow(name: string, row: FiguresRow): DataCollectionRow {
  return {
    name,
    scheduledUploadRecords: row.scheduledUploadRecords,
    realtimeUploadDays: row.realtimeUploadDays,
    realtimeFormsUploaded: row.realtimeFormsUploaded,
    realtimeFormsTotal: row.realtimeFormsTotal,
    outpatientVisits: row.outpatientVisits + row.emergencyVisits,
    outpatientRevenueThousandYuan: revenueOf(row.outpatientRevenueFen, row.emergencyRevenueFen),
    discharges: row.discharges,
    inpatientRevenueThousandYuan: revenueOf(row.inpatientRevenueFen),
  };
}

/** The API's answer in the bulletin's shape; districts ordered as the bulletin orders them (most uploads first). */
export function bulletinTablesOf(data: BulletinQueryData): BulletinTables {
  const month = data.cockpitMonth;
  const appointments = data.appointmentsByChannel;
  if (!month || !appointments || !data.hotlineMonth || !data.bulletinHeadline) throw new Error('The cockpit answered nothing for this month');
  return {
    headline: data.bulletinHeadline,
    hotline: data.hotlineMonth,
    dataCollectionByDistrict: month.districts
      .map((row) => dataCollectionRow(row.district, row))
      .sort((a, b) => b.scheduledUploadRecords - a.scheduledUploadRecords),
    dataCollectionByHospital: month.hospitals.map((row) => dataCollectionRow(row.organization?.name ?? '?', row)),
    appointmentsByHospital: appointments.hospitals.map(({ organization, ...row }) => ({ name: organization?.name ?? '?', ...row })),
    appointmentsTotal: appointments.hospitalsTotal,
    onlineAppointmentChannels: appointments.platforms.map((row) => ({ channel: row.name, appointments: row.appointments })),
    onlineAppointmentsTotal: appointments.platformsTotal,
    appointmentsCumulative: appointments.appointmentsCumulative,
    validatedRecordsBillionsCumulative: month.verifiedRecordsCumulative === null ? null : Math.round(month.verifiedRecordsCumulative / 1_000_000) / 1000,
  };
}

/** Asks the gateway for a month's tables with a health commission token. */
export async function fetchBulletin(gatewayUrl: string, token: string, month: string): Promise<BulletinTables> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: BULLETIN_QUERY, variables: { month } }),
  });
  const body = (await response.json()) as { data?: BulletinQueryData | null; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  if (!body.data) throw new Error(`The gateway answered ${response.status} without data`);
  return bulletinTablesOf(body.data);
}

const cell = (value: number | string | null) => (value === null ? '/' : String(value));

function table(title: string, headers: string[], rows: (number | string | null)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(cell))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => width(row[column]!))));
  const line = (row: string[]) => row.map((text, column) => (column === 0 ? pad(text, widths[column]!) : padStart(text, widths[column]!))).join('  ');
  return [title, line(headers), ...cells.slice(1).map(line)].join('\n');
}

/** Display width: CJK characters take two columns. */
const width = (text: string) => [...text].reduce((sum, char) => sum + (/[\u2E80-\uFFEF]/.test(char) ? 2 : 1), 0);
const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));
const padStart = (text: string, to: number) => ' '.repeat(Math.max(0, to - width(text))) + text;

const DATA_COLLECTION_HEADERS = [
  'scheduled uploads',
  'real-time days',
  'forms',
  'outpatient visits',
  'outpatient revenue (k¥)',
  'discharges',
  'inpatient revenue (k¥)',
];
const dataCollectionCells = (row: DataCollectionRow) => [
  row.name,
  row.scheduledUploadRecords,
  row.realtimeUploadDays,
  `${row.realtimeFormsUploaded}/${row.realtimeFormsTotal}`,
  row.outpatientVisits,
  money(row.outpatientRevenueThousandYuan),
  row.discharges,
  money(row.inpatientRevenueThousandYuan),
];
const money = (value: number | null) => (value === null ? null : value.toFixed(2));
const channelCells = (row: AppointmentChannels) => [row.online12320, row.quick, row.inClinic, row.thirdParty, row.total];
const TOTAL = '合计 total';

const HOTLINE_ROWS: readonly [string, keyof HotlineTable][] = [
  ['calls accepted 受理咨询电话', 'calls'],
  ['consultations 咨询类', 'consultations'],
  ['medical complaints 医疗投诉', 'medicalComplaints'],
  ['phone appointments 电话预约', 'phoneAppointments'],
  ['manual service 人工服务', 'humanService'],
  ['crisis interventions 心理危机干预', 'crisisInterventions'],
  ['self-service voice 自助语音问答', 'selfServiceVoice'],
  ['city 12345 work orders 市 12345 工单', 'workOrdersCity12345'],
  ['province 12345 work orders 省 12345 工单', 'workOrdersProvince12345'],
  ['work orders received directly 自接工单', 'workOrdersDirect'],
];

const HEADLINE_ROWS: readonly [string, keyof HeadlineCounters][] = [
  ['resident health archives 居民健康档案', 'residentArchives'],
  ['master-index entries 主索引', 'masterIndexEntries'],
  ['archive look-ups served 健康档案调阅', 'archiveLookups'],
  ['smart reminders served 智能提示', 'smartReminders'],
  ['records under management 数据', 'dataUnderManagement'],
  ['validated records 累计校验入库数据', 'validatedRecords'],
];

/** The tables as text, in the bulletin's order and column order. */
export function formatBulletin(month: string, tables: BulletinTables): string {
  return [
    `Jinling HIE bulletin tables for ${month}${tables.validatedRecordsBillionsCumulative === null ? '' : `: ${tables.validatedRecordsBillionsCumulative} billion validated records cumulative`}`,
    table(
      `Headline counters up to the end of ${month}`,
      ['', 'count'],
      HEADLINE_ROWS.map(([label, counter]) => [label, tables.headline[counter]]),
    ),
    table(
      'The 12320 hotline',
      ['', 'count'],
      HOTLINE_ROWS.map(([label, cell]) => [label, tables.hotline[cell]]),
    ),
    table('Data collection by district', ['district', ...DATA_COLLECTION_HEADERS], tables.dataCollectionByDistrict.map(dataCollectionCells)),
    table('Data collection by hospital', ['hospital', ...DATA_COLLECTION_HEADERS], tables.dataCollectionByHospital.map(dataCollectionCells)),
    [
      table(
        'Appointments by hospital',
        ['hospital', '12320 online', 'quick', 'in clinic', 'third party', 'total'],
        [...tables.appointmentsByHospital.map((row) => [row.name, ...channelCells(row)]), [TOTAL, ...channelCells(tables.appointmentsTotal)]],
      ),
      ...(tables.appointmentsCumulative === null ? [] : [`Appointments booked up to the end of ${month}: ${tables.appointmentsCumulative}`]),
    ].join('\n'),
    table(
      'Online appointments by platform',
      ['platform', 'appointments'],
      [...tables.onlineAppointmentChannels.map((row) => [row.channel, row.appointments]), [TOTAL, tables.onlineAppointmentsTotal]],
    ),
  ].join('\n\n');
}
