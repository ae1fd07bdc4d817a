import type { CheckupBookingResolvers, CheckupPackageResolvers } from '../__generated__/resolver-types';

export const CheckupPackage: CheckupPackageResolvers = {
  id: (found) => found._id,
  organization: (found) => ({ code: found.organizationCode }),
};

export const CheckupBooking: CheckupBookingResolvers = {
  id: (booking) => booking._id,
  resident: (booking) => ({ id: booking.residentId }),
  organization: (booking) => ({ code: booking.organizationCode }),
  package: (booking, _args, { loaders }) => loaders.checkupPackageById.load(booking.packageId),
  bookedAt: (booking) => booking.bookedAt.toISOString(),
  paidAt: (booking) => booking.paidAt?.toISOString() ?? null,
  cancelledAt: (booking) => booking.cancelledAt?.toISOString() ?? null,
};
