/**
 * What the real-time mutations of every subgraph count at the platform, read back through the
 * cockpit: each accepted record once, on the day it arrives, with the form it feeds; re-sends,
 * refused and invalid writes count nothing.
 */
import { cityDay } from '../../monitoring/activity-store';
import { DRUGS } from '../../subgraphs/prescriptions/drug-catalogue';
import { insertHospitals, insertResidents, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const { stack, ok } = useStack();
let residentId: string;
const HOSPITAL = '3201-H001';
const PHARMACY = '3201-P01';
const CENTRE = '3201-C001';
const TODAY = () => cityDay(new Date());

const hospitalSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const doctor = (organizationCode = HOSPITAL) =>
  stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode, practitionerId: 'D3001' });
const labSystem = () => stack.token({ subject: 'lis', roles: ['lab_system'], organizationCode: HOSPITAL });
const pharmacist = () => stack.token({ subject: 'ph', roles: ['pharmacist'], organizationCode: PHARMACY, practitionerId: 'P3001' });
const commission = () => stack.token({ subject: 'hc', roles: ['health_commission'] });

const DAY = `query($month: String!, $code: ID) { cockpitDays(month: $month, organizationCode: $code) { period realtimeRecords verifiedRecords realtimeForms prescriptionsRouted referralsUp referralsDown } }`;
async function today(organizationCode: string | null, token = commission()) {
  const data = await ok(token, DAY, { month: TODAY().slice(0, 7), code: organizationCode });
  return data.cockpitDays.find((row: { period: string }) => row.period === TODAY());
}
const counted = (realtimeRecords: number, realtimeForms: string[], more: Record<string, number> = {}) => ({
  period: TODAY(),
  realtimeRecords,
  verifiedRecords: realtimeRecords,
  realtimeForms,
  prescriptionsRouted: 0,
  referralsUp: 0,
  referralsDown: 0,
  ...more,
});

beforeAll(async () => {
  await insertHospitals(stack);
  [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  await modelsOf(stack).labs.Laboratory.create({ _id: HOSPITAL, certifiedScope: 'CITY' });
});

it('counts each accepted record once, with its form, for the organization that sent it', async () => {
  expect(await today(HOSPITAL)).toEqual(counted(0, []));

  const condition = { residentId, sourceRecordId: 'P-ACT-1', code: 'E11.9', display: '2型糖尿病', clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' };
  const RECORD_CONDITION = `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`;
  await ok(hospitalSystem(), RECORD_CONDITION, { input: condition });
  await ok(hospitalSystem(), RECORD_CONDITION, { input: condition });
  expect(await today(HOSPITAL)).toEqual(counted(1, ['DIAGNOSIS']));

  // Refused (no standing) and invalid writes count nothing.
  const refused = await stack.query(hospitalSystem('3201-H002'), RECORD_CONDITION, { input: { ...condition, sourceRecordId: 'P-ACT-2' } });
  expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  const invalid = await stack.query(hospitalSystem(), RECORD_CONDITION, { input: { ...condition, code: 'not-icd' } });
  expect(invalid.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  expect(await today(HOSPITAL)).toEqual(counted(1, ['DIAGNOSIS']));
  expect(await today('3201-H002')).toEqual({ ...counted(0, []) });

  await ok(hospitalSystem(), `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion } }`, {
    input: {
      residentId,
      sourceRecordId: 'A-ACT-1',
      substance: { system: 'NMPA', code: 'penicillin', display: '青霉素' },
      category: 'MEDICATION',
      criticality: 'HIGH',
      reactions: ['皮疹'],
    },
  });
  expect(await today(HOSPITAL)).toEqual(counted(2, ['DIAGNOSIS', 'ALLERGY']));

  const report = {
    residentId,
    sourceReportId: 'R-ACT-1',
    category: 'LABORATORY',
    code: '14749-6',
    status: 'FINAL',
    issuedAt: new Date(Date.now() - 3_600_000).toISOString(),
    subjectSex: 'FEMALE',
    subjectBirthDate: '1970-05-01',
    results: [{ code: '14749-6', value: 5.4, unit: 'mmol/L' }],
  };
  const SUBMIT = `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id version } }`;
  await ok(labSystem(), SUBMIT, { input: report });
  await ok(labSystem(), SUBMIT, { input: report });
  expect(await today(HOSPITAL)).toEqual(counted(3, ['DIAGNOSIS', 'ALLERGY', 'LAB_REPORT']));
  // An amended report is a new version: received again.
  expect(
    (await ok(labSystem(), SUBMIT, { input: { ...report, status: 'AMENDED', results: [{ code: '14749-6', value: 5.6, unit: 'mmol/L' }] } })).submitLabReport
      .version,
  ).toBe(2);
  expect(await today(HOSPITAL)).toEqual(counted(4, ['DIAGNOSIS', 'ALLERGY', 'LAB_REPORT']));

  const amlodipine = [...DRUGS.values()].find((drug) => drug.inn === 'amlodipine')!.code;
  const issue = {
    residentId,
    clientRequestId: 'act-rx-0001',
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    items: [{ drugCode: amlodipine, dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
    pharmacyCode: PHARMACY,
    delivery: { method: 'PICKUP' },
  };
  const ISSUE = `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`;
  const { id } = (await ok(doctor(), ISSUE, { input: issue })).issuePrescription;
  await ok(doctor(), ISSUE, { input: issue });
  expect(await today(HOSPITAL)).toEqual(counted(5, ['DIAGNOSIS', 'ALLERGY', 'LAB_REPORT', 'PRESCRIPTION']));

  await ok(doctor(), `mutation($id: ID!) { signPrescription(id: $id) { id } }`, { id });
  await ok(
    pharmacist(),
    `mutation($id: ID!) { reviewPrescription(id: $id, decision: APPROVE, acknowledgedWarnings: [], safetyFacts: { allergyGroups: [], diagnosisCodes: [] }) { id } }`,
    { id },
  );
  await ok(doctor(), `mutation($id: ID!) { routePrescription(id: $id) { id } }`, { id });
  const again = await stack.query(doctor(), `mutation($id: ID!) { routePrescription(id: $id) { id } }`, { id });
  expect(again.body.errors![0]!.extensions!.code).toBe('CONFLICT');
  expect(await today(HOSPITAL)).toEqual(counted(5, ['DIAGNOSIS', 'ALLERGY', 'LAB_REPORT', 'PRESCRIPTION'], { prescriptionsRouted: 1 }));

  await ok(pharmacist(), `mutation($id: ID!) { dispensePrescription(id: $id, lot: "LOT-ACT-1") { id } }`, { id });
  expect(await today(PHARMACY)).toEqual(counted(1, ['DISPENSING']));

  await ok(doctor(), `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, {
    input: {
      residentId,
      direction: 'DOWN',
      toOrganizationCode: CENTRE,
      toDepartment: '全科医学科',
      reason: '出院后社区随访',
      diagnoses: [{ code: 'I10', display: '原发性高血压' }],
      dischargeSummary: '血压控制平稳，出院。',
      followUpPlan: '每月社区随访',
    },
  });
  const final = counted(6, ['DIAGNOSIS', 'ALLERGY', 'LAB_REPORT', 'PRESCRIPTION', 'REFERRAL'], { prescriptionsRouted: 1, referralsDown: 1 });
  expect(await today(HOSPITAL)).toEqual(final);
  // The hospital's own doctor reads the same row without naming the organization.
  expect(await today(null, doctor())).toEqual(final);

  // The month: the hospital's row and its district's (the city-level hospital is not in its district's row).
  const month = await ok(
    commission(),
    `query($month: String!) { cockpitMonth(month: $month) { city { realtimeRecords realtimeUploadDays } districts { district realtimeRecords } hospitals { organization { code } realtimeRecords realtimeUploadDays realtimeFormsUploaded realtimeFormsTotal } } }`,
    { month: TODAY().slice(0, 7) },
  );
  expect(month.cockpitMonth.city).toEqual({ realtimeRecords: 7, realtimeUploadDays: 1 });
  expect(month.cockpitMonth.hospitals).toEqual([
    { organization: { code: '3201-H001' }, realtimeRecords: 6, realtimeUploadDays: 1, realtimeFormsUploaded: 5, realtimeFormsTotal: 11 },
    { organization: { code: '3201-H002' }, realtimeRecords: 0, realtimeUploadDays: 0, realtimeFormsUploaded: 0, realtimeFormsTotal: 11 },
  ]);
  expect(month.cockpitMonth.districts.find((row: { district: string }) => row.district === '秦淮区')).toEqual({ district: '秦淮区', realtimeRecords: 0 });
});
