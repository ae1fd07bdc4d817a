/**
 * The rules of family doctors' bookings of hospital exams and virtual beds, pure: what a
 * booking and a filed result must carry, what a booking reveals (its consent label), and
 * the one request a retry must repeat.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { categoriesOf, type SensitiveCategory, sensitivitiesOfTexts, sensitivityOfDepartment, unionOf } from '../../access-control/sensitivity';
import { CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE } from '../runtime/ids';
import { EXAM_TYPES, type HospitalBookingDoc } from './models';

const HEX_ID = /^[0-9a-f]{24}$/;
const HEX_RULE = 'must be 24 lowercase hex characters';

/** A booking names the pool (an EXAM or VIRTUAL_BED SlotAvailability), why, and for an exam what is to be done. */
export const bookHospitalResourceInput = z.object({
  residentId: z.string().regex(HEX_ID, HEX_RULE),
  poolId: z.string().regex(HEX_ID, HEX_RULE),
  examType: z.enum(EXAM_TYPES).nullish(),
  reason: z.string().trim().min(2, 'must be 2-500 characters').max(500, 'must be 2-500 characters'),
  clientRequestId: z.string().regex(CLIENT_REQUEST_ID, CLIENT_REQUEST_ID_RULE),
});
export type BookHospitalResourceInput = z.infer<typeof bookHospitalResourceInput>;

/** The hospital files one reference back: the exam's lab report, or the virtual bed's discharge encounter. */
export const fileHospitalResultInput = z
  .object({
    bookingId: z.string().regex(HEX_ID, HEX_RULE),
    labReportId: z.string().regex(HEX_ID, HEX_RULE).nullish(),
    dischargeEncounterId: z.string().regex(HEX_ID, HEX_RULE).nullish(),
  })
  .superRefine((input, context) => {
    if (!input.labReportId === !input.dischargeEncounterId)
      context.addIssue({ code: 'custom', path: ['labReportId'], message: 'or dischargeEncounterId is required, not both' });
  });

/** Whether the result filed fits the booking: a report for an exam, a discharge for a bed. */
export function resultMismatch(kind: HospitalBookingDoc['kind'], filed: { labReportId?: string | null; dischargeEncounterId?: string | null }): string | null {
  if (kind === 'EXAM' && !filed.labReportId) return 'An exam booking is completed with its lab report (labReportId)';
  if (kind === 'VIRTUAL_BED' && !filed.dischargeEncounterId) return 'A virtual bed booking is completed with its discharge encounter (dischargeEncounterId)';
  return null;
}

/** What a booking reveals: the department it goes to and the family doctor's reason. */
export function hospitalBookingSensitivities(booking: Pick<HospitalBookingDoc, 'department' | 'reason'>): SensitiveCategory[] {
  return unionOf(categoriesOf([sensitivityOfDepartment(booking.department)]), sensitivitiesOfTexts([booking.reason]));
}

/** The consent label on read: both ends see what one wrote for the other, whatever the resident restricted. */
export function hospitalBookingLabel(booking: HospitalBookingDoc): { categories: SensitiveCategory[]; organizationCode: string[] } {
  return {
    categories: unionOf(booking.sensitivities, hospitalBookingSensitivities(booking)),
    organizationCode: [booking.fromOrganizationCode, booking.organizationCode],
  };
}

/** What a retry must ask for again: the same resident, pool, exam and reason. */
export function bookingRequestHash(input: Pick<BookHospitalResourceInput, 'residentId' | 'poolId' | 'examType' | 'reason'>): string {
  return createHash('sha256')
    .update(JSON.stringify([input.residentId, input.poolId, input.examType ?? null, input.reason]))
    .digest('hex');
}
