/** Who may call each resolver of the referrals subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

const clinicians = hasAnyRole('doctor', 'family_doctor');
/** Who books appointments: residents for themselves, the 12320 hotline for callers, hospitals' systems at their clinic. */
const bookers = hasAnyRole('resident', 'hotline_operator', 'hospital_system');
const fields = (...names: string[]) => Object.fromEntries(names.map((name) => [name, isAuthenticated]));

export const permissions: PermissionMap = {
  Query: { departments: isAuthenticated, availableSlots: clinicians, referralInbox: clinicians, referralOutbox: clinicians, myAppointments: hasAnyRole('resident'), _entities: entitiesWithinLimit, _service: isAuthenticated },
  Mutation: {
    signContract: hasAnyRole('family_doctor'),
    acceptContract: hasAnyRole('resident'),
    renewContract: hasAnyRole('family_doctor'),
    terminateContract: hasAnyRole('family_doctor'),
    requestReferral: clinicians,
    bookReferralSlot: clinicians,
    acceptReferral: clinicians,
    rejectReferral: clinicians,
    markArrived: clinicians,
    completeReferral: clinicians,
    cancelReferral: clinicians,
    publishSlotPools: hasAnyRole('hospital_system'),
    bookAppointment: bookers,
    cancelAppointment: bookers,
  },
  Organization: { referralServices: isAuthenticated },
  Resident: { referrals: hasAnyRole('doctor', 'family_doctor', 'resident'), familyDoctorContract: hasAnyRole('doctor', 'family_doctor', 'resident') },
  Referral: fields('id', 'resident', 'fromOrganization', 'toOrganization', 'status', 'requestedAt', 'transitions'),
  ReferralTransition: fields('organization', 'at'),
  FamilyDoctorContract: fields('id', 'resident', 'organization', 'since', 'until', 'status'),
  Appointment: fields('id', 'resident', 'organization', 'bookedAt', 'cancelledAt'),
  SlotAvailability: fields('poolId', 'organization', 'department', 'date', 'session', 'kind', 'capacity', 'reserved', 'releaseAt'),
};
