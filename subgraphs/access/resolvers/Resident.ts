import { pageSize, residentIdOf } from '../../runtime/ids';
import type { ResidentResolvers } from '../resolver-types';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference) => ({ id: residentIdOf(reference.id) }),
  accessLog: (resident, { first, after }, { repository }) => repository.accessLog(resident.id, pageSize(first), after),
  careRelationships: (resident, _args, { loaders }) => loaders.careRelationshipsByResident.load(resident.id),
  consent: (resident, _args, { loaders }) => loaders.consentByResident.load(resident.id),
};
