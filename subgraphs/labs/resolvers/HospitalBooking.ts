import { attachmentsRefOf } from '../../runtime/ids';
import { attachedRecords } from '../../runtime/loaders';
import type { HospitalBookingResolvers } from '../__generated__/resolver-types';

/** Labs’ part of a hospital booking: the exam report filed back, if the viewer may see it. */
export const HospitalBooking: HospitalBookingResolvers = {
  __resolveReference: (reference) => attachmentsRefOf(reference, 'resultReportIds'),
  examReport: async (booking, _args, { loaders }) => (await attachedRecords(booking, loaders.reportById))[0] ?? null,
};
