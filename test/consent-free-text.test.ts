/**
 * Consent on free text, through the real gateway: a referral coded as hypertension whose reason
 * names a depression code in lower case and AIDS and PrEP in words, a discharge summary with a
 * full-width code, a rejection reason, a prescription's instructions and a referral stored
 * before any label. The resident restricts MENTAL_HEALTH and HIV_STI: an uninvolved hospital's
 * doctor gets none of them, in GraphQL or in FHIR $everything; the organizations that wrote or
 * received them and the resident still do.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { makeIdNumber } from '../subgraphs/kit/id-number';
import type { DemoIdentity } from '../tools/demo-issuer';
import { identities, RECEIVER, RELATED, SOURCE } from './support/consent-scenario';
import { allPages, resourcesOf } from './support/fhir-client';
import { insertHospitals, modelsOf, referralDoc } from './support/fixtures';
import { TestStack } from './support/stack';

jest.setTimeout(180_000);

const ATTACK = 'hx of f32.9 and AIDS on PrEP';
const DISCHARGE = '住院两周，Ｆ３２．９ 好转出院，门诊随访';
const REJECTION = '本院无感染科床位，患者 b20 请转专科';
const INSTRUCTIONS = 'with food; pt on prep';
const NEUTRAL = 'I10 hypertension, follow up in 2 weeks';

let stack: TestStack;
let residentId = '';
const ids = { attack: '', discharge: '', rejected: '', neutral: '', legacy: '', prescription: '', neutralPrescription: '' };

async function as(identity: DemoIdentity, query: string, variables: Record<string, unknown> = {}) {
  const { body } = await stack.query(stack.token(identity), query, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

beforeAll(async () => {
  stack = await TestStack.start();
  await insertHospitals(stack);
  const register = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`;
  for (const organizationCode of [SOURCE, RELATED]) {
    const data = await as(identities.hospitalSystem(organizationCode), register, {
      input: {
        name: '林晓雯',
        gender: 'FEMALE',
        birthDate: '1988-06-02',
        idNumber: makeIdNumber('320102', '1988-06-02', 64),
        phone: '13955550188',
        district: '玄武区',
        identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN-TEXT-${organizationCode}` },
      },
    });
    residentId = data.registerResident.resident.id;
  }
  const doctor = identities.doctorAt(SOURCE);
  const refer = async (input: Record<string, unknown>) =>
    (
      await as(doctor, `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, {
        input: {
          residentId,
          direction: 'UP',
          toOrganizationCode: RECEIVER,
          toDepartment: '心血管内科',
          diagnoses: [{ code: 'I10', display: '原发性高血压' }],
          ...input,
        },
      })
    ).requestReferral.id as string;
  ids.attack = await refer({ reason: ATTACK });
  ids.discharge = await refer({ direction: 'DOWN', reason: '下转社区康复', dischargeSummary: DISCHARGE });
  ids.rejected = await refer({ reason: '发热待查' });
  ids.neutral = await refer({ reason: NEUTRAL });
  const receiver = identities.doctorAt(RECEIVER);
  for (const id of [ids.attack, ids.discharge, ids.neutral]) await as(receiver, `mutation($id: ID!) { acceptReferral(id: $id) { id } }`, { id });
  await as(receiver, `mutation($id: ID!, $reason: String!) { rejectReferral(id: $id, reason: $reason) { id } }`, { id: ids.rejected, reason: REJECTION });

  const prescribe = async (clientRequestId: string, instructions: string) =>
    (
      await as(doctor, `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
        input: {
          residentId,
          clientRequestId,
          diagnoses: [{ code: 'I10', display: '原发性高血压' }],
          items: [{ drugCode: 'H20093454', dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28, instructions }],
        },
      })
    ).issuePrescription.id as string;
  ids.prescription = await prescribe('free-text-rx-1', INSTRUCTIONS);
  ids.neutralPrescription = await prescribe('free-text-rx-2', 'with food');

  // Stored as code before these labels: a lower-case code in its reason and no label at all.
  const legacy = { ...referralDoc({ residentId, fromOrganizationCode: SOURCE, toOrganizationCode: RECEIVER }), reason: 'pt on prep, f/u 3 months' };
  await modelsOf(stack).referrals.Referral.collection.insertOne(legacy as never);
  ids.legacy = legacy._id;

  await as(
    identities.self(residentId),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH, HIV_STI], blockedOrganizations: []) { updatedAt } }`,
    { id: residentId },
  );
});
afterAll(() => stack?.stop());

const REFERRALS = `query($id: ID!) { resident(id: $id) { referrals(first: 20) { edges { node { id reason dischargeSummary rejectionReason } } } } }`;
const PRESCRIPTIONS = `query($id: ID!) { resident(id: $id) { prescriptions(first: 20) { edges { node { id } } } } }`;
const referralIds = (data: Record<string, any>) => data.resident.referrals.edges.map((edge: { node: { id: string } }) => edge.node.id).sort();
const prescriptionIds = (data: Record<string, any>) => data.resident.prescriptions.edges.map((edge: { node: { id: string } }) => edge.node.id).sort();

it('labels each record from its free text when it is written, and again when the text changes', async () => {
  const stored = await modelsOf(stack).referrals.Referral.find({ residentId }, { sensitivities: 1 }).lean();
  const labelOf = (id: string) => stored.find((row) => row._id === id)!.sensitivities;
  expect(labelOf(ids.attack)).toEqual(['MENTAL_HEALTH', 'HIV_STI']);
  expect(labelOf(ids.discharge)).toEqual(['MENTAL_HEALTH']);
  expect(labelOf(ids.rejected)).toEqual(['HIV_STI']);
  expect(labelOf(ids.neutral)).toEqual([]);
  const rx = await modelsOf(stack).prescriptions.Prescription.find({ residentId }, { sensitivities: 1 }).lean();
  expect(rx.find((row) => row._id === ids.prescription)!.sensitivities).toEqual(['HIV_STI']);
  expect(rx.find((row) => row._id === ids.neutralPrescription)!.sensitivities).toEqual([]);
});

describe('an uninvolved hospital’s doctor', () => {
  it('gets only the neutral referral and prescription in resident.referrals and resident.prescriptions', async () => {
    const referrals = await as(identities.doctorAt(RELATED), REFERRALS, { id: residentId });
    expect(referrals.resident.referrals.edges).toEqual([{ node: { id: ids.neutral, reason: NEUTRAL, dischargeSummary: null, rejectionReason: null } }]);
    expect(prescriptionIds(await as(identities.doctorAt(RELATED), PRESCRIPTIONS, { id: residentId }))).toEqual([ids.neutralPrescription]);
  });

  it('gets none of the labelled text through FHIR $everything', async () => {
    const { pages, text } = await allPages(stack, stack.token(identities.doctorAt(RELATED)), `/Patient/${residentId}/$everything?_count=20`);
    const ofType = (type: string) => pages.flatMap((page: Bundle) => resourcesOf(page, type).map((resource) => resource.id!)).sort();
    expect(ofType('ServiceRequest')).toEqual([ids.neutral]);
    expect(ofType('MedicationRequest')).toEqual([`${ids.neutralPrescription}-1`]);
    for (const secret of [ATTACK, 'prep', ids.attack, ids.discharge, ids.rejected, ids.legacy, ids.prescription]) expect(text).not.toContain(secret);
  });
});

describe('the parties and the resident', () => {
  const all = () => [ids.attack, ids.discharge, ids.rejected, ids.neutral, ids.legacy].sort();

  it('the sending hospital sees every referral and prescription it wrote, the text in full', async () => {
    const data = await as(identities.doctorAt(SOURCE), REFERRALS, { id: residentId });
    expect(referralIds(data)).toEqual(all());
    const byId = new Map(data.resident.referrals.edges.map((edge: { node: { id: string } }) => [edge.node.id, edge.node]));
    expect(byId.get(ids.attack)).toEqual({ id: ids.attack, reason: ATTACK, dischargeSummary: null, rejectionReason: null });
    expect(byId.get(ids.discharge)).toEqual({ id: ids.discharge, reason: '下转社区康复', dischargeSummary: DISCHARGE, rejectionReason: null });
    expect(byId.get(ids.rejected)).toEqual({ id: ids.rejected, reason: '发热待查', dischargeSummary: null, rejectionReason: REJECTION });
    expect(prescriptionIds(await as(identities.doctorAt(SOURCE), PRESCRIPTIONS, { id: residentId }))).toEqual(
      [ids.prescription, ids.neutralPrescription].sort(),
    );
  });

  it('the receiving hospital sees the referrals sent to it, the rejected one included', async () => {
    const data = await as(identities.doctorAt(RECEIVER), `{ referralInbox(first: 20) { edges { node { id } } } }`);
    expect(data.referralInbox.edges.map((edge: { node: { id: string } }) => edge.node.id).sort()).toEqual(all());
    expect(referralIds(await as(identities.doctorAt(RECEIVER), REFERRALS, { id: residentId }))).toEqual(all());
  });

  it('the sending hospital gets the attack referral in FHIR $everything, labelled', async () => {
    const { pages } = await allPages(stack, stack.token(identities.doctorAt(SOURCE)), `/Patient/${residentId}/$everything?_count=20`);
    const attack = pages.flatMap((page: Bundle) => resourcesOf(page, 'ServiceRequest')).find((resource) => resource.id === ids.attack)!;
    expect(attack.meta?.security?.map((coding) => coding.code)).toEqual(['PSY', 'HIV', 'R']);
  });

  it('the resident sees the whole record', async () => {
    const own = identities.self(residentId);
    expect(referralIds(await as(own, REFERRALS, { id: residentId }))).toEqual(all());
    expect(prescriptionIds(await as(own, PRESCRIPTIONS, { id: residentId }))).toEqual([ids.prescription, ids.neutralPrescription].sort());
  });
});
