/**
 * Prescription → one MedicationRequest per item (grouped by the prescription's id), and one
 * MedicationDispense per item once a pharmacy dispensed it. Drugs are coded by their NMPA
 * approval number.
 */
import type { MedicationDispense, MedicationRequest } from '@medplum/fhirtypes';
import { categoriesOf, sensitivitiesOfDiagnoses, sensitivitiesOfTexts, sensitivityOfDrug, unionOf } from '../../access-control/sensitivity';
import type { DrugInns } from './drug-facts';
import type { PrescriptionRecord } from './records';
import { organizationReference, patientReference, practitionerReference } from './references';
import { concept, SYSTEMS, securityLabels, ucumQuantity } from './terminology';

const STATUSES: Readonly<Record<string, MedicationRequest['status']>> = {
  DRAFT: 'draft',
  SIGNED: 'active',
  APPROVED: 'active',
  ROUTED: 'active',
  DISPENSED: 'completed',
  DELIVERED: 'completed',
  PICKED_UP: 'completed',
  REJECTED: 'cancelled',
  CANCELLED: 'cancelled',
  EXPIRED: 'stopped',
};

/** Statuses of a prescription still to be taken (the summary's current medications). */
export const CURRENT_STATUSES = new Set(['SIGNED', 'APPROVED', 'ROUTED', 'DISPENSED', 'DELIVERED', 'PICKED_UP']);

const DAYS = { system: SYSTEMS.ucum, code: 'd', unit: 'd' };

export const medicationRequestId = (prescriptionId: string, index: number) => `${prescriptionId}-${index + 1}`;

function prescriptionLabels(prescription: PrescriptionRecord, inns: DrugInns) {
  const drugs = prescription.items.map((item) => {
    const inn = inns.get(item.drug.code);
    return inn ? sensitivityOfDrug(inn) : null;
  });
  const instructions = sensitivitiesOfTexts(prescription.items.map((item) => item.instructions));
  return securityLabels(unionOf(sensitivitiesOfDiagnoses(prescription.diagnoses.map((diagnosis) => diagnosis.code)), categoriesOf(drugs), instructions));
}

/** inns: the catalogue's facts for the prescription's drugs (drug-facts.ts). */
export function medicationResources(residentId: string, prescription: PrescriptionRecord, inns: DrugInns): (MedicationRequest | MedicationDispense)[] {
  const labels = prescriptionLabels(prescription, inns);
  const meta = labels.length ? { meta: { security: labels } } : {};
  return prescription.items.flatMap((item, index) => {
    const id = medicationRequestId(prescription.id, index);
    const request: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id,
      ...meta,
      groupIdentifier: { system: 'urn:jinling-hie:prescription', value: prescription.id },
      status: STATUSES[prescription.status] ?? 'unknown',
      intent: 'order',
      medicationCodeableConcept: concept(item.drug),
      subject: patientReference(residentId),
      ...(prescription.encounter ? { encounter: { reference: `Encounter/${prescription.encounter.id}` } } : {}),
      authoredOn: prescription.issuedAt,
      requester: prescription.prescriberPractitioner
        ? practitionerReference(prescription.prescriberPractitioner)
        : organizationReference(prescription.prescriber),
      ...(prescription.diagnoses.length ? { reasonCode: prescription.diagnoses.map(concept) } : {}),
      dosageInstruction: [
        {
          text: `${item.strength} ${item.dose}${item.doseUnit} ${item.route} ${item.frequency} × ${item.days}d${item.instructions ? `; ${item.instructions}` : ''}`,
          route: { text: item.route },
          timing: { code: { text: item.frequency } },
          ...(item.instructions ? { patientInstruction: item.instructions } : {}),
          doseAndRate: [{ doseQuantity: { value: item.dose, unit: item.doseUnit } }],
        },
      ],
      dispenseRequest: {
        validityPeriod: { start: prescription.issuedAt, end: prescription.validUntil },
        quantity: { value: item.quantity },
        expectedSupplyDuration: { value: item.days, ...DAYS },
      },
    };
    if (!prescription.dispensing) return [request];
    const dispense: MedicationDispense = {
      resourceType: 'MedicationDispense',
      id: `${id}-dispense`,
      ...meta,
      status: 'completed',
      medicationCodeableConcept: concept(item.drug),
      subject: patientReference(residentId),
      performer: [{ actor: practitionerReference(prescription.dispensing.pharmacist) }, { actor: organizationReference(prescription.dispensing.pharmacy) }],
      authorizingPrescription: [{ reference: `MedicationRequest/${id}` }],
      quantity: { value: item.quantity },
      daysSupply: ucumQuantity(item.days, 'd'),
      whenHandedOver: prescription.dispensing.at,
      note: [{ text: `lot ${prescription.dispensing.lot}` }],
    };
    return [request, dispense];
  });
}
