/**
 * Internet hospital → cloud pharmacy: a physician of an internet hospital issues and signs a
 * prescription for a cloud pharmacy; that pharmacy's pharmacist finds it in the queue, looks
 * at the safety warnings, approves it; the internet hospital routes it; the pharmacist
 * dispenses it and records the pick-up.
 *
 *   npm run example -- internet-hospital-pharmacy
 */
import { gql } from '@apollo/client';
import { connect, demoCity, nodes, requestId, runMain } from './client';

const PRESCRIPTION_FIELDS = gql`
  fragment PrescriptionState on Prescription {
    id
    status
    prescriber { code }
    prescriberPractitioner
    pharmacy { code }
    signature { signer valid }
    transitions { from to organization { code } }
  }
`;

const ISSUE = gql`
  mutation IssuePrescription($input: IssuePrescriptionInput!) {
    issuePrescription(input: $input) { ...PrescriptionState }
  }
  ${PRESCRIPTION_FIELDS}
`;
const SIGN = gql`
  mutation SignPrescription($id: ID!) { signPrescription(id: $id) { ...PrescriptionState } }
  ${PRESCRIPTION_FIELDS}
`;
const QUEUE = gql`
  query PharmacyQueue {
    pharmacyQueue(first: 50) {
      edges { node { id status issuedAt prescriber { code name } items { drug { code display } quantity } } }
    }
  }
`;
const SAFETY_SNAPSHOT = gql`
  query PrescriptionSafetySnapshot($id: ID!) {
    prescription(id: $id) { id status safetySnapshot { id takenAt warnings { code severity message } renewalCheck { eligible reason } } }
  }
`;
const REVIEW = gql`
  mutation ReviewPrescription($id: ID!, $acknowledged: [String!], $snapshot: ID) {
    reviewPrescription(id: $id, decision: APPROVE, acknowledgedWarnings: $acknowledged, safetySnapshot: $snapshot) {
      ...PrescriptionState
      review { outcome pharmacist pharmacy { code } acknowledgedWarnings safetySnapshot }
    }
  }
  ${PRESCRIPTION_FIELDS}
`;
const ROUTE = gql`
  mutation RoutePrescription($id: ID!) { routePrescription(id: $id) { ...PrescriptionState } }
  ${PRESCRIPTION_FIELDS}
`;
const DISPENSE = gql`
  mutation DispensePrescription($id: ID!, $lot: String!) {
    dispensePrescription(id: $id, lot: $lot) { ...PrescriptionState dispensing { pharmacist pharmacy { code } lot } }
  }
  ${PRESCRIPTION_FIELDS}
`;
const COMPLETE = gql`
  mutation CompletePrescription($id: ID!) { completePrescription(id: $id, kind: PICKED_UP) { ...PrescriptionState } }
  ${PRESCRIPTION_FIELDS}
`;

export interface PrescriptionItem {
  /** The drug catalogue's code (NMPA approval number). */
  drugCode: string;
  dose: number;
  route: string;
  frequency: string;
  days: number;
  quantity: number;
  instructions?: string;
}

export interface InternetHospitalPharmacyInput {
  gatewayUrl: string;
  /**
   * A physician of the internet hospital: role `doctor`, `org` = the internet hospital, with a
   * `practitioner_id` (only a physician's token signs).
   */
  physicianToken: string;
  /** The internet hospital's own system (role `internet_hospital`, same `org`): it routes the approved prescription. */
  internetHospitalToken: string;
  /** A pharmacist (role `pharmacist`) of the cloud pharmacy. */
  pharmacistToken: string;
  residentId: string;
  /** The cloud pharmacy chosen by the resident (3201-Pxx). */
  pharmacyCode: string;
  diagnoses: { code: string; display: string }[];
  items: PrescriptionItem[];
}

export async function internetHospitalPharmacy(input: InternetHospitalPharmacyInput) {
  const physician = connect(input.gatewayUrl, input.physicianToken);
  const internetHospital = connect(input.gatewayUrl, input.internetHospitalToken);
  const pharmacist = connect(input.gatewayUrl, input.pharmacistToken);
  const statuses: string[] = [];
  const step = (prescription: { status: string } | null, what: string) => {
    if (!prescription) throw new Error(`${what}: no prescription in the answer`);
    statuses.push(prescription.status);
    return prescription as any;
  };

  // The physician at the internet hospital: a draft for the chosen pharmacy, then the signature.
  const issued = step(
    (
      await physician.mutate(ISSUE, {
        input: {
          residentId: input.residentId,
          clientRequestId: requestId('ih'),
          diagnoses: input.diagnoses,
          items: input.items,
          pharmacyCode: input.pharmacyCode,
          delivery: { method: 'PICKUP' },
        },
      })
    ).issuePrescription,
    'issuePrescription',
  );
  const signed = step((await physician.mutate(SIGN, { id: issued.id })).signPrescription, 'signPrescription');

  // The cloud pharmacy: the signed prescription waits in its queue.
  const queue = nodes<any>((await pharmacist.query(QUEUE)).pharmacyQueue);
  const inQueue = queue.some((prescription) => prescription.id === issued.id && prescription.status === 'SIGNED');
  // The pharmacist reads the server's safety snapshot (the warnings it made of the resident's
  // record and active prescriptions) and approves naming it, acknowledging every high warning.
  // Nothing read is sent back: the server refuses the approval if the record changed since.
  const { prescription } = await pharmacist.query(SAFETY_SNAPSHOT, { id: issued.id });
  const snapshot = prescription?.safetySnapshot;
  const warnings: { code: string; severity: string; message: string }[] = snapshot?.warnings ?? [];
  const acknowledged = warnings.filter((warning) => warning.severity === 'HIGH').map((warning) => warning.code);
  const reviewed = step((await pharmacist.mutate(REVIEW, { id: issued.id, acknowledged, snapshot: snapshot?.id })).reviewPrescription, 'reviewPrescription');

  // The internet hospital sends the approved prescription to the pharmacy.
  const routed = step((await internetHospital.mutate(ROUTE, { id: issued.id })).routePrescription, 'routePrescription');

  // The pharmacy dispenses it once and records the pick-up.
  const dispensed = step(
    (await pharmacist.mutate(DISPENSE, { id: issued.id, lot: `LOT${Date.now().toString().slice(-6)}` })).dispensePrescription,
    'dispensePrescription',
  );
  const completed = step((await pharmacist.mutate(COMPLETE, { id: issued.id })).completePrescription, 'completePrescription');

  return {
    prescriptionId: issued.id as string,
    statuses,
    signature: signed.signature as { signer: string; valid: boolean },
    inQueue,
    warnings,
    review: reviewed.review,
    routedTo: routed.pharmacy?.code as string,
    dispensing: dispensed.dispensing,
    finalStatus: completed.status as string,
    transitions: completed.transitions as { from: string | null; to: string; organization: { code: string } | null }[],
  };
}

const PREVIOUS_PRESCRIPTIONS = gql`
  query PreviousPrescriptions($id: ID!) {
    resident(id: $id) {
      id
      prescriptions(first: 10) {
        edges { node { id diagnoses { code display } items { drug { code } dose route frequency days quantity } } }
      }
    }
  }
`;

/** ICD-10 Z76.0, for a renewal whose earlier prescription names no diagnosis. */
const REPEAT_PRESCRIPTION = { code: 'Z76.0', display: '开具重复处方' };

export async function main() {
  const demo = demoCity();
  const physician = demo.identities.internet_hospital_physician!;
  const internetHospital = demo.identities.internet_hospital!;
  const pharmacist = demo.identities.pharmacist!;
  // An online visit renews what the resident already takes: the drug and dose of an earlier prescription.
  const { resident } = await connect(demo.gatewayUrl, physician.token).query(PREVIOUS_PRESCRIPTIONS, { id: demo.residentId });
  const previous = nodes<any>(resident?.prescriptions).find((candidate) => candidate.items.length > 0);
  if (!previous) throw new Error('The demo resident has no earlier prescription the internet hospital may see');
  const item = previous.items[0];
  return internetHospitalPharmacy({
    gatewayUrl: demo.gatewayUrl,
    physicianToken: physician.token,
    internetHospitalToken: internetHospital.token,
    pharmacistToken: pharmacist.token,
    residentId: demo.residentId,
    pharmacyCode: pharmacist.organizationCode!,
    diagnoses:
      previous.diagnoses.length > 0
        ? previous.diagnoses.map((diagnosis: any) => ({ code: diagnosis.code, display: diagnosis.display }))
        : [REPEAT_PRESCRIPTION],
    items: [{ drugCode: item.drug.code, dose: item.dose, route: item.route, frequency: item.frequency, days: item.days, quantity: item.quantity }],
  });
}

if (require.main === module) runMain(main);
