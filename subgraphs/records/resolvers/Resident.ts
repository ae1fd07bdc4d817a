import { maskIdNumber, maskPhone } from '../../../access-control/id-number';
import { mayUnmaskIdentifiers } from '../../../access-control/policy';
import { pageInMemory } from '../../../platform/pagination';
import { pageSize, residentIdOf } from '../../runtime/ids';
import type { ResidentResolvers } from '../__generated__/resolver-types';
import { RecordsRepository } from '../repository';

export const Resident: ResidentResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.residentById.load(residentIdOf(reference.id)),
  id: (resident) => resident._id,
  idNumber: (resident, _args, { viewer }) =>
    resident.idNumber === null || mayUnmaskIdentifiers(viewer, resident._id) ? resident.idNumber : maskIdNumber(resident.idNumber),
  phone: (resident, _args, { viewer }) => (resident.phone === null || mayUnmaskIdentifiers(viewer, resident._id) ? resident.phone : maskPhone(resident.phone)),
  identifiers: (resident, _args, { loaders }) => loaders.identifiersOf.load(resident),
  // From the same batched fetch as the summary: restricted encounters are already left out, so pages give nothing away.
  encounters: async (resident, { filter, first, after }, { loaders }) => {
    const kept = RecordsRepository.encounterFilter(filter);
    const encounters = await loaders.encountersOf.load(resident);
    return encounters && pageInMemory(encounters.filter(kept), pageSize(first), after);
  },
  conditions: async (resident, { clinicalStatus, first, after }, { loaders }) => {
    const conditions = await loaders.conditionsOf.load(resident);
    return (
      conditions &&
      pageInMemory(clinicalStatus ? conditions.filter((condition) => condition.clinicalStatus === clinicalStatus) : conditions, pageSize(first), after)
    );
  },
  allergies: async (resident, _args, { loaders }) => {
    const allergies = await loaders.allergiesOf.load(resident);
    return allergies && RecordsRepository.allergyStatement(resident, allergies);
  },
  hotlineCalls: async (resident, { first }, { loaders }) => (await loaders.hotlineCallsOf.load(resident))?.slice(0, pageSize(first)) ?? null,
  summary: async (resident, _args, { loaders }) => {
    const [conditions, allergies, encounters] = await Promise.all([
      loaders.conditionsOf.load(resident),
      loaders.allergiesOf.load(resident),
      loaders.encountersOf.load(resident),
    ]);
    return conditions && allergies && encounters ? RecordsRepository.summarize(resident, conditions, allergies, encounters) : null;
  },
};
