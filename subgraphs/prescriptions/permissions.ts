/** Who may call each resolver of the prescriptions subgraph; which residents they see is the policy's call. */
import { entitiesWithinLimit, hasAnyRole, isAuthenticated, type PermissionMap } from '../kit/permissions';

const prescribers = hasAnyRole('doctor', 'family_doctor', 'internet_hospital');
const pharmacist = hasAnyRole('pharmacist');
const fields = (...names: string[]) => Object.fromEntries(names.map((name) => [name, isAuthenticated]));

export const permissions: PermissionMap = {
  Query: {
    drugs: isAuthenticated,
    prescription: hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'pharmacist', 'resident'),
    organizationPrescriptions: prescribers,
    pharmacyQueue: pharmacist,
    _entities: entitiesWithinLimit,
    _service: isAuthenticated,
  },
  Mutation: {
    issuePrescription: prescribers,
    revisePrescription: prescribers,
    signPrescription: hasAnyRole('doctor', 'family_doctor'),
    reviewPrescription: pharmacist,
    routePrescription: prescribers,
    dispensePrescription: pharmacist,
    completePrescription: pharmacist,
    cancelPrescription: prescribers,
    uploadPrescriptions: hasAnyRole('hospital_system'),
  },
  Resident: { prescriptions: hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'pharmacist', 'resident') },
  Prescription: {
    ...fields('id', 'resident', 'prescriber', 'status', 'issuedAt', 'validUntil', 'pharmacy', 'delivery', 'signature', 'review', 'dispensing', 'transitions', 'renewalCheck', 'filed'),
    warnings: hasAnyRole('doctor', 'family_doctor', 'internet_hospital', 'pharmacist'),
  },
  Transition: fields('organization', 'at'),
};
