import { recordIdOf } from '../../kit/ids';
import type { PrescriptionResolvers } from '../resolver-types';

export const Prescription: PrescriptionResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.prescriptionById.load(recordIdOf(reference.id, 'Prescription')),
  id: (prescription) => prescription._id,
  prescriber: (prescription) => ({ code: prescription.organizationCode }),
  issuedAt: (prescription) => prescription.issuedAt.toISOString(),
};
