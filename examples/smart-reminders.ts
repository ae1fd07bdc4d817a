/**
 * Smart reminders: a hospital laboratory files a critical blood glucose ordered by one of its
 * doctors; the result reaches the inbox of the resident's contracted family doctor, who
 * acknowledges it, while the ordering doctor's own alert waits for them. Then a doctor
 * prescribing a calcium-channel blocker is warned that the resident already takes one on an
 * active prescription from another hospital, and is told which. Last, the family doctor lists
 * the centre's contracted residents whose hypertension has gone three months without a visit.
 *
 *   npm run example -- smart-reminders
 */
import { gql } from '@apollo/client';
import { connect, demoCity, nodes, requestId, runMain } from './client';

const CURRENT_CONTRACT = gql`
  query CurrentContract($id: ID!) {
    resident(id: $id) { id gender birthDate familyDoctorContract { id status organization { code } } }
  }
`;
const OFFER = gql`
  mutation OfferContract($residentId: ID!, $until: String!) { signContract(residentId: $residentId, servicePackage: BASIC, until: $until) { id } }
`;
const ACCEPT = gql`
  mutation AcceptContract($id: ID!) { acceptContract(id: $id) { id status } }
`;
const SUBMIT = gql`
  mutation SubmitLabReport($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id hasCritical } }
`;
const ALERT_FIELDS = gql`
  fragment AlertState on CriticalResultAlert {
    id
    reason
    addressedTo
    state
    escalated
    escalatesAt
    acknowledgedBy
    report { id organization { code } }
    criticalResults { code { code display } value unit interpretation }
  }
`;
const INBOX = gql`
  query CriticalResultInbox { criticalResultInbox(first: 100) { edges { node { ...AlertState } } } }
  ${ALERT_FIELDS}
`;
const ACKNOWLEDGE = gql`
  mutation Acknowledge($id: ID!) { acknowledgeCriticalResult(alertId: $id) { ...AlertState } }
  ${ALERT_FIELDS}
`;
const ISSUE = gql`
  mutation Issue($input: IssuePrescriptionInput!) {
    issuePrescription(input: $input) {
      id
      warnings { code severity message acrossOrganizations duplicates { id prescriber { code } items { drug { display } } } }
    }
  }
`;
const OVERDUE = gql`
  query OverdueFollowUps {
    overdueFollowUps(first: 10) { edges { node { id rule resident { id } condition { code { code display } } } } pageInfo { hasNextPage } }
  }
`;
const SIGN = gql`
  mutation Sign($id: ID!) { signPrescription(id: $id) { id status } }
`;

export interface SmartRemindersInput {
  gatewayUrl: string;
  /** The hospital laboratory's system (role `lab_system`), filing the result. */
  labSystemToken: string;
  /** The ordering doctor (role `doctor`, with a `practitioner_id`) at the hospital, and its code. */
  orderingDoctorToken: string;
  orderingOrganizationCode: string;
  orderingPractitionerId: string;
  /** A family doctor at the community health centre, which holds (or is given) the resident's contract. */
  familyDoctorToken: string;
  residentToken: string;
  residentId: string;
  /** A physician at another organization caring for the resident, whose prescription is already active. */
  otherPrescriberToken: string;
  /** Two drug codes of one therapeutic group (the catalogue's `drugs` query), e.g. amlodipine and nifedipine. */
  activeDrugCode: string;
  newDrugCode: string;
}

const DAY_MS = 86_400_000;
const isoDate = (time: number) => new Date(time + 8 * 3_600_000).toISOString().slice(0, 10);
const HYPERTENSION = [{ code: 'I10', display: '原发性高血压' }];

export async function smartReminders(input: SmartRemindersInput) {
  const lab = connect(input.gatewayUrl, input.labSystemToken);
  const orderingDoctor = connect(input.gatewayUrl, input.orderingDoctorToken);
  const familyDoctor = connect(input.gatewayUrl, input.familyDoctorToken);
  const resident = connect(input.gatewayUrl, input.residentToken);
  const otherPrescriber = connect(input.gatewayUrl, input.otherPrescriberToken);

  // 1. The family-doctor contract the alert follows (offered and accepted unless one is active).
  const own = (await resident.query(CURRENT_CONTRACT, { id: input.residentId })).resident;
  if (own.familyDoctorContract?.status !== 'ACTIVE') {
    const offer = (await familyDoctor.mutate(OFFER, { residentId: input.residentId, until: isoDate(Date.now() + 365 * DAY_MS) })).signContract;
    await resident.mutate(ACCEPT, { id: offer.id });
  }

  // 2. The laboratory files a fasting glucose of 25 mmol/L (critical above 22.2), naming who ordered it.
  const report = (
    await lab.mutate(SUBMIT, {
      input: {
        residentId: input.residentId,
        sourceReportId: requestId('GLU'),
        category: 'LABORATORY',
        code: '14749-6',
        status: 'FINAL',
        issuedAt: new Date().toISOString(),
        orderingOrganizationCode: input.orderingOrganizationCode,
        orderingPractitioner: input.orderingPractitionerId,
        subjectSex: own.gender === 'MALE' || own.gender === 'FEMALE' ? own.gender : 'UNKNOWN',
        subjectBirthDate: own.birthDate,
        results: [{ code: '14749-6', value: 25, unit: 'mmol/L' }],
      },
    })
  ).submitLabReport;

  // 3. The family doctor finds it in the centre's inbox and acknowledges it.
  const familyAlert = nodes<any>((await familyDoctor.query(INBOX)).criticalResultInbox).find((alert) => alert.report.id === report.id) ?? null;
  if (!familyAlert) throw new Error('The critical result did not reach the family doctor’s inbox');
  const acknowledged = (await familyDoctor.mutate(ACKNOWLEDGE, { id: familyAlert.id })).acknowledgeCriticalResult;
  // The ordering doctor's own alert stays open until they acknowledge it (or it escalates to their colleagues).
  const orderingAlert = nodes<any>((await orderingDoctor.query(INBOX)).criticalResultInbox).find((alert) => alert.report.id === report.id) ?? null;

  // 4. Another hospital's prescription is active (issued and signed) …
  const active = (
    await otherPrescriber.mutate(ISSUE, {
      input: {
        residentId: input.residentId,
        clientRequestId: requestId('rx-active'),
        diagnoses: HYPERTENSION,
        items: [{ drugCode: input.activeDrugCode, dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
      },
    })
  ).issuePrescription;
  await otherPrescriber.mutate(SIGN, { id: active.id });
  // … and prescribing the same class here warns of it, naming it.
  const issued = (
    await orderingDoctor.mutate(ISSUE, {
      input: {
        residentId: input.residentId,
        clientRequestId: requestId('rx-new'),
        diagnoses: HYPERTENSION,
        items: [{ drugCode: input.newDrugCode, dose: 30, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
      },
    })
  ).issuePrescription;
  const duplicate = (issued.warnings as any[]).find((warning) => warning.acrossOrganizations && warning.duplicates?.id === active.id) ?? null;

  // 5. The centre's overdue follow-ups: the first page.
  const overdue = nodes<any>((await familyDoctor.query(OVERDUE)).overdueFollowUps);

  return {
    criticalResult: {
      reportId: report.id as string,
      hasCritical: report.hasCritical as boolean,
      familyDoctorAlert: familyAlert,
      acknowledged,
      orderingDoctorAlert: orderingAlert,
    },
    duplicateMedication: { activePrescriptionId: active.id as string, newPrescriptionId: issued.id as string, warning: duplicate },
    overdueFollowUps: overdue,
  };
}

export async function main() {
  const demo = demoCity();
  const doctor = demo.identities.doctor!;
  const familyDoctor = demo.identities.family_doctor!;
  const physician = demo.identities.internet_hospital_physician!;
  return smartReminders({
    gatewayUrl: demo.gatewayUrl,
    labSystemToken: demo.tokens.lab_system!,
    orderingDoctorToken: doctor.token,
    orderingOrganizationCode: doctor.organizationCode!,
    orderingPractitionerId: doctor.practitionerId!,
    familyDoctorToken: familyDoctor.token,
    residentToken: demo.tokens.resident!,
    residentId: demo.residentId,
    otherPrescriberToken: physician.token,
    // 苯磺酸氨氯地平片 5mg and 硝苯地平控释片 30mg: both calcium-channel blockers.
    activeDrugCode: 'H20093454',
    newDrugCode: 'H20103231',
  });
}

if (require.main === module) runMain(main);
