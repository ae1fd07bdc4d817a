/**
 * Appointments through the real gateway: residents (and the 12320 hotline for them, and a
 * hospital's own system at its clinic) book the public share of the slot pools referrals use,
 * with the channel recorded; the reserved share stays the family doctors' until its release;
 * places are claimed so no session is overbooked; a cancellation gives the place back.
 */
import { createHash } from 'node:crypto';
import { insertHospitals, insertResidents, insertSlotPool, modelsOf, newId } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok } = useStack();
const HOSPITAL = '3201-H001';
const OTHER_HOSPITAL = '3201-H002';
const CENTRE = '3201-C001';
const DAY = 86_400_000;

const resident = (residentId: string) => stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
const operator = (practitionerId = 'OP1') =>
  stack.token({ subject: `hotline-${practitionerId}`, roles: ['hotline_operator'], organizationCode: '3201-T01', practitionerId });
const hospitalSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const doctor = () => stack.token({ subject: 'dr-1', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

const FIELDS = 'organization { code } department date session kind share channel platform status';
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelAppointment(id: $id, reason: $reason) { id status cancellationReason } }`;
const MINE = `{ myAppointments { ${FIELDS} cancellationReason } }`;

const errorsOf = async (token: string, query: string, variables?: Record<string, unknown>) =>
  ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => ({ code: error.extensions?.code, message: error.message }));

/** Everything the appointments touch, to compare before and after a refused call. */
async function bookingState(poolId: string, residentId: string) {
  const models = modelsOf(stack).referrals;
  return {
    places: await models.Place.find({ poolId }).sort({ _id: 1 }).lean(),
    appointments: await models.Appointment.find({ residentId }).lean(),
  };
}

/** A Beijing calendar date `days` from today, computed here without the code under test. */
const beijingDay = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  await insertHospitals(stack);
});

describe('booking by channel', () => {
  it('books a resident’s own appointment online with its platform, and lists it in myAppointments', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const pool = await insertSlotPool(stack, { capacity: 10, reserved: 3 });
    const booked = (await ok(resident(residentId), BOOK, { input: { residentId, poolId: pool._id, channel: 'ONLINE_12320', platform: 'WECHAT_12320' } }))
      .bookAppointment;
    const expected = {
      organization: { code: HOSPITAL },
      department: '心血管内科',
      date: pool.date,
      session: 'MORNING',
      kind: 'SPECIALIST',
      share: 'PUBLIC',
      channel: 'ONLINE_12320',
      platform: 'WECHAT_12320',
      status: 'BOOKED',
    };
    expect(booked).toEqual({ id: booked.id, ...expected });
    expect((await ok(resident(residentId), MINE)).myAppointments).toEqual([{ ...expected, cancellationReason: null }]);
    const places = await modelsOf(stack).referrals.Place.find({ poolId: pool._id }).lean();
    expect(places.map((place) => [place._id, place.share, place.appointmentId, place.referralId])).toEqual([[`${pool._id}:P:1`, 'PUBLIC', booked.id, null]]);
    // The place counts against the pool for family doctors too.
    const slots = `{ availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: "${pool.date}", to: "${pool.date}") { poolId publicBooked } }`;
    const familyDoctor = stack.token({ subject: 'fd-1', roles: ['family_doctor'], organizationCode: CENTRE, practitionerId: 'F1' });
    expect((await ok(familyDoctor, slots)).availableSlots.find((slot: any) => slot.poolId === pool._id)).toEqual({ poolId: pool._id, publicBooked: 1 });
    // The booking gives the hospital no standing: its doctors still cannot read the resident.
    const read = await stack.query(doctor(), `query($id: ID!) { resident(id: $id) { name } }`, { id: residentId });
    expect(read.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).access.CareRelationship.countDocuments({ residentId, organizationCode: HOSPITAL })).toBe(0);
  });

  it('books by hospital, department, date and session as well as by pool id, for quick and third-party bookings', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const date = beijingDay(3);
    await insertSlotPool(stack, {
      date,
      department: '眼科',
      capacity: 4,
      reserved: 0,
      _id: poolIdOf(HOSPITAL, '眼科', date, 'MORNING'),
      sessionStart: new Date(`${date}T00:00:00Z`),
    });
    await insertSlotPool(stack, {
      date,
      department: '眼科',
      session: 'AFTERNOON',
      capacity: 4,
      reserved: 0,
      _id: poolIdOf(HOSPITAL, '眼科', date, 'AFTERNOON'),
      sessionStart: new Date(`${date}T06:00:00Z`),
    });
    const byName = (session: string, channel: string) => ({ input: { residentId, organizationCode: HOSPITAL, department: '眼科', date, session, channel } });
    expect((await ok(resident(residentId), BOOK, byName('MORNING', 'QUICK'))).bookAppointment).toMatchObject({
      session: 'MORNING',
      channel: 'QUICK',
      platform: 'QUICK_BOOKING_12320',
      share: 'PUBLIC',
    });
    expect((await ok(resident(residentId), BOOK, byName('AFTERNOON', 'THIRD_PARTY'))).bookAppointment).toMatchObject({
      session: 'AFTERNOON',
      channel: 'THIRD_PARTY',
      platform: 'MY_NANJING_APP',
    });
    expect(
      (await ok(resident(residentId), MINE)).myAppointments.map((appointment: any) => [appointment.date, appointment.session, appointment.channel]),
    ).toEqual([
      [date, 'MORNING', 'QUICK'],
      [date, 'AFTERNOON', 'THIRD_PARTY'],
    ]);
    // One appointment per resident and session.
    expect(await errorsOf(resident(residentId), BOOK, byName('MORNING', 'ONLINE_12320'))).toEqual([
      { code: 'CONFLICT', message: 'The resident already has an appointment in this session' },
    ]);
  });

  it('lets a 12320 operator book and cancel for a caller, and read nothing of the caller’s record', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const pool = await insertSlotPool(stack, { capacity: 2, reserved: 0 });
    const booked = (await ok(operator(), BOOK, { input: { residentId, poolId: pool._id, channel: 'ONLINE_12320', platform: 'QUICK_BOOKING_12320' } }))
      .bookAppointment;
    // What operators sent before PHONE_12320 existed books by phone all the same.
    expect(booked).toMatchObject({ channel: 'PHONE_12320', platform: null, status: 'BOOKED' });
    const stored = await modelsOf(stack).referrals.Appointment.findById(booked.id).lean();
    expect([stored!.bookedBy, stored!.bookedByOrganization]).toEqual(['OP1', '3201-T01']);

    const read = await stack.query(operator(), `query($id: ID!) { resident(id: $id) { name encounters { edges { node { id } } } } }`, { id: residentId });
    expect(read.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(read.text).not.toContain('测试0');
    expect((await errorsOf(operator(), MINE)).map((error) => error.code)).toEqual(['FORBIDDEN']);

    expect((await ok(operator('OP2'), CANCEL, { id: booked.id, reason: '来电取消预约' })).cancelAppointment).toEqual({
      id: booked.id,
      status: 'CANCELLED',
      cancellationReason: '来电取消预约',
    });
    expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: pool._id })).toBe(0);
  });

  it('lets a hospital’s system book in its own clinic for a resident it cares for, and nowhere else', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const own = await insertSlotPool(stack, { capacity: 3, reserved: 0 });
    const elsewhere = await insertSlotPool(stack, { capacity: 3, reserved: 0, organizationCode: OTHER_HOSPITAL });
    expect((await ok(hospitalSystem(), BOOK, { input: { residentId, poolId: own._id, channel: 'IN_CLINIC' } })).bookAppointment).toMatchObject({
      channel: 'IN_CLINIC',
      organization: { code: HOSPITAL },
    });

    const before = await bookingState(elsewhere._id, residentId);
    expect(await errorsOf(hospitalSystem(), BOOK, { input: { residentId, poolId: elsewhere._id, channel: 'IN_CLINIC' } })).toEqual([
      { code: 'FORBIDDEN', message: 'A hospital’s system books its own clinic’s sessions only' },
    ]);
    // No standing with a resident it never registered: refused, as any write.
    const [stranger] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    expect(await errorsOf(hospitalSystem(), BOOK, { input: { residentId: stranger, poolId: own._id, channel: 'IN_CLINIC' } })).toEqual([
      { code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
    ]);
    expect(await bookingState(elsewhere._id, residentId)).toEqual(before);
    expect(await modelsOf(stack).referrals.Appointment.countDocuments({ residentId: stranger })).toBe(0);
  });
});

describe('counting', () => {
  it('counts bookings per hospital, channel and online platform, and takes a cancelled one back on its day', async () => {
    const [a, b, c, d, e, f] = (await insertResidents(stack, { organizationCode: '3201-H105', count: 6 })) as [string, string, string, string, string, string];
    const pool = await insertSlotPool(stack, { organizationCode: '3201-H105', capacity: 10, reserved: 0 });
    const other = await insertSlotPool(stack, { organizationCode: '3201-H106', capacity: 10, reserved: 0 });
    const book = async (token: string, residentId: string, channel: string, platform?: string, poolId = pool._id) =>
      (await ok(token, BOOK, { input: { residentId, poolId, channel, platform } })).bookAppointment.id as string;
    await book(resident(a), a, 'ONLINE_12320', 'WECHAT_12320');
    const cancelled = await book(resident(b), b, 'ONLINE_12320', 'HEALTHY_NANJING_APP');
    await book(resident(c), c, 'ONLINE_12320');
    await book(operator(), d, 'QUICK');
    await book(resident(e), e, 'THIRD_PARTY');
    await book(hospitalSystem('3201-H105'), f, 'IN_CLINIC');
    await book(operator(), a, 'ONLINE_12320', 'WEBSITE_12320', other._id);
    await ok(resident(b), CANCEL, { id: cancelled, reason: '时间冲突，改期' });

    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const rollup = async (id: string) => {
      const { _id, organizationCode, period, month, day: _day, ...counts } = (await modelsOf(stack).activity.ActivityRollup.findById(id).lean())!;
      return counts;
    };
    // 12320 online on its three platforms (one named none: the 12320 website), third party on
    // 我的南京, the operator's bookings by phone, whatever older channel they named.
    const atHospital = {
      appointmentsOnline12320: 2,
      platformWechat12320: 1,
      platformHealthyNanjingApp: 0,
      platformWebsite12320: 1,
      appointmentsPhone12320: 1,
      appointmentsThirdParty: 1,
      platformMyNanjingApp: 1,
      appointmentsInClinic: 1,
    };
    expect(await rollup(`3201-H105|${day.slice(0, 7)}`)).toEqual(atHospital);
    expect(await rollup(`3201-H105|${day}`)).toEqual(atHospital);
    expect(await rollup(`3201-H106|${day.slice(0, 7)}`)).toEqual({ appointmentsPhone12320: 1 });
    // The phone bookings are the hotline's: two calls, two phone appointments at its centre.
    expect(await rollup(`3201-T01|${day.slice(0, 7)}`)).toMatchObject({ hotlineCalls: 2, hotlinePhoneAppointments: 2 });

    // Through the cockpit: each hospital's online appointments per platform; a hospital sees its own row only.
    const CHANNELS = `query($month: String!) { appointmentsByChannel(month: $month) { hospitals { organization { code } online12320 total platforms { platform appointments } } platforms { platform } } }`;
    const platforms = (wechat: number, myNanjing: number, website: number) => [
      { platform: 'HEALTHY_NANJING_APP', appointments: 0 },
      { platform: 'WECHAT_12320', appointments: wechat },
      { platform: 'MY_NANJING_APP', appointments: myNanjing },
      { platform: 'QUICK_BOOKING_12320', appointments: 0 },
      { platform: 'WEBSITE_12320', appointments: website },
    ];
    const commission = stack.token({ subject: 'hc-1', roles: ['health_commission'] });
    const city = (await ok(commission, CHANNELS, { month: day.slice(0, 7) })).appointmentsByChannel;
    const rowOf = (code: string) => city.hospitals.find((row: { organization: { code: string } }) => row.organization.code === code);
    // Phone bookings are not in the appointment table: 3201-H106 has none there.
    expect(rowOf('3201-H105')).toEqual({ organization: { code: '3201-H105' }, online12320: 2, total: 4, platforms: platforms(1, 1, 1) });
    expect(rowOf('3201-H106')).toBeUndefined();
    expect((await ok(hospitalSystem('3201-H105'), CHANNELS, { month: day.slice(0, 7) })).appointmentsByChannel).toEqual({
      hospitals: [{ organization: { code: '3201-H105' }, online12320: 2, total: 4, platforms: platforms(1, 1, 1) }],
      platforms: [],
    });
  });
});

describe('who may book', () => {
  it('refuses a resident booking for another resident, the wrong channel for a caller, and other roles, changing nothing', async () => {
    const [me, other] = (await insertResidents(stack, { organizationCode: CENTRE, count: 2 })) as [string, string];
    const pool = await insertSlotPool(stack, { capacity: 5, reserved: 0 });
    const before = await bookingState(pool._id, other);
    expect(await errorsOf(resident(me), BOOK, { input: { residentId: other, poolId: pool._id, channel: 'ONLINE_12320' } })).toEqual([
      { code: 'FORBIDDEN', message: 'Not permitted: for the resident only' },
    ]);
    expect(await errorsOf(resident(me), BOOK, { input: { residentId: me, poolId: pool._id, channel: 'IN_CLINIC' } })).toEqual([
      { code: 'FORBIDDEN', message: 'IN_CLINIC is not a channel this caller books through (ONLINE_12320, QUICK, THIRD_PARTY)' },
    ]);
    expect(await errorsOf(operator(), BOOK, { input: { residentId: other, poolId: pool._id, channel: 'THIRD_PARTY' } })).toEqual([
      { code: 'FORBIDDEN', message: 'THIRD_PARTY is not a channel this caller books through (PHONE_12320)' },
    ]);
    expect((await errorsOf(doctor(), BOOK, { input: { residentId: other, poolId: pool._id, channel: 'ONLINE_12320' } })).map((error) => error.code)).toEqual([
      'FORBIDDEN',
    ]);
    expect(await bookingState(pool._id, other)).toEqual(before);
    expect(await modelsOf(stack).referrals.Appointment.countDocuments({ residentId: me })).toBe(0);
  });

  it('refuses cancelling another resident’s appointment, and a hospital another hospital’s', async () => {
    const [me, other] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 2 })) as [string, string];
    const pool = await insertSlotPool(stack, { capacity: 5, reserved: 0 });
    const { id } = (await ok(resident(other), BOOK, { input: { residentId: other, poolId: pool._id, channel: 'QUICK' } })).bookAppointment;
    const before = await bookingState(pool._id, other);
    expect(await errorsOf(resident(me), CANCEL, { id, reason: '不想去了' })).toEqual([{ code: 'FORBIDDEN', message: 'Not permitted: for the resident only' }]);
    expect(await errorsOf(hospitalSystem(OTHER_HOSPITAL), CANCEL, { id, reason: '医生停诊' })).toEqual([
      { code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
    ]);
    expect(await bookingState(pool._id, other)).toEqual(before);
    // The hospital itself may cancel its clinic's appointment (a doctor's session cancelled).
    expect((await ok(hospitalSystem(), CANCEL, { id, reason: '医生停诊' })).cancelAppointment.status).toBe('CANCELLED');
  });
});

describe('the public share', () => {
  it('keeps the reserved share for family doctors until its release, then opens it', async () => {
    const residents = await insertResidents(stack, { organizationCode: CENTRE, count: 4 });
    const pool = await insertSlotPool(stack, { capacity: 4, reserved: 2 });
    const book = (residentId: string) =>
      stack.query(resident(residentId), BOOK, { input: { residentId, poolId: pool._id, channel: 'ONLINE_12320', platform: 'HEALTHY_NANJING_APP' } });
    expect((await book(residents[0]!)).body.data!.bookAppointment.share).toBe('PUBLIC');
    expect((await book(residents[1]!)).body.data!.bookAppointment.share).toBe('PUBLIC');
    const before = await bookingState(pool._id, residents[2]!);
    expect((await book(residents[2]!)).body.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['CONFLICT', 'No place left in this session’s public share'],
    ]);
    expect(await bookingState(pool._id, residents[2]!)).toEqual(before);

    // The release time passes (the session is still ahead): unused reserved places are anyone's.
    await modelsOf(stack).referrals.SlotPool.updateOne({ _id: pool._id }, { $set: { releaseAt: new Date(Date.now() - 60_000) } });
    expect((await book(residents[2]!)).body.data!.bookAppointment.share).toBe('RESERVED');
    const places = await modelsOf(stack).referrals.Place.find({ poolId: pool._id }).sort({ _id: 1 }).lean();
    expect(places.map((place) => place._id)).toEqual([`${pool._id}:P:1`, `${pool._id}:P:2`, `${pool._id}:R:1`]);
  });

  it('gives 5 places to exactly 5 of 20 concurrent bookings', async () => {
    const residents = await insertResidents(stack, { organizationCode: CENTRE, count: 20 });
    const pool = await insertSlotPool(stack, { capacity: 5, reserved: 0 });
    const attempts = await Promise.all(
      residents.map((residentId) => stack.query(resident(residentId), BOOK, { input: { residentId, poolId: pool._id, channel: 'QUICK' } })),
    );
    const booked = attempts.filter((attempt) => !attempt.body.errors).map((attempt) => attempt.body.data!.bookAppointment.id);
    expect(booked).toHaveLength(5);
    expect(attempts.filter((attempt) => attempt.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(15);
    const places = await modelsOf(stack).referrals.Place.find({ poolId: pool._id }).sort({ _id: 1 }).lean();
    expect(places.map((place) => place._id)).toEqual([1, 2, 3, 4, 5].map((number) => `${pool._id}:P:${number}`));
    expect(places.map((place) => place.appointmentId).sort()).toEqual([...booked].sort());
  });

  it('shares the places with referral bookings: 12 at once for 6 places book exactly 6', async () => {
    const residents = await insertResidents(stack, { organizationCode: CENTRE, count: 12 });
    const pool = await insertSlotPool(stack, { capacity: 6, reserved: 0 });
    const familyDoctor = stack.token({ subject: 'fd-1', roles: ['family_doctor'], organizationCode: CENTRE, practitionerId: 'F1' });
    const referrals: string[] = [];
    for (const residentId of residents.slice(0, 6)) {
      const input = { residentId, direction: 'UP', toOrganizationCode: HOSPITAL, toDepartment: '心血管内科', reason: '胸闷待查', diagnoses: [] };
      referrals.push(
        (await ok(familyDoctor, `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, { input })).requestReferral.id,
      );
    }
    const attempts = await Promise.all([
      ...referrals.map((id) =>
        stack.query(familyDoctor, `mutation($id: ID!) { bookReferralSlot(referralId: $id, poolId: "${pool._id}", clientRequestId: "book-${id}") { id } }`, {
          id,
        }),
      ),
      ...residents.slice(6).map((residentId) => stack.query(resident(residentId), BOOK, { input: { residentId, poolId: pool._id, channel: 'QUICK' } })),
    ]);
    expect(attempts.filter((attempt) => !attempt.body.errors)).toHaveLength(6);
    expect(attempts.flatMap((attempt) => attempt.body.errors ?? []).map((error) => error.extensions?.code)).toEqual(Array(6).fill('CONFLICT'));
    const places = await modelsOf(stack).referrals.Place.find({ poolId: pool._id }).sort({ _id: 1 }).lean();
    expect(places.map((place) => place._id)).toEqual([1, 2, 3, 4, 5, 6].map((number) => `${pool._id}:P:${number}`));
  });

  it('books one place for 8 concurrent bookings of one resident in one session', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const pool = await insertSlotPool(stack, { capacity: 5, reserved: 0 });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        stack.query(resident(residentId), BOOK, { input: { residentId, poolId: pool._id, channel: 'ONLINE_12320', platform: 'WEBSITE_12320' } }),
      ),
    );
    expect(attempts.filter((attempt) => !attempt.body.errors)).toHaveLength(1);
    expect(attempts.flatMap((attempt) => attempt.body.errors ?? []).map((error) => error.message)).toEqual(
      Array(7).fill('The resident already has an appointment in this session'),
    );
    expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: pool._id })).toBe(1);
    expect(await modelsOf(stack).referrals.Appointment.countDocuments({ residentId })).toBe(1);
  });

  it('gives the place back on cancellation, once, however many cancel at once', async () => {
    const [first, second] = (await insertResidents(stack, { organizationCode: CENTRE, count: 2 })) as [string, string];
    const pool = await insertSlotPool(stack, { capacity: 1, reserved: 0 });
    const { id } = (await ok(resident(first), BOOK, { input: { residentId: first, poolId: pool._id, channel: 'QUICK' } })).bookAppointment;
    expect((await errorsOf(resident(second), BOOK, { input: { residentId: second, poolId: pool._id, channel: 'QUICK' } })).map((error) => error.code)).toEqual([
      'CONFLICT',
    ]);

    const cancels = await Promise.all(Array.from({ length: 6 }, () => stack.query(resident(first), CANCEL, { id, reason: '时间冲突，改期' })));
    expect(cancels.filter((attempt) => !attempt.body.errors)).toHaveLength(1);
    expect(cancels.flatMap((attempt) => attempt.body.errors ?? []).map((error) => [error.extensions?.code, error.message])).toEqual(
      Array(5).fill(['CONFLICT', 'The appointment is already cancelled']),
    );
    expect((await ok(resident(first), MINE)).myAppointments.map((appointment: any) => [appointment.status, appointment.cancellationReason])).toEqual([
      ['CANCELLED', '时间冲突，改期'],
    ]);
    expect((await ok(resident(second), BOOK, { input: { residentId: second, poolId: pool._id, channel: 'QUICK' } })).bookAppointment.share).toBe('PUBLIC');
    // The first resident's cancelled appointment no longer holds the session: only the full share refuses them now.
    expect((await errorsOf(resident(first), BOOK, { input: { residentId: first, poolId: pool._id, channel: 'QUICK' } })).map((error) => error.message)).toEqual(
      ['No place left in this session’s public share'],
    );
  });
});

describe('bad input: a clear error and nothing changed', () => {
  it.each([
    [
      'an unknown channel',
      { channel: 'CARRIER_PIGEON' },
      'BAD_USER_INPUT',
      'Variable "$input" got invalid value "CARRIER_PIGEON" at "input.channel"; Value "CARRIER_PIGEON" does not exist in "AppointmentChannel" enum.',
    ],
    [
      'a platform of another channel',
      { channel: 'QUICK', platform: 'WEBSITE_12320' },
      'BAD_USER_INPUT',
      'Invalid input: platform WEBSITE_12320 is not a platform of the QUICK channel',
    ],
    ['no session', { poolId: null }, 'BAD_USER_INPUT', 'Invalid input: poolId or all of organizationCode, department, date and session are required'],
    [
      'a session named twice',
      { organizationCode: HOSPITAL },
      'BAD_USER_INPUT',
      'Invalid input: poolId names the session already: leave out organizationCode, department, date and session',
    ],
    ['a malformed resident id', { residentId: 'resident-1' }, 'BAD_USER_INPUT', 'Invalid input: residentId must be 24 lowercase hex characters'],
    [
      'an unknown session',
      { poolId: 'abcdefabcdefabcdefabcdef' },
      'NOT_FOUND',
      'No such session: find one with availableSlots or Organization.referralServices',
    ],
  ])('refuses %s', async (_label, change, code, message) => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const pool = await insertSlotPool(stack, { capacity: 5, reserved: 0 });
    const input = { residentId, poolId: pool._id, channel: 'ONLINE_12320', ...change };
    const before = await bookingState(pool._id, residentId);
    const errors = await errorsOf(resident(residentId), BOOK, { input });
    expect(errors.map((error) => error.code)).toEqual([code]);
    if (code !== 'BAD_USER_INPUT' || !message.startsWith('Variable')) expect(errors).toEqual([{ code, message }]);
    else expect(errors[0]!.message).toContain('"CARRIER_PIGEON"');
    expect(await bookingState(pool._id, residentId)).toEqual(before);
  });

  it('refuses a past session, one already started, and one beyond the booking horizon', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const past = await insertSlotPool(stack, { date: beijingDay(-1), capacity: 5, reserved: 0 });
    const started = await insertSlotPool(stack, { date: beijingDay(0), sessionStart: new Date(Date.now() - 60_000), capacity: 5, reserved: 0 });
    const far = await insertSlotPool(stack, { date: beijingDay(15), capacity: 5, reserved: 0 });
    for (const pool of [past, started, far]) {
      expect([pool.date, await errorsOf(resident(residentId), BOOK, { input: { residentId, poolId: pool._id, channel: 'QUICK' } })]).toEqual([
        pool.date,
        [{ code: 'BAD_USER_INPUT', message: 'The session must not have started and be at most 14 days ahead' }],
      ]);
    }
    expect(await modelsOf(stack).referrals.Appointment.countDocuments({ residentId })).toBe(0);
    expect(await modelsOf(stack).referrals.Place.countDocuments({ poolId: past._id })).toBe(0);
  });

  it('refuses a cancellation without a reason, of an unknown appointment, and after the session started', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const pool = await insertSlotPool(stack, { capacity: 5, reserved: 0 });
    const { id } = (await ok(resident(residentId), BOOK, { input: { residentId, poolId: pool._id, channel: 'QUICK' } })).bookAppointment;
    const before = await bookingState(pool._id, residentId);
    expect(await errorsOf(resident(residentId), CANCEL, { id, reason: 'no' })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'reason must be 4-500 characters' },
    ]);
    expect((await errorsOf(resident(residentId), CANCEL, { id: newId(), reason: '时间冲突，改期' })).map((error) => error.code)).toEqual(['NOT_FOUND']);
    await modelsOf(stack).referrals.SlotPool.updateOne({ _id: pool._id }, { $set: { sessionStart: new Date(Date.now() - 60_000) } });
    expect(await errorsOf(resident(residentId), CANCEL, { id, reason: '时间冲突，改期' })).toEqual([
      { code: 'CONFLICT', message: 'The session has started: too late to cancel' },
    ]);
    expect(await bookingState(pool._id, residentId)).toEqual(before);
  });
});

/** The id a hospital's published session has (the same hash publishSlotPools uses). */
function poolIdOf(organizationCode: string, department: string, date: string, session: string): string {
  return createHash('sha256').update(`pool|${organizationCode}|${department}|${date}|${session}|SPECIALIST`).digest('hex').slice(0, 24);
}
