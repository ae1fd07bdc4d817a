/**
 * Prescriptions through the real gateway: the state machine from draft to delivery, who may
 * move it, exactly-once dispensing under concurrency, idempotent issuing, expiry by the
 * clock, and safety checks that come from the resident's record through federation.
 */
import { DRUGS } from '../../../subgraphs/prescriptions/drug-catalogue';
import { insertHospitals, insertResidents, modelsOf, prescriptionDoc, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const HOSPITAL = '3201-H001';
const PHARMACY = '3201-P01';
const OTHER_PHARMACY = '3201-P02';
const drugCode = (inn: string) => [...DRUGS.values()].find((drug) => drug.inn === inn)!.code;

const doctor = (practitionerId = 'D1001') => stack.token({ subject: `dr-${practitionerId}`, roles: ['doctor'], organizationCode: HOSPITAL, practitionerId });
const internetHospital = () => stack.token({ subject: 'ih-system', roles: ['internet_hospital'], organizationCode: HOSPITAL });
const pharmacist = (organizationCode = PHARMACY) =>
  stack.token({ subject: `ph-${organizationCode}`, roles: ['pharmacist'], organizationCode, practitionerId: 'P2001' });
const hospitalSystem = () => stack.token({ subject: 'his', roles: ['hospital_system'], organizationCode: HOSPITAL });

const RX = `id status signature { valid signer } review { outcome acknowledgedWarnings } dispensing { lot pharmacist } transitions { from to by organization { code } }`;
const ISSUE = `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { ${RX} } }`;

let request = 0;
function issueInput(residentId: string, overrides: Record<string, unknown> = {}) {
  return {
    residentId,
    clientRequestId: `req-${Date.now()}-${request++}`,
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    items: [{ drugCode: drugCode('amlodipine'), dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
    pharmacyCode: PHARMACY,
    delivery: { method: 'DELIVERY', address: '南京市鼓楼区中山路100号', phone: '13800001111' },
    ...overrides,
  };
}

const issue = async (residentId: string, overrides: Record<string, unknown> = {}, token = doctor()) =>
  (await ok(token, ISSUE, { input: issueInput(residentId, overrides) })).issuePrescription;
const act = (query: string) => async (token: string, id: string) => await ok(token, query, { id });
const sign = act(`mutation($id: ID!) { signPrescription(id: $id) { ${RX} } }`);
const look = act(
  `query($id: ID!) { prescription(id: $id) { warnings { code severity } renewalCheck { eligible reason } safetyFacts { allergyGroups { group criticality } diagnosisCodes } } }`,
);
const NO_FACTS = { allergyGroups: [], diagnosisCodes: [] };
const APPROVE = `mutation($id: ID!, $ack: [String!], $facts: SafetyFactsInput) { reviewPrescription(id: $id, decision: APPROVE, acknowledgedWarnings: $ack, safetyFacts: $facts) { ${RX} } }`;
/** Approves with the safety facts the pharmacist saw (none recorded, unless given). */
const approve =
  (acknowledged: string[] = [], facts: unknown = NO_FACTS) =>
  async (token: string, id: string) =>
    ok(token, APPROVE, { id, ack: acknowledged, facts });
const route = act(`mutation($id: ID!) { routePrescription(id: $id) { ${RX} } }`);
const DISPENSE = `mutation($id: ID!) { dispensePrescription(id: $id, lot: "LOT-2026-11") { ${RX} } }`;

let residentId: string;
beforeAll(async () => {
  await insertHospitals(stack);
  [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
});

describe('the state machine', () => {
  it('goes from draft to delivery, each step by its owner and recorded', async () => {
    const draft = await issue(residentId);
    expect(draft.status).toBe('DRAFT');
    expect((await sign(doctor(), draft.id)).signPrescription).toMatchObject({ status: 'SIGNED', signature: { valid: true, signer: 'D1001' } });
    expect((await approve()(pharmacist(), draft.id)).reviewPrescription.status).toBe('APPROVED');
    expect((await route(doctor(), draft.id)).routePrescription.status).toBe('ROUTED');
    const dispensed = (await ok(pharmacist(), DISPENSE, { id: draft.id })).dispensePrescription;
    expect(dispensed).toMatchObject({ status: 'DISPENSED', dispensing: { lot: 'LOT-2026-11' } });
    const delivered = (await ok(pharmacist(), `mutation($id: ID!) { completePrescription(id: $id, kind: DELIVERED) { ${RX} } }`, { id: draft.id }))
      .completePrescription;
    // People are named by their practitioner id, places by their organization code.
    expect(delivered.dispensing).toEqual({ lot: 'LOT-2026-11', pharmacist: 'P2001' });
    expect(delivered.transitions.map((transition: any) => [transition.from, transition.to, transition.by, transition.organization.code])).toEqual([
      [null, 'DRAFT', 'D1001', HOSPITAL],
      ['DRAFT', 'SIGNED', 'D1001', HOSPITAL],
      ['SIGNED', 'APPROVED', 'P2001', PHARMACY],
      ['APPROVED', 'ROUTED', 'D1001', HOSPITAL],
      ['ROUTED', 'DISPENSED', 'P2001', PHARMACY],
      ['DISPENSED', 'DELIVERED', 'P2001', PHARMACY],
    ]);
  });

  describe('home delivery needs an address and a phone', () => {
    const stored = async (id: string) => (await modelsOf(stack).prescriptions.Prescription.findById(id).lean())!;
    const errorsOf = async (token: string, query: string, variables: Record<string, unknown>) =>
      ((await stack.query(token, query, variables)).body.errors ?? []).map((error) => [error.extensions?.code, error.message]);
    const COMPLETE = `mutation($id: ID!) { completePrescription(id: $id, kind: DELIVERED) { id } }`;
    /** A prescription taken through signing and approval, then its delivery as an older record may hold it. */
    async function approvedWith(delivery: Record<string, unknown>) {
      const rx = await issue(residentId);
      await sign(doctor(), rx.id);
      await approve()(pharmacist(), rx.id);
      await modelsOf(stack).prescriptions.Prescription.updateOne({ _id: rx.id }, { $set: { delivery } });
      return rx.id as string;
    }

    it('refuses to issue a delivery without them, writing nothing', async () => {
      const before = await modelsOf(stack).prescriptions.Prescription.countDocuments({ residentId });
      expect(await errorsOf(doctor(), ISSUE, { input: issueInput(residentId, { delivery: { method: 'DELIVERY' } }) })).toEqual([
        ['BAD_USER_INPUT', 'Invalid input: delivery.address is required for home delivery; delivery.phone is required for home delivery'],
      ]);
      expect(
        await errorsOf(doctor(), ISSUE, { input: issueInput(residentId, { delivery: { method: 'DELIVERY', address: '南京市鼓楼区中山路100号' } }) }),
      ).toEqual([['BAD_USER_INPUT', 'Invalid input: delivery.phone is required for home delivery']]);
      expect(await modelsOf(stack).prescriptions.Prescription.countDocuments({ residentId })).toBe(before);
    });

    it('refuses to route one that lacks them, and changes nothing', async () => {
      const id = await approvedWith({ method: 'DELIVERY', address: '南京市鼓楼区中山路100号', phone: null });
      const before = await stored(id);
      expect(await errorsOf(doctor(), `mutation($id: ID!) { routePrescription(id: $id) { id } }`, { id })).toEqual([
        ['BAD_USER_INPUT', 'delivery.phone is required for home delivery: give them before routing it'],
      ]);
      expect(await stored(id)).toEqual(before);
    });

    it('refuses DELIVERED for one that lacks them or is picked up, and changes nothing', async () => {
      const id = await approvedWith({ method: 'DELIVERY', address: '南京市鼓楼区中山路100号', phone: '13800001111' });
      await route(doctor(), id);
      await ok(pharmacist(), DISPENSE, { id });
      await modelsOf(stack).prescriptions.Prescription.updateOne({ _id: id }, { $set: { delivery: { method: 'DELIVERY', address: null, phone: null } } });
      const before = await stored(id);
      expect(await errorsOf(pharmacist(), COMPLETE, { id })).toEqual([
        ['BAD_USER_INPUT', 'delivery.address and delivery.phone are required for home delivery: it cannot have been delivered'],
      ]);
      expect(await stored(id)).toEqual(before);

      await modelsOf(stack).prescriptions.Prescription.updateOne({ _id: id }, { $set: { delivery: { method: 'PICKUP', address: null, phone: null } } });
      const pickup = await stored(id);
      expect(await errorsOf(pharmacist(), COMPLETE, { id })).toEqual([
        ['BAD_USER_INPUT', 'kind DELIVERED is only for a prescription chosen for home delivery: this one is picked up'],
      ]);
      expect(await stored(id)).toEqual(pickup);
      expect(pickup.status).toBe('DISPENSED');
    });
  });

  it('refuses illegal moves with CONFLICT (or FORBIDDEN for the wrong caller) and changes nothing', async () => {
    const signed = await issue(residentId);
    await sign(doctor(), signed.id);
    const stored = async (id: string) => (await modelsOf(stack).prescriptions.Prescription.findById(id).lean())!;
    const before = await stored(signed.id);

    expect(await codes(pharmacist(), DISPENSE, { id: signed.id })).toEqual(['CONFLICT']); // dispense before approval
    expect(
      await codes(
        doctor(),
        `mutation($id: ID!) { revisePrescription(id: $id, items: [{ drugCode: "${drugCode('amlodipine')}", dose: 10, route: "oral", frequency: "qd", days: 28, quantity: 28 }]) { id } }`,
        { id: signed.id },
      ),
    ).toEqual(['CONFLICT']); // edit after signing
    expect(await stored(signed.id)).toEqual(before);

    const draft = await issue(residentId, {}, internetHospital());
    expect(await codes(internetHospital(), `mutation($id: ID!) { signPrescription(id: $id) { id } }`, { id: draft.id })).toEqual(['FORBIDDEN']); // a service client never signs
    expect(await codes(doctor('D2002'), `mutation($id: ID!) { cancelPrescription(id: $id, reason: "患者要求取消") { status } }`, { id: draft.id })).toEqual([]);
    expect(await codes(pharmacist(), `mutation($id: ID!) { reviewPrescription(id: $id, decision: APPROVE) { id } }`, { id: draft.id })).toEqual(['CONFLICT']); // approve after cancel
    expect((await stored(draft.id)).status).toBe('CANCELLED');
  });

  it('rejects only with a reason, and a rejected prescription goes nowhere', async () => {
    const rx = await issue(residentId);
    await sign(doctor(), rx.id);
    const reject = (reason: string) =>
      stack.query(
        pharmacist(),
        `mutation($id: ID!, $reason: String) { reviewPrescription(id: $id, decision: REJECT, reason: $reason) { status review { outcome reason } } }`,
        { id: rx.id, reason },
      );
    expect((await reject('')).body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect((await reject('剂量超出常规范围')).body.data!.reviewPrescription).toEqual({
      status: 'REJECTED',
      review: { outcome: 'REJECTED', reason: '剂量超出常规范围' },
    });
    expect(await codes(doctor(), `mutation($id: ID!) { routePrescription(id: $id) { id } }`, { id: rx.id })).toEqual(['CONFLICT']);
  });

  it('dispenses exactly once under 20 concurrent presses, telling the winner DISPENSED and the others CONFLICT', async () => {
    const rx = await issue(residentId);
    await sign(doctor(), rx.id);
    await approve()(pharmacist(), rx.id);
    await route(doctor(), rx.id);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        stack.query(pharmacist(), `mutation($id: ID!) { dispensePrescription(id: $id, lot: "LOT-2026-11") { status } }`, { id: rx.id }),
      ),
    );
    // Each caller is told the truth: the one whose dispense committed sees it, the others a conflict.
    const outcomes = attempts.map(
      (attempt) => attempt.body.data?.dispensePrescription?.status ?? attempt.body.errors?.map((error) => error.extensions?.code).join(),
    );
    expect(outcomes.filter((outcome) => outcome === 'DISPENSED')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'CONFLICT')).toHaveLength(19);
    expect(await modelsOf(stack).prescriptions.Transition.countDocuments({ prescriptionId: rx.id, to: 'DISPENSED' })).toBe(1);
    expect((await modelsOf(stack).prescriptions.Prescription.findById(rx.id).lean())!.status).toBe('DISPENSED');
  });

  it('expires with its validity window without any job, and cannot be dispensed then', async () => {
    const rx = await issue(residentId);
    await sign(doctor(), rx.id);
    await modelsOf(stack).prescriptions.Prescription.updateOne({ _id: rx.id }, { $set: { validUntil: new Date(Date.now() - 1000) } });
    expect((await ok(doctor(), `query($id: ID!) { prescription(id: $id) { status } }`, { id: rx.id })).prescription.status).toBe('EXPIRED');
    expect(await codes(pharmacist(), `mutation($id: ID!) { reviewPrescription(id: $id, decision: APPROVE) { id } }`, { id: rx.id })).toEqual(['CONFLICT']);
  });
});

describe('issuing', () => {
  it('returns the same prescription for a retry with the same content, and refuses the same id with other content', async () => {
    const input = issueInput(residentId);
    const first = (await ok(doctor(), ISSUE, { input })).issuePrescription;
    const retry = (await ok(doctor(), ISSUE, { input })).issuePrescription;
    expect(retry.id).toBe(first.id);
    expect(await codes(doctor(), ISSUE, { input: { ...input, items: [{ ...input.items[0], days: 14, quantity: 14 }] } })).toEqual(['CONFLICT']);
    expect(await modelsOf(stack).prescriptions.Prescription.countDocuments({ clientRequestId: input.clientRequestId })).toBe(1);
  });

  it.each([
    ['an unknown drug', { items: [{ drugCode: 'H00000000', dose: 5, route: 'oral', frequency: 'qd', days: 7, quantity: 7 }] }, /not in the drug catalogue/],
    ['a negative quantity', { items: [{ drugCode: 'DRUG', dose: 5, route: 'oral', frequency: 'qd', days: 7, quantity: -1 }] }, /quantity must be positive/],
    ['more days than the chronic limit', { items: [{ drugCode: 'DRUG', dose: 5, route: 'oral', frequency: 'qd', days: 60, quantity: 60 }] }, /at most 28 days/],
    ['a malformed resident id', { residentId: 'not-an-id' }, /residentId must be 24 lowercase hex/],
    ['a malformed pharmacy code', { pharmacyCode: 'P1' }, /pharmacyCode must be a cloud pharmacy code/],
  ])('rejects %s with BAD_USER_INPUT and writes nothing', async (_label, overrides, message) => {
    const fix = (value: Record<string, unknown>) => JSON.parse(JSON.stringify(value).replaceAll('"DRUG"', `"${drugCode('amlodipine')}"`));
    const before = await modelsOf(stack).prescriptions.Prescription.countDocuments();
    const { body } = await stack.query(doctor(), ISSUE, { input: fix(issueInput(residentId, overrides)) });
    expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.message).toMatch(message);
    expect(await modelsOf(stack).prescriptions.Prescription.countDocuments()).toBe(before);
  });
});

describe('safety through federation', () => {
  const REVIEW_ONLY = `mutation($id: ID!, $ack: [String!], $facts: SafetyFactsInput) { reviewPrescription(id: $id, decision: APPROVE, acknowledgedWarnings: $ack, safetyFacts: $facts) { id } }`;
  const refusal = async (id: string, variables: Record<string, unknown>) =>
    (await stack.query(pharmacist(), REVIEW_ONLY, { id, ...variables })).body.errors!.map((error) => [error.extensions?.code, error.message]);
  const statusOf = async (id: string) => (await modelsOf(stack).prescriptions.Prescription.findById(id).lean())!.status;

  it('warns of a drug allergy recorded in records; approval recomputes it and needs it acknowledged', async () => {
    const [allergic] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    await ok(hospitalSystem(), `mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion } }`, {
      input: {
        residentId: allergic,
        sourceRecordId: 'A-PEN',
        substance: { system: 'NMPA-class', code: 'penicillins', display: '青霉素类' },
        category: 'MEDICATION',
        criticality: 'HIGH',
        reactions: ['过敏性休克'],
      },
    });
    const rx = await issue(allergic, {
      diagnoses: [{ code: 'J02.9', display: '急性咽炎' }],
      items: [{ drugCode: 'H20003263', dose: 0.5, route: 'oral', frequency: 'tid', days: 5, quantity: 30 }],
    });
    await sign(doctor(), rx.id);

    const { prescription } = await look(pharmacist(), rx.id);
    expect(prescription.warnings).toEqual([{ code: 'DRUG_ALLERGY:penicillins:H20003263', severity: 'HIGH' }]);
    expect(prescription.safetyFacts).toEqual({ allergyGroups: [{ group: 'penicillins', criticality: 'HIGH' }], diagnosisCodes: [] });
    const facts = prescription.safetyFacts;

    expect(await refusal(rx.id, { facts })).toEqual([
      ['CONFLICT', 'High-severity warnings not acknowledged: DRUG_ALLERGY:penicillins:H20003263 (阿莫西林胶囊 0.25g: the resident is allergic to penicillins)'],
    ]);
    expect(await refusal(rx.id, { facts, ack: ['DUPLICATE_THERAPY:PENICILLIN'] })).toEqual([
      ['CONFLICT', 'High-severity warnings not acknowledged: DRUG_ALLERGY:penicillins:H20003263 (阿莫西林胶囊 0.25g: the resident is allergic to penicillins)'],
    ]);
    // Without the facts nothing can be checked: that is itself a high warning to acknowledge.
    expect(await refusal(rx.id, {})).toEqual([
      ['CONFLICT', 'High-severity warnings not acknowledged: SAFETY_DATA_UNAVAILABLE (The resident’s allergies and diagnoses could not be checked)'],
    ]);
    expect(await statusOf(rx.id)).toBe('SIGNED');

    const approved = (await approve(['DRUG_ALLERGY:penicillins:H20003263'], facts)(pharmacist(), rx.id)).reviewPrescription;
    expect(approved.review).toEqual({ outcome: 'APPROVED', acknowledgedWarnings: ['DRUG_ALLERGY:penicillins:H20003263'] });
  });

  it('reading warnings writes nothing, and an approval needs no earlier read by anyone', async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const rx = await issue(patient);
    await sign(doctor(), rx.id);
    const written = () =>
      stack.commandsDuring(async () => {
        await look(pharmacist(), rx.id);
        await look(doctor(), rx.id);
      });
    const writes = (await written()).filter(
      (command) => ['insert', 'update', 'delete', 'findAndModify'].includes(command.commandName) && !command.databaseName.endsWith('_access'),
    );
    // Nothing but the count of the doctor's look at the record (an archive look-up, a bulletin figure; a pharmacist's is not one).
    expect(writes.map((command) => `${command.commandName} ${String(command.command[command.commandName])}`)).toEqual(['update activityRollups']);
    // Another prescription, never looked at: the pharmacist approves with the facts their own client read.
    const fresh = await issue(patient, { items: [{ drugCode: 'H20093454', dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }] });
    await sign(doctor(), fresh.id);
    expect((await approve(['SAFETY_DATA_UNAVAILABLE'], null)(pharmacist(), fresh.id)).reviewPrescription.status).toBe('APPROVED');
  });

  it('refuses malformed safety facts with BAD_USER_INPUT and changes nothing', async () => {
    const rx = await issue(residentId);
    await sign(doctor(), rx.id);
    expect(await refusal(rx.id, { facts: { allergyGroups: [{ group: 'penicillins', criticality: 'SEVERE' }], diagnosisCodes: [] } })).toEqual([
      ['BAD_USER_INPUT', 'Invalid input: safetyFacts.allergyGroups.0.criticality Invalid option: expected one of "LOW"|"HIGH"|"UNABLE_TO_ASSESS"'],
    ]);
    expect(await statusOf(rx.id)).toBe('SIGNED');
    expect(await modelsOf(stack).prescriptions.Transition.countDocuments({ prescriptionId: rx.id })).toBe(2);
  });

  it('refuses an online renewal without a diagnosis of the condition on record, and allows it with one', async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const renew = async () => {
      const rx = await issue(patient, { renewal: true }, internetHospital());
      await sign(doctor(), rx.id);
      const { prescription } = await look(pharmacist(), rx.id);
      return { rx, check: prescription.renewalCheck, facts: prescription.safetyFacts };
    };
    const first = await renew();
    expect(first.check.eligible).toBe(false);
    expect(await refusal(first.rx.id, { facts: first.facts })).toEqual([
      [
        'CONFLICT',
        'An online renewal needs a diagnosis of the chronic condition on the resident’s record: no diagnosis on record for 苯磺酸氨氯地平片 5mg (needs I10, I11, I12, I13, I15)',
      ],
    ]);

    await ok(hospitalSystem(), `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
      input: { residentId: patient, sourceRecordId: 'P-HTN', code: 'I10', display: '原发性高血压', clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
    });
    const second = await renew();
    expect(second.check.eligible).toBe(true);
    expect(second.facts.diagnosisCodes).toEqual(['I10']);
    expect((await approve([], second.facts)(pharmacist(), second.rx.id)).reviewPrescription.status).toBe('APPROVED');
  });
});

describe('pharmacies', () => {
  it('see only their own queue and prescriptions, with delivery details once routed to them', async () => {
    const rx = await issue(residentId);
    const mine = await ok(pharmacist(), `{ pharmacyQueue(first: 100) { edges { node { id delivery { phone } } } } }`);
    expect(mine.pharmacyQueue.edges.map((edge: any) => edge.node.id)).toContain(rx.id);
    expect(mine.pharmacyQueue.edges.find((edge: any) => edge.node.id === rx.id).node.delivery.phone).toBe('138****1111');

    const theirs = await ok(pharmacist(OTHER_PHARMACY), `{ pharmacyQueue(first: 100) { edges { node { id } } } }`);
    expect(theirs.pharmacyQueue.edges.map((edge: any) => edge.node.id)).not.toContain(rx.id);
    expect((await ok(pharmacist(OTHER_PHARMACY), `query($id: ID!) { prescription(id: $id) { id } }`, { id: rx.id })).prescription).toBeNull();
    expect(await codes(pharmacist(OTHER_PHARMACY), DISPENSE, { id: rx.id })).toEqual(['FORBIDDEN']);
  });
});

describe('the routed pharmacy’s standing', () => {
  const DAY = 86_400_000;
  const COMPLETE = `mutation($id: ID!) { completePrescription(id: $id, kind: PICKED_UP) { status } }`;
  /** Moves every stored time of the prescription and of its relationships back by `days`: the clock as seen `days` later. */
  async function later(id: string, days: number) {
    const models = modelsOf(stack);
    const back = (date: Date | null | undefined) => (date ? new Date(date.getTime() - days * DAY) : date);
    const rx = (await models.prescriptions.Prescription.findById(id).lean())!;
    await models.prescriptions.Prescription.updateOne({ _id: id }, { $set: { issuedAt: back(rx.issuedAt), validUntil: back(rx.validUntil) } });
    for (const fact of await models.access.CareRelationship.find({ residentId: rx.residentId, organizationCode: PHARMACY }).lean()) {
      await models.access.CareRelationship.updateOne(
        { _id: fact._id },
        { $set: { since: back(fact.since), lastSeenAt: back(fact.lastSeenAt), endsAt: back(fact.endsAt) } },
      );
    }
  }

  it('lasts from dispensing on day 3 to completion on day 4, after the 3-day validity, and ends there', async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const rx = await issue(patient);
    await sign(doctor(), rx.id);
    await approve(['SAFETY_DATA_UNAVAILABLE'], null)(pharmacist(), rx.id);
    await route(doctor(), rx.id);
    await later(rx.id, 2.5); // day 3: still valid
    expect((await ok(pharmacist(), DISPENSE, { id: rx.id })).dispensePrescription.status).toBe('DISPENSED');
    await later(rx.id, 1); // day 4: past the validity window
    expect((await ok(pharmacist(), `query($id: ID!) { prescription(id: $id) { status } }`, { id: rx.id })).prescription.status).toBe('DISPENSED');
    expect((await ok(pharmacist(), COMPLETE, { id: rx.id })).completePrescription.status).toBe('PICKED_UP');
    // Completed: the pharmacy's standing is over.
    expect((await ok(pharmacist(), `query($id: ID!) { prescription(id: $id) { status } }`, { id: rx.id })).prescription).toBeNull();
  });

  it('ends with the validity window for a prescription never dispensed', async () => {
    const [patient] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const rx = await issue(patient);
    await sign(doctor(), rx.id);
    await approve(['SAFETY_DATA_UNAVAILABLE'], null)(pharmacist(), rx.id);
    await route(doctor(), rx.id);
    await later(rx.id, 4);
    expect(await codes(pharmacist(), DISPENSE, { id: rx.id })).toEqual(['FORBIDDEN']);
    expect((await modelsOf(stack).prescriptions.Prescription.findById(rx.id).lean())!.status).toBe('ROUTED');
  });
});

describe('round trips', () => {
  it('pharmacyQueue and Resident.prescriptions cost the same for 1 and for 100 prescriptions', async () => {
    const [light, heavy] = (await insertResidents(stack, { organizationCode: '3201-H002', count: 2 })) as [string, string];
    const queueOf = ['3201-P10', '3201-P11'];
    const rows = (resident: string, count: number, pharmacyCode: string) =>
      Array.from({ length: count }, (_, index) =>
        prescriptionDoc({
          residentId: resident,
          organizationCode: '3201-H002',
          drugCodes: [drugCode('metformin')],
          status: 'ROUTED',
          pharmacyCode,
          issuedAt: new Date(Date.now() - index * 60_000),
        }),
      );
    await modelsOf(stack).prescriptions.Prescription.insertMany([...rows(light, 1, queueOf[0]!), ...rows(heavy, 100, queueOf[1]!)]);
    for (const [resident, pharmacy] of [
      [light, queueOf[0]!],
      [heavy, queueOf[1]!],
    ] as const) {
      await relate(stack, [resident], pharmacy, 'DISPENSING', { endsAt: new Date(Date.now() + 86_400_000) });
    }
    const names = (commands: { commandName: string; databaseName: string }[]) =>
      commands.map((command) => `${command.databaseName.split('_')[1]}.${command.commandName}`).sort();
    const queue = (pharmacy: string, expected: number) => async () => {
      const data = await ok(
        pharmacist(pharmacy),
        `{ pharmacyQueue(first: 100) { edges { node { id status items { drug { display } } transitions { to } } } } }`,
      );
      expect(data.pharmacyQueue.edges).toHaveLength(expected);
    };
    expect(names(await stack.commandsDuring(queue(queueOf[1]!, 100)))).toEqual(names(await stack.commandsDuring(queue(queueOf[0]!, 1))));

    const doctorThere = stack.token({ subject: 'dr-h002', roles: ['doctor'], organizationCode: '3201-H002' });
    const list = (resident: string, expected: number) => async () => {
      const data = await ok(
        doctorThere,
        `query($id: ID!) { resident(id: $id) { prescriptions(first: 100) { edges { node { id items { dose } transitions { to } } } } } }`,
        { id: resident },
      );
      expect(data.resident.prescriptions.edges).toHaveLength(expected);
    };
    expect(names(await stack.commandsDuring(list(heavy, 100)))).toEqual(names(await stack.commandsDuring(list(light, 1))));
  });
});
