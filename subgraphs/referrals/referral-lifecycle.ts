/**
 * The two-way referral's state machine: sent (idempotent with a client request id), booked
 * into a slot, accepted, rejected, arrived, completed or cancelled. Every change is a claimed
 * transition (`<id>:<version>`); the receiver's care relationship follows the referral.
 */

import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { acceptedReferralEnd, type WriteKind } from '../../access-control/policy';
import type { ResidentAccess } from '../../access-control/resident-access';
import { unionOf } from '../../access-control/sensitivity';
import { actorOf } from '../../access-control/viewer';
import { type CountActivity, type RecordActivity, realtimeEntry } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE, clientRequestIdOf, recordIdOf } from '../runtime/ids';
import { parseInput } from '../runtime/input';
import type { Contracts } from './contracts';
import type { ReferralDoc, ReferralStatus, ReferralsModels, SlotPoolDoc } from './models';
import { canMove, DEPARTMENTS, effectiveStatus, expiresAtOf, hexIdOf, referralSensitivities, withinHorizon } from './referral-rules';
import { DAY_MS, requireOrganization } from './repository-helpers';
import { holdKey, type SlotPools } from './slot-pools';

const ICD10 = /^[A-Z]\d{2}(\.\d{1,4})?$/;
const hexIds = z.array(z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters')).max(20);

const referralInput = z
  .object({
    residentId: z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters'),
    direction: z.enum(['UP', 'DOWN']),
    toOrganizationCode: z.string().regex(/^3201-[A-Z]\d{2,4}$/, 'must be an organization code such as 3201-H001'),
    toDepartment: z.enum(DEPARTMENTS, { message: 'is not a department that takes referrals' }),
    reason: z.string().trim().min(2).max(500),
    diagnoses: z.array(z.object({ code: z.string().regex(ICD10, 'must be an ICD-10 code'), display: z.string().min(1).max(100) })).max(10),
    urgency: z.enum(['ROUTINE', 'URGENT']).nullish(),
    attachedEncounterIds: hexIds.nullish(),
    attachedLabReportIds: hexIds.nullish(),
    dischargeSummary: z.string().trim().min(10).max(4000).nullish(),
    followUpPlan: z.string().trim().max(2000).nullish(),
    clientRequestId: z.string().regex(CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE).nullish(),
  })
  .refine((input) => input.direction === 'UP' || input.dischargeSummary, {
    message: 'a downward referral needs the discharge summary',
    path: ['dischargeSummary'],
  });

export class ReferralLifecycle {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    private readonly contracts: Contracts,
    private readonly slotPools: SlotPools,
    private readonly horizonDays: number,
    /** A completed referral keeps the receiver's care relationship this long (follow-up questions, results). */
    private readonly referralWindowDays: number,
    /** Counts referrals sent at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity,
  ) {}

  /**
   * Sends a referral. With a client request id, a retry (same id, same content, same
   * sending organization) returns the same referral and concurrent retries create one; the
   * same id with other content is a CONFLICT.
   */
  async request(rawInput: unknown): Promise<ReferralDoc> {
    const input = parseInput(referralInput, rawInput);
    const organizationCode = requireOrganization(this.access);
    if (input.toOrganizationCode === organizationCode) throw badUserInput('A referral goes to another organization');
    // The sender must itself have standing; it keeps its own, and the referral gives it none.
    const residentId = await this.access.requireWrite(input.residentId, 'refer');
    await this.refuseForeignAttachments(residentId, input.attachedEncounterIds ?? [], input.attachedLabReportIds ?? []);
    const clientRequestId = input.clientRequestId ?? null;
    const requestedAt = new Date();
    const referral: ReferralDoc = {
      _id: hexIdOf(clientRequestId ? `referral|${organizationCode}|${clientRequestId}` : `referral|${randomUUID()}`),
      residentId,
      direction: input.direction,
      fromOrganizationCode: organizationCode,
      fromPractitioner: this.access.viewer.practitionerId ?? null,
      toOrganizationCode: input.toOrganizationCode,
      toDepartment: input.toDepartment,
      reason: input.reason,
      diagnoses: input.diagnoses.map((diagnosis) => ({ system: 'ICD-10', code: diagnosis.code, display: diagnosis.display })),
      urgency: input.urgency ?? 'ROUTINE',
      attachedEncounterIds: input.attachedEncounterIds ?? [],
      attachedLabReportIds: input.attachedLabReportIds ?? [],
      slot: null,
      status: 'REQUESTED',
      version: 1,
      requestedAt,
      expiresAt: expiresAtOf(requestedAt),
      rejectionReason: null,
      dischargeSummary: input.dischargeSummary ?? null,
      followUpPlan: input.followUpPlan ?? null,
      clientRequestId,
      requestHash: null,
    };
    referral.sensitivities = referralSensitivities(referral);
    if (clientRequestId) referral.requestHash = requestHashOf({ ...referral, residentId: input.residentId });
    if (!(await claim(this.models.Referral, referral))) {
      const existing = (await this.models.Referral.findById(referral._id).lean<ReferralDoc>().exec())!;
      if (existing.requestHash !== referral.requestHash) throw appError('CONFLICT', 'This clientRequestId was used for a different referral');
      // A retry of a request that failed half way finishes it, as long as nobody has acted on the referral since.
      if (existing.version === 1) await this.announce(existing);
      return existing;
    }
    await this.announce(referral);
    // Only the request that created it counts it: a retry returned the existing one above.
    await this.countActivity([realtimeEntry(organizationCode, requestedAt, activityOfReferral(referral))]);
    return referral;
  }

  /** Attachments must be records of the referred resident: an unknown id or another resident's is refused, alike. */
  private async refuseForeignAttachments(residentId: string, encounterIds: readonly string[], labReportIds: readonly string[]): Promise<void> {
    const [encounters, reports] = await Promise.all([
      this.access.foreignRecords('encounter', encounterIds, residentId),
      this.access.foreignRecords('lab-report', labReportIds, residentId),
    ]);
    const problems = [...encounters.map((id) => `attachedEncounterIds: ${id}`), ...reports.map((id) => `attachedLabReportIds: ${id}`)];
    if (problems.length > 0) throw badUserInput(`Not a record of this resident: ${problems.join('; ')}`);
  }

  /** A new referral's first transition, and the receiver's view of it until it accepts, rejects or it expires; each safe to repeat. */
  private async announce(referral: ReferralDoc): Promise<void> {
    await claim(this.models.Transition, {
      _id: `${referral._id}:1`,
      referralId: referral._id,
      from: null,
      to: 'REQUESTED',
      by: actorOf(this.access.viewer),
      organizationCode: referral.fromOrganizationCode,
      at: referral.requestedAt,
    });
    const standing = this.access.writeBasisOf(referral.residentId);
    await this.access.recordCareRelationship({
      ...referralSource(referral, 'REFERRAL_OFFER'),
      at: referral.requestedAt,
      endsAt: referral.expiresAt,
      root: {
        kind: 'REFERRAL',
        organizationCode: referral.fromOrganizationCode,
        basis: `referral ${referral._id}${standing ? ` sent under ${standing.toLowerCase()}` : ''}`,
      },
    });
    await this.access.permitted([referral.residentId], 'referrals');
  }

  /** Acceptance is where the receiver's care relationship arises: for the referral's life, then the window. */
  async accept(id: string): Promise<ReferralDoc> {
    const referral = await this.asReceiver(id);
    // An accepted referral's place is held for good, unless its hold lapsed and the place was freed first.
    const kept = referral.slot !== null && (await this.slotPools.settleHold(referral.slot.placeId, referral._id, 'KEPT'));
    const accepted = await this.move(referral, kept ? 'SCHEDULED' : 'ACCEPTED', kept ? {} : { slot: null }).catch(async (error: unknown) => {
      if (kept) await this.models.HoldSettlement.deleteOne({ _id: holdKey(referral.slot!.placeId, referral._id) }).exec();
      throw error;
    });
    if (kept) await this.models.Place.updateOne({ _id: referral.slot!.placeId, referralId: referral._id }, { $set: { holdUntil: null } }).exec();
    const now = new Date();
    await this.access.endCareRelationships([referralSource(referral, 'REFERRAL_OFFER')], now);
    // Never completed, it still ends: the open window after its session (or acceptance).
    const session = accepted.slot ? new Date(`${accepted.slot.date}T00:00:00Z`) : null;
    await this.access.recordCareRelationship({
      ...referralSource(referral, 'REFERRAL'),
      at: now,
      endsAt: acceptedReferralEnd(now, session, this.access.settings),
      root: { kind: 'REFERRAL', organizationCode: referral.fromOrganizationCode, basis: `referral ${referral._id} accepted` },
    });
    return accepted;
  }

  async reject(id: string, reason: string): Promise<ReferralDoc> {
    if (reason.trim().length < 4) throw badUserInput('A rejection needs a reason (at least 4 characters)');
    const referral = await this.asReceiver(id);
    const rejected = await this.move(referral, 'REJECTED', { rejectionReason: reason.trim(), slot: null });
    await this.release(referral);
    await this.endRelationships(referral, new Date());
    return rejected;
  }

  async markArrived(id: string): Promise<ReferralDoc> {
    return this.move(await this.asReceiver(id), 'ARRIVED', {});
  }

  async complete(id: string): Promise<ReferralDoc> {
    const referral = await this.asReceiver(id);
    const completed = await this.move(referral, 'COMPLETED', {});
    await this.endRelationships(referral, new Date(Date.now() + this.referralWindowDays * DAY_MS));
    return completed;
  }

  async cancel(id: string, reason: string): Promise<ReferralDoc> {
    if (reason.trim().length < 4) throw badUserInput('A cancellation needs a reason (at least 4 characters)');
    const referral = await this.load(id, () => 'refer');
    if (this.access.viewer.organizationCode !== referral.fromOrganizationCode) throw forbidden('Only the referring organization cancels');
    const cancelled = await this.move(referral, 'CANCELLED', { slot: null });
    await this.release(referral);
    await this.endRelationships(referral, new Date());
    return cancelled;
  }

  /** The receiver's relationships from this referral end with it (a completed one after the window); the sender's own standing is untouched. */
  private async endRelationships(referral: ReferralDoc, endsAt: Date): Promise<void> {
    await this.access.endCareRelationships([referralSource(referral, 'REFERRAL_OFFER'), referralSource(referral, 'REFERRAL')], endsAt);
  }

  /** A cancelled or rejected referral's place goes back to the share it came from (an unaccepted one's, unless its lapsed hold was freed first). */
  private async release(referral: ReferralDoc): Promise<void> {
    if (referral.slot && referral.status === 'REQUESTED') await this.slotPools.settleHold(referral.slot.placeId, referral._id, 'FREED');
    else if (referral.slot) await this.models.Place.deleteOne({ _id: referral.slot.placeId, referralId: referral._id }).exec();
    await this.models.BookingRequest.deleteOne({ _id: referral._id }).exec();
  }

  /**
   * Books one place for a referral. The resident's contracted family doctor takes the
   * reserved share first (until the release time), everyone else the public share; a retry
   * with the same request id returns the same booking; a full pool is a clean CONFLICT.
   */
  async bookSlot(referralIdInput: string, poolId: string, clientRequestId: string): Promise<ReferralDoc> {
    clientRequestIdOf(clientRequestId);
    if (!/^[0-9a-f]{24}$/.test(poolId)) throw badUserInput('poolId must be 24 lowercase hex characters');
    const { viewer } = this.access;
    const referral = await this.load(referralIdInput, (found) => (viewer.organizationCode === found.toOrganizationCode ? 'receive-referral' : 'refer'));
    if (viewer.organizationCode !== referral.fromOrganizationCode && viewer.organizationCode !== referral.toOrganizationCode)
      throw forbidden('Only the referring or receiving organization books');
    const pool = await this.models.SlotPool.findById(poolId).lean<SlotPoolDoc>().exec();
    if (!pool || pool.organizationCode !== referral.toOrganizationCode || pool.department !== referral.toDepartment)
      throw badUserInput('The slot pool is not at the receiving organization’s department');
    const now = new Date();
    if (!withinHorizon(pool.date, now, this.horizonDays)) throw badUserInput(`The session is in the past or more than ${this.horizonDays} days ahead`);

    // One booking per referral; the request id makes a retry return it.
    if (!(await claim(this.models.BookingRequest, { _id: referral._id, clientRequestId, poolId }))) {
      const existing = (await this.models.BookingRequest.findById(referral._id).lean().exec())!;
      if (existing.clientRequestId === clientRequestId && existing.poolId === poolId && referral.slot) return referral;
      throw appError('CONFLICT', 'The referral already has a booking');
    }
    const from = effectiveStatus(referral);
    if (!['REQUESTED', 'ACCEPTED'].includes(from)) {
      await this.models.BookingRequest.deleteOne({ _id: referral._id }).exec();
      throw appError('CONFLICT', `A ${from.toLowerCase()} referral cannot be booked`);
    }
    const reservedAllowed = await this.contracts.isContractedFamilyDoctor(referral.residentId);
    const holdUntil = from === 'REQUESTED' ? referral.expiresAt : null;
    const booked = await this.slotPools.claimPlace(pool, reservedAllowed, now, { referralId: referral._id, bookedBy: actorOf(viewer), holdUntil });
    if (!booked) {
      await this.models.BookingRequest.deleteOne({ _id: referral._id }).exec();
      throw appError('CONFLICT', 'No place left that you may book in this session');
    }
    const slot = { poolId: pool._id, placeId: booked.id, share: booked.share, date: pool.date, session: pool.session, department: pool.department };
    if (from === 'ACCEPTED') return this.move(referral, 'SCHEDULED', { slot });
    const updated = await this.models.Referral.findOneAndUpdate({ _id: referral._id }, { $set: { slot } }, { returnDocument: 'after' })
      .lean<ReferralDoc>()
      .exec();
    return updated!;
  }

  private async move(current: ReferralDoc, to: ReferralStatus, patch: Partial<ReferralDoc>): Promise<ReferralDoc> {
    const from = effectiveStatus(current);
    if (!canMove(from, to)) throw appError('CONFLICT', `A ${from.toLowerCase()} referral cannot become ${to.toLowerCase()}`);
    const version = current.version + 1;
    const { viewer } = this.access;
    if (
      !(await claim(this.models.Transition, {
        _id: `${current._id}:${version}`,
        referralId: current._id,
        from,
        to,
        by: actorOf(viewer),
        organizationCode: viewer.organizationCode ?? null,
        at: new Date(),
      }))
    ) {
      throw appError('CONFLICT', 'The referral was changed by another request meanwhile');
    }
    // A rejection brings free text: the stored label takes in what it reveals.
    const sensitivities = unionOf(current.sensitivities, referralSensitivities({ ...current, ...patch }));
    const updated = await this.models.Referral.findOneAndUpdate(
      { _id: current._id, version: current.version },
      { $set: { ...patch, sensitivities, status: to, version } },
      { returnDocument: 'after' },
    )
      .lean<ReferralDoc>()
      .exec();
    await this.access.permitted([current.residentId], 'referrals');
    return updated!;
  }

  /**
   * The referral a mutation acts on, once the policy allowed the write about its resident
   * (FORBIDDEN without standing; NOT_FOUND only for an id that names no referral).
   */
  private async load(id: string, writeOf: (referral: ReferralDoc) => WriteKind): Promise<ReferralDoc> {
    const found = await this.models.Referral.findById(recordIdOf(id, 'Referral')).lean<ReferralDoc>().exec();
    if (!found) throw appError('NOT_FOUND', 'No such referral');
    await this.access.requireWrite(found.residentId, writeOf(found));
    return found;
  }

  private async asReceiver(id: string): Promise<ReferralDoc> {
    const referral = await this.load(id, () => 'receive-referral');
    if (this.access.viewer.organizationCode !== referral.toOrganizationCode) throw forbidden('Only the receiving organization does this');
    return referral;
  }
}

/** What a sender asks for: a retry must ask for the same (absent and default options alike). */
const REQUESTED_FIELDS = [
  'residentId',
  'direction',
  'fromOrganizationCode',
  'toOrganizationCode',
  'toDepartment',
  'reason',
  'diagnoses',
  'urgency',
  'attachedEncounterIds',
  'attachedLabReportIds',
  'dischargeSummary',
  'followUpPlan',
] as const;

function requestHashOf(referral: ReferralDoc): string {
  return createHash('sha256')
    .update(JSON.stringify(REQUESTED_FIELDS.map((field) => referral[field])))
    .digest('hex');
}

/** The receiver's relationship a referral gives: offered until accepted, then held. */
function referralSource(referral: ReferralDoc, kind: 'REFERRAL_OFFER' | 'REFERRAL') {
  return { residentId: referral.residentId, organizationCode: referral.toOrganizationCode, kind, source: { subgraph: 'referrals', recordId: referral._id } };
}

/** A referral sent counts up or down for the sending organization, and feeds the referral form. */
export function activityOfReferral(referral: Pick<ReferralDoc, 'direction'>): RecordActivity {
  return { counts: referral.direction === 'UP' ? { referralsUp: 1 } : { referralsDown: 1 }, feeds: ['referral'] };
}
