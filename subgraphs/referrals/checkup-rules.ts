/**
 * The rules of check-up bookings, pure: what a centre publishes for a package, what a
 * booking must name and how far ahead, and the ids that make places, bookings and their
 * settlements happen once.
 */
import { z } from 'zod';
import { isCalendarDate } from '../../platform/calendar';
import { isoDateRule, residentIdRule, sourceRecordIdRule, textRule } from '../runtime/input-rules';
import { SETTLEMENT_CHANNELS } from './models';
import { addDays, hexIdOf } from './referral-rules';

/** How far ahead a check-up can be booked: from tomorrow (Beijing) to this many days ahead. */
export const CHECKUP_HORIZON_DAYS = 60;
export const MAX_CHECKUP_CAPACITY = 500;
const MAX_PACKAGES = 50;
const MAX_PACKAGE_ITEMS = 100;
const LOINC = /^\d{1,7}-\d$/;

/** A centre's publication of its packages: every entry valid, each package code once, or nothing is written. */
export const publishCheckupPackagesInput = z
  .array(
    z.object({
      code: sourceRecordIdRule,
      name: textRule(100),
      items: z
        .array(z.object({ code: z.string().regex(LOINC, 'must be a LOINC code such as 2345-7').nullish(), name: textRule(100) }))
        .min(1, 'must name at least one item')
        .max(MAX_PACKAGE_ITEMS, `must name at most ${MAX_PACKAGE_ITEMS} items`),
      priceFen: z.number().int('must be a whole number of fen').min(1, 'must be at least 1').max(10_000_000, 'must be at most 10000000'),
      dailyCapacity: z
        .number()
        .int('must be a whole number')
        .min(0, 'must not be negative')
        .max(MAX_CHECKUP_CAPACITY, `must be at most ${MAX_CHECKUP_CAPACITY}`),
    }),
  )
  .min(1, 'must name at least one package')
  .max(MAX_PACKAGES, `must name at most ${MAX_PACKAGES} packages`)
  .superRefine((packages, context) => {
    const seen = new Map<string, number>();
    packages.forEach((entry, index) => {
      if (seen.has(entry.code)) context.addIssue({ code: 'custom', path: [index, 'code'], message: `repeats packages.${seen.get(entry.code)}` });
      seen.set(entry.code, index);
    });
  });

/** A booking: whom for, which package, which day (from tomorrow, Beijing, to the horizon). */
export function bookCheckupInput(today: string) {
  const last = addDays(today, CHECKUP_HORIZON_DAYS);
  return z.object({
    residentId: residentIdRule,
    packageId: z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters'),
    date: isoDateRule.superRefine((date, context) => {
      if (isCalendarDate(date) && (date <= today || date > last))
        context.addIssue({
          code: 'custom',
          message: `must be from tomorrow (${addDays(today, 1)}) to ${CHECKUP_HORIZON_DAYS} days ahead (${last}), Beijing time`,
        });
    }),
  });
}

export const payCheckupInput = z.object({ channel: z.enum(SETTLEMENT_CHANNELS) });

/** The one id of a centre's package: publishing the same code again updates it. */
export const checkupPackageId = (organizationCode: string, code: string) => hexIdOf(`checkup-package|${organizationCode}|${code}`);
/** The n-th place (1-based) of a package's day. */
export const checkupPlaceId = (packageId: string, date: string, n: number) => `${packageId}|${date}|${n}`;
/** What keeps one booking per resident, package and day. */
export const checkupSessionKey = (residentId: string, packageId: string, date: string) => `${residentId}|${packageId}|${date}`;
/** The centre's settlement ids of a booking's payment and of its refund on cancellation. */
export const checkupSettlementId = (bookingId: string) => `CHECKUP-${bookingId}`;
export const checkupRefundId = (bookingId: string) => `CHECKUP-${bookingId}-REFUND`;

/** The places still free of a package's day, in order: 1..capacity without those taken. */
export function freePlaces(packageId: string, date: string, capacity: number, taken: ReadonlySet<string>): string[] {
  return Array.from({ length: capacity }, (_, index) => checkupPlaceId(packageId, date, index + 1)).filter((id) => !taken.has(id));
}
