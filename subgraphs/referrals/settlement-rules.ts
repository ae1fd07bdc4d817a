/**
 * The rules of one-stop settlement, pure: what a settlement and a refund must carry (integer
 * fen that add up), what a retry must repeat, how much of a settlement is left to refund, what
 * a settlement adds to the activity rollups, and how an institution's own day is reconciled
 * against the exchange's.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ActivityEntry } from '../../monitoring/activity-store';
import { residentIdRule, sourceRecordIdRule, textRule } from '../runtime/input-rules';
import { SETTLEMENT_CHANNELS, SETTLEMENT_SUBJECTS, type SettlementDoc } from './models';

/** The largest single settlement the platform takes: ten million yuan, in fen. */
export const MAX_SETTLEMENT_FEN = 1_000_000_000;
const MAX_ITEMS = 200;
/** The most lines of its own an institution may send to reconcile one day. */
export const MAX_RECONCILIATION_LINES = 5000;

const fen = () =>
  z.number().int('must be a whole number of fen').min(0, 'must not be negative').max(MAX_SETTLEMENT_FEN, `must be at most ${MAX_SETTLEMENT_FEN} fen`);

const item = z.object({
  name: textRule(100),
  quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000'),
  amountFen: fen(),
});

/** The insurance and self-paid parts must make up the total, and the items must add up to it. */
function addsUp(input: { items: { amountFen: number }[]; totalFen: number; insuranceFen: number; selfPaidFen: number }, context: z.RefinementCtx) {
  if (input.insuranceFen + input.selfPaidFen !== input.totalFen)
    context.addIssue({ code: 'custom', path: ['selfPaidFen'], message: `must make insuranceFen + selfPaidFen equal totalFen (${input.totalFen})` });
  const items = input.items.reduce((sum, line) => sum + line.amountFen, 0);
  if (items !== input.totalFen) context.addIssue({ code: 'custom', path: ['items'], message: `must add up to totalFen (${input.totalFen}), not ${items}` });
}

export const settleInput = z
  .object({
    settlementId: sourceRecordIdRule,
    residentId: residentIdRule,
    subject: z.enum(SETTLEMENT_SUBJECTS),
    subjectId: sourceRecordIdRule,
    items: z.array(item).min(1, 'must name at least one item').max(MAX_ITEMS, `must name at most ${MAX_ITEMS} items`),
    totalFen: fen().min(1, 'must be at least 1'),
    insuranceFen: fen(),
    selfPaidFen: fen(),
    channel: z.enum(SETTLEMENT_CHANNELS),
  })
  .superRefine(addsUp);
export type SettleInput = z.infer<typeof settleInput>;

/** A refund names the original by the institution's id; its amounts are given positive and stored negative. */
export const refundInput = z
  .object({
    settlementId: sourceRecordIdRule,
    originalSettlementId: sourceRecordIdRule,
    items: z.array(item).min(1, 'must name at least one item').max(MAX_ITEMS, `must name at most ${MAX_ITEMS} items`),
    totalFen: fen().min(1, 'must be at least 1'),
    insuranceFen: fen(),
    selfPaidFen: fen(),
  })
  .superRefine((input, context) => {
    addsUp(input, context);
    if (input.settlementId === input.originalSettlementId)
      context.addIssue({ code: 'custom', path: ['settlementId'], message: 'must differ from originalSettlementId' });
  });
export type RefundInput = z.infer<typeof refundInput>;

/** The one id of an institution's settlement: the same institution id is the same settlement. */
export const settlementKey = (organizationCode: string, institutionSettlementId: string) =>
  createHash('sha256').update(`settlement|${organizationCode}|${institutionSettlementId}`).digest('hex').slice(0, 24);

/** What a retry must repeat exactly: everything but the moment it arrived. */
export function requestHashOf(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/** What is left to refund of a settlement, given the refunds already claimed against it (amounts positive). */
export function refundable(original: Pick<SettlementDoc, 'totalFen' | 'insuranceFen' | 'selfPaidFen'>, refunded: readonly RefundedParts[]): RefundedParts {
  const sum = (part: keyof RefundedParts) => refunded.reduce((total, refund) => total + refund[part], 0);
  return {
    totalFen: original.totalFen - sum('totalFen'),
    insuranceFen: original.insuranceFen - sum('insuranceFen'),
    selfPaidFen: original.selfPaidFen - sum('selfPaidFen'),
  };
}
export interface RefundedParts {
  totalFen: number;
  insuranceFen: number;
  selfPaidFen: number;
}

/** Why a refund cannot be taken from what is left, or null when it fits (each part on its own). */
export function refundProblem(left: RefundedParts, refund: RefundedParts): string | null {
  const over = (['totalFen', 'insuranceFen', 'selfPaidFen'] as const).filter((part) => refund[part] > left[part]);
  if (over.length === 0) return null;
  return `The refund exceeds what is left of the original settlement: ${over.map((part) => `${part} ${refund[part]} > ${left[part]} left`).join(', ')}`;
}

/**
 * What a settlement (or refund) adds to its institution's day: one settlement or refund, and
 * its amounts (a refund's are negative, so the day's sums are net of refunds).
 */
export function settlementActivity(
  settlement: Pick<SettlementDoc, 'organizationCode' | 'settledAt' | 'totalFen' | 'insuranceFen' | 'selfPaidFen' | 'refundOf'>,
): ActivityEntry {
  return {
    organizationCode: settlement.organizationCode,
    at: settlement.settledAt,
    counts: {
      [settlement.refundOf ? 'settlementRefunds' : 'settlements']: 1,
      settlementTotalFen: settlement.totalFen,
      settlementInsuranceFen: settlement.insuranceFen,
      settlementSelfPaidFen: settlement.selfPaidFen,
    },
  };
}

/** One line of an institution's own ledger for a day: its settlement id and the signed total it booked. */
export interface LedgerLine {
  settlementId: string;
  totalFen: number;
}
export type MismatchKind = 'MISSING_AT_EXCHANGE' | 'MISSING_AT_INSTITUTION' | 'AMOUNT_DIFFERS';
export interface Mismatch {
  settlementId: string;
  kind: MismatchKind;
  exchangeTotalFen: number | null;
  institutionTotalFen: number | null;
}
export interface LedgerSide {
  count: number;
  totalFen: number;
}
export interface Reconciliation {
  exchange: LedgerSide;
  institution: LedgerSide;
  mismatches: Mismatch[];
  balanced: boolean;
}

/**
 * The exchange's day against the institution's own: counts and net sums on each side, and
 * every settlement id that is on one side only or booked with another amount, by id.
 */
export function reconcile(exchange: readonly LedgerLine[], institution: readonly LedgerLine[]): Reconciliation {
  const theirs = new Map(institution.map((line) => [line.settlementId, line.totalFen]));
  const ours = new Map(exchange.map((line) => [line.settlementId, line.totalFen]));
  const mismatches: Mismatch[] = [];
  for (const [settlementId, total] of ours) {
    const other = theirs.get(settlementId);
    if (other === undefined) mismatches.push({ settlementId, kind: 'MISSING_AT_INSTITUTION', exchangeTotalFen: total, institutionTotalFen: null });
    else if (other !== total) mismatches.push({ settlementId, kind: 'AMOUNT_DIFFERS', exchangeTotalFen: total, institutionTotalFen: other });
  }
  for (const [settlementId, total] of theirs)
    if (!ours.has(settlementId)) mismatches.push({ settlementId, kind: 'MISSING_AT_EXCHANGE', exchangeTotalFen: null, institutionTotalFen: total });
  mismatches.sort((a, b) => (a.settlementId < b.settlementId ? -1 : a.settlementId > b.settlementId ? 1 : 0));
  const side = (lines: readonly LedgerLine[]): LedgerSide => ({ count: lines.length, totalFen: lines.reduce((sum, line) => sum + line.totalFen, 0) });
  return { exchange: side(exchange), institution: side(institution), mismatches, balanced: mismatches.length === 0 };
}

/** An institution's own ledger for reconciliation: each settlement id once, signed totals in whole fen. */
export const ledgerInput = z
  .array(
    z.object({
      settlementId: sourceRecordIdRule,
      totalFen: z.number().int('must be a whole number of fen').min(-MAX_SETTLEMENT_FEN).max(MAX_SETTLEMENT_FEN),
    }),
  )
  .max(MAX_RECONCILIATION_LINES, `must have at most ${MAX_RECONCILIATION_LINES} lines`)
  .superRefine((lines, context) => {
    const seen = new Map<string, number>();
    lines.forEach((line, index) => {
      if (seen.has(line.settlementId))
        context.addIssue({ code: 'custom', path: [index, 'settlementId'], message: `repeats lines.${seen.get(line.settlementId)}` });
      seen.set(line.settlementId, index);
    });
  });
