/**
 * Live bookings and hotline calls land where the bulletin prints them: a booking through each
 * channel and platform (and what older clients send) is read back from `npm run bulletin`'s
 * tables for the month, in the hospital's column, the platform's row and the hotline's table;
 * phone bookings in the hotline table only. Expected counts are written out.
 */

import { cityDay } from '../../monitoring/activity-store';
import { type BulletinTables, fetchBulletin, formatBulletin } from '../../tools/bulletin-tables';
import { insertResidents, insertSlotPool } from '../support/fixtures';
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
