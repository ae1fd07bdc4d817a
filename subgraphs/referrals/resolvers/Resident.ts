import { pageSize, residentIdOf } from '../../runtime/ids';
import type { ResidentResolvers } from '../__generated__/resolver-types';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  referrals: (resident, { status, first, after }, { loaders }) => loaders.referralPage({ status, first: pageSize(first), after }).load(resident.id),
  familyDoctorContract: (resident, _args, { loaders }) => loaders.contractOf.load(resident.id),
  nursingOrders: (resident, _args, { loaders }) => loaders.nursingOrdersOf.load(resident.id),
};
