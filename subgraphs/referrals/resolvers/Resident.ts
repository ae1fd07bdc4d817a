import { pageSize, residentIdOf } from '../../kit/ids';
import type { ResidentResolvers } from '../resolver-types';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  referrals: async (resident, { first }, { loaders }) => (await loaders.referralsByResident.load(resident.id))?.slice(0, pageSize(first)) ?? null,
};
