/**
 * The pharmacist's review against the server's snapshot, through the real gateway: the review
 * names the snapshot the server kept of what it showed (Prescription.safetySnapshot) instead
 * of sending the facts back; an approval is refused when what the pharmacist may see changed
 * since, and a snapshot of another prescription, of another pharmacist or made up is refused.
 */
import { DRUGS } from '../../../subgraphs/prescriptions/drug-catalogue';
import { insertHospitals, insertResidents, modelsOf, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const HOSPITAL = '3201-H001';
const OTHER_HOSPITAL = '3201-H002';
const PHARMACY = '3201-P01';
const drugCode = (inn: string) => [...DRUGS.values()].find((drug) => drug.inn === inn)!.code;
const AMOXICILLIN = 'H20003263';

const doctor = () => stack.token({ subject: 'dr-D1001', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1001' });
const pharmacist = (organizationCode = PHARMACY, practitionerId = 'P2001') =>
  stack.token({ subject: `ph-${organizationCode}-${practitionerId}`, roles: ['pharmacist'], organizationCode, practitionerId });
const hospitalSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const resident = (residentId: string) => stack.token({ subject: 'citizen-snapshot', roles: ['resident'], residentId });

let request = 0;
async function signed(residentId: string, items: Record<string, unknown>[]) {
  const { issuePrescription } = await ok(doctor(), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
    input: {
      residentId,
      clientRequestId: `snapshot-${request++}`,
      diagnoses: [{ code: 'J02.9', display: '急性咽炎' }],
      items,
      pharmacyCode: PHARMACY,
      delivery: { method: 'PICKUP' },
    },
  });
  await ok(doctor(), `mutation($id: ID!) { signPrescription(id: $id) { id } }`, { id: issuePrescription.id });
  return issuePrescription.id as string;
}
const AMOXICILLIN_ITEM = { drugCode: AMOXICILLIN, dose: 0.5, route: 'oral', frequency: 'tid', days: 5, quantity: 30 };
const AMLODIPINE_ITEM = { drugCode: drugCode('amlodipine'), dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 };

const SNAPSHOT = `query($id: ID!) { prescription(id: $id) { safetySnapshot { id takenAt warnings { code severity } renewalCheck { eligible } } } }`;
const snapshotOf = async (id: string, token = pharmacist()) => (await ok(token, SNAPSHOT, { id })).prescription.safetySnapshot;
const REVIEW = `mutation($id: ID!, $snapshot: ID, $ack: [String!]) {
  reviewPrescription(id: $id, decision: APPROVE, safetySnapshot: $snapshot, acknowledgedWarnings: $ack) { status review { outcome acknowledgedWarnings safetySnapshot } }
}`;
const review = (id: string, snapshot: unknown, ack: string[] = [], token = pharmacist()) => stack.query(token, REVIEW, { id, snapshot, ack });
const refusalOf = async (response: ReturnType<typeof review>) => ((await response).body.errors ?? []).map((error) => [error.extensions?.code, error.message]);
/** What a refused review must leave as it was: the prescription and its transitions. */
const stateOf = async (id: string) => {
  const models = modelsOf(stack).prescriptions;
  return { prescription: await models.Prescription.findById(id).lean(), transitions: await models.Transition.countDocuments({ prescriptionId: id }) };
};
const recordPenicillinAllergy = (residentId: string) =>
  ok(hospitalSystem(), `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion } }`, {
    input: {
      residentId,
      sourceRecordId: `A-PEN-${residentId}`,
      substance: { system: 'NMPA-class', code: 'penicillins', display: '青霉素类' },
      category: 'MEDICATION',
      criticality: 'HIGH',
      reactions: ['皮疹'],
    },
  });
const CHANGED = (what: string) => [
  'CONFLICT',
  `SAFETY_FACTS_CHANGED: ${what} changed since the snapshot was taken; read Prescription.safetySnapshot again and review what it shows`,
];
const NOT_THIS = ['BAD_USER_INPUT', 'safetySnapshot is not a snapshot this pharmacist took of this prescription (read Prescription.safetySnapshot)'];

let patient: string;
beforeAll(async () => {
  await insertHospitals(stack);
  [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
});
const newPatient = async () => ((await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string])[0];

it('approves with the current snapshot, without sending facts back, and records the snapshot it named', async () => {
  const id = await signed(patient, [AMOXICILLIN_ITEM]);
  const snapshot = await snapshotOf(id);
  expect(snapshot.id).toMatch(/^[0-9a-f]{32}$/);
  expect(snapshot.warnings).toEqual([]);
  expect(snapshot.renewalCheck).toEqual({ eligible: true });
  expect((await review(id, snapshot.id)).body.data!.reviewPrescription).toEqual({
    status: 'APPROVED',
    review: { outcome: 'APPROVED', acknowledgedWarnings: [], safetySnapshot: snapshot.id },
  });
});

it('shows a recorded allergy in the snapshot and needs it acknowledged to approve', async () => {
  const allergic = await newPatient();
  await recordPenicillinAllergy(allergic);
  const id = await signed(allergic, [AMOXICILLIN_ITEM]);
  const snapshot = await snapshotOf(id);
  expect(snapshot.warnings).toEqual([{ code: `DRUG_ALLERGY:penicillins:${AMOXICILLIN}`, severity: 'HIGH' }]);
  expect(await refusalOf(review(id, snapshot.id))).toEqual([
    [
      'CONFLICT',
      `High-severity warnings not acknowledged: DRUG_ALLERGY:penicillins:${AMOXICILLIN} (阿莫西林胶囊 0.25g: the resident is allergic to penicillins)`,
    ],
  ]);
  expect((await review(id, snapshot.id, [`DRUG_ALLERGY:penicillins:${AMOXICILLIN}`])).body.data!.reviewPrescription.status).toBe('APPROVED');
});

it('refuses an approval after a new allergy is recorded, changes nothing, and approves from a fresh snapshot', async () => {
  const later = await newPatient();
  const id = await signed(later, [AMOXICILLIN_ITEM]);
  const seen = await snapshotOf(id);
  expect(seen.warnings).toEqual([]);
  await recordPenicillinAllergy(later);
  const before = await stateOf(id);
  expect(await refusalOf(review(id, seen.id))).toEqual([CHANGED('the resident’s allergies or diagnoses')]);
  expect(await stateOf(id)).toEqual(before);
  expect(before.prescription!.status).toBe('SIGNED');

  const fresh = await snapshotOf(id);
  expect(fresh.warnings).toEqual([{ code: `DRUG_ALLERGY:penicillins:${AMOXICILLIN}`, severity: 'HIGH' }]);
  expect((await review(id, fresh.id, [`DRUG_ALLERGY:penicillins:${AMOXICILLIN}`])).body.data!.reviewPrescription.status).toBe('APPROVED');
});

it('refuses an approval after a new active prescription, and changes nothing', async () => {
  const busy = await newPatient();
  const id = await signed(busy, [AMLODIPINE_ITEM]);
  const seen = await snapshotOf(id);
  await signed(busy, [AMLODIPINE_ITEM]);
  const before = await stateOf(id);
  expect(await refusalOf(review(id, seen.id))).toEqual([CHANGED('the resident’s active prescriptions')]);
  expect(await stateOf(id)).toEqual(before);
  expect((await snapshotOf(id)).warnings).toEqual([{ code: 'DUPLICATE_THERAPY:CCB', severity: 'MODERATE' }]);
});

it('refuses a snapshot of another prescription, another pharmacist’s, a made-up or malformed one, and changes nothing', async () => {
  const id = await signed(patient, [AMLODIPINE_ITEM]);
  const other = await signed(await newPatient(), [AMLODIPINE_ITEM]);
  const othersSnapshot = (await snapshotOf(other)).id;
  const colleaguesSnapshot = (await snapshotOf(id, pharmacist(PHARMACY, 'P2002'))).id;
  const before = await stateOf(id);
  expect(await refusalOf(review(id, othersSnapshot))).toEqual([NOT_THIS]);
  expect(await refusalOf(review(id, colleaguesSnapshot))).toEqual([NOT_THIS]);
  expect(await refusalOf(review(id, '0123456789abcdef0123456789abcdef'))).toEqual([NOT_THIS]);
  expect(await refusalOf(review(id, 'not-a-snapshot'))).toEqual([
    ['BAD_USER_INPUT', 'safetySnapshot must be the id of a Prescription.safetySnapshot (32 hex characters)'],
  ]);
  expect(await stateOf(id)).toEqual(before);
});

it('refuses a snapshot together with facts sent by the client', async () => {
  const id = await signed(patient, [AMLODIPINE_ITEM]);
  const snapshot = await snapshotOf(id);
  const before = await stateOf(id);
  const { body } = await stack.query(
    pharmacist(),
    `mutation($id: ID!, $snapshot: ID) { reviewPrescription(id: $id, decision: APPROVE, safetySnapshot: $snapshot, safetyFacts: { allergyGroups: [], diagnosisCodes: [] }) { id } }`,
    { id, snapshot: snapshot.id },
  );
  expect(body.errors!.map((error) => [error.extensions?.code, error.message])).toEqual([
    ['BAD_USER_INPUT', 'Name the safetySnapshot or send safetyFacts, not both'],
  ]);
  expect(await stateOf(id)).toEqual(before);
});

it('keeps the facts of a snapshot as records resolved them: the client has no way to put facts in one', async () => {
  const allergic = await newPatient();
  await recordPenicillinAllergy(allergic);
  const id = await signed(allergic, [AMOXICILLIN_ITEM]);
  const snapshot = await snapshotOf(id);
  const stored = (await modelsOf(stack).prescriptions.SafetySnapshot.findById(snapshot.id).lean())!;
  expect(stored.facts).toEqual({ allergyGroups: [{ group: 'penicillins', criticality: 'HIGH' }], diagnosisCodes: [] });
  expect(stored.takenBy).toBe('P2001');
  // The snapshot's fields are answers, not arguments: the API takes no facts with it.
  expect(await codes(pharmacist(), `query($id: ID!) { prescription(id: $id) { safetySnapshot(facts: "[]") { id } } }`, { id })).toEqual(['BAD_USER_INPUT']);
});

it('takes snapshots for the chosen pharmacy only: another pharmacy gets none, other roles are refused', async () => {
  const id = await signed(patient, [AMLODIPINE_ITEM]);
  const count = () => modelsOf(stack).prescriptions.SafetySnapshot.countDocuments({ prescriptionId: id });
  expect(await count()).toBe(0);
  expect(await codes(doctor(), SNAPSHOT, { id })).toEqual(['FORBIDDEN']);
  // The resident is refused the snapshot and, through records, the facts it is made of.
  expect(await codes(resident(patient), SNAPSHOT, { id })).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  expect(await codes(hospitalSystem(), SNAPSHOT, { id })).toEqual(['FORBIDDEN']);
  const elsewhere = await stack.query(pharmacist('3201-P02'), SNAPSHOT, { id });
  expect(elsewhere.body.data?.prescription ?? null).toBeNull();
  expect(await count()).toBe(0);
});

it('is not made stale by a diagnosis the pharmacist may not see (restricted, from another hospital)', async () => {
  const private_ = await newPatient();
  await relate(stack, [private_], OTHER_HOSPITAL);
  await ok(
    resident(private_),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`,
    { id: private_ },
  );
  const id = await signed(private_, [AMLODIPINE_ITEM]);
  const seen = await snapshotOf(id);
  await ok(hospitalSystem(OTHER_HOSPITAL), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
    input: { residentId: private_, sourceRecordId: 'C-F32', code: 'F32.9', display: '抑郁发作', clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
  });
  expect((await review(id, seen.id)).body.data!.reviewPrescription.status).toBe('APPROVED');
});

it('is made stale by a diagnosis the pharmacist may see', async () => {
  const treated = await newPatient();
  const id = await signed(treated, [AMLODIPINE_ITEM]);
  const seen = await snapshotOf(id);
  await ok(hospitalSystem(), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
    input: { residentId: treated, sourceRecordId: 'C-I10', code: 'I10', display: '原发性高血压', clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
  });
  expect(await refusalOf(review(id, seen.id))).toEqual([CHANGED('the resident’s allergies or diagnoses')]);
});

it('is made stale by an allergy filed in a batch upload', async () => {
  const uploaded = await newPatient();
  const id = await signed(uploaded, [AMOXICILLIN_ITEM]);
  const seen = await snapshotOf(id);
  const { uploadAllergies } = await ok(hospitalSystem(), `mutation($inputs: [RecordAllergyInput!]!) { uploadAllergies(inputs: $inputs) { status } }`, {
    inputs: [
      {
        residentId: uploaded,
        sourceRecordId: 'A-UP-1',
        substance: { system: 'NMPA-class', code: 'penicillins', display: '青霉素类' },
        category: 'MEDICATION',
        criticality: 'LOW',
        reactions: ['皮疹'],
      },
    ],
  });
  expect(uploadAllergies).toEqual([{ status: 'CREATED' }]);
  expect(await refusalOf(review(id, seen.id))).toEqual([CHANGED('the resident’s allergies or diagnoses')]);
  expect((await snapshotOf(id)).warnings).toEqual([{ code: `DRUG_ALLERGY:penicillins:${AMOXICILLIN}`, severity: 'HIGH' }]);
});
