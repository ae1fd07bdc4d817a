/**
 * Health check-ups (体检): centres publish packages with a daily capacity; a resident books a
 * package for a day (each place claimed by its _id, so a day is never overbooked however many
 * book at once), pays through one-stop settlement, and may cancel before the day, refunded
 * whole. The booking gives the centre no standing: registration at its desk does.
 */

import { randomUUID } from 'node:crypto';
import { ENTRY_RULES } from '../../access-control/entry-points';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import type { CountActivity } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import { oneOf, operator } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { recordIdOf } from '../runtime/ids';
import { dateOf, parseInput } from '../runtime/input';
import {
  bookCheckupInput,
  checkupPackageId,
  checkupRefundId,
  checkupSessionKey,
  checkupSettlementId,
  freePlaces,
  payCheckupInput,
  publishCheckupPackagesInput,
} from './checkup-rules';
import type { CheckupBookingDoc, CheckupPackageDoc, CheckupPlaceDoc, ReferralsModels } from './models';
import { addDays, beijingDate, hexIdOf } from './referral-rules';
import { requestHashOf } from './settlement-rules';
import type { Settlements } from './settlements';

export interface CheckupDayView {
  date: string;
  capacity: number;
  booked: number;
}

export class Checkups {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    private readonly settlements: Settlements,
    /** Counts check-ups booked (and cancelled) at their centre (monitoring rollups). */
    private readonly countActivity: CountActivity,
  ) {}

  /**
   * A centre's own system publishes its packages, all or none: each entry checked before
   * anything is written; publishing a code again replaces the package (its price and capacity
   * apply to bookings made from then on; places already booked are kept).
   */
  async publishPackages(rawPackages: unknown): Promise<CheckupPackageDoc[]> {
    requireEntry(this.access.viewer, 'publish-checkup-packages');
    const organizationCode = this.access.viewer.organizationCode!;
    const entries = parseInput(publishCheckupPackagesInput, rawPackages);
    const now = new Date();
    const packages: CheckupPackageDoc[] = entries.map((entry) => ({
      _id: checkupPackageId(organizationCode, entry.code),
      organizationCode,
      code: entry.code,
      name: entry.name,
      items: entry.items.map((item) => ({ code: item.code ?? null, name: item.name })),
      priceFen: entry.priceFen,
      dailyCapacity: entry.dailyCapacity,
      publishedAt: now,
    }));
    await this.models.CheckupPackage.bulkWrite(packages.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })));
    return packages;
  }

  /** The packages of some centres, by code: reference data, one query. */
  async packagesOf(organizationCodes: readonly string[]): Promise<Map<string, CheckupPackageDoc[]>> {
    const rows = await this.models.CheckupPackage.find({ organizationCode: oneOf(organizationCodes) })
      .lean<CheckupPackageDoc[]>()
      .exec();
    const byCentre = new Map<string, CheckupPackageDoc[]>(organizationCodes.map((code) => [code, []]));
    for (const row of rows.sort((a, b) => a.code.localeCompare(b.code))) byCentre.get(row.organizationCode)?.push(row);
    return byCentre;
  }

  async packagesById(ids: readonly string[]): Promise<CheckupPackageDoc[]> {
    return this.models.CheckupPackage.find({ _id: oneOf(ids) })
      .lean<CheckupPackageDoc[]>()
      .exec();
  }

  /** How many places of a package are booked on each day from `from` to `to` (at most 31 days): two queries. */
  async availability(packageIdInput: string, fromInput: string, toInput: string): Promise<CheckupDayView[]> {
    const packageId = recordIdOf(packageIdInput, 'Check-up package');
    const from = dateOf(fromInput, 'from');
    const to = dateOf(toInput, 'to');
    if (to < from || to > addDays(from, 30)) throw badUserInput('to must be from 0 to 30 days after from');
    const found = await this.models.CheckupPackage.findById(packageId).lean<CheckupPackageDoc>().exec();
    if (!found) throw appError('NOT_FOUND', 'No such check-up package: find one with Organization.checkupPackages');
    const places = await this.models.CheckupPlace.find({ packageId, date: operator({ $gte: from, $lte: to }) }, { date: 1 })
      .lean<Pick<CheckupPlaceDoc, 'date'>[]>()
      .exec();
    const days = Array.from({ length: Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1 }, (_, index) => addDays(from, index));
    return days.map((date) => ({ date, capacity: found.dailyCapacity, booked: places.filter((place) => place.date === date).length }));
  }

  /**
   * Books a package for a resident's own day (the resident's own act, decided by the policy):
   * one booking per resident, package and day; the day's places claimed by _id in order, so N
   * concurrent bookings of the last place give exactly one. A full day is a CONFLICT.
   */
  async book(rawInput: unknown): Promise<CheckupBookingDoc> {
    const now = new Date();
    const input = parseInput(bookCheckupInput(beijingDate(now)), rawInput);
    const residentId = await this.access.requireWrite(input.residentId, 'book-checkup');
    const found = await this.models.CheckupPackage.findById(input.packageId).lean<CheckupPackageDoc>().exec();
    if (!found) throw appError('NOT_FOUND', 'No such check-up package: find one with Organization.checkupPackages');
    const bookingId = hexIdOf(`checkup|${randomUUID()}`);
    const sessionKey = checkupSessionKey(residentId, found._id, input.date);
    if (!(await claim(this.models.CheckupClaim, { _id: sessionKey, bookingId })))
      throw appError('CONFLICT', 'The resident already has this package booked on this day');
    const taken = new Set(
      (await this.models.CheckupPlace.find({ packageId: found._id, date: input.date }, { _id: 1 }).lean<Pick<CheckupPlaceDoc, '_id'>[]>().exec()).map(
        (place) => place._id,
      ),
    );
    let placeId: string | null = null;
    for (const candidate of freePlaces(found._id, input.date, found.dailyCapacity, taken)) {
      if (await claim(this.models.CheckupPlace, { _id: candidate, packageId: found._id, date: input.date, bookingId })) {
        placeId = candidate;
        break;
      }
    }
    if (!placeId) {
      await this.models.CheckupClaim.deleteOne({ _id: sessionKey, bookingId }).exec();
      throw appError('CONFLICT', `The day is full: no place left for this package on ${input.date}`);
    }
    const booking: CheckupBookingDoc = {
      _id: bookingId,
      residentId,
      packageId: found._id,
      organizationCode: found.organizationCode,
      date: input.date,
      placeId,
      priceFen: found.priceFen,
      status: 'BOOKED',
      bookedAt: now,
      settlementId: null,
      refundSettlementId: null,
      paidAt: null,
      cancelledAt: null,
      cancellationReason: null,
    };
    await this.models.CheckupBooking.create(booking);
    await this.countActivity([checkupActivity(booking, 1)]);
    return booking;
  }

  /**
   * The resident pays for their booking through one-stop settlement: a CHECKUP settlement of
   * the package's price at the centre, self-paid through the channel, made once (a retry
   * returns the booking as paid). A booking cancelled meanwhile is refunded at once.
   */
  async pay(idInput: string, rawChannel: unknown): Promise<CheckupBookingDoc> {
    const { channel } = parseInput(payCheckupInput, { channel: rawChannel });
    const booking = await this.ownBooking(idInput);
    if (booking.status === 'CANCELLED' || (await this.isCancelled(booking._id))) throw appError('CONFLICT', 'The booking is cancelled');
    const found = await this.models.CheckupPackage.findById(booking.packageId).lean<CheckupPackageDoc>().exec();
    const settlementId = checkupSettlementId(booking._id);
    await this.settlements.settleDecided(
      booking.organizationCode,
      settlementId,
      {
        residentId: booking.residentId,
        subject: 'CHECKUP',
        subjectId: booking._id,
        items: [{ name: found?.name ?? '体检套餐', quantity: 1, amountFen: booking.priceFen }],
        totalFen: booking.priceFen,
        insuranceFen: 0,
        selfPaidFen: booking.priceFen,
        channel,
      },
      requestHashOf({ checkup: booking._id, channel }),
    );
    const paid = await this.models.CheckupBooking.findOneAndUpdate(
      { _id: booking._id, status: 'BOOKED' },
      { $set: { status: 'PAID', settlementId, paidAt: new Date() } },
      { returnDocument: 'after' },
    )
      .lean<CheckupBookingDoc>()
      .exec();
    // A cancellation that claimed the booking before the settlement was stored refunds nothing: refund here.
    if (await this.isCancelled(booking._id)) await this.refundCancelled(booking);
    return paid ?? (await this.models.CheckupBooking.findById(booking._id).lean<CheckupBookingDoc>().exec())!;
  }

  /**
   * Cancels before the day, once: the place goes back to the day, and a paid booking is
   * refunded whole through one-stop settlement (a negative settlement naming the payment).
   */
  async cancel(idInput: string, reason: string): Promise<CheckupBookingDoc> {
    if (reason.trim().length < 2 || reason.trim().length > 500) throw badUserInput('reason must be 2-500 characters');
    const booking = await this.ownBooking(idInput);
    if (booking.date <= beijingDate(new Date())) throw appError('CONFLICT', 'Too late: a check-up is cancelled before its day');
    if (!(await claim(this.models.CheckupClaim, { _id: `cancel|${booking._id}`, bookingId: booking._id })))
      throw appError('CONFLICT', 'The booking is already cancelled');
    await this.models.CheckupPlace.deleteOne({ _id: booking.placeId, bookingId: booking._id }).exec();
    await this.models.CheckupClaim.deleteOne({ _id: checkupSessionKey(booking.residentId, booking.packageId, booking.date), bookingId: booking._id }).exec();
    const refund = await this.refundCancelled(booking);
    await this.countActivity([checkupActivity(booking, -1)]);
    return (await this.models.CheckupBooking.findOneAndUpdate(
      { _id: booking._id },
      {
        $set: {
          status: 'CANCELLED',
          cancelledAt: new Date(),
          cancellationReason: reason.trim(),
          ...(refund ? { refundSettlementId: refund.institutionSettlementId } : {}),
        },
      },
      { returnDocument: 'after' },
    )
      .lean<CheckupBookingDoc>()
      .exec())!;
  }

  /** The calling resident's own check-up bookings, latest day first (at most 100), audited as a read. */
  async myCheckups(): Promise<CheckupBookingDoc[]> {
    const { viewer } = this.access;
    requireEntry(viewer, 'list-own-appointments');
    const own = await this.access.survivorIdOf(viewer.residentId!);
    const { permitted, records } = await this.access.read('appointments', [own], (filedUnder) =>
      this.models.CheckupBooking.find({ residentId: oneOf(filedUnder) })
        .sort({ date: -1 })
        .limit(100)
        .lean<CheckupBookingDoc[]>()
        .exec(),
    );
    if (!permitted.has(own)) throw forbidden(ENTRY_RULES['list-own-appointments'].refusal);
    return records;
  }

  /** A booking the caller may act on: the resident's own, decided by the policy (the same refusal whether or not it exists). */
  private async ownBooking(idInput: string): Promise<CheckupBookingDoc> {
    const id = recordIdOf(idInput, 'Check-up booking');
    const booking = await this.models.CheckupBooking.findById(id).lean<CheckupBookingDoc>().exec();
    if (!booking) throw appError('NOT_FOUND', 'No such check-up booking');
    await this.access.requireWrite(booking.residentId, 'book-checkup');
    return booking;
  }

  private async isCancelled(bookingId: string): Promise<boolean> {
    return (await this.models.CheckupClaim.exists({ _id: `cancel|${bookingId}` }).exec()) !== null;
  }

  /** The whole payment of a cancelled booking refunded, once (the refund id is the booking's): null when it was never paid. */
  private refundCancelled(booking: CheckupBookingDoc) {
    return this.settlements.refundWholeDecided(booking.organizationCode, checkupSettlementId(booking._id), checkupRefundId(booking._id));
  }
}

/** What a booking (+1) or its cancellation (-1) adds to its centre's counts, on the day it was booked. */
function checkupActivity(booking: Pick<CheckupBookingDoc, 'organizationCode' | 'bookedAt'>, delta: 1 | -1) {
  return { organizationCode: booking.organizationCode, at: booking.bookedAt, counts: { checkupBookings: delta } };
}
