/**
 * Slot pools: what each organization offers referrals, the pools a hospital publishes (with
 * the share reserved for family doctors), what a caller may book, and the places of a pool,
 * each claimed by its _id so a pool is never overbooked however many book at once.
 */

import { z } from 'zod';
import { allowsEntry } from '../../access-control/entry-points';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import { isCalendarDate } from '../../platform/calendar';
import { claim } from '../../platform/claims';
import type { SlotSettings } from '../../platform/config';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, badUserInput } from '../../platform/errors';
import { organizationCodeOf } from '../runtime/ids';
import { dateOf, parseInput } from '../runtime/input';
import { isoDateRule } from '../runtime/input-rules';
import {
  HOSPITAL_RESOURCE_KINDS,
  type HoldSettlementDoc,
  type HospitalResourceKind,
  type OpenHospitalResourceDoc,
  type PlaceDoc,
  type ReferralsModels,
  SESSIONS,
  SLOT_KINDS,
  type SlotPoolDoc,
} from './models';
import {
  addDays,
  beijingDate,
  candidatePlaces,
  coversPlaces,
  DEPARTMENTS,
  isHeld,
  MAX_POOL_CAPACITY,
  PUBLISH_AHEAD_DAYS,
  type SlotPoolEntry,
  slotPoolOf,
  withinHorizon,
} from './referral-rules';

/** The most pools one publication may carry (two weeks of two sessions for about ten departments and kinds). */
const MAX_PUBLISHED_POOLS = 500;

/** A publication of slot pools: every entry valid and each session named once, or nothing is written. */
function publishInput(today: string) {
  const last = addDays(today, PUBLISH_AHEAD_DAYS);
  const entry = z.object({
    department: z.enum(DEPARTMENTS, { message: 'is not a department that takes referrals' }),
    date: isoDateRule.superRefine((date, context) => {
      if (isCalendarDate(date) && (date < today || date > last))
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
  /** What family doctors book here directly (bookHospitalResource). */
  opensToFamilyDoctors: HospitalResourceKind[];
}

export interface SlotAvailabilityView {
  pool: SlotPoolDoc;
  /** The reserved share as it stands: after the release time, only the reserved places already booked. */
  reserved: number;
  reservedBooked: number;
  publicBooked: number;
  bookableByYou: number;
}

export class SlotPools {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    private readonly horizonDays: number,
    private readonly slotSettings: SlotSettings,
  ) {}

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
      organizationCodes.map((code) => [
        code,
        { departments: [], bookingHorizonDays: this.horizonDays, reservesForFamilyDoctors: false, opensToFamilyDoctors: [] },
      ]),
    );
    const opened = await this.models.OpenHospitalResource.find({
      _id: idIn(organizationCodes.flatMap((code) => HOSPITAL_RESOURCE_KINDS.map((kind) => `${code}|${kind}`))),
    })
      .lean<OpenHospitalResourceDoc[]>()
      .exec();
    for (const resource of opened) services.get(resource.organizationCode)?.opensToFamilyDoctors.push(resource.kind);
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
      service.opensToFamilyDoctors.sort((a, b) => SLOT_KINDS.indexOf(a) - SLOT_KINDS.indexOf(b));
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
    dateOf(from, 'from');
    dateOf(to, 'to');
    const today = beijingDate(new Date());
    if (from < today) throw badUserInput(`from must not be before today (${today}, Beijing): past sessions cannot be booked`);
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
    // A hospital that opens its exams or virtual beds to family doctors reserves their share of those pools too.
    const opened = await this.models.OpenHospitalResource.find({ _id: idIn(HOSPITAL_RESOURCE_KINDS.map((kind) => `${organizationCode}|${kind}`)) })
      .lean()
      .exec();
    const reserves = (kind: SlotPoolDoc['kind']) => participating || opened.some((resource) => resource.kind === kind);
    const poolOf = (entry: SlotPoolEntry) => slotPoolOf(organizationCode, entry, reserves(entry.kind), this.slotSettings);
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
      const reservedBooked = own.filter((place) => place.share === 'RESERVED').length;
      const released = now.getTime() >= pool.releaseAt.getTime();
      return {
        pool,
        reserved: released ? reservedBooked : pool.reserved,
        reservedBooked,
        publicBooked: own.filter((place) => place.share === 'PUBLIC').length,
        bookableByYou:
          mayBook && withinHorizon(pool.date, now, this.horizonDays)
            ? candidatePlaces(pool, taken, allowsEntry(this.access.viewer, 'see-reserved-share'), now).length
            : 0,
      };
    });
  }

  /**
   * Takes one place of the pool for a referral or an appointment, atomically on any engine:
   * free places are claimed by _id in order; a place held for a referral that expired
   * unaccepted goes to whoever settles that hold (once), in the same step, so a place freed
   * while many book at once is never left over. Null when none is left.
   */
  async claimPlace(
    pool: SlotPoolDoc,
    reservedAllowed: boolean,
    now: Date,
    holder: Pick<PlaceDoc, 'bookedBy'> & Partial<Pick<PlaceDoc, 'referralId' | 'appointmentId' | 'hospitalBookingId' | 'holdUntil'>>,
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

  /**
   * Ends the hold of an unaccepted referral on its place, once: KEPT (acceptance: the caller
   * then keeps the place for good) or FREED (the place is deleted). A guarded delete or update
   * is not atomic on FerretDB (it selects, then writes by _id), so only the one who claims the
   * settlement touches the place; false when someone settled it first.
   */
  async settleHold(placeIdValue: string, referralId: string, outcome: HoldSettlementDoc['outcome']): Promise<boolean> {
    if (!(await claim(this.models.HoldSettlement, { _id: holdKey(placeIdValue, referralId), outcome, at: new Date() }))) return false;
    if (outcome === 'FREED') await this.models.Place.deleteOne({ _id: placeIdValue, referralId }).exec();
    return true;
  }
}

/** A hold is settled once, keyed by its place and the referral that held it. */
export const holdKey = (placeIdValue: string, referralId: string) => `${placeIdValue}|${referralId}`;

/** Departments in the order of the closed list (the departments query). */
function departmentOrder(name: string): number {
  const index = (DEPARTMENTS as readonly string[]).indexOf(name);
  return index === -1 ? DEPARTMENTS.length : index;
}
