import type { HospitalBookingResolvers } from '../__generated__/resolver-types';

/** The result filed back is a reference: labs and records resolve it under their own policy. */
export const HospitalBooking: HospitalBookingResolvers = {
  id: (booking) => booking._id,
  resident: (booking) => ({ id: booking.residentId }),
  organization: (booking) => ({ code: booking.organizationCode }),
  fromOrganization: (booking) => ({ code: booking.fromOrganizationCode }),
  bookedAt: (booking) => booking.bookedAt.toISOString(),
  completedAt: (booking) => booking.completedAt?.toISOString() ?? null,
  cancelledAt: (booking) => booking.cancelledAt?.toISOString() ?? null,
  examReport: (booking) => (booking.resultReportId ? { id: booking.resultReportId } : null),
  discharge: (booking) => (booking.dischargeEncounterId ? { id: booking.dischargeEncounterId } : null),
};
