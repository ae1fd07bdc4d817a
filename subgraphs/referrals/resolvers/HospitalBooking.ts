import { recordIdOf } from '../../runtime/ids';
import type { HospitalBookingResolvers } from '../__generated__/resolver-types';

/** The result filed back is handed over by id: labs and records resolve it under their own policy. */
export const HospitalBooking: HospitalBookingResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.hospitalBookingById.load(recordIdOf(reference.id, 'Hospital booking')),
  id: (booking) => booking._id,
  resident: (booking) => ({ id: booking.residentId }),
  organization: (booking) => ({ code: booking.organizationCode }),
  fromOrganization: (booking) => ({ code: booking.fromOrganizationCode }),
  bookedAt: (booking) => booking.bookedAt.toISOString(),
  completedAt: (booking) => booking.completedAt?.toISOString() ?? null,
  cancelledAt: (booking) => booking.cancelledAt?.toISOString() ?? null,
  resultReportIds: (booking) => (booking.resultReportId ? [booking.resultReportId] : []),
  dischargeEncounterIds: (booking) => (booking.dischargeEncounterId ? [booking.dischargeEncounterId] : []),
};
