/**
 * One resident whose restricted diagnoses are planted, with unique canary strings, in every
 * kind of record that can reveal one, through the real mutations at the gateway: a
 * psychiatric encounter and condition, an allergy whose reaction names anxiety, prescriptions labelled by a diagnosis and by a drug,
 * referrals labelled by diagnosis, reason and department, an HIV report, a report whose HIV
 * version survives only in its history, a prescription the hospital's pharmacy dispensed and
 * its system filed by upload, and a neutral referral and prescription that attach the
 * psychiatric encounter. The resident restricts MENTAL_HEALTH and HIV_STI.
 */
import { makeIdNumber } from '../../access-control/id-number';
import type { DemoIdentity } from '../../tools/demo-issuer';
import { insertHospitals, modelsOf } from './fixtures';
import type { TestStack } from './stack';

/** Where the restricted records come from (its hospital, its lab, its doctors). */
export const SOURCE = '3201-H001';
/** Another hospital that registered the resident: it sees the record, not the restricted items. */
export const RELATED = '3201-H002';
/** Receives the referrals: a party to them, not to the records they attach. */
export const RECEIVER = '3201-H100';
export const STRANGER = '3201-H101';
/** A clinician there breaks the glass (grants do not open restricted categories here). */
export const EMERGENCY = '3201-H102';
export const INTERNET = '3201-H103';
/** The pharmacy the related hospital's prescription is routed to. */
export const PHARMACY = '3201-P01';

export const CANARY = {
  encounter: 'CANARY-ENC-4401-抑郁发作',
  condition: 'CANARY-COND-4402-创伤后应激',
  prescriptionDiagnosis: 'CANARY-RXDX-4403-抑郁状态',
  prescriptionDrugDiagnosis: 'CANARY-RXDRUG-4404-失眠',
  /** The drug names themselves: the restricted escitalopram, and an omeprazole labelled by its diagnosis. */
  escitalopram: '艾司西酞普兰',
  omeprazole: '奥美拉唑',
  referralDiagnosis: 'CANARY-REFDX-4405-广泛性焦虑',
  referralReason: 'CANARY-REFREASON-4406',
  referralDepartment: 'CANARY-REFDEPT-4407',
  labReport: 'CANARY-LAB-4408-HIV初筛',
  labHistory: 'CANARY-LABHIST-4409-HIV初筛',
  filedPrescriptionDiagnosis: 'CANARY-RXFILED-4410-焦虑状态',
  /** The restricted drug of the filed prescription. */
  sertraline: '舍曲林',
  /** A sulfonamide allergy's reaction: the allergy stays for everyone, this text does not. */
  allergyReaction: 'CANARY-ALLERGY-4411-焦虑发作',
} as const;

export interface ConsentScenario {
  residentId: string;
  ids: {
    psychiatricEncounter: string;
    generalEncounter: string;
    psychiatricCondition: string;
    omeprazole: string;
    escitalopram: string;
    /** Amlodipine from the source hospital, issued in the psychiatric encounter. */
    amlodipine: string;
    /** Rabeprazole from the related hospital, routed to the pharmacy: a duplicate of the restricted omeprazole. */
    rabeprazole: string;
    /** Sertraline the source hospital's pharmacy dispensed in September, filed by its system's upload. */
    filedSertraline: string;
    referralByDiagnosis: string;
    referralByDepartment: string;
    referralByReason: string;
    /** A neutral referral attaching the psychiatric and the general encounter and the HIV report. */
    neutralReferral: string;
    hivReport: string;
    correctedReport: string;
  };
}

export const identities = {
  self: (residentId: string): DemoIdentity => ({ subject: 'citizen-canary', roles: ['resident'], residentId }),
  doctorAt: (organizationCode: string): DemoIdentity => ({
    subject: `dr-canary-${organizationCode}`,
    roles: ['doctor'],
    organizationCode,
    practitionerId: `D-${organizationCode.slice(-4)}`,
  }),
  hospitalSystem: (organizationCode: string): DemoIdentity => ({ subject: `his-canary-${organizationCode}`, roles: ['hospital_system'], organizationCode }),
  labSystem: (organizationCode: string): DemoIdentity => ({ subject: `lis-canary-${organizationCode}`, roles: ['lab_system'], organizationCode }),
  internetHospital: (organizationCode: string): DemoIdentity => ({ subject: `ih-canary-${organizationCode}`, roles: ['internet_hospital'], organizationCode }),
  pharmacist: (organizationCode: string): DemoIdentity => ({ subject: `ph-canary-${organizationCode}`, roles: ['pharmacist'], organizationCode }),
  familyDoctor: (organizationCode: string): DemoIdentity => ({
    subject: `fd-canary-${organizationCode}`,
    roles: ['family_doctor'],
    organizationCode,
    practitionerId: 'F-CANARY',
  }),
  healthCommission: (): DemoIdentity => ({ subject: 'hc-canary', roles: ['health_commission'] }),
  privacyOfficer: (): DemoIdentity => ({ subject: 'po-canary', roles: ['privacy_officer'] }),
};

/** What a viewer of the sweeps may see of the canaries: all of them, a referral's, or none. */
export type CanarySight = 'all' | 'referrals' | 'nothing';

/** Every viewer the canary sweeps (GraphQL and FHIR) ask as, and what each may see. */
export const CANARY_VIEWERS: Record<string, { identity: (scenario: ConsentScenario) => DemoIdentity; sees: CanarySight }> = {
  resident: { identity: (scenario) => identities.self(scenario.residentId), sees: 'all' },
  sourceDoctor: { identity: () => identities.doctorAt(SOURCE), sees: 'all' },
  receivingDoctor: { identity: () => identities.doctorAt(RECEIVER), sees: 'referrals' },
  relatedDoctor: { identity: () => identities.doctorAt(RELATED), sees: 'nothing' },
  emergencyDoctor: { identity: () => identities.doctorAt(EMERGENCY), sees: 'nothing' },
  strangerDoctor: { identity: () => identities.doctorAt(STRANGER), sees: 'nothing' },
  familyDoctor: { identity: () => identities.familyDoctor('3201-C001'), sees: 'nothing' },
  internetHospital: { identity: () => identities.internetHospital(INTERNET), sees: 'nothing' },
  pharmacist: { identity: () => identities.pharmacist(PHARMACY), sees: 'nothing' },
  otherPharmacist: { identity: () => identities.pharmacist('3201-P02'), sees: 'nothing' },
  relatedHospitalSystem: { identity: () => identities.hospitalSystem(RELATED), sees: 'nothing' },
  sourceLabSystem: { identity: () => identities.labSystem(SOURCE), sees: 'nothing' },
  healthCommission: { identity: () => identities.healthCommission(), sees: 'nothing' },
  privacyOfficer: { identity: () => identities.privacyOfficer(), sees: 'nothing' },
  otherResident: { identity: () => ({ subject: 'citizen-other', roles: ['resident'], residentId: 'eeeeeeeeeeeeeeeeeeeeeeee' }), sees: 'nothing' },
};

/** What only the source hospital (and the resident) may see: strings and the ids of the records. */
export const sourceSecrets = (scenario: ConsentScenario): string[] => [
  CANARY.encounter,
  CANARY.condition,
  CANARY.prescriptionDiagnosis,
  CANARY.prescriptionDrugDiagnosis,
  CANARY.escitalopram,
  CANARY.omeprazole,
  CANARY.labReport,
  CANARY.labHistory,
  CANARY.filedPrescriptionDiagnosis,
  CANARY.sertraline,
  CANARY.allergyReaction,
  scenario.ids.psychiatricEncounter,
  scenario.ids.psychiatricCondition,
  scenario.ids.omeprazole,
  scenario.ids.escitalopram,
  scenario.ids.filedSertraline,
  scenario.ids.hivReport,
];

/** What the referrals' two ends (and the resident) may see. */
export const referralSecrets = (scenario: ConsentScenario): string[] => [
  CANARY.referralDiagnosis,
  CANARY.referralReason,
  CANARY.referralDepartment,
  scenario.ids.referralByDiagnosis,
  scenario.ids.referralByDepartment,
  scenario.ids.referralByReason,
];

const ID_NUMBER = makeIdNumber('320104', '1981-04-12', 58);

export async function plantCanaries(stack: TestStack): Promise<ConsentScenario> {
  await insertHospitals(stack);
  await modelsOf(stack).labs.Laboratory.create({ _id: SOURCE, certifiedScope: 'CITY' });
  const as = (identity: DemoIdentity) => async (query: string, variables: Record<string, unknown>) => {
    const { body } = await stack.query(stack.token(identity), query, variables);
    if (body.errors) throw new Error(`setup failed: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };

  // Registered at the desks of the source, the related hospital and the internet hospital.
  const register = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`;
  let residentId = '';
  for (const organizationCode of [SOURCE, RELATED, INTERNET]) {
    const data = await as(identities.hospitalSystem(organizationCode))(register, {
      input: {
        name: '周静怡',
        gender: 'FEMALE',
        birthDate: '1981-04-12',
        idNumber: ID_NUMBER,
        phone: '13655550123',
        district: '秦淮区',
        identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN-CANARY-${organizationCode}` },
      },
    });
    residentId = data.registerResident.resident.id;
  }

  const his = as(identities.hospitalSystem(SOURCE));
  const encounter = (sourceRecordId: string, department: string, code: string, display: string) =>
    his(`mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
      input: {
        residentId,
        sourceRecordId,
        class: 'OUTPATIENT',
        status: 'FINISHED',
        department,
        start: '2026-09-01T01:00:00.000Z',
        end: '2026-09-01T02:00:00.000Z',
        diagnoses: [{ code, display, rank: 1, primary: true }],
      },
    });
  const psychiatricEncounter = (await encounter('V-CANARY-PSY', '精神科', 'F32.9', CANARY.encounter)).recordEncounter.id;
  const generalEncounter = (await encounter('V-CANARY-GEN', '心血管内科', 'I10', '原发性高血压')).recordEncounter.id;
  const psychiatricCondition = (
    await his(`mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
      input: {
        residentId,
        sourceRecordId: 'P-CANARY-PSY',
        code: 'F43.1',
        display: CANARY.condition,
        clinicalStatus: 'ACTIVE',
        verificationStatus: 'CONFIRMED',
      },
    })
  ).recordCondition.id;
  // By batch upload: recordAllergy's answer reads the statements back, which a hospital system may not do.
  await his(`mutation($inputs: [RecordAllergyInput!]!) { uploadAllergies(inputs: $inputs) { status } }`, {
    inputs: [
      {
        residentId,
        sourceRecordId: 'A-CANARY-SUL',
        substance: { system: 'NMPA-class', code: 'sulfonamides', display: '磺胺类' },
        category: 'MEDICATION',
        criticality: 'LOW',
        reactions: [CANARY.allergyReaction],
      },
    ],
  });

  // Lab: an HIV screen, and a report first uploaded as an HIV screen, then corrected to a glucose test.
  const lis = as(identities.labSystem(SOURCE));
  const submit = (input: Record<string, unknown>) =>
    lis(`mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`, {
      input: {
        residentId,
        category: 'LABORATORY',
        status: 'FINAL',
        issuedAt: '2026-09-02T02:00:00.000Z',
        subjectSex: 'FEMALE',
        subjectBirthDate: '1981-04-12',
        ...input,
      },
    });
  const hivReport = (
    await submit({ sourceReportId: 'L-CANARY-HIV', code: '75622-1', conclusion: CANARY.labReport, results: [{ code: '75622-1', valueCode: 'NEG' }] })
  ).submitLabReport.id;
  const correctedReport = (
    await submit({ sourceReportId: 'L-CANARY-FIX', code: '75622-1', conclusion: CANARY.labHistory, results: [{ code: '75622-1', valueCode: 'NEG' }] })
  ).submitLabReport.id;
  await submit({
    sourceReportId: 'L-CANARY-FIX',
    code: '14749-6',
    status: 'CORRECTED',
    conclusion: '项目代码更正',
    results: [{ code: '14749-6', value: 5.1, unit: 'mmol/L' }],
  });

  // Prescriptions: omeprazole labelled by its diagnosis, escitalopram by its drug, amlodipine issued in the psychiatric encounter.
  const doctor = as(identities.doctorAt(SOURCE));
  let request = 0;
  const prescribe = async (doctorOf: typeof doctor, drugCode: string, diagnosis: { code: string; display: string }, extra: Record<string, unknown> = {}) => {
    const { issuePrescription } = await doctorOf(`mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
      input: {
        residentId,
        clientRequestId: `canary-rx-${request++}`,
        diagnoses: [diagnosis],
        items: [{ drugCode, dose: 1, route: 'oral', frequency: 'qd', days: 7, quantity: 7 }],
        ...extra,
      },
    });
    // Signed, so each is active for the duplicate-therapy check.
    await doctorOf(`mutation($id: ID!) { signPrescription(id: $id) { id } }`, { id: issuePrescription.id });
    return issuePrescription.id as string;
  };
  const omeprazole = await prescribe(doctor, 'H20033285', { code: 'F32.9', display: CANARY.prescriptionDiagnosis });
  const escitalopram = await prescribe(doctor, 'H20010510', { code: 'G47.0', display: CANARY.prescriptionDrugDiagnosis });
  const amlodipine = await prescribe(doctor, 'H20093454', { code: 'I10', display: '原发性高血压' }, { encounterId: psychiatricEncounter });
  const rabeprazole = await prescribe(as(identities.doctorAt(RELATED)), 'H20040380', { code: 'K21.9', display: '胃食管反流病' }, { pharmacyCode: PHARMACY });
  // Filed by the source's system after its pharmacy dispensed it (long past its validity: no duplicate-therapy check counts it).
  const filed = await his(`mutation($inputs: [FilePrescriptionInput!]!) { uploadPrescriptions(inputs: $inputs) { status code message } }`, {
    inputs: [
      {
        residentId,
        sourceRecordId: 'RX-CANARY-FILED',
        prescriberPractitioner: 'D-0001',
        issuedAt: '2026-09-03T01:00:00.000Z',
        diagnoses: [{ code: 'F41.1', display: CANARY.filedPrescriptionDiagnosis }],
        items: [{ drugCode: 'H10950129', dose: 50, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
        dispensing: { at: '2026-09-03T02:00:00.000Z', pharmacist: 'P-0001', lot: 'LOT-CANARY' },
      },
    ],
  });
  if (filed.uploadPrescriptions[0].status !== 'CREATED') throw new Error(`setup failed: ${JSON.stringify(filed.uploadPrescriptions)}`);
  const filedSertraline = (await modelsOf(stack).prescriptions.Prescription.find({ residentId }).lean()).find(
    (row) => row.filed?.sourceRecordId === 'RX-CANARY-FILED',
  )!._id;

  // Referrals to the receiver: one labelled by each of diagnosis, department and reason, and a neutral one with attachments.
  const refer = async (input: Record<string, unknown>) =>
    (
      await doctor(`mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, {
        input: { residentId, direction: 'UP', toOrganizationCode: RECEIVER, toDepartment: '全科医学科', reason: '门诊复诊', diagnoses: [], ...input },
      })
    ).requestReferral.id as string;
  const referralByDiagnosis = await refer({ diagnoses: [{ code: 'F41.1', display: CANARY.referralDiagnosis }] });
  const referralByDepartment = await refer({ toDepartment: '精神科', reason: `${CANARY.referralDepartment} 门诊复诊` });
  const referralByReason = await refer({ reason: `${CANARY.referralReason} 重度抑郁，药物疗效欠佳` });
  const neutralReferral = await refer({
    toDepartment: '心血管内科',
    reason: '血压控制不佳',
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    attachedEncounterIds: [psychiatricEncounter, generalEncounter],
    attachedLabReportIds: [hivReport, correctedReport],
  });
  const receiver = as(identities.doctorAt(RECEIVER));
  for (const id of [referralByDiagnosis, referralByDepartment, referralByReason, neutralReferral])
    await receiver(`mutation($id: ID!) { acceptReferral(id: $id) { id } }`, { id });

  await as(identities.self(residentId))(
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH, HIV_STI], blockedOrganizations: []) { updatedAt } }`,
    { id: residentId },
  );
  await as(identities.doctorAt(EMERGENCY))(
    `mutation($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "急诊昏迷，需查既往史与用药") { id } }`,
    { id: residentId },
  );

  return {
    residentId,
    ids: {
      psychiatricEncounter,
      generalEncounter,
      psychiatricCondition,
      omeprazole,
      escitalopram,
      amlodipine,
      rabeprazole,
      filedSertraline,
      referralByDiagnosis,
      referralByDepartment,
      referralByReason,
      neutralReferral,
      hivReport,
      correctedReport,
    },
  };
}
