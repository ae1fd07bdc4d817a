import { recordIdOf, residentIdOf } from '../../runtime/ids';
import type { PrescriptionResolvers } from '../__generated__/resolver-types';
import { RecordsRepository } from '../repository';

/** Records' part of a prescription: the facts from the resident's record its safety checks need, and its encounter. */
export const Prescription: PrescriptionResolvers = {
  __resolveReference: (reference) => {
    const { residentId, encounterId } = reference as { residentId?: unknown; encounterId?: unknown };
    return { id: String(reference.id), residentId: residentIdOf(residentId), encounterId: encounterId == null ? null : recordIdOf(encounterId, 'Encounter') };
  },
  // Null when there is none, when the viewer may not see it, or when it is another resident's.
  encounter: async (prescription, _args, { loaders }) => {
    if (!prescription.encounterId) return null;
    const encounter = await loaders.encounterById.load(prescription.encounterId);
    return encounter?.residentId === prescription.residentId ? encounter : null;
  },
  safetyFacts: async (prescription, _args, { loaders }) => {
    const resident = await loaders.residentById.load(prescription.residentId);
    if (!resident) return null;
    // The version is read before the facts: a change filed meanwhile makes it newer than what was read, never older.
    const version = await loaders.safetyVersionOf.load(resident._id);
    const [allergies, conditions] = await Promise.all([loaders.allergiesOf.load(resident), loaders.conditionsOf.load(resident)]);
    return allergies && conditions ? { ...RecordsRepository.safetyFacts(allergies, conditions), version } : null;
  },
};
