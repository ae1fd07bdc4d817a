/**
 * One-stop settlement through the real gateway: an institution settles for a resident it cares
 * for, once per settlement id of its own; refunds never exceed the original, however many
 * arrive at once; the institution reconciles its day; the resident sees their own settlements,
 * the institution its own, the health commission the city's sums only.
 */
import { insertResidents, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const HOSPITAL = '3201-H001';
const INTERNET_HOSPITAL = '3201-I001';
const OTHER_HOSPITAL = '3201-H002';

const hospitalSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const internetHospital = () => stack.token({ subject: 'ih-system', roles: ['internet_hospital'], organizationCode: INTERNET_HOSPITAL });
const resident = (residentId: string) => stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
const commission = () => stack.token({ subject: 'hc-1', roles: ['health_commission'] });
const doctor = () => stack.token({ subject: 'dr-1', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

const FIELDS = 'id organization { code } subject subjectId items { name quantity amountFen } totalFen insuranceFen selfPaidFen channel refundOf day';
const SETTLE = `mutation($input: SettleInput!) { settle(input: $input) { ${FIELDS} } }`;
const REFUND = `mutation($input: RefundInput!) { refundSettlement(input: $input) { ${FIELDS} } }`;
const MINE = `{ mySettlements { id totalFen refundOf } }`;
const OWN_DAY = `query($day: String!) { institutionSettlements(day: $day) { id totalFen refundOf } }`;
const RECONCILE = `query($day: String!, $lines: [LedgerLineInput!]!) { settlementReconciliation(day: $day, lines: $lines) {
  day exchange { count totalFen } institution { count totalFen } mismatches { settlementId kind exchangeTotalFen institutionTotalFen } balanced } }`;
const DAYS = `query($month: String!) { settlementDays(month: $month) { day settlements refunds totalFen insuranceFen selfPaidFen } }`;

const errorsOf = async (token: string, query: string, variables?: Record<string, unknown>) =>
  ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => ({ code: error.extensions?.code, message: error.message }));

/** The city's calendar days around now, computed here: the day a settlement counts on is one of them. */
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const consultation = (residentId: string, settlementId: string, overrides: Record<string, unknown> = {}) => ({
  settlementId,
  residentId,
  subject: 'INTERNET_CONSULTATION',
  subjectId: `consult-${settlementId}`,
  items: [
    { name: '图文问诊', quantity: 1, amountFen: 3000 },
    { name: '复诊续方', quantity: 1, amountFen: 2000 },
  ],
  totalFen: 5000,
  insuranceFen: 3500,
  selfPaidFen: 1500,
  channel: 'WECHAT_PAY',
  ...overrides,
});

const settlementsOf = (residentId: string) => modelsOf(stack).referrals.Settlement.find({ residentId }).sort({ _id: 1 }).lean();

let residentId: string;
let strangerId: string;

beforeAll(async () => {
  [residentId] = (await insertResidents(stack, { organizationCode: INTERNET_HOSPITAL, alsoSeenAt: [HOSPITAL], count: 1 })) as [string];
  [strangerId] = (await insertResidents(stack, { organizationCode: OTHER_HOSPITAL, count: 1 })) as [string];
});

describe('settling', () => {
  it('settles a consultation once per settlement id, counts it for the institution and the city, and shows it to the resident', async () => {
    const before = beijingToday();
    const made = (await ok(internetHospital(), SETTLE, { input: consultation(residentId, 'IH-2026-0001') })).settle;
    const after = beijingToday();
    expect([before, after]).toContain(made.day);
    const expected = {
      id: 'IH-2026-0001',
      organization: { code: INTERNET_HOSPITAL },
      subject: 'INTERNET_CONSULTATION',
      subjectId: 'consult-IH-2026-0001',
      items: [
        { name: '图文问诊', quantity: 1, amountFen: 3000 },
        { name: '复诊续方', quantity: 1, amountFen: 2000 },
      ],
      totalFen: 5000,
      insuranceFen: 3500,
      selfPaidFen: 1500,
      channel: 'WECHAT_PAY',
      refundOf: null,
      day: made.day,
    };
    expect(made).toEqual(expected);
    // A retry with the same details is the same settlement, counted once.
    expect((await ok(internetHospital(), SETTLE, { input: consultation(residentId, 'IH-2026-0001') })).settle).toEqual(expected);
    expect(await settlementsOf(residentId)).toHaveLength(1);

    expect((await ok(resident(residentId), MINE)).mySettlements).toEqual([{ id: 'IH-2026-0001', totalFen: 5000, refundOf: null }]);
    expect((await ok(internetHospital(), OWN_DAY, { day: made.day })).institutionSettlements).toEqual([{ id: 'IH-2026-0001', totalFen: 5000, refundOf: null }]);
    const figures = { day: made.day, settlements: 1, refunds: 0, totalFen: 5000, insuranceFen: 3500, selfPaidFen: 1500 };
    expect((await ok(internetHospital(), DAYS, { month: made.day.slice(0, 7) })).settlementDays).toEqual([figures]);
    expect((await ok(commission(), DAYS, { month: made.day.slice(0, 7) })).settlementDays).toEqual([figures]);
    // The write was decided and audited under settlements.
    const audited = await modelsOf(stack).access.AuditEvent.find({ residentId, action: 'write', dataKinds: 'settlements' }).lean();
    expect(audited.map(({ organizationCode, outcome }) => ({ organizationCode, outcome }))).toEqual([
      { organizationCode: INTERNET_HOSPITAL, outcome: 'allowed' },
      { organizationCode: INTERNET_HOSPITAL, outcome: 'allowed' },
    ]);
  });

  it('refuses a settlement id reused with other amounts, and bad amounts, changing nothing', async () => {
    await ok(hospitalSystem(), SETTLE, { input: consultation(residentId, 'H-0001', { subject: 'VISIT', channel: 'ALIPAY' }) });
    const before = await settlementsOf(residentId);
    expect(
      await errorsOf(hospitalSystem(), SETTLE, {
        input: consultation(residentId, 'H-0001', { subject: 'VISIT', channel: 'ALIPAY', insuranceFen: 3000, selfPaidFen: 2000 }),
      }),
    ).toEqual([{ code: 'CONFLICT', message: 'Settlement id H-0001 was already used with other details: use a new settlement id' }]);
    expect(await errorsOf(hospitalSystem(), SETTLE, { input: consultation(residentId, 'H-0002', { selfPaidFen: 1400 }) })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Invalid input: selfPaidFen must make insuranceFen + selfPaidFen equal totalFen (5000)' },
    ]);
    expect(await codes(hospitalSystem(), SETTLE, { input: consultation(residentId, 'H-0003', { totalFen: 6000, selfPaidFen: 2500 }) })).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      await codes(hospitalSystem(), SETTLE, { input: consultation(residentId, 'H-0004', { items: [{ name: '挂号', quantity: 1, amountFen: 4999.5 }] }) }),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await codes(hospitalSystem(), SETTLE, { input: consultation(residentId, 'H 0005') })).toEqual(['BAD_USER_INPUT']);
    expect(await settlementsOf(residentId)).toEqual(before);
  });

  it('denies settling for a resident the institution does not care for, and to roles that do not settle', async () => {
    const before = await modelsOf(stack).referrals.Settlement.countDocuments({});
    expect(await errorsOf(internetHospital(), SETTLE, { input: consultation(strangerId, 'IH-DENIED-1') })).toEqual([
      { code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
    ]);
    expect(await codes(doctor(), SETTLE, { input: consultation(residentId, 'DR-1') })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId), SETTLE, { input: consultation(residentId, 'SELF-1') })).toEqual(['FORBIDDEN']);
    expect(await codes(commission(), SETTLE, { input: consultation(residentId, 'HC-1') })).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).referrals.Settlement.countDocuments({})).toBe(before);
    // Who sees what: the resident their own only, an institution its own only, nobody else anything.
    expect((await ok(resident(strangerId), MINE)).mySettlements).toEqual([]);
    expect(await codes(doctor(), MINE)).toEqual(['FORBIDDEN']);
    expect((await ok(hospitalSystem(OTHER_HOSPITAL), OWN_DAY, { day: beijingToday() })).institutionSettlements).toEqual([]);
    expect(await codes(commission(), OWN_DAY, { day: beijingToday() })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId), OWN_DAY, { day: beijingToday() })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId), DAYS, { month: beijingToday().slice(0, 7) })).toEqual(['FORBIDDEN']);
    expect(await codes(doctor(), RECONCILE, { day: beijingToday(), lines: [] })).toEqual(['FORBIDDEN']);
  });
});

describe('refunds', () => {
  it('refunds part of a settlement, refuses more than is left and a refund of a refund, changing nothing', async () => {
    await ok(internetHospital(), SETTLE, { input: consultation(residentId, 'IH-R-1') });
    const part = {
      settlementId: 'IH-R-1-REFUND-1',
      originalSettlementId: 'IH-R-1',
      items: [{ name: '复诊续方', quantity: 1, amountFen: 2000 }],
      totalFen: 2000,
      insuranceFen: 1400,
      selfPaidFen: 600,
    };
    const refunded = (await ok(internetHospital(), REFUND, { input: part })).refundSettlement;
    expect(refunded).toMatchObject({
      id: 'IH-R-1-REFUND-1',
      subject: 'INTERNET_CONSULTATION',
      items: [{ name: '复诊续方', quantity: 1, amountFen: -2000 }],
      totalFen: -2000,
      insuranceFen: -1400,
      selfPaidFen: -600,
      channel: 'WECHAT_PAY',
      refundOf: 'IH-R-1',
    });
    expect((await ok(internetHospital(), REFUND, { input: part })).refundSettlement).toEqual(refunded);
    const before = await settlementsOf(residentId);
    const tooMuch = {
      ...part,
      settlementId: 'IH-R-1-REFUND-2',
      items: [{ name: '图文问诊', quantity: 1, amountFen: 3500 }],
      totalFen: 3500,
      insuranceFen: 2100,
      selfPaidFen: 1400,
    };
    expect(await errorsOf(internetHospital(), REFUND, { input: tooMuch })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'The refund exceeds what is left of the original settlement: totalFen 3500 > 3000 left, selfPaidFen 1400 > 900 left' },
    ]);
    expect(
      await errorsOf(internetHospital(), REFUND, { input: { ...part, settlementId: 'IH-R-1-REFUND-3', originalSettlementId: 'IH-R-1-REFUND-1' } }),
    ).toEqual([{ code: 'BAD_USER_INPUT', message: 'IH-R-1-REFUND-1 is a refund: refund the original settlement' }]);
    expect(await errorsOf(internetHospital(), REFUND, { input: { ...part, settlementId: 'IH-R-1-REFUND-4', originalSettlementId: 'NO-SUCH' } })).toEqual([
      { code: 'NOT_FOUND', message: 'No settlement NO-SUCH of this institution' },
    ]);
    // Another institution cannot refund it: it has no such settlement of its own.
    expect(await codes(hospitalSystem(), REFUND, { input: { ...part, settlementId: 'H-R-1' } })).toEqual(['NOT_FOUND']);
    expect(await settlementsOf(residentId)).toEqual(before);
  });

  it('gives exactly three of ten concurrent refunds of 300 fen against a 1000-fen settlement', async () => {
    const original = { items: [{ name: '药品', quantity: 1, amountFen: 1000 }], totalFen: 1000, insuranceFen: 0, selfPaidFen: 1000, subject: 'PRESCRIPTION' };
    await ok(internetHospital(), SETTLE, { input: consultation(residentId, 'IH-C-1', original) });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        stack.query(internetHospital(), REFUND, {
          input: {
            settlementId: `IH-C-1-R${index}`,
            originalSettlementId: 'IH-C-1',
            items: [{ name: '药品', quantity: 1, amountFen: 300 }],
            totalFen: 300,
            insuranceFen: 0,
            selfPaidFen: 300,
          },
        }),
      ),
    );
    const outcomes = answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'OK');
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 'BAD_USER_INPUT')).toHaveLength(7);
    const refunds = await modelsOf(stack).referrals.Settlement.find({ refundOf: 'IH-C-1' }).lean();
    expect(refunds.map((refund) => refund.totalFen)).toEqual([-300, -300, -300]);
  });
});

describe('reconciliation and figures', () => {
  it('reconciles an institution’s day against its own ledger, listing every mismatch, writing nothing', async () => {
    const day = (await ok(hospitalSystem(OTHER_HOSPITAL), SETTLE, { input: consultation(strangerId, 'H2-1', { subject: 'VISIT' }) })).settle.day;
    await ok(hospitalSystem(OTHER_HOSPITAL), SETTLE, { input: consultation(strangerId, 'H2-2', { subject: 'VISIT' }) });
    await ok(hospitalSystem(OTHER_HOSPITAL), SETTLE, { input: consultation(strangerId, 'H2-3', { subject: 'VISIT' }) });
    const before = await modelsOf(stack).referrals.Settlement.countDocuments({});
    const lines = [
      { settlementId: 'H2-1', totalFen: 5000 },
      { settlementId: 'H2-2', totalFen: 4500 },
      { settlementId: 'H2-9', totalFen: 800 },
    ];
    expect((await ok(hospitalSystem(OTHER_HOSPITAL), RECONCILE, { day, lines })).settlementReconciliation).toEqual({
      day,
      exchange: { count: 3, totalFen: 15000 },
      institution: { count: 3, totalFen: 10300 },
      mismatches: [
        { settlementId: 'H2-2', kind: 'AMOUNT_DIFFERS', exchangeTotalFen: 5000, institutionTotalFen: 4500 },
        { settlementId: 'H2-3', kind: 'MISSING_AT_INSTITUTION', exchangeTotalFen: 5000, institutionTotalFen: null },
        { settlementId: 'H2-9', kind: 'MISSING_AT_EXCHANGE', exchangeTotalFen: null, institutionTotalFen: 800 },
      ],
      balanced: false,
    });
    const balanced = [1, 2, 3].map((n) => ({ settlementId: `H2-${n}`, totalFen: 5000 }));
    expect((await ok(hospitalSystem(OTHER_HOSPITAL), RECONCILE, { day, lines: balanced })).settlementReconciliation).toMatchObject({
      mismatches: [],
      balanced: true,
    });
    expect(await errorsOf(hospitalSystem(OTHER_HOSPITAL), RECONCILE, { day, lines: [...balanced, { settlementId: 'H2-1', totalFen: 1 }] })).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Invalid input: 3.settlementId repeats lines.0' },
    ]);
    expect(await codes(hospitalSystem(OTHER_HOSPITAL), RECONCILE, { day: '2026-02-30', lines: balanced })).toEqual(['BAD_USER_INPUT']);
    expect(await modelsOf(stack).referrals.Settlement.countDocuments({})).toBe(before);
  });

  it('brings the city’s settlement sums, net of refunds, to the health commission', async () => {
    // Every month a settlement of this file counted in (one, unless the file ran over a month's end).
    const months = [...new Set((await modelsOf(stack).referrals.Settlement.find({}, { day: 1 }).lean()).map((row) => row.day.slice(0, 7)))];
    const days = (await Promise.all(months.map(async (month) => (await ok(commission(), DAYS, { month })).settlementDays))).flat();
    // Settled in this file: IH-2026-0001, H-0001, IH-R-1 (5000 each), IH-C-1 (1000), H2-1..3 (5000 each); refunded 2000 and 3 × 300.
    const summed = days.reduce(
      (total: Record<string, number>, day: Record<string, number>) => ({
        settlements: total.settlements! + day.settlements!,
        refunds: total.refunds! + day.refunds!,
        totalFen: total.totalFen! + day.totalFen!,
        insuranceFen: total.insuranceFen! + day.insuranceFen!,
        selfPaidFen: total.selfPaidFen! + day.selfPaidFen!,
      }),
      { settlements: 0, refunds: 0, totalFen: 0, insuranceFen: 0, selfPaidFen: 0 },
    );
    expect(summed).toEqual({ settlements: 7, refunds: 4, totalFen: 28100, insuranceFen: 19600, selfPaidFen: 8500 });
  });
});
