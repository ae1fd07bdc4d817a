import { pageSize, residentIdOf } from '../../kit/ids';
import { pageInMemory } from '../../kit/pagination';
import type { ResidentResolvers } from '../resolver-types';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  referrals: async (resident, { status, first, after }, { loaders }) => {
    const referrals = await loaders.referralsFor(status).load(resident.id);
    return referrals && pageInMemory(referrals, pageSize(first), after);
  },
  familyDoctorContract: (resident, _args, { loaders }) => loaders.contractOf.load(resident.id),
};
