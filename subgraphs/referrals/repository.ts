/**
 * Queries and rules of the referrals subgraph: family-doctor contracts, slot pools and
 * bookings (each place claimed by its _id, so a pool is never overbooked however many book at
 * once), and the two-way referral's state machine (claimed transitions).
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { claim } from '../kit/claims';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../kit/database';
import { appError, badUserInput, forbidden } from '../kit/errors';
import { organizationCodeOf, recordIdOf, residentIdOf } from '../kit/ids';
import { parseInput } from '../kit/input';
import type { PermittedRecords } from '../kit/loaders';
import { decodeCursor, encodeCursor, pageOf, type Page } from '../kit/pagination';
import { visibleRecords, withoutRestricted, type ResidentAccess } from '../kit/resident-access';
import { hasRole } from '../kit/viewer';
import type { ContractDoc, PlaceDoc, ReferralDoc, ReferralStatus, ReferralTransitionDoc, ReferralsModels, SlotPoolDoc } from './models';
import {
  addDays,
  BOOKING_HORIZON_DAYS,
  canMove,
  candidatePlaces,
  DEPARTMENTS,
  effectiveStatus,
  expiresAtOf,
  referralLabel as label,
  referralSensitivities,
  withinHorizon,
} from './referral-rules';

const DAY_MS = 86_400_000;
/** A closed referral keeps the care relationship this long (follow-up questions, results). */
const REFERRAL_RELATIONSHIP_DAYS = 90;
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
  })
  .refine((input) => input.direction === 'UP' || input.dischargeSummary, { message: 'a downward referral needs the discharge summary', path: ['dischargeSummary'] });

export interface SlotAvailabilityView {
  pool: SlotPoolDoc;
  reservedBooked: number;
  publicBooked: number;
  bookableByYou: number;
}

export class ReferralsRepository {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    private readonly horizonDays: number = BOOKING_HORIZON_DAYS,
  ) {}

  // ---- contracts -----------------------------------------------------------------------------

  /** The active contract of each resident (the viewer may see), one query. */
  async contractsOf(residentIds: readonly string[]): Promise<Map<string, ContractDoc>> {
    const permitted = await this.access.permitted(residentIds, 'referrals');
    if (permitted.size === 0) return new Map();
    const now = Date.now();
    const rows = await this.models.Contract.find({ residentId: oneOf(permitted), status: 'ACTIVE' }).lean<ContractDoc[]>().exec();
    return new Map(rows.filter((row) => row.until.getTime() >= now).map((row) => [row.residentId, row]));
  }

  /** At most one active contract per resident: the contract claims the resident. */
  async signContract(residentIdInput: string, servicePackage: ContractDoc['servicePackage'], untilInput: string): Promise<ContractDoc> {
    const residentId = residentIdOf(residentIdInput);
    const { viewer } = this.access;
    if (!hasRole(viewer, 'family_doctor') || !viewer.practitionerId || !viewer.organizationCode) throw forbidden('Only a family doctor signs a contract');
    const now = new Date();
    const until = parseDate(untilInput, 'until');
    if (until.getTime() <= now.getTime() || until.getTime() > now.getTime() + 3 * 366 * DAY_MS) throw badUserInput('until must be in the future and within three years');
    const contract: ContractDoc = { _id: randomUUID(), residentId, familyDoctor: viewer.practitionerId, organizationCode: viewer.organizationCode, servicePackage, since: now, until, status: 'ACTIVE', terminationReason: null };
    if (!(await claim(this.models.ActiveContract, { _id: residentId, contractId: contract._id }))) {
      const holder = await this.models.ActiveContract.findById(residentId).lean().exec();
      const current = holder ? await this.models.Contract.findById(holder.contractId).lean<ContractDoc>().exec() : null;
      if (current && current.status === 'ACTIVE' && current.until.getTime() >= now.getTime()) throw appError('CONFLICT', 'The resident already has an active family-doctor contract');
      // The holder expired: its claim may go, once.
      await this.models.ActiveContract.deleteOne({ _id: residentId, contractId: holder?.contractId }).exec();
      if (!(await claim(this.models.ActiveContract, { _id: residentId, contractId: contract._id }))) throw appError('CONFLICT', 'Another contract was signed meanwhile');
    }
    await this.models.Contract.create(contract);
    await this.relate(residentId, contract.organizationCode, 'CONTRACT', until, contract._id);
    await this.access.permitted([residentId], 'referrals');
    return contract;
  }

  async renewContract(id: string, untilInput: string): Promise<ContractDoc> {
    const until = parseDate(untilInput, 'until');
    const contract = await this.ownContract(id);
    if (until.getTime() <= contract.until.getTime()) throw badUserInput('until must be later than the current end');
    const renewed = await this.models.Contract.findOneAndUpdate({ _id: contract._id, status: 'ACTIVE' }, { $set: { until } }, { returnDocument: 'after' }).lean<ContractDoc>().exec();
    if (!renewed) throw appError('CONFLICT', 'The contract was terminated meanwhile');
    await this.relate(contract.residentId, contract.organizationCode, 'CONTRACT', until, contract._id);
    this.access.noteWrite(contract.residentId, 'referrals');
    return renewed;
  }

  async terminateContract(id: string, reason: string): Promise<ContractDoc> {
    if (reason.trim().length < 4) throw badUserInput('A termination needs a reason (at least 4 characters)');
    const contract = await this.ownContract(id);
    const ended = await this.models.Contract.findOneAndUpdate({ _id: contract._id, status: 'ACTIVE' }, { $set: { status: 'TERMINATED', terminationReason: reason.trim(), until: new Date() } }, { returnDocument: 'after' })
      .lean<ContractDoc>()
      .exec();
    if (!ended) throw appError('CONFLICT', 'The contract is not active');
    await this.models.ActiveContract.deleteOne({ _id: contract.residentId, contractId: contract._id }).exec();
    await this.relate(contract.residentId, contract.organizationCode, 'CONTRACT', new Date(), contract._id);
    this.access.noteWrite(contract.residentId, 'referrals');
    return ended;
  }

  private async ownContract(id: string): Promise<ContractDoc> {
    const contract = await this.models.Contract.findById(id).lean<ContractDoc>().exec();
    if (!contract || contract.organizationCode !== this.access.viewer.organizationCode) throw appError('NOT_FOUND', 'No such contract at your organization');
    if (contract.status !== 'ACTIVE') throw appError('CONFLICT', 'The contract is not active');
    return contract;
  }

  // ---- referrals: reads --------------------------------------------------------------------

  async referralsOfResidents(residentIds: readonly string[], status: ReferralStatus | null | undefined): Promise<PermittedRecords<ReferralDoc>> {
    const permitted = await this.access.permitted(residentIds, 'referrals');
    if (permitted.size === 0) return { permitted, records: [] };
    const rows = await this.models.Referral.find({ residentId: oneOf(permitted) }).sort({ requestedAt: -1, _id: -1 }).batchSize(RECORDS_BATCH_SIZE).lean<ReferralDoc[]>().exec();
    const visible = await withoutRestricted(this.access, rows, label);
    return { permitted, records: status ? visible.filter((row) => effectiveStatus(row) === status) : visible };
  }

  async referralsById(ids: readonly string[]): Promise<ReferralDoc[]> {
    const rows = await this.models.Referral.find({ _id: idIn(ids) }).lean<ReferralDoc[]>().exec();
    return visibleRecords(this.access, rows, 'referrals', label);
  }

  async transitionsOf(referralIds: readonly string[]): Promise<ReferralTransitionDoc[]> {
    return this.models.Transition.find({ referralId: oneOf(referralIds) }).sort({ at: 1 }).batchSize(RECORDS_BATCH_SIZE).lean<ReferralTransitionDoc[]>().exec();
  }

  inbox(status: ReferralStatus | null | undefined, first: number, after: string | null | undefined) {
    return this.page({ toOrganizationCode: this.requireOrganization() }, status, first, after);
  }

  outbox(status: ReferralStatus | null | undefined, first: number, after: string | null | undefined) {
    return this.page({ fromOrganizationCode: this.requireOrganization() }, status, first, after);
  }

  private async page(query: Record<string, unknown>, status: ReferralStatus | null | undefined, first: number, after: string | null | undefined): Promise<Page<ReferralDoc>> {
    if (status === 'EXPIRED') Object.assign(query, { status: 'REQUESTED', expiresAt: operator({ $lt: new Date() }) });
    else if (status === 'REQUESTED') Object.assign(query, { status, expiresAt: operator({ $gte: new Date() }) });
    else if (status) query.status = status;
    if (after) {
      const [time, id] = decodeCursor(after);
      query.$or = [{ requestedAt: operator({ $lt: new Date(time) }) }, { requestedAt: new Date(time), _id: operator({ $lt: id }) }];
    }
    const rows = await this.models.Referral.find(query).sort({ requestedAt: -1, _id: -1 }).limit(first + 1).lean<ReferralDoc[]>().exec();
    const permitted = await this.access.permitted(
      rows.map((row) => row.residentId),
      'referrals',
    );
    return pageOf(
      await withoutRestricted(
        this.access,
        rows.filter((row) => permitted.has(row.residentId)),
        label,
      ),
      first,
      (row) => encodeCursor(row.requestedAt.toISOString(), row._id),
    );
  }

  // ---- slots -------------------------------------------------------------------------------

  /** What the caller may book at a department over at most the booking horizon; two queries. */
  async availableSlots(organizationCodeInput: string, department: string, from: string, to: string, kind: SlotPoolDoc['kind']): Promise<SlotAvailabilityView[]> {
    const organizationCode = organizationCodeOf(organizationCodeInput);
    if (!(DEPARTMENTS as readonly string[]).includes(department)) throw badUserInput(`department ${department} does not take referrals`);
    parseDate(from, 'from');
    parseDate(to, 'to');
    if (to < from || to > addDays(from, this.horizonDays)) throw badUserInput(`to must be from 0 to ${this.horizonDays} days after from`);
    const now = new Date();
    const pools = await this.models.SlotPool.find({ organizationCode, department, date: operator({ $gte: from, $lte: to }), kind }).sort({ date: 1, session: 1 }).lean<SlotPoolDoc[]>().exec();
    const places = pools.length ? await this.models.Place.find({ poolId: oneOf(pools.map((pool) => pool._id)) }).batchSize(RECORDS_BATCH_SIZE).lean<PlaceDoc[]>().exec() : [];
    const familyDoctor = hasRole(this.access.viewer, 'family_doctor');
    return pools.map((pool) => {
      const own = places.filter((place) => place.poolId === pool._id);
      const taken = new Set(own.map((place) => place._id));
      return {
        pool,
        reservedBooked: own.filter((place) => place.share === 'RESERVED').length,
        publicBooked: own.filter((place) => place.share === 'PUBLIC').length,
        bookableByYou: withinHorizon(pool.date, now, this.horizonDays) ? candidatePlaces(pool, taken, familyDoctor, now).length : 0,
      };
    });
  }

  /**
   * Books one place for a referral. The resident's contracted family doctor takes the
   * reserved share first (until the release time), everyone else the public share; a retry
   * with the same request id returns the same booking; a full pool is a clean CONFLICT.
   */
  async bookSlot(referralIdInput: string, poolId: string, clientRequestId: string): Promise<ReferralDoc> {
    if (!/^[A-Za-z0-9._:-]{8,64}$/.test(clientRequestId)) throw badUserInput('clientRequestId must be 8-64 letters, digits or . _ : -');
    if (!/^[0-9a-f]{24}$/.test(poolId)) throw badUserInput('poolId must be 24 lowercase hex characters');
    const referral = await this.load(referralIdInput);
    const { viewer } = this.access;
    if (viewer.organizationCode !== referral.fromOrganizationCode && viewer.organizationCode !== referral.toOrganizationCode) throw forbidden('Only the referring or receiving organization books');
    const pool = await this.models.SlotPool.findById(poolId).lean<SlotPoolDoc>().exec();
    if (!pool || pool.organizationCode !== referral.toOrganizationCode || pool.department !== referral.toDepartment) throw badUserInput('The slot pool is not at the receiving organization’s department');
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
    const reservedAllowed = await this.isContractedFamilyDoctor(referral.residentId);
    const taken = new Set((await this.models.Place.find({ poolId: pool._id }, { _id: 1 }).lean<{ _id: string }[]>().exec()).map((place) => place._id));
    let booked: { id: string; share: PlaceDoc['share'] } | null = null;
    for (const candidate of candidatePlaces(pool, taken, reservedAllowed, now)) {
      if (await claim(this.models.Place, { _id: candidate.id, poolId: pool._id, share: candidate.share, referralId: referral._id, bookedBy: viewer.subject, bookedAt: now })) {
        booked = candidate;
        break;
      }
    }
    if (!booked) {
      await this.models.BookingRequest.deleteOne({ _id: referral._id }).exec();
      throw appError('CONFLICT', 'No place left that you may book in this session');
    }
    const slot = { poolId: pool._id, placeId: booked.id, share: booked.share, date: pool.date, session: pool.session, department: pool.department };
    if (from === 'ACCEPTED') return this.move(referral, 'SCHEDULED', { slot });
    const updated = await this.models.Referral.findOneAndUpdate({ _id: referral._id }, { $set: { slot } }, { returnDocument: 'after' }).lean<ReferralDoc>().exec();
    return updated!;
  }

  private async isContractedFamilyDoctor(residentId: string): Promise<boolean> {
    const { viewer } = this.access;
    if (!hasRole(viewer, 'family_doctor') || !viewer.practitionerId) return false;
    const contract = (await this.contractsOf([residentId])).get(residentId);
    return contract !== undefined && contract.familyDoctor === viewer.practitionerId && contract.organizationCode === viewer.organizationCode;
  }

  // ---- referrals: writes -------------------------------------------------------------------

  async request(rawInput: unknown): Promise<ReferralDoc> {
    const input = parseInput(referralInput, rawInput);
    const organizationCode = this.requireOrganization();
    if (input.toOrganizationCode === organizationCode) throw badUserInput('A referral goes to another organization');
    const requestedAt = new Date();
    const referral: ReferralDoc = {
      _id: createHash('sha256').update(`referral|${randomUUID()}`).digest('hex').slice(0, 24),
      residentId: input.residentId,
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
    };
    referral.sensitivities = referralSensitivities(referral);
    await this.models.Referral.create(referral);
    await claim(this.models.Transition, { _id: `${referral._id}:1`, referralId: referral._id, from: null, to: 'REQUESTED', by: this.access.viewer.subject, organizationCode, at: requestedAt });
    for (const code of [referral.fromOrganizationCode, referral.toOrganizationCode]) await this.relate(referral.residentId, code, 'REFERRAL', null, referral._id);
    await this.access.permitted([referral.residentId], 'referrals');
    return referral;
  }

  async accept(id: string): Promise<ReferralDoc> {
    const referral = await this.asReceiver(id);
    return this.move(referral, referral.slot ? 'SCHEDULED' : 'ACCEPTED', {});
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
    await this.endRelationships(referral, new Date(Date.now() + REFERRAL_RELATIONSHIP_DAYS * DAY_MS));
    return completed;
  }

  async cancel(id: string, reason: string): Promise<ReferralDoc> {
    if (reason.trim().length < 4) throw badUserInput('A cancellation needs a reason (at least 4 characters)');
    const referral = await this.load(id);
    if (this.access.viewer.organizationCode !== referral.fromOrganizationCode) throw forbidden('Only the referring organization cancels');
    const cancelled = await this.move(referral, 'CANCELLED', { slot: null });
    await this.release(referral);
    await this.endRelationships(referral, new Date());
    return cancelled;
  }

  /** A referral's care relationship ends with it (a completed one after a follow-up period). */
  private async endRelationships(referral: ReferralDoc, endsAt: Date): Promise<void> {
    for (const code of [referral.fromOrganizationCode, referral.toOrganizationCode]) await this.relate(referral.residentId, code, 'REFERRAL', endsAt, referral._id);
  }

  /** A cancelled or rejected referral's place goes back to the share it came from. */
  private async release(referral: ReferralDoc): Promise<void> {
    if (referral.slot) await this.models.Place.deleteOne({ _id: referral.slot.placeId, referralId: referral._id }).exec();
    await this.models.BookingRequest.deleteOne({ _id: referral._id }).exec();
  }

  private async move(current: ReferralDoc, to: ReferralStatus, patch: Partial<ReferralDoc>): Promise<ReferralDoc> {
    const from = effectiveStatus(current);
    if (!canMove(from, to)) throw appError('CONFLICT', `A ${from.toLowerCase()} referral cannot become ${to.toLowerCase()}`);
    const version = current.version + 1;
    const { viewer } = this.access;
    if (!(await claim(this.models.Transition, { _id: `${current._id}:${version}`, referralId: current._id, from, to, by: viewer.subject, organizationCode: viewer.organizationCode ?? null, at: new Date() }))) {
      throw appError('CONFLICT', 'The referral was changed by another request meanwhile');
    }
    const updated = await this.models.Referral.findOneAndUpdate({ _id: current._id, version: current.version }, { $set: { ...patch, status: to, version } }, { returnDocument: 'after' }).lean<ReferralDoc>().exec();
    await this.access.permitted([current.residentId], 'referrals');
    return updated!;
  }

  private async load(id: string): Promise<ReferralDoc> {
    const found = (await this.referralsById([recordIdOf(id, 'Referral')]))[0];
    if (!found) throw appError('NOT_FOUND', 'No such referral, or not yours to see');
    return found;
  }

  private async asReceiver(id: string): Promise<ReferralDoc> {
    const referral = await this.load(id);
    if (this.access.viewer.organizationCode !== referral.toOrganizationCode) throw forbidden('Only the receiving organization does this');
    return referral;
  }

  private requireOrganization(): string {
    const code = this.access.viewer.organizationCode;
    if (!code) throw forbidden('An organization is required');
    return code;
  }

  private relate(residentId: string, organizationCode: string, kind: 'CONTRACT' | 'REFERRAL', endsAt: Date | null, recordId: string) {
    return this.access.recordCareRelationship({ residentId, organizationCode, kind, at: new Date(), endsAt, source: { subgraph: 'referrals', recordId } });
  }
}

function parseDate(value: string, field: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) throw badUserInput(`${field} must be a date (YYYY-MM-DD)`);
  return new Date(value);
}

