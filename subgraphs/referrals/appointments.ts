/** Residents' appointments in the public share of the slot pools: booked through a channel, cancelled before the session, listed for the resident. */

import { randomUUID } from 'node:crypto';
import { ENTRY_RULES } from '../../access-control/entry-points';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import { actorOf } from '../../access-control/viewer';
import type { CountActivity } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import { oneOf } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { recordIdOf } from '../runtime/ids';
import { parseInput } from '../runtime/input';
import { appointmentActivity, bookAppointmentInput, bookerOf, channelOf } from './appointment-rules';
import { type AppointmentDoc, type ReferralsModels, SESSIONS, type SlotPoolDoc } from './models';
import { hexIdOf, slotPoolId, withinHorizon } from './referral-rules';
import type { SlotPools } from './slot-pools';

export class Appointments {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    private readonly slotPools: SlotPools,
    private readonly horizonDays: number,
    /** Counts appointments booked or cancelled at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity,
  ) {}

  /**
   * Books one place of a session's public share for a resident, through a channel: the
   * resident for themselves, a 12320 operator for a caller (by phone), a hospital's system at
   * its own clinic. The channel and platform stored are those the bulletin counts it under
   * (channelOf). The reserved share stays the family doctors' until the release time. One
   * appointment per resident and session; the place is claimed by its _id, so no session is
   * overbooked however many book at once. The booking gives nobody standing.
   */
  async bookAppointment(rawInput: unknown): Promise<AppointmentDoc> {
    const input = parseInput(bookAppointmentInput, rawInput);
    const { viewer } = this.access;
    const booker = bookerOf(viewer);
    if (!booker) throw forbidden('Appointments are booked by residents, the 12320 hotline and hospitals’ own systems');
    const counted = channelOf(booker, input.channel, input.platform);
    if (!counted) throw forbidden(`${input.channel} is not a channel this caller books through (${booker.channels.join(', ')})`);
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
    const place = await this.slotPools.claimPlace(pool, false, now, { appointmentId, referralId: null, bookedBy: actorOf(viewer) });
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
      channel: counted.channel,
      platform: counted.platform,
      status: 'BOOKED',
      bookedAt: now,
      bookedBy: actorOf(viewer),
      bookedByOrganization: viewer.organizationCode ?? null,
      cancelledAt: null,
      cancelledBy: null,
      cancellationReason: null,
    };
    await this.models.Appointment.create(appointment);
    await this.countActivity(appointmentActivity(appointment, 1));
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
    await this.countActivity(appointmentActivity(appointment, -1));
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
}
