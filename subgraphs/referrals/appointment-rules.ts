/**
 * The rules of appointments, pure: what a booking must carry, which channels each kind of
 * caller books through, and how a booking counts for the city's statistics (per hospital and
 * channel, and per online platform of the 12320 channel, as the health commission's bulletin
 * counts them).
 */
import { z } from 'zod';
import { holdsRoleFor, type WriteKind } from '../../access-control/policy';
import type { Viewer } from '../../access-control/viewer';
import type { ActivityCounter, ActivityCounts, ActivityEntry } from '../../monitoring/activity-store';
import { isoDateRule } from '../runtime/input-rules';
import {
  APPOINTMENT_CHANNELS,
  APPOINTMENT_PLATFORMS,
  type AppointmentChannel,
  type AppointmentDoc,
  type AppointmentPlatform,
  SESSIONS,
  SLOT_KINDS,
} from './models';
import { DEPARTMENTS } from './referral-rules';

const HEX_ID = /^[0-9a-f]{24}$/;
const HEX_RULE = 'must be 24 lowercase hex characters';

/**
 * A booking names its session either by the pool's id or by hospital, department, date and
 * session (and kind, specialist unless said); an online platform only with the 12320 online channel.
 */
export const bookAppointmentInput = z
  .object({
    residentId: z.string().regex(HEX_ID, HEX_RULE),
    channel: z.enum(APPOINTMENT_CHANNELS),
    platform: z.enum(APPOINTMENT_PLATFORMS).nullish(),
    poolId: z.string().regex(HEX_ID, HEX_RULE).nullish(),
    organizationCode: z
      .string()
      .regex(/^3201-[A-Z]\d{2,4}$/, 'must be an organization code such as 3201-H001')
      .nullish(),
    department: z.enum(DEPARTMENTS, { message: 'is not a department that takes bookings' }).nullish(),
    date: isoDateRule.nullish(),
    session: z.enum(SESSIONS).nullish(),
    kind: z.enum(SLOT_KINDS).nullish(),
  })
  .superRefine((input, context) => {
    if (input.platform && input.channel !== 'ONLINE_12320')
      context.addIssue({ code: 'custom', path: ['platform'], message: 'is only for the ONLINE_12320 channel' });
    const named = [input.organizationCode, input.department, input.date, input.session].filter((value) => value !== null && value !== undefined).length;
    if (input.poolId && named > 0)
      context.addIssue({ code: 'custom', path: ['poolId'], message: 'names the session already: leave out organizationCode, department, date and session' });
    if (!input.poolId && named < 4)
      context.addIssue({ code: 'custom', path: ['poolId'], message: 'or all of organizationCode, department, date and session are required' });
  });
export type BookAppointmentInput = z.infer<typeof bookAppointmentInput>;

/**
 * Who books through which channels, and the write the policy decides for them: a resident
 * for themselves online, by quick booking or through a third party's app; a 12320 hotline
 * operator for a caller, online or by quick booking; a hospital's own system at its own
 * clinic's desk. Who holds each write is the policy's (WRITE_RULES); the first write in this
 * order whose role the viewer holds decides.
 */
const BOOKERS: readonly { write: WriteKind; channels: readonly AppointmentChannel[] }[] = [
  { write: 'book-appointment', channels: ['ONLINE_12320', 'QUICK', 'THIRD_PARTY'] },
  { write: 'book-appointment-by-phone', channels: ['ONLINE_12320', 'QUICK'] },
  { write: 'book-in-clinic', channels: ['IN_CLINIC'] },
];

export function bookerOf(viewer: Viewer): (typeof BOOKERS)[number] | null {
  return BOOKERS.find((booker) => holdsRoleFor(viewer, booker.write)) ?? null;
}

/** The activity counters an appointment moves at its hospital (the cockpit's appointment statistics read them). */
const CHANNEL_COUNTERS: Record<AppointmentChannel, ActivityCounter> = {
  ONLINE_12320: 'appointmentsOnline12320',
  QUICK: 'appointmentsQuick',
  IN_CLINIC: 'appointmentsInClinic',
  THIRD_PARTY: 'appointmentsThirdParty',
};
const PLATFORM_COUNTERS: Record<AppointmentPlatform, ActivityCounter> = {
  HEALTHY_NANJING_APP: 'platformHealthyNanjingApp',
  WECHAT_12320: 'platformWechat12320',
  MY_NANJING_APP: 'platformMyNanjingApp',
  QUICK_BOOKING_12320: 'platformQuickBooking12320',
  WEBSITE_12320: 'platformWebsite12320',
};

/**
 * What a booking (+1) or its cancellation (-1) adds to the hospital's counts, on the day it
 * was booked: a cancelled booking leaves that day's counts as if it never was.
 */
export function appointmentActivity(appointment: Pick<AppointmentDoc, 'organizationCode' | 'bookedAt' | 'channel' | 'platform'>, delta: 1 | -1): ActivityEntry {
  const counts: ActivityCounts = { [CHANNEL_COUNTERS[appointment.channel]]: delta };
  if (appointment.platform) counts[PLATFORM_COUNTERS[appointment.platform]] = delta;
  return { organizationCode: appointment.organizationCode, at: appointment.bookedAt, counts };
}
