import { attachmentsRefOf } from '../../runtime/ids';
import { attachedRecords } from '../../runtime/loaders';
import type { HospitalBookingResolvers } from '../__generated__/resolver-types';

/** Records’ part of a hospital booking: the stay filed back at discharge, if the viewer may see it. */
export const HospitalBooking: HospitalBookingResolvers = {
  __resolveReference: (reference) => attachmentsRefOf(reference, 'dischargeEncounterIds'),
  discharge: async (booking, _args, { loaders }) => (await attachedRecords(booking, loaders.encounterById))[0] ?? null,
};
