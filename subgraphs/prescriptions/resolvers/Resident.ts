import { pageSize, residentIdOf } from '../../kit/ids';
import { pageInMemory } from '../../kit/pagination';
import type { ResidentResolvers } from '../resolver-types';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  prescriptions: async (resident, { status, since, first, after }, { loaders }) => {
    const prescriptions = await loaders.prescriptionsFor({ status, since }).load(resident.id);
    return prescriptions && pageInMemory(prescriptions, pageSize(first), after);
  },
};
