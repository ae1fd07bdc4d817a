/**
 * Live bookings and hotline calls land where the bulletin prints them: a booking through each
 * channel and platform (and what older clients send) is read back from `npm run bulletin`'s
 * tables for the month, in the hospital's column, the platform's row and the hotline's table;
 * phone bookings in the hotline table only; live registrations, look-ups, reminders and
 * records add to the headline counters. Expected counts are written out.
 */

import { makeIdNumber } from '../../access-control/id-number';
import { cityDay } from '../../monitoring/activity-store';
import { type BulletinTables, fetchBulletin, formatBulletin } from '../../tools/bulletin-tables';
import { insertResidents, insertSlotPool, labSubmission } from '../support/fixtures';
import { commissionToken, hospitalSystemToken, useSeededCity } from '../support/seeded-city';

const { stack, codeOf } = useSeededCity();
const HOTLINE = '3201-T01';
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { channel platform } }`;

let month: string;
let tables: BulletinTables;
let booked: { channel: string; platform: string | null }[];

beforeAll(async () => {
  month = cityDay(new Date()).slice(0, 7);
  const hospital = codeOf.get('南京鼓楼医院')!;
  const residents = await insertResidents(stack, { organizationCode: hospital, count: 9 });
  const pool = await insertSlotPool(stack, { organizationCode: hospital, capacity: 20, reserved: 0 });
  const resident = (index: number) => stack.token({ subject: `resident-${index}`, roles: ['resident'], residentId: residents[index]! });
  const operator = stack.token({ subject: 'op-1', roles: ['hotline_operator'], organizationCode: HOTLINE, practitionerId: 'OP1' });
  const bookings: [string, Record<string, unknown>][] = [
    [resident(0), { channel: 'ONLINE_12320', platform: 'HEALTHY_NANJING_APP' }],
    [resident(1), { channel: 'ONLINE_12320', platform: 'WECHAT_12320' }],
    [resident(2), { channel: 'ONLINE_12320', platform: 'WEBSITE_12320' }],
    [resident(3), { channel: 'QUICK' }],
    [resident(4), { channel: 'THIRD_PARTY' }],
    // As clients sent 我的南京 before it was a channel of its own.
    [resident(5), { channel: 'ONLINE_12320', platform: 'MY_NANJING_APP' }],
    [hospitalSystemToken(stack, hospital), { channel: 'IN_CLINIC' }],
    [operator, { channel: 'PHONE_12320' }],
    // As operators booked before PHONE_12320.
    [operator, { channel: 'ONLINE_12320', platform: 'WECHAT_12320' }],
  ];
  booked = [];
  for (const [index, [token, channel]] of bookings.entries()) {
    const { body } = await stack.query(token, BOOK, { input: { residentId: residents[index], poolId: pool._id, ...channel } });
    expect(body.errors).toBeUndefined();
    booked.push(body.data!.bookAppointment);
  }
  const record = await stack.query(operator, `mutation($input: HotlineCallInput!) { recordHotlineCall(input: $input) { id } }`, {
    input: { callId: 'LIVE-1', receivedAt: new Date().toISOString(), category: 'CONSULTATION', channel: 'OPERATOR', outcome: 'ANSWERED', operatorId: 'OP1' },
  });
  expect(record.body.errors).toBeUndefined();
  const order = await stack.query(operator, `mutation($input: WorkOrderInput!) { receiveWorkOrder(input: $input) { id } }`, {
    input: { source: 'PROVINCE_12345', ticketNumber: 'JS-LIVE-1', receivedAt: new Date().toISOString() },
  });
  expect(order.body.errors).toBeUndefined();
  tables = await fetchBulletin(stack.gateway.url, commissionToken(stack), month);
});

it('stores each booking under the channel and platform the bulletin counts it in', () => {
  expect(booked).toEqual([
    { channel: 'ONLINE_12320', platform: 'HEALTHY_NANJING_APP' },
    { channel: 'ONLINE_12320', platform: 'WECHAT_12320' },
    { channel: 'ONLINE_12320', platform: 'WEBSITE_12320' },
    { channel: 'QUICK', platform: 'QUICK_BOOKING_12320' },
    { channel: 'THIRD_PARTY', platform: 'MY_NANJING_APP' },
    { channel: 'THIRD_PARTY', platform: 'MY_NANJING_APP' },
    { channel: 'IN_CLINIC', platform: null },
    { channel: 'PHONE_12320', platform: null },
    { channel: 'PHONE_12320', platform: null },
  ]);
});

it('counts each in the appointment table’s column, the platform table’s row and the hotline table', () => {
  expect(tables.appointmentsByHospital).toEqual([{ name: '南京鼓楼医院', online12320: 3, quick: 1, inClinic: 1, thirdParty: 2, total: 7 }]);
  expect(tables.appointmentsTotal).toEqual({ online12320: 3, quick: 1, inClinic: 1, thirdParty: 2, total: 7 });
  expect(tables.onlineAppointmentChannels).toEqual([
    { channel: '健康南京 app', appointments: 1 },
    { channel: '南京卫生12320 WeChat', appointments: 1 },
    { channel: '我的南京 app', appointments: 2 },
    { channel: '12320 quick booking', appointments: 1 },
    { channel: '南京卫生12320 website', appointments: 1 },
  ]);
  expect(tables.onlineAppointmentsTotal).toBe(6);
  // 12320 online is its three platforms, quick booking its one, third party 我的南京: the bulletin's reading.
  expect(tables.appointmentsCumulative).toBe(34185584 + 7);
  expect(tables.hotline).toEqual({
    calls: 3,
    consultations: 1,
    medicalComplaints: 0,
    phoneAppointments: 2,
    humanService: 0,
    crisisInterventions: 0,
    selfServiceVoice: 0,
    workOrdersCity12345: 0,
    workOrdersProvince12345: 1,
    workOrdersDirect: 0,
  });
});

it('prints them where the bulletin does', () => {
  const text = formatBulletin(month, tables).split('\n');
  const after = (title: string, count: number) => text[text.indexOf(title) + count]!.split(/\s{2,}/);
  expect(after('Appointments by hospital', 2)).toEqual(['南京鼓楼医院', '3', '1', '1', '2', '7']);
  expect(after('Online appointments by platform', 4)).toEqual(['我的南京 app', '2']);
  expect(after('The 12320 hotline', 5)).toEqual(['phone appointments 电话预约', '2']);
});

it('adds live events to the headline counters: registrations, identifiers, look-ups, reminders, records', async () => {
  const HEADLINE = `query($month: String!) { bulletinHeadline(month: $month) { residentArchives masterIndexEntries archiveLookups smartReminders dataUnderManagement validatedRecords } }`;
  const headline = async () => {
    const { body } = await stack.query(commissionToken(stack), HEADLINE, { month });
    expect(body.errors).toBeUndefined();
    return body.data!.bulletinHeadline;
  };
  const before = await headline();
  expect(before).toEqual(tables.headline);
  const hospital = codeOf.get('南京市第一医院')!;
  const his = hospitalSystemToken(stack, hospital);
  const doctor = stack.token({ subject: 'dr-headline', roles: ['doctor'], organizationCode: hospital, practitionerId: 'D77' });
  const registered = await stack.query(his, `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { outcome resident { id } } }`, {
    input: {
      name: '孙立新',
      gender: 'MALE',
      birthDate: '1975-02-03',
      idNumber: makeIdNumber('320102', '1975-02-03', 31),
      phone: '13770003333',
      district: '秦淮区',
      identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-HEADLINE-1' },
    },
  });
  expect(registered.body.data?.registerResident.outcome).toBe('CREATED');
  const residentId = registered.body.data!.registerResident.resident.id;
  const encounter = await stack.query(his, `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
    input: {
      residentId,
      sourceRecordId: 'V-HEADLINE-1',
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '心血管内科',
      start: new Date().toISOString(),
      diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
    },
  });
  expect(encounter.body.errors).toBeUndefined();
  // One look-up however many parts of the record the request reads.
  const read = await stack.query(
    doctor,
    `query($id: ID!) { resident(id: $id) { encounters { edges { node { id } } } conditions { edges { node { id } } } summary { activeProblems { id } } } }`,
    {
      id: residentId,
    },
  );
  expect(read.body.errors).toBeUndefined();
  const check = await stack.query(
    doctor,
    `mutation($id: ID!, $org: ID!) { checkOrder(residentId: $id, itemCodes: ["75622-1", "14749-6"], orderingOrganizationCode: $org) { recommendation } }`,
    {
      id: residentId,
      org: hospital,
    },
  );
  expect(check.body.errors).toBeUndefined();
  // A critical glucose the hospital's laboratory files: one alert, to the ordering hospital's inbox.
  const critical = await stack.query(
    stack.token({ subject: `lis-${hospital}`, roles: ['lab_system'], organizationCode: hospital }),
    `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`,
    {
      input: labSubmission(residentId, {
        subjectSex: 'MALE',
        subjectBirthDate: '1975-02-03',
        orderingOrganizationCode: hospital,
        results: [{ code: '14749-6', value: 25, unit: 'mmol/L' }],
      }),
    },
  );
  expect(critical.body.errors).toBeUndefined();

  expect(await headline()).toEqual({
    residentArchives: before.residentArchives + 1,
    // The ID card and the hospital's record number.
    masterIndexEntries: before.masterIndexEntries + 2,
    archiveLookups: before.archiveLookups + 1,
    // Two duplicate-test reminders and one critical result pushed.
    smartReminders: before.smartReminders + 3,
    // The visit and the lab report.
    dataUnderManagement: before.dataUnderManagement + 2,
    validatedRecords: before.validatedRecords + 2,
  });
  // September 2024 keeps the bulletin's figures.
  const { body } = await stack.query(commissionToken(stack), HEADLINE, { month: '2024-09' });
  expect(body.data!.bulletinHeadline).toEqual({
    residentArchives: 8680000,
    masterIndexEntries: 28150000,
    archiveLookups: 4410000,
    smartReminders: 8920000,
    dataUnderManagement: 17800000000,
    validatedRecords: 27508000000,
  });
});

it('gives the headline counters to the health commission only', async () => {
  const HEADLINE = `{ bulletinHeadline(month: "2024-09") { residentArchives } }`;
  for (const identity of [
    { subject: 'dr-x', roles: ['doctor' as const], organizationCode: codeOf.get('南京鼓楼医院')! },
    { subject: 'op-x', roles: ['hotline_operator' as const], organizationCode: HOTLINE },
    { subject: 'po-x', roles: ['privacy_officer' as const] },
  ]) {
    const { body, text } = await stack.query(stack.token(identity), HEADLINE);
    expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(text).not.toContain('8680000');
  }
});
