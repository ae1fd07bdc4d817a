import fc from 'fast-check';
import { type LedgerLine, reconcile, refundable, refundProblem, settlementActivity } from './settlement-rules';

const at = new Date('2026-03-01T17:30:00Z');

it('counts a settlement and a refund at their institution, the refund’s amounts negative', () => {
  const settled = { organizationCode: '3201-I001', settledAt: at, totalFen: 5000, insuranceFen: 3500, selfPaidFen: 1500, refundOf: null };
  expect(settlementActivity(settled)).toEqual({
    organizationCode: '3201-I001',
    at,
    counts: { settlements: 1, settlementTotalFen: 5000, settlementInsuranceFen: 3500, settlementSelfPaidFen: 1500 },
  });
  expect(settlementActivity({ ...settled, totalFen: -2000, insuranceFen: -1400, selfPaidFen: -600, refundOf: 'IH-1' }).counts).toEqual({
    settlementRefunds: 1,
    settlementTotalFen: -2000,
    settlementInsuranceFen: -1400,
    settlementSelfPaidFen: -600,
  });
});

it('refuses a refund beyond what is left, naming each part that exceeds it', () => {
  const original = { totalFen: 5000, insuranceFen: 3500, selfPaidFen: 1500 };
  const left = refundable(original, [{ totalFen: 2000, insuranceFen: 1400, selfPaidFen: 600 }]);
  expect(left).toEqual({ totalFen: 3000, insuranceFen: 2100, selfPaidFen: 900 });
  expect(refundProblem(left, { totalFen: 3000, insuranceFen: 2100, selfPaidFen: 900 })).toBeNull();
  expect(refundProblem(left, { totalFen: 1000, insuranceFen: 0, selfPaidFen: 1000 })).toBe(
    'The refund exceeds what is left of the original settlement: selfPaidFen 1000 > 900 left',
  );
});

it('never lets accepted refunds exceed the original, in total or either part, whatever the order of requests', () => {
  const parts = fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 })).map(([insuranceFen, selfPaidFen]) => ({
    totalFen: insuranceFen + selfPaidFen,
    insuranceFen,
    selfPaidFen,
  }));
  fc.assert(
    fc.property(parts, fc.array(parts, { maxLength: 30 }), (original, requests) => {
      const accepted: { totalFen: number; insuranceFen: number; selfPaidFen: number }[] = [];
      for (const request of requests) if (refundProblem(refundable(original, accepted), request) === null) accepted.push(request);
      const left = refundable(original, accepted);
      expect(left.totalFen).toBeGreaterThanOrEqual(0);
      expect(left.insuranceFen).toBeGreaterThanOrEqual(0);
      expect(left.selfPaidFen).toBeGreaterThanOrEqual(0);
    }),
  );
});

it('lists every mismatch of a day by id', () => {
  const exchange = [
    { settlementId: 'A', totalFen: 100 },
    { settlementId: 'B', totalFen: 200 },
    { settlementId: 'C', totalFen: -50 },
  ];
  expect(
    reconcile(exchange, [
      { settlementId: 'C', totalFen: -50 },
      { settlementId: 'B', totalFen: 250 },
      { settlementId: 'D', totalFen: 10 },
    ]),
  ).toEqual({
    exchange: { count: 3, totalFen: 250 },
    institution: { count: 3, totalFen: 210 },
    mismatches: [
      { settlementId: 'A', kind: 'MISSING_AT_INSTITUTION', exchangeTotalFen: 100, institutionTotalFen: null },
      { settlementId: 'B', kind: 'AMOUNT_DIFFERS', exchangeTotalFen: 200, institutionTotalFen: 250 },
      { settlementId: 'D', kind: 'MISSING_AT_EXCHANGE', exchangeTotalFen: null, institutionTotalFen: 10 },
    ],
    balanced: false,
  });
});

it('balances two ledgers exactly when they hold the same ids with the same totals, in any order', () => {
  const ledger = fc.uniqueArray(fc.record({ settlementId: fc.stringMatching(/^[A-Z0-9]{1,6}$/), totalFen: fc.integer({ min: -1000, max: 1000 }) }), {
    selector: (line) => line.settlementId,
    maxLength: 20,
  });
  const same = (a: readonly LedgerLine[], b: readonly LedgerLine[]) => {
    const byId = new Map(a.map((line) => [line.settlementId, line.totalFen]));
    return a.length === b.length && b.every((line) => byId.get(line.settlementId) === line.totalFen);
  };
  fc.assert(
    fc.property(ledger, ledger, (exchange, institution) => {
      const result = reconcile(exchange, institution);
      expect(result.balanced).toBe(same(exchange, institution));
      expect(reconcile(exchange, [...exchange].reverse()).balanced).toBe(true);
      // Each mismatch names an id of one side or the other, once.
      const ids = result.mismatches.map((mismatch) => mismatch.settlementId);
      expect(new Set(ids).size).toBe(ids.length);
    }),
  );
});
