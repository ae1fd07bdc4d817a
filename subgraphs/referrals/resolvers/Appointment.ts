import type { AppointmentResolvers } from '../__generated__/resolver-types';

export const Appointment: AppointmentResolvers = {
  id: (appointment) => appointment._id,
  resident: (appointment) => ({ id: appointment.residentId }),
  organization: (appointment) => ({ code: appointment.organizationCode }),
  bookedAt: (appointment) => appointment.bookedAt.toISOString(),
  cancelledAt: (appointment) => appointment.cancelledAt?.toISOString() ?? null,
};
