/**
 * Family doctors' bookings of hospital exams and virtual inpatient beds: one place of a
 * hospital's EXAM or VIRTUAL_BED slot pool for a contracted resident (the reserved share
 * first), the hospital's standing that the booking gives, the result or discharge the
 * hospital files back, and the centre's inbox and the hospital's worklist.
 */

import { acceptedReferralEnd, holdsRoleFor } from '../../access-control/policy';
import { type ResidentAccess, visibleRecords } from '../../access-control/resident-access';
import { actorOf } from '../../access-control/viewer';
import { claim } from '../../platform/claims';
import { idIn } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import { recordIdOf } from '../runtime/ids';
import { parseInput } from '../runtime/input';
import type { Contracts } from './contracts';
import {
  bookHospitalResourceInput,
  bookingRequestHash,
  fileHospitalResultInput,
  hospitalBookingLabel,
  hospitalBookingSensitivities,
  resultMismatch,
} from './hospital-booking-rules';
import { HOSPITAL_RESOURCE_KINDS, type HospitalBookingDoc, type HospitalResourceKind, type ReferralsModels, type SlotPoolDoc } from './models';
import { hexIdOf, withinHorizon } from './referral-rules';
import { DAY_MS, requireOrganization } from './repository-helpers';
import type { SlotPools } from './slot-pools';

const RESOURCE_NAMES: Record<HospitalResourceKind, string> = { EXAM: 'exams', VIRTUAL_BED: 'virtual beds' };

export class HospitalBookings {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
    private readonly contracts: Contracts,
    private readonly slotPools: SlotPools,
    private readonly horizonDays: number,
    /** A completed booking keeps the hospital's standing this long (follow-up questions about the result). */
    private readonly referralWindowDays: number,
  ) {}

  /**
   * Books one exam place or virtual bed for a resident under contract with the caller: the
   * reserved share first until the release time, then the public share; the place is claimed
   * by its _id, so no pool is overbooked. A retry with the same request id and content returns
   * the same booking. The hospital gets an accepted referral's standing, rooted in the booking.
   */
  async book(rawInput: unknown): Promise<HospitalBookingDoc> {
    const input = parseInput(bookHospitalResourceInput, rawInput);
    const centre = requireOrganization(this.access);
    const residentId = await this.access.requireWrite(input.residentId, 'book-hospital-resource');
    if (!(await this.contracts.isContractedFamilyDoctor(residentId)))
      throw forbidden('Exams and virtual beds are booked by the resident’s contracted family doctor');
    const pool = await this.models.SlotPool.findById(input.poolId).lean<SlotPoolDoc>().exec();
    if (!pool) throw appError('NOT_FOUND', 'No such pool: find one with availableSlots(kind: EXAM or VIRTUAL_BED)');
    const kind = pool.kind as HospitalResourceKind;
    if (!(HOSPITAL_RESOURCE_KINDS as readonly string[]).includes(pool.kind))
      throw badUserInput('poolId must name an EXAM or VIRTUAL_BED pool: specialist places are booked for a referral (bookReferralSlot)');
    if (kind === 'EXAM' && !input.examType) throw badUserInput('examType is required for an exam');
    if (kind === 'VIRTUAL_BED' && input.examType) throw badUserInput('examType is only for an exam');
    const now = new Date();
    if (!withinHorizon(pool.date, now, this.horizonDays) || pool.sessionStart.getTime() <= now.getTime())
      throw badUserInput(`The session must not have started and be at most ${this.horizonDays} days ahead`);
    if (!(await this.models.OpenHospitalResource.findById(`${pool.organizationCode}|${kind}`).lean().exec()))
      throw forbidden(`This hospital does not open its ${RESOURCE_NAMES[kind]} to family doctors`);

    const _id = hexIdOf(`hospital-booking|${centre}|${input.clientRequestId}`);
    const requestHash = bookingRequestHash({ ...input, residentId });
    if (!(await claim(this.models.HospitalBookingRequest, { _id, requestHash }))) return this.retried(_id, requestHash);
    const { viewer } = this.access;
    const place = await this.slotPools.claimPlace(pool, true, now, { hospitalBookingId: _id, bookedBy: actorOf(viewer) });
    if (!place) {
      await this.models.HospitalBookingRequest.deleteOne({ _id, requestHash }).exec();
      throw appError('CONFLICT', `No place left in this session’s ${RESOURCE_NAMES[kind]}`);
    }
    const booking: HospitalBookingDoc = {
      _id,
      residentId,
      kind,
      examType: input.examType ?? null,
      reason: input.reason,
      poolId: pool._id,
      placeId: place.id,
      share: place.share,
      organizationCode: pool.organizationCode,
      department: pool.department,
      date: pool.date,
      session: pool.session,
      fromOrganizationCode: centre,
      familyDoctor: viewer.practitionerId!,
      status: 'BOOKED',
      bookedAt: now,
      clientRequestId: input.clientRequestId,
      requestHash,
      resultReportId: null,
      dischargeEncounterId: null,
      completedAt: null,
      cancelledAt: null,
      cancellationReason: null,
      sensitivities: [],
    };
    booking.sensitivities = hospitalBookingSensitivities(booking);
    await this.models.HospitalBooking.create(booking);
    await this.access.recordCareRelationship({
      ...standingSource(booking),
      at: now,
      endsAt: acceptedReferralEnd(now, pool.sessionStart, this.access.settings),
      root: { kind: 'REFERRAL', organizationCode: centre, basis: `hospital booking ${_id} by the contracted family doctor` },
    });
    return booking;
  }

  /** The booking a retry names: the same content returns it; other content, or one still being made, is a CONFLICT. */
  private async retried(id: string, requestHash: string): Promise<HospitalBookingDoc> {
    const request = await this.models.HospitalBookingRequest.findById(id).lean().exec();
    if (request && request.requestHash !== requestHash) throw appError('CONFLICT', 'This clientRequestId was used for a different booking');
    const existing = await this.models.HospitalBooking.findById(id).lean<HospitalBookingDoc>().exec();
    if (!existing) throw appError('CONFLICT', 'This booking is still being made: retry it');
    return existing;
  }

  /** The centre that booked cancels before the session: the place goes back to its share and the hospital's standing ends. */
  async cancel(idInput: string, reason: string): Promise<HospitalBookingDoc> {
    const id = recordIdOf(idInput, 'Hospital booking');
    if (reason.trim().length < 4 || reason.trim().length > 500) throw badUserInput('reason must be 4-500 characters');
    const booking = await this.models.HospitalBooking.findById(id).lean<HospitalBookingDoc>().exec();
    if (!booking) throw appError('NOT_FOUND', 'No such hospital booking');
    await this.access.requireWrite(booking.residentId, 'book-hospital-resource');
    if (booking.fromOrganizationCode !== this.access.viewer.organizationCode) throw forbidden('Only the centre that booked cancels');
    const now = new Date();
    const pool = await this.models.SlotPool.findById(booking.poolId).lean<SlotPoolDoc>().exec();
    if (booking.status === 'BOOKED' && pool && pool.sessionStart.getTime() <= now.getTime())
      throw appError('CONFLICT', 'The session has started: too late to cancel');
    const cancelled = await this.end(booking, 'CANCELLED', now, { cancelledAt: now, cancellationReason: reason.trim() });
    // Only the one who claimed the outcome gives the place back.
    await this.models.Place.deleteOne({ _id: booking.placeId, hospitalBookingId: booking._id }).exec();
    await this.access.endCareRelationships([standingSource(booking)], now);
    return cancelled;
  }

  /**
   * The hospital's system files the result back, once: the exam's lab report or the
   * discharge encounter, a record of this resident. The family doctor then finds it in the
   * inbox; the hospital keeps standing for the referral window.
   */
  async fileResult(rawInput: unknown): Promise<HospitalBookingDoc> {
    const input = parseInput(fileHospitalResultInput, rawInput);
    const booking = await this.models.HospitalBooking.findById(input.bookingId).lean<HospitalBookingDoc>().exec();
    if (!booking) throw appError('NOT_FOUND', 'No such hospital booking');
    await this.access.requireWrite(booking.residentId, 'file-hospital-result');
    if (booking.organizationCode !== this.access.viewer.organizationCode) throw forbidden('Only the hospital booked files the result');
    const mismatch = resultMismatch(booking.kind, input);
    if (mismatch) throw badUserInput(mismatch);
    const [foreign] = input.labReportId
      ? await this.access.foreignRecords('lab-report', [input.labReportId], booking.residentId)
      : await this.access.foreignRecords('encounter', [input.dischargeEncounterId!], booking.residentId);
    if (foreign) throw badUserInput(`Not a record of this resident: ${foreign}`);
    const now = new Date();
    const completed = await this.end(booking, 'COMPLETED', now, {
      completedAt: now,
      resultReportId: input.labReportId ?? null,
      dischargeEncounterId: input.dischargeEncounterId ?? null,
    });
    await this.access.endCareRelationships([standingSource(booking)], new Date(now.getTime() + this.referralWindowDays * DAY_MS));
    return completed;
  }

  /** A booking ends once (the outcome is claimed); the others get CONFLICT. */
  private async end(
    booking: HospitalBookingDoc,
    outcome: 'COMPLETED' | 'CANCELLED',
    at: Date,
    patch: Partial<HospitalBookingDoc>,
  ): Promise<HospitalBookingDoc> {
    if (booking.status !== 'BOOKED' || !(await claim(this.models.HospitalBookingOutcome, { _id: booking._id, outcome, at })))
      throw appError('CONFLICT', `The booking is already ${booking.status === 'CANCELLED' ? 'cancelled' : 'completed'}`);
    const ended = await this.models.HospitalBooking.findOneAndUpdate({ _id: booking._id }, { $set: { ...patch, status: outcome } }, { returnDocument: 'after' })
      .lean<HospitalBookingDoc>()
      .exec();
    return ended!;
  }

  /** Bookings by id (entity references), those the viewer may see. */
  async byIds(ids: readonly string[]): Promise<HospitalBookingDoc[]> {
    const rows = await this.models.HospitalBooking.find({ _id: idIn(ids) })
      .lean<HospitalBookingDoc[]>()
      .exec();
    return visibleRecords(this.access, rows, 'referrals', hospitalBookingLabel);
  }

  /**
   * Bookings from the caller's centre (the family doctor's inbox, with the results filed
   * back) or to the caller's hospital (its worklist), newest first; each shown as the policy
   * decides for its resident, and audited.
   */
  async list(kind: HospitalResourceKind | null | undefined, first: number, after: string | null | undefined): Promise<Page<HospitalBookingDoc>> {
    const organizationCode = requireOrganization(this.access);
    // The family doctor's side is the centre that booked; a hospital's is the hospital booked.
    const query = holdsRoleFor(this.access.viewer, 'book-hospital-resource') ? { fromOrganizationCode: organizationCode } : { organizationCode };
    return timePage(
      {
        field: 'bookedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.HospitalBooking.find({ ...query, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<HospitalBookingDoc[]>()
            .exec(),
        keyOf: (booking) => ({ at: booking.bookedAt, id: booking._id }),
        keep: (rows) =>
          visibleRecords(
            this.access,
            rows.filter((row) => !kind || row.kind === kind),
            'referrals',
            hospitalBookingLabel,
          ),
      },
      first,
      after,
    );
  }
}

/** The hospital's standing a booking gives: an accepted referral's, with the booking as its source. */
function standingSource(booking: HospitalBookingDoc) {
  return {
    residentId: booking.residentId,
    organizationCode: booking.organizationCode,
    kind: 'REFERRAL' as const,
    source: { subgraph: 'referrals', recordId: booking._id },
  };
}
