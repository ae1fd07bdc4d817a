/**
 * Retries and slot pools through the real gateway: requestReferral and breakGlass are
 * idempotent on a client request id (concurrent retries make one), a place held for a
 * referral that expired unaccepted is bookable again, and hospitals publish their own slot
 * pools, with the reserved share and release time computed by the service.
 */
import { oneOf } from '../../../platform/database';
import { generateCity } from '../../../tools/seed/city';
import { referralsOf } from '../../../tools/seed/referrals-seed';
import { insertHospitals, insertResidents, insertSlotPool, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const CENTRE = '3201-C001';
const HOSPITAL = '3201-H001';
const DAY = 86_400_000;

const familyDoctor = (practitionerId = 'F1') =>
  stack.token({ subject: `fd-${practitionerId}`, roles: ['family_doctor'], organizationCode: CENTRE, practitionerId });
const hospitalDoctor = () => stack.token({ subject: 'dr-h1', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

const errorsOf = async (token: string, query: string, variables?: Record<string, unknown>) =>
  ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => ({ code: error.extensions?.code, message: error.message }));

/** A Beijing calendar date `days` from today, computed here without the code under test. */
function beijingDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
}
const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  await insertHospitals(stack);
});

describe('requestReferral retries', () => {
  const REQUEST = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id status reason } }`;
  const inputFor = (residentId: string, clientRequestId: string, reason = '血压控制不佳') => ({
    residentId,
    direction: 'UP',
    toOrganizationCode: HOSPITAL,
    toDepartment: '心血管内科',
    reason,
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    clientRequestId,
  });

  it('makes one referral of 12 concurrent retries, returns it to each, and refuses the same id with other content', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1 })) as [string];
    const input = inputFor(residentId, 'fd-app-referral-0001');
    const attempts = await Promise.all(Array.from({ length: 12 }, () => stack.query(familyDoctor(), REQUEST, { input })));
    expect(attempts.map((attempt) => attempt.body.errors)).toEqual(Array(12).fill(undefined));
    const ids = new Set(attempts.map((attempt) => attempt.body.data!.requestReferral.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    expect(attempts[0]!.body.data!.requestReferral).toEqual({ id, status: 'REQUESTED', reason: '血压控制不佳' });

    const models = modelsOf(stack);
    expect(await models.referrals.Referral.countDocuments({ residentId })).toBe(1);
    expect(await models.referrals.Transition.countDocuments({ referralId: id })).toBe(1);
    expect(await models.access.CareRelationship.countDocuments({ residentId, organizationCode: HOSPITAL, kind: 'REFERRAL_OFFER' })).toBe(1);

    // Later, the same retry still answers the same referral; other content under the id is refused and changes nothing.
    expect((await ok(familyDoctor(), REQUEST, { input })).requestReferral.id).toBe(id);
    const before = await models.referrals.Referral.findById(id).lean();
    expect(await errorsOf(familyDoctor(), REQUEST, { input: inputFor(residentId, 'fd-app-referral-0001', '复查心电图') })).toEqual([
      { code: 'CONFLICT', message: 'This clientRequestId was used for a different referral' },
    ]);
    expect(await models.referrals.Referral.findById(id).lean()).toEqual(before);
    expect(await models.referrals.Referral.countDocuments({ residentId })).toBe(1);

    // Without a request id every call is a new referral, as before.
    const { clientRequestId: _none, ...plain } = input;
    await ok(familyDoctor(), REQUEST, { input: plain });
    await ok(familyDoctor(), REQUEST, { input: plain });
    expect(await models.referrals.Referral.countDocuments({ residentId })).toBe(3);
  });

  it('keeps request ids apart per sending organization, and refuses a malformed one writing nothing', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1, alsoSeenAt: ['3201-C002'] })) as [string];
    const otherCentre = stack.token({ subject: 'fd-c2', roles: ['family_doctor'], organizationCode: '3201-C002', practitionerId: 'F9' });
    const mine = (await ok(familyDoctor(), REQUEST, { input: inputFor(residentId, 'shared-request-id-1') })).requestReferral.id;
    const theirs = (await ok(otherCentre, REQUEST, { input: inputFor(residentId, 'shared-request-id-1') })).requestReferral.id;
    expect(theirs).not.toBe(mine);
    expect(await codes(familyDoctor(), REQUEST, { input: inputFor(residentId, 'short') })).toEqual(['BAD_USER_INPUT']);
    expect(await modelsOf(stack).referrals.Referral.countDocuments({ residentId })).toBe(2);
  });
});

describe('breakGlass retries', () => {
  const BREAK = `mutation($id: ID!, $why: String!, $request: String) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: $why, clientRequestId: $request) { id expiresAt status } }`;
  const emergencyDoctor = (practitionerId = 'ER1') =>
    stack.token({ subject: `dr-${practitionerId}`, roles: ['doctor'], organizationCode: '3201-H100', practitionerId });

  it('grants once for 12 concurrent retries, and refuses the same id with another justification', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const variables = { id: residentId, why: '昏迷入院，需查既往史与过敏史', request: 'er-console-0001' };
    const attempts = await Promise.all(Array.from({ length: 12 }, () => stack.query(emergencyDoctor(), BREAK, variables)));
    expect(attempts.map((attempt) => attempt.body.errors)).toEqual(Array(12).fill(undefined));
    const grants = new Set(attempts.map((attempt) => JSON.stringify(attempt.body.data!.breakGlass)));
    expect(grants.size).toBe(1);

    const models = modelsOf(stack);
    expect(await models.access.BreakGlassReview.countDocuments({ residentId })).toBe(1);
    const facts = await models.access.CareRelationship.find({ residentId, kind: 'BREAK_GLASS' }).lean();
    expect(facts.map((fact) => [fact.organizationCode, fact.practitionerId])).toEqual([['3201-H100', 'ER1']]);
    // Every attempt is alerted for the privacy officers.
    const alerts = await models.access.AuditEvent.countDocuments({ residentId, organizationCode: '3201-H100', alert: true });
    expect(alerts).toBe(12);

    const review = await models.access.BreakGlassReview.findOne({ residentId }).lean();
    expect(await errorsOf(emergencyDoctor(), BREAK, { ...variables, why: '抢救中，需要查看全部病历' })).toEqual([
      { code: 'CONFLICT', message: 'This clientRequestId was used for a different emergency access request' },
    ]);
    expect(await models.access.BreakGlassReview.find({ residentId }).lean()).toEqual([review]);

    // The request id is the practitioner's: a colleague's grant with the same id is their own.
    await ok(emergencyDoctor('ER2'), BREAK, variables);
    expect(await models.access.BreakGlassReview.countDocuments({ residentId })).toBe(2);
    expect(await codes(emergencyDoctor('ER3'), BREAK, { ...variables, request: 'x' })).toEqual(['BAD_USER_INPUT']);
    expect(await models.access.BreakGlassReview.countDocuments({ residentId })).toBe(2);
  });
});

describe('expiry', () => {
  it('makes the place of a referral that expired unaccepted bookable again, and the expired referral cannot take it back', async () => {
    const [first, second] = (await insertResidents(stack, { organizationCode: CENTRE, count: 2 })) as [string, string];
    const pool = await insertSlotPool(stack, { capacity: 1, reserved: 0 });
    const request = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`;
    const input = (residentId: string) => ({
      input: { residentId, direction: 'UP', toOrganizationCode: HOSPITAL, toDepartment: '心血管内科', reason: '胸闷待查', diagnoses: [] },
    });
    const book = `mutation($referral: ID!, $request: String!) { bookReferralSlot(referralId: $referral, poolId: "${pool._id}", clientRequestId: $request) { id status slot { share date } } }`;
    const slots = `{ availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: "${pool.date}", to: "${pool.date}") { poolId publicBooked bookableByYou } }`;
    const ofPool = async () => (await ok(familyDoctor(), slots)).availableSlots.find((slot: any) => slot.poolId === pool._id);

    const expiring = (await ok(familyDoctor(), request, input(first))).requestReferral.id;
    await ok(familyDoctor(), book, { referral: expiring, request: 'book-expiring-1' });
    expect(await ofPool()).toEqual({ poolId: pool._id, publicBooked: 1, bookableByYou: 0 });
    const later = (await ok(familyDoctor(), request, input(second))).requestReferral.id;
    expect(await codes(familyDoctor(), book, { referral: later, request: 'book-later-1' })).toEqual(['CONFLICT']);

    // Seven days and a minute later, nobody has accepted it: move its times back, as the clock would.
    const lapsed = new Date(Date.now() - 60_000);
    const models = modelsOf(stack);
    await models.referrals.Referral.updateOne({ _id: expiring }, { $set: { requestedAt: new Date(Date.now() - 7 * DAY - 60_000), expiresAt: lapsed } });
    await models.referrals.Place.updateMany({ referralId: expiring }, { $set: { holdUntil: lapsed } });

    expect(await ofPool()).toEqual({ poolId: pool._id, publicBooked: 0, bookableByYou: 1 });
    expect((await ok(familyDoctor(), book, { referral: later, request: 'book-later-2' })).bookReferralSlot).toEqual({
      id: later,
      status: 'REQUESTED',
      slot: { share: 'PUBLIC', date: pool.date },
    });
    expect(await ofPool()).toEqual({ poolId: pool._id, publicBooked: 1, bookableByYou: 0 });
    expect(await codes(hospitalDoctor(), `mutation($id: ID!) { acceptReferral(id: $id) { id } }`, { id: expiring })).toEqual(['CONFLICT']);
    expect((await models.referrals.Place.find({ poolId: pool._id }).lean()).map((place) => [place._id, place.referralId])).toEqual([
      [`${pool._id}:P:1`, later],
    ]);
  });
});

describe('expiry under concurrency', () => {
  it('gives 5 places freed by expired referrals to exactly 5 of 40 concurrent bookings', async () => {
    const residents = await insertResidents(stack, { organizationCode: CENTRE, count: 45 });
    const pool = await insertSlotPool(stack, { capacity: 5, reserved: 0 });
    const request = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`;
    const book = `mutation($referral: ID!, $request: String!) { bookReferralSlot(referralId: $referral, poolId: "${pool._id}", clientRequestId: $request) { id slot { share } } }`;
    const referrals: string[] = [];
    for (const residentId of residents) {
      referrals.push(
        (
          await ok(familyDoctor(), request, {
            input: { residentId, direction: 'UP', toOrganizationCode: HOSPITAL, toDepartment: '心血管内科', reason: '胸闷待查', diagnoses: [] },
          })
        ).requestReferral.id,
      );
    }
    const expiring = referrals.slice(0, 5);
    for (const referral of expiring) await ok(familyDoctor(), book, { referral, request: `hold-${referral}` });
    const lapsed = new Date(Date.now() - 60_000);
    const models = modelsOf(stack);
    await models.referrals.Referral.updateMany({ _id: oneOf(expiring) }, { $set: { requestedAt: new Date(Date.now() - 7 * DAY - 60_000), expiresAt: lapsed } });
    await models.referrals.Place.updateMany({ referralId: oneOf(expiring) }, { $set: { holdUntil: lapsed } });

    const attempts = await Promise.all(referrals.slice(5).map((referral) => stack.query(familyDoctor(), book, { referral, request: `take-${referral}` })));
    const booked = attempts.filter((attempt) => !attempt.body.errors).map((attempt) => attempt.body.data!.bookReferralSlot.id);
    expect(booked).toHaveLength(5);
    expect(attempts.filter((attempt) => attempt.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(35);
    const places = await models.referrals.Place.find({ poolId: pool._id }).lean();
    expect(places.map((place) => place.referralId).sort()).toEqual([...booked].sort());
    const slotted = await models.referrals.Referral.find({ _id: oneOf(booked) }).lean();
    expect(new Set(slotted.map((referral) => referral.slot!.placeId)).size).toBe(5);
  });
});

describe('publishSlotPools', () => {
  const PUBLISH = `mutation($pools: [SlotPoolInput!]!) { publishSlotPools(pools: $pools) { poolId organization { code } department date session kind capacity reserved releaseAt reservedBooked publicBooked bookableByYou } }`;
  const hospitalSystem = (organizationCode: string) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
  const PARTICIPATING = '3201-H004';
  const OTHER = '3201-H005';
  const entry = (date: string, overrides: Record<string, unknown> = {}) => ({
    department: '心血管内科',
    date,
    session: 'MORNING',
    kind: 'SPECIALIST',
    capacity: 10,
    ...overrides,
  });
  const poolsAt = (organizationCode: string) => modelsOf(stack).referrals.SlotPool.find({ organizationCode }).sort({ date: 1, session: 1, kind: 1 }).lean();

  beforeAll(async () => {
    await modelsOf(stack).referrals.ParticipatingHospital.create({ _id: PARTICIPATING, since: new Date('2024-09-01T00:00:00Z') });
  });

  it('reserves 30% rounded up at a participating hospital until 24 hours before the session, and nothing elsewhere', async () => {
    const date = beijingDay(3);
    const published = (
      await ok(hospitalSystem(PARTICIPATING), PUBLISH, {
        pools: [entry(date), entry(date, { session: 'AFTERNOON', capacity: 7 }), entry(date, { kind: 'EXAM', department: '影像科', capacity: 1 })],
      })
    ).publishSlotPools;
    const without = ({ poolId: _poolId, ...rest }: any) => rest;
    expect(published.map(without)).toEqual([
      {
        organization: { code: PARTICIPATING },
        department: '心血管内科',
        date,
        session: 'MORNING',
        kind: 'SPECIALIST',
        capacity: 10,
        reserved: 3,
        releaseAt: `${dayBefore(date)}T00:00:00.000Z`,
        reservedBooked: 0,
        publicBooked: 0,
        bookableByYou: 0,
      },
      {
        organization: { code: PARTICIPATING },
        department: '心血管内科',
        date,
        session: 'AFTERNOON',
        kind: 'SPECIALIST',
        capacity: 7,
        reserved: 3,
        releaseAt: `${dayBefore(date)}T06:00:00.000Z`,
        reservedBooked: 0,
        publicBooked: 0,
        bookableByYou: 0,
      },
      {
        organization: { code: PARTICIPATING },
        department: '影像科',
        date,
        session: 'MORNING',
        kind: 'EXAM',
        capacity: 1,
        reserved: 1,
        releaseAt: `${dayBefore(date)}T00:00:00.000Z`,
        reservedBooked: 0,
        publicBooked: 0,
        bookableByYou: 0,
      },
    ]);
    const stored = await poolsAt(PARTICIPATING);
    expect(stored.map((pool) => [pool.capacity, pool.reserved, pool.sessionStart.toISOString(), pool.releaseAt.toISOString()])).toEqual([
      [7, 3, `${date}T06:00:00.000Z`, `${dayBefore(date)}T06:00:00.000Z`],
      [1, 1, `${date}T00:00:00.000Z`, `${dayBefore(date)}T00:00:00.000Z`],
      [10, 3, `${date}T00:00:00.000Z`, `${dayBefore(date)}T00:00:00.000Z`],
    ]);

    const elsewhere = (await ok(hospitalSystem(OTHER), PUBLISH, { pools: [entry(date)] })).publishSlotPools;
    expect(elsewhere.map((pool: any) => [pool.organization.code, pool.capacity, pool.reserved])).toEqual([[OTHER, 10, 0]]);

    // Family doctors find the published pool and its share.
    const slots = `{ availableSlots(organizationCode: "${PARTICIPATING}", department: "心血管内科", from: "${date}", to: "${date}") { poolId capacity reserved bookableByYou } }`;
    expect((await ok(familyDoctor(), slots)).availableSlots).toEqual([
      { poolId: published[1].poolId, capacity: 7, reserved: 3, bookableByYou: 7 },
      { poolId: published[0].poolId, capacity: 10, reserved: 3, bookableByYou: 10 },
    ]);
  });

  it('updates a session published again, keeps its bookings, and never goes below them', async () => {
    const date = beijingDay(4);
    const [first] = (await ok(hospitalSystem(PARTICIPATING), PUBLISH, { pools: [entry(date, { department: '内分泌科', capacity: 10 })] })).publishSlotPools;
    // A referral books the first public place; a walk-in holds the fifth.
    await modelsOf(stack).referrals.Place.insertMany([
      { _id: `${first.poolId}:P:1`, poolId: first.poolId, share: 'PUBLIC', referralId: 'walk-in-a', bookedBy: 'public', bookedAt: new Date() },
      { _id: `${first.poolId}:P:5`, poolId: first.poolId, share: 'PUBLIC', referralId: 'walk-in-b', bookedBy: 'public', bookedAt: new Date() },
      { _id: `${first.poolId}:R:2`, poolId: first.poolId, share: 'RESERVED', referralId: 'walk-in-c', bookedBy: 'public', bookedAt: new Date() },
    ]);
    const [again] = (await ok(hospitalSystem(PARTICIPATING), PUBLISH, { pools: [entry(date, { department: '内分泌科', capacity: 20 })] })).publishSlotPools;
    expect(again).toMatchObject({ poolId: first.poolId, capacity: 20, reserved: 6, reservedBooked: 1, publicBooked: 2 });
    const [smaller] = (await ok(hospitalSystem(PARTICIPATING), PUBLISH, { pools: [entry(date, { department: '内分泌科', capacity: 8 })] })).publishSlotPools;
    expect(smaller).toMatchObject({ poolId: first.poolId, capacity: 8, reserved: 3, reservedBooked: 1, publicBooked: 2 });
    expect(await modelsOf(stack).referrals.SlotPool.countDocuments({ organizationCode: PARTICIPATING, department: '内分泌科' })).toBe(1);

    // Capacities 6 and 7 leave 3 reserved and 3 or 4 public places: the booked fifth public place would fall outside.
    const before = await poolsAt(PARTICIPATING);
    const other = entry(date, { department: '呼吸内科', capacity: 9 });
    expect(await errorsOf(hospitalSystem(PARTICIPATING), PUBLISH, { pools: [other, entry(date, { department: '内分泌科', capacity: 6 })] })).toEqual([
      {
        code: 'CONFLICT',
        message: 'pools.1: capacity 6 would drop places already booked in this session (3 booked; the least capacity that keeps every booking is 8)',
      },
    ]);
    expect(await poolsAt(PARTICIPATING)).toEqual(before);
  });

  it.each([
    ['an unknown department', { department: '火星科' }, 'Invalid input: pools.1.department is not a department that takes referrals'],
    ['no places', { capacity: 0 }, 'Invalid input: pools.1.capacity must be at least 1'],
    ['too many places', { capacity: 501 }, 'Invalid input: pools.1.capacity must be at most 500'],
    ['a malformed date', { date: '2026-02-30' }, 'Invalid input: pools.1.date must be a calendar date as YYYY-MM-DD, e.g. 2026-03-01 (not "2026-02-30")'],
  ])('refuses %s with the entry’s index and writes nothing', async (_label, bad, message) => {
    const before = await poolsAt(OTHER);
    expect(await errorsOf(hospitalSystem(OTHER), PUBLISH, { pools: [entry(beijingDay(5)), entry(beijingDay(5), { session: 'AFTERNOON', ...bad })] })).toEqual([
      { code: 'BAD_USER_INPUT', message },
    ]);
    expect(await poolsAt(OTHER)).toEqual(before);
  });

  it('refuses dates outside today to 60 days ahead, and a session named twice', async () => {
    const before = await poolsAt(OTHER);
    const window = `must be from today (${beijingDay(0)}) to 60 days ahead (${beijingDay(60)})`;
    for (const date of [beijingDay(-1), beijingDay(61)]) {
      expect(await errorsOf(hospitalSystem(OTHER), PUBLISH, { pools: [entry(beijingDay(6)), entry(date)] })).toEqual([
        { code: 'BAD_USER_INPUT', message: `Invalid input: pools.1.date ${window}` },
      ]);
    }
    expect(
      await errorsOf(hospitalSystem(OTHER), PUBLISH, { pools: [entry(beijingDay(6)), entry(beijingDay(7)), entry(beijingDay(6), { capacity: 4 })] }),
    ).toEqual([{ code: 'BAD_USER_INPUT', message: 'Invalid input: pools.2 names the same session as pools.0' }]);
    expect(await poolsAt(OTHER)).toEqual(before);
  });

  it('stores for a seeded session exactly what the demo seeder wrote: one computation', async () => {
    const now = new Date();
    const seeded = referralsOf(generateCity({ seed: 7, residents: 40, now }), now);
    expect(seeded.participatingHospitals).toHaveLength(17);
    const pool = seeded.pools.find(
      (candidate) =>
        candidate.date === beijingDay(2) &&
        candidate.session === 'AFTERNOON' &&
        candidate.kind === 'SPECIALIST' &&
        !['3201-H001', PARTICIPATING, OTHER, '3201-H006'].includes(candidate.organizationCode),
    )!;
    const models = modelsOf(stack);
    await models.referrals.SlotPool.create(pool);
    await models.referrals.ParticipatingHospital.create(seeded.participatingHospitals.find((hospital) => hospital._id === pool.organizationCode)!);
    const { department, date, session, kind, capacity } = pool;
    const [republished] = (await ok(hospitalSystem(pool.organizationCode), PUBLISH, { pools: [{ department, date, session, kind, capacity }] }))
      .publishSlotPools;
    expect(republished.poolId).toBe(pool._id);
    expect(await models.referrals.SlotPool.find({ organizationCode: pool.organizationCode }).lean()).toEqual([pool]);
    expect(pool.releaseAt.toISOString()).toBe(`${dayBefore(date)}T06:00:00.000Z`);
    expect(pool.reserved).toBe(Math.ceil(capacity * 0.3));
  });

  it('costs the same database round trips for 40 sessions as for one', async () => {
    const names = (commands: { commandName: string; databaseName: string }[]) =>
      commands.map((command) => `${command.databaseName.split('_')[1]}.${command.commandName}`).sort();
    const publish = (pools: unknown[]) => async () =>
      expect((await ok(hospitalSystem('3201-H006'), PUBLISH, { pools })).publishSlotPools).toHaveLength(pools.length);
    const many = Array.from({ length: 20 }, (_, day) => ['MORNING', 'AFTERNOON'].map((session) => entry(beijingDay(day + 1), { session }))).flat();
    expect(names(await stack.commandsDuring(publish(many)))).toEqual(names(await stack.commandsDuring(publish([entry(beijingDay(30))]))));
  });
});

describe('availableSlots', () => {
  const slotsOn = (from: string, to = from) =>
    `{ availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: "${from}", to: "${to}", kind: EXAM) { poolId capacity reserved reservedBooked publicBooked } }`;

  it('refuses a past date with the reason', async () => {
    const [yesterday, today] = [beijingDay(-1), beijingDay(0)];
    expect(await errorsOf(hospitalDoctor(), slotsOn(yesterday, today))).toEqual([
      { code: 'BAD_USER_INPUT', message: `from must not be before today (${today}, Beijing): past sessions cannot be booked` },
    ]);
  });

  it('shows the unused reserved places of a released pool as public, and only the booked ones as reserved', async () => {
    const date = beijingDay(5);
    const released = await insertSlotPool(stack, { date, kind: 'EXAM', session: 'MORNING', releaseAt: new Date(Date.now() - 3_600_000) });
    const waiting = await insertSlotPool(stack, { date, kind: 'EXAM', session: 'AFTERNOON', releaseAt: new Date(Date.now() + 3 * DAY) });
    await modelsOf(stack).referrals.Place.insertMany([
      { _id: `${released._id}:R:1`, poolId: released._id, share: 'RESERVED', referralId: 'booked-before-release', bookedBy: 'F1', bookedAt: new Date() },
    ]);
    const slots = (await ok(hospitalDoctor(), slotsOn(date))).availableSlots;
    expect(slots.filter((slot: { poolId: string }) => [released._id, waiting._id].includes(slot.poolId))).toEqual([
      { poolId: waiting._id, capacity: 10, reserved: 3, reservedBooked: 0, publicBooked: 0 },
      { poolId: released._id, capacity: 10, reserved: 1, reservedBooked: 1, publicBooked: 0 },
    ]);
  });
});
