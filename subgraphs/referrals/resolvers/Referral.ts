import { recordIdOf } from '../../runtime/ids';
import type { FamilyDoctorContractResolvers, ReferralResolvers, ReferralTransitionResolvers, SlotAvailabilityResolvers } from '../__generated__/resolver-types';
import { effectiveStatus } from '../referral-rules';

export const Referral: ReferralResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.referralById.load(recordIdOf(reference.id, 'Referral')),
  id: (referral) => referral._id,
  resident: (referral) => ({ id: referral.residentId }),
  fromOrganization: (referral) => ({ code: referral.fromOrganizationCode }),
  toOrganization: (referral) => ({ code: referral.toOrganizationCode }),
  status: (referral) => effectiveStatus(referral),
  requestedAt: (referral) => referral.requestedAt.toISOString(),
  transitions: (referral, _args, { loaders }) => loaders.transitionsOf.load(referral._id),
};

export const ReferralTransition: ReferralTransitionResolvers = {
  organization: (transition) => (transition.organizationCode ? { code: transition.organizationCode } : null),
  at: (transition) => transition.at.toISOString(),
};

export const FamilyDoctorContract: FamilyDoctorContractResolvers = {
  id: (contract) => contract._id,
  resident: (contract) => ({ id: contract.residentId }),
  organization: (contract) => ({ code: contract.organizationCode }),
  since: (contract) => contract.since.toISOString(),
  until: (contract) => contract.until.toISOString(),
  status: (contract) => (contract.status === 'ACTIVE' && contract.until.getTime() < Date.now() ? 'EXPIRED' : contract.status),
};

export const SlotAvailability: SlotAvailabilityResolvers = {
  poolId: (view) => view.pool._id,
  organization: (view) => ({ code: view.pool.organizationCode }),
  department: (view) => view.pool.department,
  date: (view) => view.pool.date,
  session: (view) => view.pool.session,
  kind: (view) => view.pool.kind,
  capacity: (view) => view.pool.capacity,
  reserved: (view) => view.reserved,
  releaseAt: (view) => view.pool.releaseAt.toISOString(),
};
