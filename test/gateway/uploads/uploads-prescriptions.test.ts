/**
 * Prescriptions a hospital's own pharmacy dispensed, filed by batch upload through the real
 * gateway: checked as issuePrescription checks its input, decided per resident, idempotent on
 * the hospital's id, read by other hospitals within their standing and the resident's consent,
 * final once filed, and seen by the duplicate-therapy check.
 */
import { cityDay, rollupId } from '../../../monitoring/activity-store';
import { oneOf } from '../../../platform/database';
import { insertHospitals, insertResidents, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';
import { ndjson, postBatch, uploadSummary } from '../../support/uploads';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const READER = '3201-H002';
const STRANGER = '3201-H003';
const PHARMACY = '3201-P01';
const AMLODIPINE = 'H20093454';
const NIFEDIPINE = 'H20103231';
const METFORMIN = 'H20023370';
const ESCITALOPRAM = 'H20010510';
const SERTRALINE = 'H10950129';

const { stack } = useStack();
let residents: string[];
let stranger: string;

beforeAll(async () => {
  await insertHospitals(stack);
  residents = await insertResidents(stack, { organizationCode: HOSPITAL, alsoSeenAt: [READER], count: 4 });
  [stranger] = (await insertResidents(stack, { organizationCode: STRANGER, count: 1 })) as [string];
});

const hospitalSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const doctor = (organizationCode: string) => stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode, practitionerId: 'D2002' });

const upload = (token: string, body: string, kind = 'prescriptions') => postBatch(stack, token, kind, body);

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

const filed = (residentId: string, sourceRecordId: string, overrides: Record<string, unknown> = {}) => ({
  residentId,
  sourceRecordId,
  prescriberPractitioner: 'D1001',
  issuedAt: '2026-06-01T01:00:00.000Z',
  diagnoses: [{ code: 'I10', display: '原发性高血压' }],
  items: [{ drugCode: AMLODIPINE, dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
  dispensing: { at: '2026-06-01T01:30:00.000Z', pharmacist: 'P3001', lot: 'LOT-2606-A' },
  ...overrides,
});

const summary = (counts: Parameters<typeof uploadSummary>[1], errors: unknown[] = []) => uploadSummary('prescriptions', counts, errors);

const RX = `id status issuedAt prescriber { code } prescriberPractitioner pharmacy { code } signature { valid } review { outcome }
  dispensing { pharmacist pharmacy { code } at lot substitutions } filed { sourceRecordId }
  transitions { from to by organization { code } at } items { drug { code } days quantity } diagnoses { code }`;

async function prescriptionsOf(token: string, residentId: string) {
  const { body } = await stack.query(token, `query($id: ID!) { resident(id: $id) { prescriptions { edges { node { ${RX} } } } } }`, { id: residentId });
  expect(body.errors).toBeUndefined();
  return body.data!.resident.prescriptions.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
}

const storedOf = async (residentId: string) => JSON.stringify(await modelsOf(stack).prescriptions.Prescription.find({ residentId }).sort({ _id: 1 }).lean());

it('files dispensed prescriptions that another hospital reads, and a re-sent batch changes nothing', async () => {
  const [a] = residents as [string];
  const batch = ndjson([
    filed(a, 'RX-1'),
    filed(a, 'RX-2', {
      issuedAt: '2026-06-02T01:00:00.000Z',
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病' }],
      items: [{ drugCode: METFORMIN, dose: 0.5, route: 'oral', frequency: 'tid', days: 14, quantity: 84, instructions: '餐后' }],
      dispensing: { at: '2026-06-02T02:00:00.000Z', pharmacist: 'P3002', lot: 'LOT-2606-B', substitutions: ['同规格国产替代'] },
    }),
  ]);
  const first = await upload(hospitalSystem(), batch);
  expect(first.status).toBe(200);
  expect(first.body).toEqual(summary({ lines: 2, accepted: 2 }));

  const [metformin, amlodipine] = await prescriptionsOf(doctor(READER), a);
  expect(amlodipine).toEqual({
    id: expect.stringMatching(/^[0-9a-f]{24}$/),
    status: 'DISPENSED',
    issuedAt: '2026-06-01T01:00:00.000Z',
    prescriber: { code: HOSPITAL },
    prescriberPractitioner: 'D1001',
    pharmacy: null,
    signature: null,
    review: null,
    dispensing: { pharmacist: 'P3001', pharmacy: { code: HOSPITAL }, at: '2026-06-01T01:30:00.000Z', lot: 'LOT-2606-A', substitutions: [] },
    filed: { sourceRecordId: 'RX-1' },
    transitions: [{ from: null, to: 'DISPENSED', by: 'P3001', organization: { code: HOSPITAL }, at: '2026-06-01T01:30:00.000Z' }],
    items: [{ drug: { code: AMLODIPINE }, days: 28, quantity: 28 }],
    diagnoses: [{ code: 'I10' }],
  });
  expect(metformin).toMatchObject({
    status: 'DISPENSED',
    dispensing: { pharmacist: 'P3002', lot: 'LOT-2606-B', substitutions: ['同规格国产替代'] },
    filed: { sourceRecordId: 'RX-2' },
    items: [{ drug: { code: METFORMIN }, days: 14, quantity: 84 }],
    diagnoses: [{ code: 'E11.9' }],
  });

  const before = await storedOf(a);
  expect((await upload(hospitalSystem(), batch)).body).toEqual(summary({ lines: 2, unchanged: 2 }));
  expect(await storedOf(a)).toBe(before);

  // A corrected lot number replaces that prescription only, under the same id.
  const corrected = await upload(
    hospitalSystem(),
    ndjson([filed(a, 'RX-1', { dispensing: { at: '2026-06-01T01:30:00.000Z', pharmacist: 'P3001', lot: 'LOT-2606-C' } })]),
  );
  expect(corrected.body).toEqual(summary({ lines: 1, accepted: 1 }));
  const after = await prescriptionsOf(doctor(READER), a);
  expect(after.map((item: { id: string; dispensing: { lot: string } }) => [item.id, item.dispensing.lot])).toEqual([
    [metformin.id, 'LOT-2606-B'],
    [amlodipine.id, 'LOT-2606-C'],
  ]);
});

it('rejects bad lines by line number with the prescription rules’ own messages, and keeps the valid ones', async () => {
  const b = residents[1]!;
  const batch = [
    JSON.stringify(filed(b, 'B-1')),
    JSON.stringify({ ...filed(b, 'B-2'), pharmacyCode: PHARMACY }),
    JSON.stringify(filed(b, 'B-3', { items: [{ drugCode: 'Z99999999', dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }] })),
    JSON.stringify(filed(b, 'B-4', { items: [{ drugCode: AMLODIPINE, dose: 5, route: 'oral', frequency: 'qd', days: 90, quantity: 90 }] })),
    JSON.stringify(filed(b, 'B-5', { dispensing: { at: '2026-05-31T01:00:00.000Z', pharmacist: 'P3001', lot: 'LOT-1' } })),
    JSON.stringify(
      filed(b, 'B-6', { issuedAt: '2099-01-01T00:00:00.000Z', dispensing: { at: '2099-01-01T01:00:00.000Z', pharmacist: 'P3001', lot: 'LOT-1' } }),
    ),
    JSON.stringify(filed(stranger, 'B-7')),
    JSON.stringify(filed(b, 'B-1', { prescriberPractitioner: 'D1002' })),
    JSON.stringify(filed(b, 'B-9', { encounterSourceRecordId: 'NEVER-UPLOADED' })),
    JSON.stringify(filed(b, 'B-10', { diagnoses: [] })),
    JSON.stringify(filed(b, 'B-11', { dispensing: { at: '2026-06-01T01:30:00.000Z', pharmacist: 'P3001', lot: 'x' } })),
  ].join('\n');
  const { status, body } = await upload(hospitalSystem(), `${batch}\n`);
  expect(status).toBe(200);
  expect(body).toEqual(
    summary({ lines: 11, accepted: 1, rejected: 10 }, [
      { line: 2, code: 'BAD_USER_INPUT', message: 'Field "pharmacyCode" is not defined by type "FilePrescriptionInput".' },
      { line: 3, code: 'BAD_USER_INPUT', message: 'items.0.drugCode Z99999999 is not in the drug catalogue' },
      { line: 4, code: 'BAD_USER_INPUT', message: 'items.0.days: at most 28 days of 苯磺酸氨氯地平片 5mg' },
      { line: 5, code: 'BAD_USER_INPUT', message: 'Invalid input: dispensing.at is before issuedAt' },
      { line: 6, code: 'BAD_USER_INPUT', message: 'Invalid input: issuedAt is in the future; dispensing.at is in the future' },
      { line: 7, code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
      { line: 8, code: 'BAD_USER_INPUT', message: 'sourceRecordId B-1 is already item 1 of this batch' },
      {
        line: 9,
        code: 'BAD_USER_INPUT',
        message: 'encounterSourceRecordId NEVER-UPLOADED is not an encounter this hospital uploaded for this resident (upload the encounter first)',
      },
      { line: 10, code: 'BAD_USER_INPUT', message: 'Invalid input: diagnoses needs at least one diagnosis' },
      { line: 11, code: 'BAD_USER_INPUT', message: 'Invalid input: dispensing.lot must be 3-32 letters, digits or -' },
    ]),
  );
  const stored = await modelsOf(stack)
    .prescriptions.Prescription.find({ residentId: oneOf([b, stranger]) })
    .lean();
  expect(stored.map((doc) => doc.filed?.sourceRecordId)).toEqual(['B-1']);
});

it('links the encounter the hospital uploaded for the same resident, and no other', async () => {
  const [, , c, d] = residents as [string, string, string, string];
  const encounter = (residentId: string, sourceRecordId: string) => ({
    residentId,
    sourceRecordId,
    class: 'OUTPATIENT',
    status: 'FINISHED',
    department: '内分泌科',
    start: '2026-06-03T01:00:00.000Z',
    diagnoses: [],
  });
  expect((await upload(hospitalSystem(), ndjson([encounter(c, 'E-C'), encounter(d, 'E-D')]), 'encounters')).body).toMatchObject({ accepted: 2 });

  const { body } = await upload(
    hospitalSystem(),
    ndjson([filed(c, 'L-1', { encounterSourceRecordId: 'E-C' }), filed(c, 'L-2', { encounterSourceRecordId: 'E-D' })]),
  );
  expect(body).toEqual(
    summary({ lines: 2, accepted: 1, rejected: 1 }, [
      {
        line: 2,
        code: 'BAD_USER_INPUT',
        message: 'encounterSourceRecordId E-D is not an encounter this hospital uploaded for this resident (upload the encounter first)',
      },
    ]),
  );
  const read = await stack.query(
    doctor(READER),
    `query($id: ID!) { resident(id: $id) { prescriptions { edges { node { filed { sourceRecordId } encounter { department start } } } } } }`,
    { id: c },
  );
  expect(read.body.errors).toBeUndefined();
  expect(read.body.data!.resident.prescriptions.edges).toEqual([
    { node: { filed: { sourceRecordId: 'L-1' }, encounter: { department: '内分泌科', start: '2026-06-03T01:00:00.000Z' } } },
  ]);
});

it('a filed prescription is final and gives nobody standing', async () => {
  const d = residents[3]!;
  expect((await upload(hospitalSystem(), ndjson([filed(d, 'F-1')]))).body).toMatchObject({ accepted: 1 });
  const [{ id }] = await prescriptionsOf(doctor(HOSPITAL), d);
  const attempt = async (token: string, query: string) =>
    (await stack.query(token, query, { id })).body.errors?.map((error) => [error.extensions?.code, error.message]);
  expect(await attempt(doctor(HOSPITAL), `mutation($id: ID!) { cancelPrescription(id: $id, reason: "录入错误") { id } }`)).toEqual([
    ['CONFLICT', 'A dispensed prescription cannot become cancelled'],
  ]);
  const pharmacist = stack.token({ subject: 'ph-1', roles: ['pharmacist'], organizationCode: PHARMACY, practitionerId: 'P2001' });
  expect(await attempt(pharmacist, `mutation($id: ID!) { completePrescription(id: $id, kind: PICKED_UP) { id } }`)).toEqual([
    ['FORBIDDEN', 'Not permitted: no care relationship with this resident'],
  ]);
  const read = await stack.query(pharmacist, `query($id: ID!) { prescription(id: $id) { id } }`, { id });
  expect(read.body.data?.prescription ?? null).toBeNull();
});

it('only hospital systems file prescriptions: other roles are refused and nothing is written', async () => {
  const a = residents[0]!;
  const before = await storedOf(a);
  const tokens = {
    doctor: doctor(HOSPITAL),
    internetHospital: stack.token({ subject: 'ih', roles: ['internet_hospital'], organizationCode: HOSPITAL }),
    labSystem: stack.token({ subject: 'lis', roles: ['lab_system'], organizationCode: HOSPITAL }),
    pharmacist: stack.token({ subject: 'ph', roles: ['pharmacist'], organizationCode: PHARMACY, practitionerId: 'P2001' }),
  };
  for (const token of Object.values(tokens)) {
    const { status, body } = await upload(token, ndjson([filed(a, 'R-1')]));
    expect([status, body.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
  }
  expect(await storedOf(a)).toBe(before);
});

it('a hospital without standing files nothing, and filing gives it no access to the record', async () => {
  const b = residents[1]!;
  const before = await storedOf(b);
  const { status, body } = await upload(hospitalSystem(STRANGER), ndjson([filed(b, 'OUT-1')]));
  expect([status, body]).toEqual([
    200,
    summary({ lines: 1, rejected: 1 }, [{ line: 1, code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' }]),
  ]);
  expect(await storedOf(b)).toBe(before);
  const read = await stack.query(doctor(STRANGER), `query($id: ID!) { resident(id: $id) { name prescriptions { edges { node { id } } } } }`, { id: b });
  expect(read.body.errors!.map((error) => error.extensions!.code)).toEqual(['FORBIDDEN']);
  expect(read.text).not.toContain('LOT-2606');
});

it('the duplicate-therapy check of another hospital’s new prescription sees a filed one', async () => {
  const resident = (await insertResidents(stack, { organizationCode: HOSPITAL, alsoSeenAt: [READER], count: 1 }))[0]!;
  expect(
    (
      await upload(
        hospitalSystem(),
        ndjson([filed(resident, 'DT-1', { issuedAt: hoursAgo(3), dispensing: { at: hoursAgo(2), pharmacist: 'P3001', lot: 'LOT-DT' } })]),
      )
    ).body,
  ).toMatchObject({ accepted: 1 });
  const input = {
    residentId: resident,
    clientRequestId: 'dup-therapy-0001',
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    items: [{ drugCode: NIFEDIPINE, dose: 30, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
  };
  const { body } = await stack.query(
    doctor(READER),
    `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { warnings { code severity message } } }`,
    { input },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data!.issuePrescription.warnings).toEqual([
    { code: 'DUPLICATE_THERAPY:CCB', severity: 'MODERATE', message: '硝苯地平控释片 30mg duplicates 苯磺酸氨氯地平片 5mg (CCB)' },
  ]);
});

it('a drug in a category the resident restricted stays with the hospital that filed it, warnings included', async () => {
  const resident = (await insertResidents(stack, { organizationCode: HOSPITAL, alsoSeenAt: [READER], count: 1 }))[0]!;
  const self = stack.token({ subject: 'citizen-rx', roles: ['resident'], residentId: resident });
  expect(
    (
      await stack.query(
        self,
        `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`,
        { id: resident },
      )
    ).body.errors,
  ).toBeUndefined();
  const ssri = filed(resident, 'MH-1', {
    issuedAt: hoursAgo(3),
    diagnoses: [{ code: 'F32.1', display: '中度抑郁发作' }],
    items: [{ drugCode: ESCITALOPRAM, dose: 10, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
    dispensing: { at: hoursAgo(2), pharmacist: 'P3001', lot: 'LOT-MH' },
  });
  expect((await upload(hospitalSystem(), ndjson([ssri]))).body).toMatchObject({ accepted: 1 });

  expect((await prescriptionsOf(doctor(HOSPITAL), resident)).map((item: { filed: unknown }) => item.filed)).toEqual([{ sourceRecordId: 'MH-1' }]);
  expect(await prescriptionsOf(doctor(READER), resident)).toEqual([]);
  expect((await prescriptionsOf(self, resident)).map((item: { filed: unknown }) => item.filed)).toEqual([{ sourceRecordId: 'MH-1' }]);
  // Another SSRI prescribed elsewhere: its warnings do not reveal the restricted one.
  const input = {
    residentId: resident,
    clientRequestId: 'restricted-0001',
    diagnoses: [{ code: 'F41.1', display: '广泛性焦虑障碍' }],
    items: [{ drugCode: SERTRALINE, dose: 50, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
  };
  const issued = await stack.query(doctor(READER), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { warnings { code } } }`, {
    input,
  });
  expect(issued.body.data!.issuePrescription.warnings).toEqual([]);
  expect(issued.text).not.toContain('艾司西酞普兰');
  // The hospital that filed it is warned.
  const own = await stack.query(doctor(HOSPITAL), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { warnings { code } } }`, {
    input: { ...input, clientRequestId: 'restricted-0002' },
  });
  expect(own.body.data!.issuePrescription.warnings).toEqual([{ code: 'DUPLICATE_THERAPY:SSRI' }]);
});

it('counts filed prescriptions for the cockpit as scheduled uploads, and is audited as writes', async () => {
  // A hospital of its own, so that no other test's uploads are in its rollup.
  const hospital = '3201-H106';
  const [resident] = (await insertResidents(stack, { organizationCode: hospital, count: 1 })) as [string];
  const today = () =>
    modelsOf(stack)
      .activity.ActivityRollup.findById(rollupId(hospital, cityDay(new Date())))
      .lean();
  const batch = ndjson([filed(resident, 'C-1'), filed(resident, 'C-2'), filed(stranger, 'C-3')]);
  const { body, requestId } = await upload(hospitalSystem(hospital), batch);
  expect(body).toMatchObject({ accepted: 2, rejected: 1 });
  expect(await today()).toMatchObject({ scheduledUploadRecords: 2, verifiedRecords: 2 });
  expect((await upload(hospitalSystem(hospital), batch)).body).toMatchObject({ accepted: 0, unchanged: 2, rejected: 1 });
  expect(await today()).toMatchObject({ scheduledUploadRecords: 2, verifiedRecords: 2 });

  const events = await modelsOf(stack)
    .access.AuditEvent.find({ subject: `his-${hospital}`, requestId })
    .lean();
  expect(
    events
      .map(({ residentId, action, outcome, dataKinds, subgraph }) => ({ residentId, action, outcome, dataKinds, subgraph }))
      .sort((x, y) => x.outcome.localeCompare(y.outcome)),
  ).toEqual([
    { residentId: resident, action: 'write', outcome: 'allowed', dataKinds: ['prescriptions'], subgraph: 'prescriptions' },
    { residentId: stranger, action: 'write', outcome: 'denied', dataKinds: ['prescriptions'], subgraph: 'prescriptions' },
  ]);
});
