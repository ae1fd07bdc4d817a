import { maskPhone } from '../../../access-control/id-number';
import { isOwnRecord } from '../../../access-control/policy';
import { recordIdOf } from '../../runtime/ids';
import type { PrescriptionResolvers, TransitionResolvers } from '../__generated__/resolver-types';
import { contentHash, effectiveStatus, renewalCheckFor, warningsFor } from '../prescription-rules';

const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);

export const Prescription: PrescriptionResolvers = {
  // The gateway brings the record's safety facts along when warnings are asked for.
  __resolveReference: async (reference, { loaders }) => {
    const found = await loaders.prescriptionById.load(recordIdOf(reference.id, 'Prescription'));
    return found && { ...found, safetyFacts: (reference as { safetyFacts?: never }).safetyFacts ?? null };
  },
  id: (prescription) => prescription._id,
  resident: (prescription) => ({ id: prescription.residentId }),
  prescriber: (prescription) => ({ code: prescription.organizationCode }),
  status: (prescription) => effectiveStatus(prescription),
  issuedAt: (prescription) => prescription.issuedAt.toISOString(),
  validUntil: (prescription) => prescription.validUntil.toISOString(),
  pharmacy: (prescription) => (prescription.pharmacyCode ? { code: prescription.pharmacyCode } : null),
  // Delivery details go to the pharmacy once it is routed there (and to the resident).
  delivery: (prescription, _args, { viewer }) => {
    if (!prescription.delivery) return null;
    const routedHere = viewer.organizationCode === prescription.pharmacyCode && ['ROUTED', 'DISPENSED', 'DELIVERED', 'PICKED_UP'].includes(prescription.status);
    if (routedHere || isOwnRecord(viewer, prescription.residentId)) return prescription.delivery;
    return {
      method: prescription.delivery.method,
      address: prescription.delivery.address ? `${prescription.delivery.address.slice(0, 6)}****` : null,
      phone: prescription.delivery.phone ? maskPhone(prescription.delivery.phone) : null,
    };
  },
  signature: (prescription) =>
    prescription.signature && {
      ...prescription.signature,
      signedAt: iso(prescription.signature.signedAt)!,
      valid: prescription.signature.contentHash === contentHash(prescription),
    },
  review: (prescription) =>
    prescription.review && {
      ...prescription.review,
      pharmacy: { code: prescription.review.pharmacyCode },
      outcome: prescription.review.outcome,
      at: iso(prescription.review.at)!,
    },
  dispensing: (prescription) =>
    prescription.dispensing && { ...prescription.dispensing, pharmacy: { code: prescription.dispensing.pharmacyCode }, at: iso(prescription.dispensing.at)! },
  transitions: (prescription, _args, { loaders }) => loaders.transitionsOf.load(prescription._id),
  filed: (prescription) => (prescription.filed ? { sourceRecordId: prescription.filed.sourceRecordId, uploadedAt: iso(prescription.filed.uploadedAt)! } : null),
  // Pure: reading warnings records nothing (an approval makes its own check).
  warnings: async (prescription, _args, { loaders }) =>
    warningsFor(prescription, prescription.safetyFacts ?? null, await loaders.activeOf.load(prescription.residentId)),
  renewalCheck: (prescription) => renewalCheckFor(prescription, prescription.safetyFacts ?? null),
  // Kept (a write on read): the chosen pharmacy's review names it instead of sending the facts back.
  safetySnapshot: (prescription, _args, { repository }) => repository.snapshots.take(prescription, prescription.safetyFacts ?? null),
};

export const Transition: TransitionResolvers = {
  organization: (transition) => (transition.organizationCode ? { code: transition.organizationCode } : null),
  at: (transition) => transition.at.toISOString(),
};
