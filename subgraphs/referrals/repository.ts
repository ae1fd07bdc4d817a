/**
 * Queries and rules of the referrals subgraph: family-doctor contracts, slot pools and
 * bookings (each place claimed by its _id, so a pool is never overbooked however many book at
 * once), the two-way referral's state machine (claimed transitions), and residents'
 * appointments in the public share of the same pools.
 */

import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { allowsEntry, ENTRY_RULES } from '../../access-control/entry-points';
import { acceptedReferralEnd, CONTRACT_LONGEST_DAYS, type StandingRoot, type WriteKind } from '../../access-control/policy';
import type { PermittedRecords } from '../../access-control/resident-access';
import { type ResidentAccess, requireEntry, visibleRecords, withoutRestricted } from '../../access-control/resident-access';
import { unionOf } from '../../access-control/sensitivity';
import { actorOf } from '../../access-control/viewer';
import { type CountActivity, countNothing, type RecordActivity, realtimeEntry } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import { DEFAULT_SLOT_SETTINGS, type SlotSettings } from '../../platform/config';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import { CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE, clientRequestIdOf, organizationCodeOf, recordIdOf, residentIdOf } from '../runtime/ids';
import { parseInput } from '../runtime/input';
import { appointmentActivity, bookAppointmentInput, bookerOf } from './appointment-rules';
import {
  type AppointmentDoc,
  type ContractDoc,
  type HoldSettlementDoc,
  type PlaceDoc,
  type ReferralDoc,
  type ReferralStatus,
  type ReferralsModels,
  type ReferralTransitionDoc,
  SESSIONS,
  SLOT_KINDS,
  type SlotPoolDoc,
} from './models';
import {
  addDays,
  BOOKING_HORIZON_DAYS,
  beijingDate,
  candidatePlaces,
  canMove,
  coversPlaces,
  DEPARTMENTS,
  effectiveStatus,
  expiresAtOf,
  hexIdOf,
  isHeld,
  referralLabel as label,
  MAX_POOL_CAPACITY,
  PUBLISH_AHEAD_DAYS,
  REFERRAL_WINDOW_DAYS,
  referralSensitivities,
  type SlotPoolEntry,
  slotPoolId,
  slotPoolOf,
  withinHorizon,
} from './referral-rules';

const DAY_MS = 86_400_000;
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

/** The most pools one publication may carry (two weeks of two sessions for about ten departments and kinds). */
const MAX_PUBLISHED_POOLS = 500;

/** A publication of slot pools: every entry valid and each session named once, or nothing is written. */
function publishInput(today: string) {
  const last = addDays(today, PUBLISH_AHEAD_DAYS);
  const entry = z.object({
    department: z.enum(DEPARTMENTS, { message: 'is not a department that takes referrals' }),
    date: z.string().superRefine((date, context) => {
      const calendarDate = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date)) && addDays(date, 0) === date;
      if (!calendarDate) context.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD)' });
      else if (date < today || date > last)
        context.addIssue({ code: 'custom', message: `must be from today (${today}) to ${PUBLISH_AHEAD_DAYS} days ahead (${last})` });
    }),
    session: z.enum(SESSIONS),
    kind: z.enum(SLOT_KINDS),
    capacity: z.number().int().min(1, 'must be at least 1').max(MAX_POOL_CAPACITY, `must be at most ${MAX_POOL_CAPACITY}`),
  });
  return z.object({
    pools: z
      .array(entry)
      .min(1, 'must name at least one session')
      .max(MAX_PUBLISHED_POOLS, `must name at most ${MAX_PUBLISHED_POOLS} sessions`)
      .superRefine((pools, context) => {
        const seen = new Map<string, number>();
        pools.forEach((pool, index) => {
          const key = [pool.department, pool.date, pool.session, pool.kind].join('|');
          if (seen.has(key)) context.addIssue({ code: 'custom', path: [index], message: `names the same session as pools.${seen.get(key)}` });
          seen.set(key, index);
        });
      }),
  });
}

export interface ReferralServicesView {
  departments: { name: string; kinds: SlotPoolDoc['kind'][]; capacity: number; reserved: number }[];
  bookingHorizonDays: number;
  reservesForFamilyDoctors: boolean;
}

export interface SlotAvailabilityView {
  pool: SlotPoolDoc;
  reservedBooked: number;
  publicBooked: number;
  bookableByYou: number;
}

/** Where a referral stands in a page by time. */
export const referralKey = (referral: ReferralDoc) => ({ at: referral.requestedAt, id: referral._id });

/** The filter for referrals in a status, as `effectiveStatus` tells it (a request past its expiry is EXPIRED). */
function statusQuery(status: ReferralStatus | null | undefined): Record<string, unknown> {
  if (status === 'EXPIRED') return { status: 'REQUESTED', expiresAt: operator({ $lt: new Date() }) };
  if (status === 'REQUESTED') return { status, expiresAt: operator({ $gte: new Date() }) };
  return status ? { status } : {};
}

export class ReferralsRepository {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    private readonly horizonDays: number = BOOKING_HORIZON_DAYS,
    /** A completed referral keeps the receiver's care relationship this long (follow-up questions, results). */
    private readonly referralWindowDays: number = REFERRAL_WINDOW_DAYS,
    private readonly slotSettings: SlotSettings = DEFAULT_SLOT_SETTINGS,
    /** Counts referrals sent and appointments booked or cancelled at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity = countNothing,
  ) {}

  // ---- contracts -----------------------------------------------------------------------------

  /** The active contract of each resident (the viewer may see), one query. */
  async contractsOf(residentIds: readonly string[]): Promise<Map<string, ContractDoc>> {
    const { owners, records } = await this.access.read('referrals', residentIds, (filedUnder) =>
      this.models.Contract.find({ residentId: oneOf(filedUnder), status: 'ACTIVE' })
        .lean<ContractDoc[]>()
        .exec(),
    );
    const now = Date.now();
    return new Map(
      records.filter((row) => row.until.getTime() >= now).flatMap((row) => (owners?.get(row.residentId) ?? []).map((owner) => [owner, row] as const)),
    );
  }

  /**
   * A family doctor's offer of a contract: it grants nothing until the resident accepts it
   * (acceptContract). Offering needs standing with the resident already (registration at the
   * centre, or a referral that brought them there).
   */
  async signContract(residentIdInput: string, servicePackage: ContractDoc['servicePackage'], untilInput: string): Promise<ContractDoc> {
    const requested = residentIdOf(residentIdInput);
    const now = new Date();
    const until = parseDate(untilInput, 'until');
    if (until.getTime() <= now.getTime() || until.getTime() > now.getTime() + CONTRACT_LONGEST_DAYS * DAY_MS)
      throw badUserInput('until must be in the future and within three years');
    const residentId = await this.access.requireWrite(requested, 'offer-contract');
    const { viewer } = this.access;
    const contract: ContractDoc = {
      _id: hexIdOf(`contract|${randomUUID()}`),
      residentId,
      familyDoctor: viewer.practitionerId!,
      organizationCode: viewer.organizationCode!,
      servicePackage,
      since: now,
      until,
      status: 'OFFERED',
      terminationReason: null,
    };
    await this.models.Contract.create(contract);
    return contract;
  }

  /**
   * The resident accepts an offered contract: at most one active per resident (the contract
   * claims the resident), and the contract is a care relationship until it ends.
   */
  async acceptContract(id: string): Promise<ContractDoc> {
    const offered = await this.models.Contract.findById(contractIdOf(id)).lean<ContractDoc>().exec();
    if (!offered) throw appError('NOT_FOUND', 'No such contract');
    await this.access.requireWrite(offered.residentId, 'accept-contract');
    const now = new Date();
    if (offered.status !== 'OFFERED' || offered.until.getTime() <= now.getTime()) throw appError('CONFLICT', 'Only an open offer can be accepted');
    const { residentId } = offered;
    if (!(await claim(this.models.ActiveContract, { _id: residentId, contractId: offered._id }))) {
      const holder = await this.models.ActiveContract.findById(residentId).lean().exec();
      const current = holder ? await this.models.Contract.findById(holder.contractId).lean<ContractDoc>().exec() : null;
      if (current && current.status === 'ACTIVE' && current.until.getTime() >= now.getTime())
        throw appError('CONFLICT', 'The resident already has an active family-doctor contract');
      // The holder expired: its claim may go, once.
      await this.models.ActiveContract.deleteOne({ _id: residentId, contractId: holder?.contractId }).exec();
      if (!(await claim(this.models.ActiveContract, { _id: residentId, contractId: offered._id })))
        throw appError('CONFLICT', 'Another contract was accepted meanwhile');
    }
    const accepted = await this.models.Contract.findOneAndUpdate(
      { _id: offered._id, status: 'OFFERED' },
      { $set: { status: 'ACTIVE', since: now } },
      { returnDocument: 'after' },
    )
      .lean<ContractDoc>()
      .exec();
    if (!accepted) {
      await this.models.ActiveContract.deleteOne({ _id: residentId, contractId: offered._id }).exec();
      throw appError('CONFLICT', 'The offer changed meanwhile');
    }
    await this.access.recordCareRelationship({ ...contractSource(accepted), at: now, endsAt: accepted.until, root: contractRoot(accepted) });
    await this.access.permitted([residentId], 'referrals');
    return accepted;
  }

  async renewContract(id: string, untilInput: string): Promise<ContractDoc> {
    const until = parseDate(untilInput, 'until');
    const contract = await this.ownContract(id);
    if (until.getTime() <= contract.until.getTime()) throw badUserInput('until must be later than the current end');
    const renewed = await this.models.Contract.findOneAndUpdate({ _id: contract._id, status: 'ACTIVE' }, { $set: { until } }, { returnDocument: 'after' })
      .lean<ContractDoc>()
      .exec();
    if (!renewed) throw appError('CONFLICT', 'The contract was terminated meanwhile');
    await this.access.recordCareRelationship({ ...contractSource(renewed), at: new Date(), endsAt: until, root: contractRoot(renewed) });
    return renewed;
  }

  async terminateContract(id: string, reason: string): Promise<ContractDoc> {
    if (reason.trim().length < 4) throw badUserInput('A termination needs a reason (at least 4 characters)');
    const contract = await this.ownContract(id);
    const ended = await this.models.Contract.findOneAndUpdate(
      { _id: contract._id, status: 'ACTIVE' },
      { $set: { status: 'TERMINATED', terminationReason: reason.trim(), until: new Date() } },
      { returnDocument: 'after' },
    )
      .lean<ContractDoc>()
      .exec();
    if (!ended) throw appError('CONFLICT', 'The contract is not active');
    await this.models.ActiveContract.deleteOne({ _id: contract.residentId, contractId: contract._id }).exec();
    await this.access.endCareRelationships([contractSource(contract)], new Date());
    return ended;
  }

  /** A contract of the caller's organization, which the policy lets the caller act on. */
  private async ownContract(id: string): Promise<ContractDoc> {
    const contract = await this.models.Contract.findById(contractIdOf(id)).lean<ContractDoc>().exec();
    if (!contract) throw appError('NOT_FOUND', 'No such contract');
    await this.access.requireWrite(contract.residentId, 'offer-contract');
    if (contract.organizationCode !== this.access.viewer.organizationCode) throw forbidden('The contract is another organization’s');
    if (contract.status !== 'ACTIVE') throw appError('CONFLICT', 'The contract is not active');
    return contract;
  }

  // ---- referrals: reads --------------------------------------------------------------------

  async referralsOfResidents(residentIds: readonly string[], status: ReferralStatus | null | undefined): Promise<PermittedRecords<ReferralDoc>> {
    const read = await this.access.read(
      'referrals',
      residentIds,
      (filedUnder) =>
        this.models.Referral.find({ residentId: oneOf(filedUnder) })
          .sort({ requestedAt: -1, _id: -1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<ReferralDoc[]>()
          .exec(),
      label,
    );
    return status ? { ...read, records: read.records.filter((row) => effectiveStatus(row) === status) } : read;
  }

  /** One resident's page of referrals, newest first, `first + 1` rows at a time; null when the viewer may not see them. */
  async referralPage(
    residentId: string,
    status: ReferralStatus | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<ReferralDoc> | null> {
    return this.access.readPage('referrals', residentId, (filedUnder) => {
      const query = { residentId: oneOf(filedUnder), ...statusQuery(status) };
      return timePage(
        {
          field: 'requestedAt',
          fetch: ({ keyset, sort, limit }) =>
            this.models.Referral.find({ ...query, ...keyset })
              .sort(sort)
              .limit(limit)
              .batchSize(RECORDS_BATCH_SIZE)
              .lean<ReferralDoc[]>()
              .exec(),
          keyOf: referralKey,
          keep: (rows) => withoutRestricted(this.access, rows, label),
        },
        first,
        after,
      );
    });
  }

  async referralsById(ids: readonly string[]): Promise<ReferralDoc[]> {
    const rows = await this.models.Referral.find({ _id: idIn(ids) })
      .lean<ReferralDoc[]>()
      .exec();
    return visibleRecords(this.access, rows, 'referrals', label);
  }

  async transitionsOf(referralIds: readonly string[]): Promise<ReferralTransitionDoc[]> {
    return this.models.Transition.find({ referralId: oneOf(referralIds) })
      .sort({ at: 1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ReferralTransitionDoc[]>()
      .exec();
  }

  inbox(status: ReferralStatus | null | undefined, first: number, after: string | null | undefined) {
    return this.page({ toOrganizationCode: this.requireOrganization() }, status, first, after);
  }

  outbox(status: ReferralStatus | null | undefined, first: number, after: string | null | undefined) {
    return this.page({ fromOrganizationCode: this.requireOrganization() }, status, first, after);
  }

  private async page(
    query: Record<string, unknown>,
    status: ReferralStatus | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<ReferralDoc>> {
    Object.assign(query, statusQuery(status));
    return timePage(
      {
        field: 'requestedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.Referral.find({ ...query, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<ReferralDoc[]>()
            .exec(),
        keyOf: referralKey,
        keep: (rows) => visibleRecords(this.access, rows, 'referrals', label),
      },
      first,
      after,
    );
  }

  // ---- slots -------------------------------------------------------------------------------

  /**
   * What each organization offers referrals: the departments and kinds of its slot pools from
   * today to the booking horizon, with their places. Reference data (no resident); one query
   * for all the organizations.
   */
  async referralServices(organizationCodes: readonly string[]): Promise<Map<string, ReferralServicesView>> {
    const today = beijingDate(new Date());
    // Pools of the same size grouped and counted: FerretDB 1.x computes only the first accumulator of a $group.
    type Group = { _id: Pick<SlotPoolDoc, 'organizationCode' | 'department' | 'kind' | 'capacity' | 'reserved'>; pools: number };
    const groups = await this.models.SlotPool.aggregate<Group>([
      { $match: { organizationCode: oneOf(organizationCodes), date: operator({ $gte: today, $lte: addDays(today, this.horizonDays) }) } },
      {
        $group: {
          _id: { organizationCode: '$organizationCode', department: '$department', kind: '$kind', capacity: '$capacity', reserved: '$reserved' },
          pools: { $sum: 1 },
        },
      },
    ]).exec();
    const services = new Map<string, ReferralServicesView>(
      organizationCodes.map((code) => [code, { departments: [], bookingHorizonDays: this.horizonDays, reservesForFamilyDoctors: false }]),
    );
    for (const { _id, pools } of groups) {
      const service = services.get(_id.organizationCode);
      if (!service) continue;
      let department = service.departments.find((candidate) => candidate.name === _id.department);
      if (!department) {
        department = { name: _id.department, kinds: [], capacity: 0, reserved: 0 };
        service.departments.push(department);
      }
      if (!department.kinds.includes(_id.kind)) department.kinds.push(_id.kind);
      department.capacity += _id.capacity * pools;
      department.reserved += _id.reserved * pools;
      if (_id.reserved > 0) service.reservesForFamilyDoctors = true;
    }
    for (const service of services.values()) {
      service.departments.sort((a, b) => departmentOrder(a.name) - departmentOrder(b.name));
      for (const department of service.departments) department.kinds.sort((a, b) => SLOT_KINDS.indexOf(a) - SLOT_KINDS.indexOf(b));
    }
    return services;
  }

  /** What the caller may book at a department over at most the booking horizon; two queries. */
  async availableSlots(
    organizationCodeInput: string,
    department: string,
    from: string,
    to: string,
    kind: SlotPoolDoc['kind'],
  ): Promise<SlotAvailabilityView[]> {
    const organizationCode = organizationCodeOf(organizationCodeInput);
    if (!(DEPARTMENTS as readonly string[]).includes(department)) throw badUserInput(`department ${department} does not take referrals`);
    parseDate(from, 'from');
    parseDate(to, 'to');
    if (to < from || to > addDays(from, this.horizonDays)) throw badUserInput(`to must be from 0 to ${this.horizonDays} days after from`);
    const now = new Date();
    const pools = await this.models.SlotPool.find({ organizationCode, department, date: operator({ $gte: from, $lte: to }), kind })
      .sort({ date: 1, session: 1 })
      .lean<SlotPoolDoc[]>()
      .exec();
    return this.availabilityOf(pools, await this.heldPlacesOf(pools, now), allowsEntry(this.access.viewer, 'see-bookable-slots'), now);
  }

  /**
   * A hospital's system publishes its own organization's pools, all or none: each entry is
   * checked (department, date window, capacity) and refused with its index before anything is
   * written. The service computes the reserved share (participating hospitals only) and the
   * release time; publishing a session again sets its capacity, never below what is booked.
   */
  async publishSlotPools(rawPools: unknown): Promise<SlotAvailabilityView[]> {
    const { viewer } = this.access;
    requireEntry(viewer, 'publish-slot-pools');
    const organizationCode = viewer.organizationCode!;
    const now = new Date();
    const { pools: entries } = parseInput(publishInput(beijingDate(now)), { pools: rawPools });
    const participating = (await this.models.ParticipatingHospital.findById(organizationCode).lean().exec()) !== null;
    const poolOf = (entry: SlotPoolEntry) => slotPoolOf(organizationCode, entry, participating, this.slotSettings);
    const pools = entries.map(poolOf);
    const held = await this.heldPlacesOf(pools, now);
    const problems = pools.flatMap((pool, index) => {
      const booked = held.filter((place) => place.poolId === pool._id);
      if (coversPlaces(pool, booked)) return [];
      const least = Array.from({ length: MAX_POOL_CAPACITY }, (_, below) => below + 1).find((capacity) =>
        coversPlaces(poolOf({ ...entries[index]!, capacity }), booked),
      );
      return [
        `pools.${index}: capacity ${pool.capacity} would drop places already booked in this session (${booked.length} booked; ${least ? `the least capacity that keeps every booking is ${least}` : 'no capacity keeps every booking'})`,
      ];
    });
    if (problems.length > 0) throw appError('CONFLICT', problems.join('; '));
    await this.models.SlotPool.bulkWrite(pools.map((pool) => ({ replaceOne: { filter: { _id: pool._id }, replacement: pool, upsert: true } })));
    return this.availabilityOf(pools, held, false, now);
  }

  /** The places of these pools still booked (not held for a referral that expired unaccepted); one query. */
  private async heldPlacesOf(pools: readonly SlotPoolDoc[], now: Date): Promise<PlaceDoc[]> {
    if (pools.length === 0) return [];
    const booked = await this.models.Place.find({ poolId: oneOf(pools.map((pool) => pool._id)) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<PlaceDoc[]>()
      .exec();
    return booked.filter((place) => isHeld(place, now));
  }

  private availabilityOf(pools: readonly SlotPoolDoc[], places: readonly PlaceDoc[], mayBook: boolean, now: Date): SlotAvailabilityView[] {
    return pools.map((pool) => {
      const own = places.filter((place) => place.poolId === pool._id);
      const taken = new Set(own.map((place) => place._id));
      return {
        pool,
        reservedBooked: own.filter((place) => place.share === 'RESERVED').length,
        publicBooked: own.filter((place) => place.share === 'PUBLIC').length,
        bookableByYou:
          mayBook && withinHorizon(pool.date, now, this.horizonDays)
            ? candidatePlaces(pool, taken, allowsEntry(this.access.viewer, 'see-reserved-share'), now).length
            : 0,
      };
    });
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
    const reservedAllowed = await this.isContractedFamilyDoctor(referral.residentId);
    const holdUntil = from === 'REQUESTED' ? referral.expiresAt : null;
    const booked = await this.claimPlace(pool, reservedAllowed, now, { referralId: referral._id, bookedBy: actorOf(viewer), holdUntil });
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

  /**
   * Takes one place of the pool for a referral or an appointment, atomically on any engine:
   * free places are claimed by _id in order; a place held for a referral that expired
   * unaccepted goes to whoever settles that hold (once), in the same step, so a place freed
   * while many book at once is never left over. Null when none is left.
   */
  private async claimPlace(
    pool: SlotPoolDoc,
    reservedAllowed: boolean,
    now: Date,
    holder: Pick<PlaceDoc, 'bookedBy'> & Partial<Pick<PlaceDoc, 'referralId' | 'appointmentId' | 'holdUntil'>>,
  ): Promise<{ id: string; share: PlaceDoc['share'] } | null> {
    const taken = new Set<string>();
    const lapsedHolds = new Map<string, string>();
    for (const place of await this.models.Place.find({ poolId: pool._id }, { _id: 1, referralId: 1, holdUntil: 1 })
      .lean<Pick<PlaceDoc, '_id' | 'referralId' | 'holdUntil'>[]>()
      .exec()) {
      // Only a referral's place has a hold that lapses; an appointment's is kept until cancelled.
      if (place.referralId && !isHeld(place, now)) lapsedHolds.set(place._id, place.referralId);
      else taken.add(place._id);
    }
    for (const candidate of candidatePlaces(pool, taken, reservedAllowed, now)) {
      const place = { _id: candidate.id, poolId: pool._id, share: candidate.share, bookedAt: now, ...holder };
      const lapsedReferral = lapsedHolds.get(candidate.id);
      if (lapsedReferral ? await this.takeLapsedPlace(place, lapsedReferral) : await claim(this.models.Place, place)) return candidate;
    }
    return null;
  }

  /** The one request that settles a lapsed hold takes its place; the others move on. */
  private async takeLapsedPlace(place: Pick<PlaceDoc, '_id'> & Partial<PlaceDoc>, lapsedReferral: string): Promise<boolean> {
    if (!(await claim(this.models.HoldSettlement, { _id: holdKey(place._id, lapsedReferral), outcome: 'FREED', at: new Date() }))) return false;
    await this.models.Place.replaceOne({ _id: place._id, referralId: lapsedReferral }, place).exec();
    return true;
  }

  private async isContractedFamilyDoctor(residentId: string): Promise<boolean> {
    const { viewer } = this.access;
    if (!allowsEntry(viewer, 'book-reserved-share')) return false;
    const contract = (await this.contractsOf([residentId])).get(residentId);
    return contract !== undefined && contract.familyDoctor === viewer.practitionerId && contract.organizationCode === viewer.organizationCode;
  }

  // ---- appointments ------------------------------------------------------------------------

  /**
   * Books one place of a session's public share for a resident, through a channel: the
   * resident for themselves, a 12320 operator for a caller, a hospital's system at its own
   * clinic. The reserved share stays the family doctors' until the release time. One
   * appointment per resident and session; the place is claimed by its _id, so no session is
   * overbooked however many book at once. The booking gives nobody standing.
   */
  async bookAppointment(rawInput: unknown): Promise<AppointmentDoc> {
    const input = parseInput(bookAppointmentInput, rawInput);
    const { viewer } = this.access;
    const booker = bookerOf(viewer);
    if (!booker) throw forbidden('Appointments are booked by residents, the 12320 hotline and hospitals’ own systems');
    if (!booker.channels.includes(input.channel))
      throw forbidden(`${input.channel} is not a channel this caller books through (${booker.channels.join(', ')})`);
    const residentId = await this.access.requireWrite(input.residentId, booker.write);
    const poolId =
      input.poolId ??
      slotPoolId(input.organizationCode!, { department: input.department!, date: input.date!, session: input.session!, kind: input.kind ?? 'SPECIALIST' });
    const pool = await this.models.SlotPool.findById(poolId).lean<SlotPoolDoc>().exec();
    if (!pool) throw appError('NOT_FOUND', 'No such session: find one with availableSlots or Organization.referralServices');
    if (booker.write === 'book-in-clinic' && pool.organizationCode !== viewer.organizationCode)
      throw forbidden('A hospital’s system books its own clinic’s sessions only');
    const now = new Date();
    if (!withinHorizon(pool.date, now, this.horizonDays) || pool.sessionStart.getTime() <= now.getTime()) {
      throw badUserInput(`The session must not have started and be at most ${this.horizonDays} days ahead`);
    }
    const appointmentId = hexIdOf(`appointment|${randomUUID()}`);
    const sessionKey = `${residentId}|${pool._id}`;
    if (!(await claim(this.models.AppointmentSession, { _id: sessionKey, appointmentId })))
      throw appError('CONFLICT', 'The resident already has an appointment in this session');
    const place = await this.claimPlace(pool, false, now, { appointmentId, referralId: null, bookedBy: actorOf(viewer) });
    if (!place) {
      await this.models.AppointmentSession.deleteOne({ _id: sessionKey, appointmentId }).exec();
      throw appError('CONFLICT', 'No place left in this session’s public share');
    }
    const appointment: AppointmentDoc = {
      _id: appointmentId,
      residentId,
      poolId: pool._id,
      placeId: place.id,
      organizationCode: pool.organizationCode,
      department: pool.department,
      date: pool.date,
      session: pool.session,
      kind: pool.kind,
      share: place.share,
      channel: input.channel,
      platform: input.platform ?? null,
      status: 'BOOKED',
      bookedAt: now,
      bookedBy: actorOf(viewer),
      bookedByOrganization: viewer.organizationCode ?? null,
      cancelledAt: null,
      cancelledBy: null,
      cancellationReason: null,
    };
    await this.models.Appointment.create(appointment);
    await this.countActivity([appointmentActivity(appointment, 1)]);
    return appointment;
  }

  /**
   * Cancels an appointment before its session starts, once: the place goes back to the share
   * it came from and the booking no longer counts (on the day it was booked). The resident,
   * the hotline, or the hospital's own system (for its clinic's sessions) cancels.
   */
  async cancelAppointment(idInput: string, reason: string): Promise<AppointmentDoc> {
    const id = recordIdOf(idInput, 'Appointment');
    if (reason.trim().length < 4 || reason.trim().length > 500) throw badUserInput('reason must be 4-500 characters');
    const { viewer } = this.access;
    const booker = bookerOf(viewer);
    if (!booker) throw forbidden('Appointments are cancelled by residents, the 12320 hotline and hospitals’ own systems');
    const appointment = await this.models.Appointment.findById(id).lean<AppointmentDoc>().exec();
    if (!appointment) throw appError('NOT_FOUND', 'No such appointment');
    await this.access.requireWrite(appointment.residentId, booker.write);
    if (booker.write === 'book-in-clinic' && appointment.organizationCode !== viewer.organizationCode)
      throw forbidden('A hospital’s system cancels its own clinic’s appointments only');
    if (appointment.status === 'CANCELLED') throw appError('CONFLICT', 'The appointment is already cancelled');
    const pool = await this.models.SlotPool.findById(appointment.poolId).lean<SlotPoolDoc>().exec();
    const now = new Date();
    if (pool && pool.sessionStart.getTime() <= now.getTime()) throw appError('CONFLICT', 'The session has started: too late to cancel');
    if (!(await claim(this.models.AppointmentCancellation, { _id: appointment._id, at: now })))
      throw appError('CONFLICT', 'The appointment is already cancelled');
    const cancelled = await this.models.Appointment.findOneAndUpdate(
      { _id: appointment._id },
      { $set: { status: 'CANCELLED', cancelledAt: now, cancelledBy: actorOf(viewer), cancellationReason: reason.trim() } },
      { returnDocument: 'after' },
    )
      .lean<AppointmentDoc>()
      .exec();
    // Only the one who claimed the cancellation gives the place and the session back.
    await this.models.Place.deleteOne({ _id: appointment.placeId, appointmentId: appointment._id }).exec();
    await this.models.AppointmentSession.deleteOne({ _id: `${appointment.residentId}|${appointment.poolId}`, appointmentId: appointment._id }).exec();
    await this.countActivity([appointmentActivity(appointment, -1)]);
    return cancelled!;
  }

  /** The calling resident's own appointments, latest session first (at most 100), audited as a read. */
  async myAppointments(): Promise<AppointmentDoc[]> {
    const { viewer } = this.access;
    requireEntry(viewer, 'list-own-appointments');
    const own = await this.access.survivorIdOf(viewer.residentId!);
    const { permitted, records: rows } = await this.access.read('appointments', [own], (filedUnder) =>
      this.models.Appointment.find({ residentId: oneOf(filedUnder) })
        .sort({ date: -1 })
        .limit(100)
        .lean<AppointmentDoc[]>()
        .exec(),
    );
    if (!permitted.has(own)) throw forbidden(ENTRY_RULES['list-own-appointments'].refusal);
    // Within a day, the morning session first.
    return rows.sort((a, b) => b.date.localeCompare(a.date) || SESSIONS.indexOf(a.session) - SESSIONS.indexOf(b.session));
  }

  // ---- referrals: writes -------------------------------------------------------------------

  /**
   * Sends a referral. With a client request id, a retry (same id, same content, same
   * sending organization) returns the same referral and concurrent retries create one; the
   * same id with other content is a CONFLICT.
   */
  async request(rawInput: unknown): Promise<ReferralDoc> {
    const input = parseInput(referralInput, rawInput);
    const organizationCode = this.requireOrganization();
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
    const kept = referral.slot !== null && (await this.settleHold(referral.slot.placeId, referral._id, 'KEPT'));
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
    if (referral.slot && referral.status === 'REQUESTED') await this.settleHold(referral.slot.placeId, referral._id, 'FREED');
    else if (referral.slot) await this.models.Place.deleteOne({ _id: referral.slot.placeId, referralId: referral._id }).exec();
    await this.models.BookingRequest.deleteOne({ _id: referral._id }).exec();
  }

  /**
   * Ends the hold of an unaccepted referral on its place, once: KEPT (acceptance: the caller
   * then keeps the place for good) or FREED (the place is deleted). A guarded delete or update
   * is not atomic on FerretDB (it selects, then writes by _id), so only the one who claims the
   * settlement touches the place; false when someone settled it first.
   */
  private async settleHold(placeIdValue: string, referralId: string, outcome: HoldSettlementDoc['outcome']): Promise<boolean> {
    if (!(await claim(this.models.HoldSettlement, { _id: holdKey(placeIdValue, referralId), outcome, at: new Date() }))) return false;
    if (outcome === 'FREED') await this.models.Place.deleteOne({ _id: placeIdValue, referralId }).exec();
    return true;
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

  private requireOrganization(): string {
    const code = this.access.viewer.organizationCode;
    if (!code) throw forbidden('An organization is required');
    return code;
  }
}

const holdKey = (placeIdValue: string, referralId: string) => `${placeIdValue}|${referralId}`;

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

/** A contract's standing rests on the resident's own acceptance. */
function contractRoot(contract: ContractDoc): StandingRoot {
  return { kind: 'RESIDENT', organizationCode: contract.organizationCode, basis: `contract ${contract._id} accepted by the resident` };
}

function contractSource(contract: ContractDoc) {
  return {
    residentId: contract.residentId,
    organizationCode: contract.organizationCode,
    kind: 'CONTRACT' as const,
    source: { subgraph: 'referrals', recordId: contract._id },
  };
}

// Contracts have ids like every other record: 24 lowercase hex characters.
const contractIdOf = (value: string) => recordIdOf(value, 'Contract');

/** Departments in the order of the closed list (the departments query). */
function departmentOrder(name: string): number {
  const index = (DEPARTMENTS as readonly string[]).indexOf(name);
  return index === -1 ? DEPARTMENTS.length : index;
}

function parseDate(value: string, field: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) throw badUserInput(`${field} must be a date (YYYY-MM-DD)`);
  return new Date(value);
}

/** A referral sent counts up or down for the sending organization, and feeds the referral form. */
export function activityOfReferral(referral: Pick<ReferralDoc, 'direction'>): RecordActivity {
  return { counts: referral.direction === 'UP' ? { referralsUp: 1 } : { referralsDown: 1 }, feeds: ['referral'] };
}
