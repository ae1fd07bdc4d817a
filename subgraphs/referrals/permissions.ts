/** Who may call each resolver of the referrals subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

const clinicians = hasAnyRole('doctor', 'family_doctor');
const fields = (...names: string[]) => Object.fromEntries(names.map((name) => [name, isAuthenticated]));

export const permissions: PermissionMap = {
  Query: { departments: isAuthenticated, availableSlots: clinicians, referralInbox: clinicians, referralOutbox: clinicians, _entities: entitiesWithinLimit, _service: isAuthenticated },
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
  },
  Organization: { referralServices: isAuthenticated },
  Resident: { referrals: hasAnyRole('doctor', 'family_doctor', 'resident'), familyDoctorContract: hasAnyRole('doctor', 'family_doctor', 'resident') },
  Referral: fields('id', 'resident', 'fromOrganization', 'toOrganization', 'status', 'requestedAt', 'transitions'),
  ReferralTransition: fields('organization', 'at'),
  FamilyDoctorContract: fields('id', 'resident', 'organization', 'since', 'until', 'status'),
  SlotAvailability: fields('poolId', 'organization', 'department', 'date', 'session', 'kind', 'capacity', 'reserved', 'releaseAt'),
};
