import { pageSize, residentIdOf } from '../../runtime/ids';
import type { ResidentResolvers } from '../resolver-types';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  prescriptions: (resident, { status, since, first, after }, { loaders }) =>
    loaders.prescriptionPage({ filter: { status, since }, first: pageSize(first), after }).load(resident.id),
};
