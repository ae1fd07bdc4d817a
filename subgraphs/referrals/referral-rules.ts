/**
 * The rules of referrals and slot pools, pure: the state machine, expiry by the clock, the
 * booking horizon, and which places of a pool a caller may take (the reserved share first
 * for the resident's contracted family doctor, until the release time).
 */
import { createHash } from 'node:crypto';
import { REFERRAL_OFFER_DAYS } from '../../access-control/policy';
import {
  categoriesOf,
  type SensitiveCategory,
  sensitivitiesOfDiagnoses,
  sensitivitiesOfTexts,
  sensitivityOfDepartment,
  unionOf,
} from '../../access-control/sensitivity';
import { DEFAULT_SLOT_SETTINGS, type SlotSettings } from '../../platform/config';
import type { PlaceDoc, ReferralDoc, ReferralStatus, SlotPoolDoc } from './models';

export const BOOKING_HORIZON_DAYS = 14;
/** A completed referral keeps the receiver's care relationship this long, unless configured (REFERRAL_RELATIONSHIP_DAYS). */
export const REFERRAL_WINDOW_DAYS = 90;
/** A referral request not accepted within this many days expires. */
export const ACCEPT_WITHIN_DAYS = REFERRAL_OFFER_DAYS;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;
/** How far ahead a hospital may publish slot pools. */
export const PUBLISH_AHEAD_DAYS = 60;
/** The most places one session's pool may have. */
export const MAX_POOL_CAPACITY = 500;
/** Sessions start at 08:00 and 14:00 Beijing time (UTC+8). */
const SESSION_START_UTC: Record<SlotPoolDoc['session'], string> = { MORNING: '00:00:00Z', AFTERNOON: '06:00:00Z' };

/** Departments that take referrals (the receiving side must name one of them). */
export const DEPARTMENTS = [
  '心血管内科',
  '内分泌科',
  '呼吸内科',
  '消化内科',
  '神经内科',
  '肾内科',
  '普通外科',
  '骨科',
  '泌尿外科',
  '妇产科',
  '儿科',
  '眼科',
  '耳鼻咽喉科',
  '皮肤科',
  '肿瘤科',
  '精神科',
  '康复医学科',
  '全科医学科',
  '老年医学科',
  '影像科',
  '检验科',
] as const;

const NEXT: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  REQUESTED: ['ACCEPTED', 'SCHEDULED', 'REJECTED', 'CANCELLED'],
  ACCEPTED: ['SCHEDULED', 'REJECTED', 'CANCELLED'],
  SCHEDULED: ['ARRIVED', 'CANCELLED'],
  ARRIVED: ['COMPLETED'],
  REJECTED: [],
  COMPLETED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export function canMove(from: ReferralStatus, to: ReferralStatus): boolean {
  return NEXT[from].includes(to);
}

/** A request nobody accepted in time has expired, whether or not a job has run. */
export function effectiveStatus(referral: Pick<ReferralDoc, 'status' | 'expiresAt'>, now = new Date()): ReferralStatus {
  return referral.status === 'REQUESTED' && referral.expiresAt.getTime() < now.getTime() ? 'EXPIRED' : referral.status;
}

/** Today's date in Beijing, YYYY-MM-DD. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a session date can be booked now: not past, not beyond the horizon. */
export function withinHorizon(date: string, now: Date, horizonDays = BOOKING_HORIZON_DAYS): boolean {
  const today = beijingDate(now);
  return date >= today && date <= addDays(today, horizonDays);
}

/** A 24-hex-character id derived from a text: the same text, the same id. */
export const hexIdOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** What a hospital publishes for one session; the service derives the rest. */
export type SlotPoolEntry = Pick<SlotPoolDoc, 'department' | 'date' | 'session' | 'kind' | 'capacity'>;

/** The one id of a session's pool: publishing it again updates it. */
export function slotPoolId(organizationCode: string, entry: Omit<SlotPoolEntry, 'capacity'>): string {
  return hexIdOf(`pool|${organizationCode}|${entry.department}|${entry.date}|${entry.session}|${entry.kind}`);
}

/**
 * A published pool as the service stores it: a participating hospital reserves its share
 * (a percentage of the capacity, rounded up to whole places) for contracted family doctors
 * until the release time, a number of hours before the session starts; others reserve none.
 */
export function slotPoolOf(
  organizationCode: string,
  entry: SlotPoolEntry,
  participating: boolean,
  settings: SlotSettings = DEFAULT_SLOT_SETTINGS,
): SlotPoolDoc {
  const sessionStart = new Date(`${entry.date}T${SESSION_START_UTC[entry.session]}`);
  return {
    _id: slotPoolId(organizationCode, entry),
    organizationCode,
    department: entry.department,
    date: entry.date,
    session: entry.session,
    kind: entry.kind,
    capacity: entry.capacity,
    reserved: participating ? Math.floor((entry.capacity * settings.reservedSharePercent + 99) / 100) : 0,
    sessionStart,
    releaseAt: new Date(sessionStart.getTime() - settings.releaseHoursBefore * HOUR_MS),
  };
}

/** Whether every booked place keeps its number inside the pool's shares (so no share holds more than its size). */
export function coversPlaces(pool: Pick<SlotPoolDoc, '_id' | 'capacity' | 'reserved'>, booked: readonly Pick<PlaceDoc, '_id' | 'share'>[]): boolean {
  return booked.every((place) => {
    const number = Number(place._id.slice(place._id.lastIndexOf(':') + 1));
    return number <= (place.share === 'RESERVED' ? pool.reserved : pool.capacity - pool.reserved);
  });
}

export const placeId = (poolId: string, share: PlaceDoc['share'], number: number) => `${poolId}:${share === 'RESERVED' ? 'R' : 'P'}:${number}`;

/**
 * The places a caller may try, in order. Before the release time the reserved share is for
 * the resident's contracted family doctor only (who tries it first); after it, unused
 * reserved places are open to anyone, after the public ones.
 */
export function candidatePlaces(
  pool: SlotPoolDoc,
  taken: ReadonlySet<string>,
  reservedAllowed: boolean,
  now: Date,
): { id: string; share: PlaceDoc['share'] }[] {
  const places = (share: PlaceDoc['share'], count: number) => Array.from({ length: count }, (_, index) => ({ id: placeId(pool._id, share, index + 1), share }));
  const reserved = places('RESERVED', pool.reserved);
  const publicShare = places('PUBLIC', pool.capacity - pool.reserved);
  const released = now.getTime() >= pool.releaseAt.getTime();
  const order = released ? [...publicShare, ...reserved] : reservedAllowed ? [...reserved, ...publicShare] : publicShare;
  return order.filter((place) => !taken.has(place.id));
}

/** What a referral reveals: its diagnoses, the department it goes to, and its free text (the receiver's rejection reason too). */
export function referralSensitivities(
  referral: Pick<ReferralDoc, 'diagnoses' | 'toDepartment' | 'reason' | 'dischargeSummary' | 'followUpPlan'> & { rejectionReason?: string | null },
): SensitiveCategory[] {
  const text = sensitivitiesOfTexts([referral.reason, referral.dischargeSummary, referral.followUpPlan, referral.rejectionReason]);
  return unionOf(
    sensitivitiesOfDiagnoses(referral.diagnoses.map((diagnosis) => diagnosis.code)),
    categoriesOf([sensitivityOfDepartment(referral.toDepartment)]),
    text,
  );
}

/**
 * The consent label on read (the stored label united with a fresh one). Both ends of a
 * referral see it whatever the resident restricted: it was written by one and sent to the other.
 */
export function referralLabel(referral: ReferralDoc): { categories: SensitiveCategory[]; organizationCode: string[] } {
  return {
    categories: unionOf(referral.sensitivities, referralSensitivities(referral)),
    organizationCode: [referral.fromOrganizationCode, referral.toOrganizationCode],
  };
}

/** A booked place still counts: not held for a referral that expired unaccepted. */
export function isHeld(place: Pick<PlaceDoc, 'holdUntil'>, now: Date): boolean {
  return !place.holdUntil || place.holdUntil.getTime() >= now.getTime();
}

export function expiresAtOf(requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + ACCEPT_WITHIN_DAYS * DAY_MS);
}
