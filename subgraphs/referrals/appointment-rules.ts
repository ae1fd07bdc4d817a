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
 * session (and kind, specialist unless said); a platform only where its channel has it.
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
    if (input.platform && !acceptsPlatform(input.channel, input.platform))
      context.addIssue({ code: 'custom', path: ['platform'], message: `${input.platform} is not a platform of the ${input.channel} channel` });
    const named = [input.organizationCode, input.department, input.date, input.session].filter((value) => value !== null && value !== undefined).length;
    if (input.poolId && named > 0)
      context.addIssue({ code: 'custom', path: ['poolId'], message: 'names the session already: leave out organizationCode, department, date and session' });
    if (!input.poolId && named < 4)
      context.addIssue({ code: 'custom', path: ['poolId'], message: 'or all of organizationCode, department, date and session are required' });
  });
export type BookAppointmentInput = z.infer<typeof bookAppointmentInput>;

/**
 * The platforms of each channel, as the bulletin reads its two appointment tables together:
 * 12320 online is 健康南京, 南京卫生 12320 on WeChat and the 12320 website; quick booking is the
 * 12320 quick-booking platform; third party is 我的南京. In the clinic and by phone are not online.
 */
export const CHANNEL_PLATFORMS: Readonly<Record<AppointmentChannel, readonly AppointmentPlatform[]>> = {
  ONLINE_12320: ['HEALTHY_NANJING_APP', 'WECHAT_12320', 'WEBSITE_12320'],
  QUICK: ['QUICK_BOOKING_12320'],
  THIRD_PARTY: ['MY_NANJING_APP'],
  IN_CLINIC: [],
  PHONE_12320: [],
};
/** A booking through a channel that names no platform is on this one (the 12320 website for 12320 online: the line's own site). */
const DEFAULT_PLATFORM: Readonly<Record<AppointmentChannel, AppointmentPlatform | null>> = {
  ONLINE_12320: 'WEBSITE_12320',
  QUICK: 'QUICK_BOOKING_12320',
  THIRD_PARTY: 'MY_NANJING_APP',
  IN_CLINIC: null,
  PHONE_12320: null,
};

/**
 * Whether a channel takes the platform. Kept for clients written before the platforms were
 * sorted into channels: ONLINE_12320 also takes MY_NANJING_APP and QUICK_BOOKING_12320, which
 * then book as THIRD_PARTY and QUICK (see channelOf).
 */
function acceptsPlatform(channel: AppointmentChannel, platform: AppointmentPlatform): boolean {
  return CHANNEL_PLATFORMS[channel].includes(platform) || (channel === 'ONLINE_12320' && (platform === 'MY_NANJING_APP' || platform === 'QUICK_BOOKING_12320'));
}

/**
 * Who books through which channels, and the write the policy decides for them: a resident
 * for themselves online, by quick booking or through a third party's app; a 12320 hotline
 * operator for a caller, by phone; a hospital's own system at its own clinic's desk. Who holds
 * each write is the policy's (WRITE_RULES); the first write in this order whose role the
 * viewer holds decides. `legacy`: channels older clients send, booked as the caller's channel.
 */
const BOOKERS: readonly { write: WriteKind; channels: readonly AppointmentChannel[]; legacy: readonly AppointmentChannel[] }[] = [
  { write: 'book-appointment', channels: ['ONLINE_12320', 'QUICK', 'THIRD_PARTY'], legacy: [] },
  // Before PHONE_12320, operators booked as ONLINE_12320 or QUICK: on the phone all the same.
  { write: 'book-appointment-by-phone', channels: ['PHONE_12320'], legacy: ['ONLINE_12320', 'QUICK'] },
  { write: 'book-in-clinic', channels: ['IN_CLINIC'], legacy: [] },
];

export function bookerOf(viewer: Viewer): (typeof BOOKERS)[number] | null {
  return BOOKERS.find((booker) => holdsRoleFor(viewer, booker.write)) ?? null;
}

/**
 * The channel and platform a booking is counted under, from what the client sent: an
 * operator's booking is by phone whatever older channel it names; ONLINE_12320 with
 * 我的南京 is THIRD_PARTY and with the quick-booking platform is QUICK; a channel with
 * platforms and none named gets its default. null: not a channel of this caller.
 */
export function channelOf(
  booker: (typeof BOOKERS)[number],
  channel: AppointmentChannel,
  platform: AppointmentPlatform | null | undefined,
): { channel: AppointmentChannel; platform: AppointmentPlatform | null } | null {
  if (booker.legacy.includes(channel)) return { channel: booker.channels[0]!, platform: null };
  if (!booker.channels.includes(channel)) return null;
  const named = platform ?? DEFAULT_PLATFORM[channel];
  if (named === null) return { channel, platform: null };
  const owner = (Object.keys(CHANNEL_PLATFORMS) as AppointmentChannel[]).find((candidate) => CHANNEL_PLATFORMS[candidate].includes(named))!;
  return booker.channels.includes(owner) ? { channel: owner, platform: named } : null;
}

/** The activity counters an appointment moves at its hospital (the cockpit's appointment statistics read them). */
const CHANNEL_COUNTERS: Record<AppointmentChannel, ActivityCounter> = {
  ONLINE_12320: 'appointmentsOnline12320',
  QUICK: 'appointmentsQuick',
  IN_CLINIC: 'appointmentsInClinic',
  THIRD_PARTY: 'appointmentsThirdParty',
  PHONE_12320: 'appointmentsPhone12320',
};
const PLATFORM_COUNTERS: Record<AppointmentPlatform, ActivityCounter> = {
  HEALTHY_NANJING_APP: 'platformHealthyNanjingApp',
  WECHAT_12320: 'platformWechat12320',
  MY_NANJING_APP: 'platformMyNanjingApp',
  QUICK_BOOKING_12320: 'platformQuickBooking12320',
  WEBSITE_12320: 'platformWebsite12320',
};

/**
 * What a booking (+1) or its cancellation (-1) adds, on the day it was booked: at the hospital
 * its channel and platform; a phone booking also at the hotline centre that took the call, as
 * a call and a phone appointment of the hotline's table. A cancelled booking leaves that day's
 * counts as if it never was.
 */
export function appointmentActivity(
  appointment: Pick<AppointmentDoc, 'organizationCode' | 'bookedAt' | 'channel' | 'platform' | 'bookedByOrganization'>,
  delta: 1 | -1,
): ActivityEntry[] {
  const counts: ActivityCounts = { [CHANNEL_COUNTERS[appointment.channel]]: delta };
  if (appointment.platform) counts[PLATFORM_COUNTERS[appointment.platform]] = delta;
  const atHospital: ActivityEntry = { organizationCode: appointment.organizationCode, at: appointment.bookedAt, counts };
  if (appointment.channel !== 'PHONE_12320' || !appointment.bookedByOrganization) return [atHospital];
  return [
    atHospital,
    { organizationCode: appointment.bookedByOrganization, at: appointment.bookedAt, counts: { hotlineCalls: delta, hotlinePhoneAppointments: delta } },
  ];
}
