/**
 * One-stop settlement: an institution settles a visit, an internet consultation, a
 * prescription or a check-up through the platform, once per settlement id of its own; refunds
 * it in part or whole, never beyond the original; lists its own day and reconciles it against
 * its own ledger. A resident sees their own settlements; the health commission the city's sums.
 */

import { allowsEntry, ENTRY_RULES } from '../../access-control/entry-points';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import type { CountActivity } from '../../monitoring/activity';
import { type ActivityRollupDoc, type ActivityStore, CITY, cityDay } from '../../monitoring/activity-store';
import { claim } from '../../platform/claims';
import { oneOf } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { dateOf, monthOf, parseInput } from '../runtime/input';
import type { ReferralsModels, RefundClaimDoc, SettlementDoc } from './models';
import { requireOrganization } from './repository-helpers';
import {
  ledgerInput,
  type Reconciliation,
  type RefundedParts,
  reconcile,
  refundable,
  refundInput,
  refundProblem,
  requestHashOf,
  settleInput,
  settlementActivity,
  settlementKey,
} from './settlement-rules';

/** How many times a refund tries for the next refund number while others of the same settlement take them. */
const REFUND_ATTEMPTS = 50;

export interface SettlementDayView {
  day: string;
  settlements: number;
  refunds: number;
  totalFen: number;
  insuranceFen: number;
  selfPaidFen: number;
}

export class Settlements {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    /** Counts settlements and refunds at their institution (monitoring rollups). */
    private readonly countActivity: CountActivity,
    /** Where the city's and institutions' settlement sums are read from. */
    private readonly activity: ActivityStore | null,
  ) {}

  /**
   * Settles for a resident the institution cares for, decided by the policy first. The
   * settlement's _id derives from the institution's own settlement id and is claimed: a retry
   * with the same amounts returns the settlement made, one with other amounts is a CONFLICT and
   * changes nothing. A settlement grants nobody standing.
   */
  async settle(rawInput: unknown): Promise<SettlementDoc> {
    const input = parseInput(settleInput, rawInput);
    const organizationCode = requireOrganization(this.access);
    const residentId = await this.access.requireWrite(input.residentId, 'settle');
    const { settlementId, ...details } = input;
    return this.settleDecided(organizationCode, settlementId, { ...details, residentId }, requestHashOf({ settle: input }));
  }

  /**
   * Makes a settlement the policy already allowed (an institution's `settle`, or a resident
   * paying for their own check-up booking): claimed by its id, counted once.
   */
  async settleDecided(
    organizationCode: string,
    institutionSettlementId: string,
    details: Pick<SettlementDoc, 'residentId' | 'subject' | 'subjectId' | 'items' | 'totalFen' | 'insuranceFen' | 'selfPaidFen' | 'channel'>,
    requestHash: string,
  ): Promise<SettlementDoc> {
    const now = new Date();
    const settlement: SettlementDoc = {
      _id: settlementKey(organizationCode, institutionSettlementId),
      organizationCode,
      institutionSettlementId,
      ...details,
      refundOf: null,
      settledAt: now,
      day: cityDay(now),
      requestHash,
    };
    if (!(await claim(this.models.Settlement, settlement))) return this.retried(settlement);
    await this.countActivity([settlementActivity(settlement)]);
    return settlement;
  }

  /**
   * Refunds part or all of one of the institution's settlements: a negative settlement naming
   * the original, through the original's channel. Refunds of one settlement take numbers one
   * at a time (claimed), each seeing every refund before it, so together they never exceed the
   * original in its total or either part, however many arrive at once.
   */
  async refund(rawInput: unknown): Promise<SettlementDoc> {
    const input = parseInput(refundInput, rawInput);
    const organizationCode = requireOrganization(this.access);
    const original = await this.models.Settlement.findById(settlementKey(organizationCode, input.originalSettlementId)).lean<SettlementDoc>().exec();
    if (!original) throw appError('NOT_FOUND', `No settlement ${input.originalSettlementId} of this institution`);
    if (original.refundOf) throw badUserInput(`${input.originalSettlementId} is a refund: refund the original settlement`);
    await this.access.requireWrite(original.residentId, 'settle');
    return this.refundDecided(original, input.settlementId, input, requestHashOf({ refund: input }));
  }

  /** What is left of a settlement, refunded whole under the given refund id (a cancelled check-up's): idempotent; null when there is no such settlement. */
  async refundWholeDecided(organizationCode: string, originalSettlementId: string, refundSettlementId: string): Promise<SettlementDoc | null> {
    const original = await this.models.Settlement.findById(settlementKey(organizationCode, originalSettlementId)).lean<SettlementDoc>().exec();
    if (!original) return null;
    const existing = await this.models.Settlement.findById(settlementKey(organizationCode, refundSettlementId)).lean<SettlementDoc>().exec();
    if (existing) return existing;
    const claims = await this.models.RefundClaim.find({ settlementId: original._id }).lean<RefundClaimDoc[]>().exec();
    const left = refundable(original, claims);
    if (left.totalFen === 0) return null;
    const items = original.items.map((item) => ({ ...item }));
    return this.refundDecided(original, refundSettlementId, { items, ...left }, requestHashOf({ refundWhole: originalSettlementId }));
  }

  private async refundDecided(
    original: SettlementDoc,
    institutionSettlementId: string,
    parts: RefundedParts & { items: SettlementDoc['items'] },
    requestHash: string,
  ): Promise<SettlementDoc> {
    const now = new Date();
    const refund: SettlementDoc = {
      ...original,
      _id: settlementKey(original.organizationCode, institutionSettlementId),
      institutionSettlementId,
      items: parts.items.map((item) => ({ ...item, amountFen: -item.amountFen })),
      totalFen: -parts.totalFen,
      insuranceFen: -parts.insuranceFen,
      selfPaidFen: -parts.selfPaidFen,
      refundOf: original.institutionSettlementId,
      settledAt: now,
      day: cityDay(now),
      requestHash,
    };
    const existing = await this.models.Settlement.findById(refund._id).lean<SettlementDoc>().exec();
    if (existing) return this.matching(existing, refund);
    const claimed = await this.claimRefund(original, refund._id, parts);
    if (!(await claim(this.models.Settlement, refund))) {
      // The same refund id arrived twice at once: the other one made it; give the number back.
      await this.models.RefundClaim.deleteOne({ _id: claimed, refundId: refund._id }).exec();
      return this.retried(refund);
    }
    await this.countActivity([settlementActivity(refund)]);
    return refund;
  }

  /** Takes the next refund number of the settlement for this refund's amounts; the claim's _id. */
  private async claimRefund(original: SettlementDoc, refundId: string, parts: RefundedParts): Promise<string> {
    for (let attempt = 0; attempt < REFUND_ATTEMPTS; attempt++) {
      const claims = await this.models.RefundClaim.find({ settlementId: original._id }).lean<RefundClaimDoc[]>().exec();
      const problem = refundProblem(refundable(original, claims), parts);
      if (problem) throw badUserInput(problem);
      const next = claims.reduce((highest, claimed) => Math.max(highest, Number(claimed._id.split('|')[1])), 0) + 1;
      const id = `${original._id}|${next}`;
      const taken = {
        _id: id,
        settlementId: original._id,
        refundId,
        totalFen: parts.totalFen,
        insuranceFen: parts.insuranceFen,
        selfPaidFen: parts.selfPaidFen,
      };
      if (await claim(this.models.RefundClaim, taken)) return id;
    }
    throw appError('CONFLICT', 'Too many refunds of this settlement at once: try again');
  }

  /** A settlement id already taken: the settlement made, when this is a retry of it; a CONFLICT otherwise. */
  private async retried(attempt: SettlementDoc): Promise<SettlementDoc> {
    const existing = await this.models.Settlement.findById(attempt._id).lean<SettlementDoc>().exec();
    if (!existing) throw appError('CONFLICT', `Settlement ${attempt.institutionSettlementId} is being made: try again`);
    return this.matching(existing, attempt);
  }

  private matching(existing: SettlementDoc, attempt: SettlementDoc): SettlementDoc {
    if (existing.requestHash !== attempt.requestHash || existing.residentId !== attempt.residentId)
      throw appError('CONFLICT', `Settlement id ${attempt.institutionSettlementId} was already used with other details: use a new settlement id`);
    return existing;
  }

  /** The calling resident's own settlements and refunds, latest first (at most 100), audited as a read. */
  async mySettlements(): Promise<SettlementDoc[]> {
    const { viewer } = this.access;
    requireEntry(viewer, 'list-own-settlements');
    const own = await this.access.survivorIdOf(viewer.residentId!);
    const { permitted, records } = await this.access.read('settlements', [own], (filedUnder) =>
      this.models.Settlement.find({ residentId: oneOf(filedUnder) })
        .sort({ settledAt: -1 })
        .limit(100)
        .lean<SettlementDoc[]>()
        .exec(),
    );
    if (!permitted.has(own)) throw forbidden(ENTRY_RULES['list-own-settlements'].refusal);
    return records;
  }

  /**
   * The settlements the caller's institution made on a day (the city's calendar), in the
   * order made. They show what the institution itself sent, and no resident.
   */
  async institutionSettlements(dayInput: string): Promise<SettlementDoc[]> {
    requireEntry(this.access.viewer, 'institution-settlements');
    const day = dateOf(dayInput, 'day');
    const rows = await this.models.Settlement.find({ organizationCode: this.access.viewer.organizationCode!, day }).lean<SettlementDoc[]>().exec();
    return rows.sort((a, b) => a.settledAt.getTime() - b.settledAt.getTime() || a.institutionSettlementId.localeCompare(b.institutionSettlementId));
  }

  /** The exchange's day for the caller's institution against the institution's own ledger: one query, nothing written. */
  async reconcile(dayInput: string, rawLines: unknown): Promise<Reconciliation & { day: string }> {
    requireEntry(this.access.viewer, 'institution-settlements');
    const day = dateOf(dayInput, 'day');
    const lines = parseInput(ledgerInput, rawLines);
    const rows = await this.models.Settlement.find({ organizationCode: this.access.viewer.organizationCode!, day }, { institutionSettlementId: 1, totalFen: 1 })
      .lean<Pick<SettlementDoc, 'institutionSettlementId' | 'totalFen'>[]>()
      .exec();
    return {
      day,
      ...reconcile(
        rows.map((row) => ({ settlementId: row.institutionSettlementId, totalFen: row.totalFen })),
        lines,
      ),
    };
  }

  /**
   * Settlement sums per day of a month from the activity rollups: the city's for the health
   * commission, the caller's own institution's otherwise. Aggregates only; one query.
   */
  async settlementDays(monthInput: string): Promise<SettlementDayView[]> {
    const { viewer } = this.access;
    const city = allowsEntry(viewer, 'cockpit-city');
    if (!city) requireEntry(viewer, 'institution-settlements');
    const month = monthOf(monthInput, 'month');
    const rows = this.activity ? await this.activity.daysOf([city ? CITY : viewer.organizationCode!], month) : [];
    return rows
      .filter((row) => row.day !== null && (row.settlements !== undefined || row.settlementRefunds !== undefined))
      .sort((a, b) => (a.day! < b.day! ? -1 : 1))
      .map(dayView);
  }
}

function dayView(row: ActivityRollupDoc): SettlementDayView {
  return {
    day: row.day!,
    settlements: row.settlements ?? 0,
    refunds: row.settlementRefunds ?? 0,
    totalFen: row.settlementTotalFen ?? 0,
    insuranceFen: row.settlementInsuranceFen ?? 0,
    selfPaidFen: row.settlementSelfPaidFen ?? 0,
  };
}
