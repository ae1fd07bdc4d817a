import { maskIdNumber, maskPhone } from '../../kit/id-number';
import { residentIdOf } from '../../kit/ids';
import { mayUnmaskIdentifiers } from '../../kit/policy';
import type { ResidentResolvers } from '../resolver-types';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.residentById.load(residentIdOf(reference.id)),
  id: (resident) => resident._id,
  idNumber: (resident, _args, { viewer }) => (mayUnmaskIdentifiers(viewer, resident._id) ? resident.idNumber : maskIdNumber(resident.idNumber)),
  phone: (resident, _args, { viewer }) =>
    resident.phone === null || mayUnmaskIdentifiers(viewer, resident._id) ? resident.phone : maskPhone(resident.phone),
};
