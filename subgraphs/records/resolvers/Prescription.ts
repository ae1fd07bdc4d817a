import { residentIdOf } from '../../kit/ids';
import { RecordsRepository } from '../repository';
import type { PrescriptionResolvers } from '../resolver-types';

/** Records' part of a prescription: the facts from the resident's record its safety checks need. */
export const Prescription: PrescriptionResolvers = {
  __resolveReference: (reference) => ({ id: String(reference.id), residentId: residentIdOf((reference as { residentId?: unknown }).residentId) }),
  safetyFacts: async (prescription, _args, { loaders }) => {
    const resident = await loaders.residentById.load(prescription.residentId);
    if (!resident) return null;
    const [allergies, conditions] = await Promise.all([loaders.allergiesOf.load(resident), loaders.conditionsOf.load(resident)]);
    return allergies && conditions ? RecordsRepository.safetyFacts(allergies, conditions) : null;
  },
};
