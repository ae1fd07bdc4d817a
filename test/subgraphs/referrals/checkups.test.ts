/**
 * Health check-ups through the real gateway: a centre publishes packages with a daily
 * capacity; a resident books a day (places claimed: concurrent bookings of the last place give
 * exactly one), pays through one-stop settlement, and cancels before the day, refunded whole;
 * a centre's settlements, net of refunds, and its bookings show in its cockpit month row.
 */
import { insertHospitals, insertResidents, modelsOf, newId } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const CENTRE = '3201-H105';
const OTHER_CENTRE = '3201-H106';
const DAY = 86_400_000;

const centreSystem = (organizationCode = CENTRE) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const resident = (residentId: string) => stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
const doctor = () => stack.token({ subject: 'dr-c', roles: ['doctor'], organizationCode: CENTRE, practitionerId: 'D9' });

/** A Beijing calendar date `days` from today, computed here without the code under test. */
const beijingDay = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

const PUBLISH = `mutation($packages: [CheckupPackageInput!]!) { publishCheckupPackages(packages: $packages) { id code name priceFen dailyCapacity items { code name } } }`;
const PACKAGES = `query($code: ID!) { organization(code: $code) { checkupPackages { id code name priceFen dailyCapacity organization { code } } } }`;
const BOOKING = 'id status date priceFen settlementId refundSettlementId cancellationReason organization { code } package { code name }';
const BOOK = `mutation($input: BookCheckupInput!) { bookCheckup(input: $input) { ${BOOKING} } }`;
const PAY = `mutation($id: ID!, $channel: SettlementChannel!) { payCheckup(id: $id, channel: $channel) { ${BOOKING} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelCheckup(id: $id, reason: $reason) { ${BOOKING} } }`;
const AVAILABILITY = `query($id: ID!, $from: String!, $to: String!) { checkupAvailability(packageId: $id, from: $from, to: $to) { date capacity booked } }`;

const errorsOf = async (token: string, query: string, variables?: Record<string, unknown>) =>
  ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => ({ code: error.extensions?.code, message: error.message }));

const BASIC = {
  code: 'PKG-BASIC',
  name: '基础体检套餐',
  items: [{ code: '2345-7', name: '空腹血糖' }, { code: '2093-3', name: '总胆固醇' }, { name: '心电图' }],
  priceFen: 48000,
  dailyCapacity: 20,
};

let basicId: string;
let lastPlaceId: string;

beforeAll(async () => {
  await insertHospitals(stack);
  const published = (await ok(centreSystem(), PUBLISH, { packages: [BASIC, { ...BASIC, code: 'PKG-LAST', name: '单人套餐', dailyCapacity: 1 }] }))
    .publishCheckupPackages;
  basicId = published[0].id;
  lastPlaceId = published[1].id;
});

const bookingState = async () => ({
  bookings: await modelsOf(stack).referrals.CheckupBooking.find({}).sort({ _id: 1 }).lean(),
  places: await modelsOf(stack).referrals.CheckupPlace.find({}).sort({ _id: 1 }).lean(),
  settlements: await modelsOf(stack).referrals.Settlement.find({}).sort({ _id: 1 }).lean(),
});

describe('packages', () => {
  it('publishes a centre’s packages and lists them on the organization', async () => {
    expect((await ok(doctor(), PACKAGES, { code: CENTRE })).organization.checkupPackages).toEqual([
      { id: basicId, code: 'PKG-BASIC', name: '基础体检套餐', priceFen: 48000, dailyCapacity: 20, organization: { code: CENTRE } },
      { id: lastPlaceId, code: 'PKG-LAST', name: '单人套餐', priceFen: 48000, dailyCapacity: 1, organization: { code: CENTRE } },
    ]);
    expect((await ok(doctor(), PACKAGES, { code: OTHER_CENTRE })).organization.checkupPackages).toEqual([]);
  });

  it('refuses bad packages and other callers, changing nothing', async () => {
    const before = await modelsOf(stack).referrals.CheckupPackage.find({}).sort({ _id: 1 }).lean();
    expect(await errorsOf(centreSystem(), PUBLISH, { packages: [BASIC, { ...BASIC, priceFen: 0 }] })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Invalid input: 1.priceFen must be at least 1; 1.code repeats packages.0' },
    ]);
    expect(await codes(centreSystem(), PUBLISH, { packages: [{ ...BASIC, code: 'PKG-X', items: [{ code: 'not-loinc', name: '血糖' }] }] })).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await codes(doctor(), PUBLISH, { packages: [{ ...BASIC, code: 'PKG-DR' }] })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(newId()), PUBLISH, { packages: [{ ...BASIC, code: 'PKG-R' }] })).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).referrals.CheckupPackage.find({}).sort({ _id: 1 }).lean()).toEqual(before);
  });
});

describe('booking, paying and cancelling', () => {
  it('books a day, pays through one-stop settlement once, and cancels before the day with a whole refund', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: '3201-C001', count: 1 })) as [string];
    const date = beijingDay(5);
    const booked = (await ok(resident(residentId), BOOK, { input: { residentId, packageId: basicId, date } })).bookCheckup;
    expect(booked).toEqual({
      id: booked.id,
      status: 'BOOKED',
      date,
      priceFen: 48000,
      settlementId: null,
      refundSettlementId: null,
      cancellationReason: null,
      organization: { code: CENTRE },
      package: { code: 'PKG-BASIC', name: '基础体检套餐' },
    });
    expect((await ok(resident(residentId), AVAILABILITY, { id: basicId, from: date, to: date })).checkupAvailability).toEqual([
      { date, capacity: 20, booked: 1 },
    ]);

    const paid = (await ok(resident(residentId), PAY, { id: booked.id, channel: 'ALIPAY' })).payCheckup;
    expect(paid).toMatchObject({ status: 'PAID', settlementId: `CHECKUP-${booked.id}` });
    expect((await ok(resident(residentId), PAY, { id: booked.id, channel: 'ALIPAY' })).payCheckup).toEqual(paid);
    const SETTLED = `{ mySettlements { id subject subjectId items { name quantity amountFen } totalFen insuranceFen selfPaidFen channel refundOf organization { code } } }`;
    expect((await ok(resident(residentId), SETTLED)).mySettlements).toEqual([
      {
        id: `CHECKUP-${booked.id}`,
        subject: 'CHECKUP',
        subjectId: booked.id,
        items: [{ name: '基础体检套餐', quantity: 1, amountFen: 48000 }],
        totalFen: 48000,
        insuranceFen: 0,
        selfPaidFen: 48000,
        channel: 'ALIPAY',
        refundOf: null,
        organization: { code: CENTRE },
      },
    ]);
    // The booking gives the centre no standing: its doctors still cannot read the resident.
    expect(await codes(doctor(), `query($id: ID!) { resident(id: $id) { name } }`, { id: residentId })).toEqual(['FORBIDDEN']);

    const cancelled = (await ok(resident(residentId), CANCEL, { id: booked.id, reason: '行程有变' })).cancelCheckup;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: '行程有变', refundSettlementId: `CHECKUP-${booked.id}-REFUND` });
    expect((await ok(resident(residentId), `{ mySettlements { id totalFen refundOf } }`)).mySettlements).toEqual([
      { id: `CHECKUP-${booked.id}-REFUND`, totalFen: -48000, refundOf: `CHECKUP-${booked.id}` },
      { id: `CHECKUP-${booked.id}`, totalFen: 48000, refundOf: null },
    ]);
    expect((await ok(resident(residentId), AVAILABILITY, { id: basicId, from: date, to: date })).checkupAvailability).toEqual([
      { date, capacity: 20, booked: 0 },
    ]);
    const before = await bookingState();
    expect(await errorsOf(resident(residentId), CANCEL, { id: booked.id, reason: '再取消' })).toEqual([
      { code: 'CONFLICT', message: 'The booking is already cancelled' },
    ]);
    expect(await errorsOf(resident(residentId), PAY, { id: booked.id, channel: 'ALIPAY' })).toEqual([
      { code: 'CONFLICT', message: 'The booking is cancelled' },
    ]);
    expect(await bookingState()).toEqual(before);
    expect((await ok(resident(residentId), `{ myCheckups { id status } }`)).myCheckups).toEqual([{ id: booked.id, status: 'CANCELLED' }]);
    // The centre's days counted the booking and took it back on cancellation, and counted the payment and its refund.
    const days = await modelsOf(stack).activity.ActivityRollup.find({ organizationCode: CENTRE, period: 'day' }).lean();
    const sum = (counter: string) => days.reduce((total, day) => total + ((day as Record<string, any>)[counter] ?? 0), 0);
    expect(['checkupBookings', 'settlements', 'settlementRefunds', 'settlementTotalFen', 'settlementSelfPaidFen'].map(sum)).toEqual([0, 1, 1, 0, 0]);
    expect(days.some((day) => (day as Record<string, any>).checkupBookings !== undefined)).toBe(true);
  });

  it('refuses an unknown package, a day out of range and someone else’s booking, changing nothing', async () => {
    const [residentId, otherId] = (await insertResidents(stack, { organizationCode: '3201-C001', count: 2 })) as [string, string];
    const booked = (await ok(resident(residentId), BOOK, { input: { residentId, packageId: basicId, date: beijingDay(6) } })).bookCheckup;
    const before = await bookingState();
    expect(await errorsOf(resident(residentId), BOOK, { input: { residentId, packageId: newId(), date: beijingDay(6) } })).toEqual([
      { code: 'NOT_FOUND', message: 'No such check-up package: find one with Organization.checkupPackages' },
    ]);
    expect(await codes(resident(residentId), BOOK, { input: { residentId, packageId: basicId, date: beijingDay(0) } })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(resident(residentId), BOOK, { input: { residentId, packageId: basicId, date: beijingDay(61) } })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(resident(residentId), BOOK, { input: { residentId, packageId: basicId, date: '2027-02-30' } })).toEqual(['BAD_USER_INPUT']);
    expect(await errorsOf(resident(residentId), BOOK, { input: { residentId, packageId: basicId, date: beijingDay(6) } })).toEqual([
      { code: 'CONFLICT', message: 'The resident already has this package booked on this day' },
    ]);
    // Someone else: another resident, a centre's system, a doctor.
    expect(await codes(resident(otherId), BOOK, { input: { residentId, packageId: basicId, date: beijingDay(7) } })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(otherId), PAY, { id: booked.id, channel: 'WECHAT_PAY' })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(otherId), CANCEL, { id: booked.id, reason: '不是我的' })).toEqual(['FORBIDDEN']);
    expect(await codes(centreSystem(), PAY, { id: booked.id, channel: 'WECHAT_PAY' })).toEqual(['FORBIDDEN']);
    expect(await codes(doctor(), BOOK, { input: { residentId, packageId: basicId, date: beijingDay(7) } })).toEqual(['FORBIDDEN']);
    expect(await bookingState()).toEqual(before);
  });

  it('gives the last place of a day to exactly one of eight concurrent bookings', async () => {
    const residents = await insertResidents(stack, { organizationCode: '3201-C001', count: 8 });
    const date = beijingDay(9);
    const answers = await Promise.all(
      residents.map((residentId) => stack.query(resident(residentId), BOOK, { input: { residentId, packageId: lastPlaceId, date } })),
    );
    const outcomes = answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'OK');
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'CONFLICT')).toHaveLength(7);
    expect(answers.flatMap((answer) => answer.body.errors?.map((error) => error.message) ?? [])).toEqual(
      Array(7).fill(`The day is full: no place left for this package on ${date}`),
    );
    expect(await modelsOf(stack).referrals.CheckupPlace.countDocuments({ packageId: lastPlaceId, date })).toBe(1);
    expect(await modelsOf(stack).referrals.CheckupBooking.countDocuments({ packageId: lastPlaceId, date })).toBe(1);
  });
});

describe('the cockpit', () => {
  it('shows a centre’s settlement, its refund and a check-up booking in the centre’s month row, net of the refund', async () => {
    const centre = '3201-H107';
    const [residentId] = (await insertResidents(stack, { organizationCode: centre, count: 1 })) as [string];
    const months = new Set([beijingDay(0).slice(0, 7)]);
    const packageId = (await ok(centreSystem(centre), PUBLISH, { packages: [{ ...BASIC, code: 'PKG-COCKPIT' }] })).publishCheckupPackages[0].id;
    await ok(centreSystem(centre), `mutation($input: SettleInput!) { settle(input: $input) { id } }`, {
      input: {
        settlementId: 'H107-V-1',
        residentId,
        subject: 'VISIT',
        subjectId: 'visit-H107-V-1',
        items: [
          { name: '挂号费', quantity: 1, amountFen: 2000 },
          { name: '检查费', quantity: 1, amountFen: 10000 },
        ],
        totalFen: 12000,
        insuranceFen: 8400,
        selfPaidFen: 3600,
        channel: 'UNIONPAY',
      },
    });
    await ok(centreSystem(centre), `mutation($input: RefundInput!) { refundSettlement(input: $input) { id } }`, {
      input: {
        settlementId: 'H107-V-1-REFUND',
        originalSettlementId: 'H107-V-1',
        items: [{ name: '挂号费', quantity: 1, amountFen: 2000 }],
        totalFen: 2000,
        insuranceFen: 1400,
        selfPaidFen: 600,
      },
    });
    await ok(resident(residentId), BOOK, { input: { residentId, packageId, date: beijingDay(5) } });
    months.add(beijingDay(0).slice(0, 7));

    const ROW = 'period settlements settlementRefunds settlementTotalFen settlementInsuranceFen settlementSelfPaidFen checkupBookings';
    const commission = stack.token({ subject: 'hc-1', roles: ['health_commission'] });
    const rowsOf = async (token: string) => {
      const rows = [];
      for (const month of months) {
        rows.push(
          ...(
            await ok(token, `query($month: String!, $code: ID) { cockpitTrend(from: $month, to: $month, organizationCode: $code) { ${ROW} } }`, {
              month,
              code: centre,
            })
          ).cockpitTrend,
        );
      }
      return rows;
    };
    // Added up over the months the steps fell in (one, unless the test ran over a month's end in Beijing).
    const total = (rows: Record<string, number>[]) =>
      ['settlements', 'settlementRefunds', 'settlementTotalFen', 'settlementInsuranceFen', 'settlementSelfPaidFen', 'checkupBookings'].map((field) =>
        rows.reduce((sum, row) => sum + row[field]!, 0),
      );
    expect(total(await rowsOf(commission))).toEqual([1, 1, 10000, 7000, 3000, 1]);
    // The centre's own system reads its own row; another centre's and the resident are refused.
    expect(total(await rowsOf(centreSystem(centre)))).toEqual([1, 1, 10000, 7000, 3000, 1]);
    const month = [...months][0];
    const query = `query($month: String!, $code: ID) { cockpitTrend(from: $month, to: $month, organizationCode: $code) { settlements } }`;
    expect(await codes(centreSystem(CENTRE), query, { month, code: centre })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId), query, { month, code: centre })).toEqual(['FORBIDDEN']);
  });
});
