/**
 * Batch uploads through the real gateway over HTTP: NDJSON lines validated as the matching
 * mutation validates them, authorized per resident, idempotent on the hospital's source id,
 * with per-line errors, limits and refusals.
 */
import { cityDay, rollupId } from '../../../monitoring/activity-store';
import { insertHospitals, insertResidents, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';
import { ndjson, postBatch, uploadSummary } from '../../support/uploads';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const OTHER_HOSPITAL = '3201-H002';
const MAX_LINES = 20;
const MAX_BYTES = 12_000;

const { stack } = useStack({ gatewayConfig: { UPLOAD_MAX_LINES: MAX_LINES, UPLOAD_MAX_BYTES: MAX_BYTES, UPLOAD_MAX_ERRORS: 4 } });
let residents: string[];
let stranger: string;

beforeAll(async () => {
  await insertHospitals(stack);
  residents = await insertResidents(stack, { organizationCode: HOSPITAL, count: 3 });
  [stranger] = (await insertResidents(stack, { organizationCode: OTHER_HOSPITAL, count: 1 })) as [string];
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
});

const hospitalSystem = (organizationCode = HOSPITAL) => stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
const labSystem = () => stack.token({ subject: `lis-${HOSPITAL}`, roles: ['lab_system'], organizationCode: HOSPITAL });
const doctor = () => stack.token({ subject: 'dr-upload', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

const upload = (token: string | null, kind: string, body: string, contentType?: string) => postBatch(stack, token, kind, body, contentType);

const encounter = (residentId: string, sourceRecordId: string, overrides: Record<string, unknown> = {}) => ({
  residentId,
  sourceRecordId,
  class: 'OUTPATIENT',
  status: 'FINISHED',
  department: '心血管内科',
  start: '2026-06-01T01:00:00.000Z',
  diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
  chargesFen: 12_800,
  ...overrides,
});

async function encountersOf(residentId: string) {
  const { body } = await stack.query(
    doctor(),
    `query($id: ID!) { resident(id: $id) { encounters { edges { node { department chargesFen start diagnoses { code { code } primary } } } } } }`,
    { id: residentId },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.resident.encounters.edges.map((edge: { node: unknown }) => edge.node);
}

describe('encounters', () => {
  it('files every line, and a re-sent batch changes nothing', async () => {
    const [a, b] = residents as [string, string];
    const batch = ndjson([encounter(a, 'V-1'), encounter(a, 'V-2', { start: '2026-06-02T01:00:00.000Z', chargesFen: 500 }), encounter(b, 'V-3')]);
    const first = await upload(hospitalSystem(), 'encounters', batch);
    expect(first.status).toBe(200);
    expect(first.body).toEqual(uploadSummary('encounters', { lines: 3, accepted: 3 }));
    expect(await encountersOf(a)).toEqual([
      { department: '心血管内科', chargesFen: 500, start: '2026-06-02T01:00:00.000Z', diagnoses: [{ code: { code: 'I10' }, primary: true }] },
      { department: '心血管内科', chargesFen: 12_800, start: '2026-06-01T01:00:00.000Z', diagnoses: [{ code: { code: 'I10' }, primary: true }] },
    ]);

    const stored = async () => JSON.stringify(await modelsOf(stack).records.Encounter.find({ residentId: a }).sort({ _id: 1 }).lean());
    const before = await stored();
    const again = await upload(hospitalSystem(), 'encounters', batch);
    expect(again.body).toEqual(uploadSummary('encounters', { lines: 3, unchanged: 3 }));
    expect(await stored()).toBe(before);

    // One line changed: only it is written.
    const changed = await upload(
      hospitalSystem(),
      'encounters',
      ndjson([encounter(a, 'V-1', { chargesFen: 9_900 }), encounter(a, 'V-2', { start: '2026-06-02T01:00:00.000Z', chargesFen: 500 })]),
    );
    expect(changed.body).toEqual(uploadSummary('encounters', { lines: 2, accepted: 1, unchanged: 1 }));
    expect((await encountersOf(a)).map((item: { chargesFen: number }) => item.chargesFen)).toEqual([500, 9_900]);
  });

  it('rejects bad lines by line number with the mutation’s own messages, and keeps the valid ones', async () => {
    const c = residents[2]!;
    const batch = [
      JSON.stringify(encounter(c, 'M-1')),
      '{"residentId": "not json',
      JSON.stringify({ ...encounter(c, 'M-3'), ward: '3A' }),
      JSON.stringify(encounter(c, 'M-4', { chargesFen: 'a lot' })),
      '',
      JSON.stringify(encounter(stranger, 'M-6')),
      JSON.stringify(encounter(c, 'M-7', { start: 'yesterday' })),
      JSON.stringify(encounter(c, 'V-1')),
      '[1, 2]',
      JSON.stringify(encounter(c, 'M-10', { department: '神经内科' })),
    ].join('\n');
    const { status, body } = await upload(hospitalSystem(), 'encounters', `${batch}\n`);
    expect(status).toBe(200);
    // UPLOAD_MAX_ERRORS is 4 here: the first four rejections are listed, all are counted.
    expect(body).toEqual(
      uploadSummary('encounters', { lines: 9, accepted: 2, rejected: 7 }, [
        { line: 2, code: 'BAD_USER_INPUT', message: 'Not valid JSON' },
        { line: 3, code: 'BAD_USER_INPUT', message: 'Field "ward" is not defined by type "RecordEncounterInput".' },
        { line: 4, code: 'BAD_USER_INPUT', message: 'chargesFen: Int cannot represent non-integer value: "a lot"' },
        { line: 6, code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
      ]),
    );
    expect((await encountersOf(c)).map((item: { department: string }) => item.department).sort()).toEqual(['心血管内科', '神经内科']);
    expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: stranger, organizationCode: HOSPITAL })).toBe(0);
  });

  it('names every rejected line when they fit in the list', async () => {
    const c = residents[2]!;
    const { body } = await upload(
      hospitalSystem(),
      'encounters',
      ndjson([encounter(c, 'E-1', { start: 'yesterday' }), encounter(c, 'V-1'), [1, 2], encounter(c, 'E-1', { department: '' })]),
    );
    expect(body).toEqual(
      uploadSummary('encounters', { lines: 4, rejected: 4 }, [
        {
          line: 1,
          code: 'BAD_USER_INPUT',
          message: 'Invalid input: start must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00 (not "yesterday")',
        },
        { line: 2, code: 'CONFLICT', message: 'This source record was uploaded for another resident' },
        { line: 3, code: 'BAD_USER_INPUT', message: 'Each line must be one JSON object' },
        { line: 4, code: 'BAD_USER_INPUT', message: 'Invalid input: department must not be empty' },
      ]),
    );
  });

  it('rejects visits on days the calendar does not have, and files none of them', async () => {
    const [d] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
    const days = ['2026-02-30', '2026-04-31', '2026-11-31'];
    const { body } = await upload(hospitalSystem(), 'encounters', ndjson(days.map((day, index) => encounter(d, `C-${index}`, { start: `${day}T01:00:00Z` }))));
    const rule = 'must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00';
    expect(body).toEqual(
      uploadSummary('encounters', { lines: 3, rejected: 3 }, [
        { line: 1, code: 'BAD_USER_INPUT', message: `Invalid input: start ${rule} (not "2026-02-30T01:00:00Z")` },
        { line: 2, code: 'BAD_USER_INPUT', message: `Invalid input: start ${rule} (not "2026-04-31T01:00:00Z")` },
        { line: 3, code: 'BAD_USER_INPUT', message: `Invalid input: start ${rule} (not "2026-11-31T01:00:00Z")` },
      ]),
    );
    expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: d })).toBe(0);
  });

  it('keeps the complete lines of a batch cut off mid-line, and says so', async () => {
    const c = residents[2]!;
    const whole = ndjson([encounter(c, 'T-1'), encounter(c, 'T-2')]);
    const cut = JSON.stringify(encounter(c, 'T-3')).slice(0, 40);
    const { status, body } = await upload(hospitalSystem(), 'encounters', whole + cut);
    expect(status).toBe(200);
    expect(body).toEqual(
      uploadSummary('encounters', { lines: 3, accepted: 2, rejected: 1 }, [
        { line: 3, code: 'BAD_USER_INPUT', message: 'The last line is not complete JSON: the batch was cut off' },
      ]),
    );
    expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: c, 'source.recordId': 'T-3' })).toBe(0);
  });
});

describe('other kinds', () => {
  it('conditions', async () => {
    const a = residents[0]!;
    const line = {
      residentId: a,
      sourceRecordId: 'P-1',
      code: 'E11.9',
      display: '2型糖尿病',
      clinicalStatus: 'ACTIVE',
      verificationStatus: 'CONFIRMED',
      onset: '2019-04-01',
    };
    expect((await upload(hospitalSystem(), 'conditions', ndjson([line]))).body).toEqual(uploadSummary('conditions', { lines: 1, accepted: 1 }));
    expect((await upload(hospitalSystem(), 'conditions', ndjson([line]))).body).toEqual(uploadSummary('conditions', { lines: 1, unchanged: 1 }));
    const { body } = await stack.query(
      doctor(),
      `query($id: ID!) { resident(id: $id) { conditions { edges { node { code { code display } clinicalStatus onset } } } } }`,
      { id: a },
    );
    expect(body.data!.resident.conditions.edges.map((edge: { node: unknown }) => edge.node)).toContainEqual({
      code: { code: 'E11.9', display: '2型糖尿病' },
      clinicalStatus: 'ACTIVE',
      onset: '2019-04-01',
    });
  });

  it('allergies, statements and “no known allergies” alike', async () => {
    const [a, b] = residents as [string, string];
    const penicillin = {
      residentId: a,
      sourceRecordId: 'A-1',
      substance: { system: 'allergy-group', code: 'PENICILLINS', display: '青霉素类' },
      category: 'MEDICATION',
      criticality: 'HIGH',
      reactions: ['皮疹'],
    };
    const fresh = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 }))[0]!;
    const none = { residentId: fresh, sourceRecordId: 'A-2', noKnownAllergies: true };
    const refused = { residentId: b, sourceRecordId: 'A-3', noKnownAllergies: true };
    await upload(hospitalSystem(), 'allergies', ndjson([{ ...penicillin, residentId: b, sourceRecordId: 'A-0' }]));
    const { body } = await upload(hospitalSystem(), 'allergies', ndjson([penicillin, none, refused]));
    expect(body).toEqual(
      uploadSummary('allergies', { lines: 3, accepted: 2, rejected: 1 }, [
        { line: 3, code: 'CONFLICT', message: 'Allergies are on record; they must be refuted before asserting none' },
      ]),
    );
    const read = await stack.query(
      doctor(),
      `query($a: ID!, $f: ID!) { a: resident(id: $a) { summary { allergies { assertion items { substance { code } criticality reactions } } } } f: resident(id: $f) { summary { allergies { assertion } } } }`,
      { a, f: fresh },
    );
    expect(read.body.data).toEqual({
      a: { summary: { allergies: { assertion: 'HAS_ALLERGIES', items: [{ substance: { code: 'PENICILLINS' }, criticality: 'HIGH', reactions: ['皮疹'] }] } } },
      f: { summary: { allergies: { assertion: 'NO_KNOWN_ALLERGIES' } } },
    });
  });

  it('lab reports, interpreted as submitLabReport interprets them', async () => {
    const a = residents[0]!;
    const report = (sourceReportId: string, value: number) => ({
      residentId: a,
      sourceReportId,
      category: 'LABORATORY',
      code: '14749-6',
      status: 'FINAL',
      issuedAt: '2026-05-01T02:00:00.000Z',
      subjectSex: 'FEMALE',
      subjectBirthDate: '1960-03-15',
      results: [{ code: '14749-6', value, unit: 'mmol/L' }],
    });
    const first = await upload(labSystem(), 'lab-reports', ndjson([report('L-1', 5.4), report('L-2', 7.9), { ...report('L-3', 5), code: 'no-such-code' }]));
    expect(first.body).toEqual(
      uploadSummary('lab-reports', { lines: 3, accepted: 2, rejected: 1 }, [
        { line: 3, code: 'BAD_USER_INPUT', message: 'code no-such-code is not in the lab catalogue' },
      ]),
    );
    const again = await upload(labSystem(), 'lab-reports', ndjson([report('L-1', 5.4), report('L-2', 8.1)]));
    expect(again.body).toEqual(uploadSummary('lab-reports', { lines: 2, accepted: 1, unchanged: 1 }));
    const { body } = await stack.query(
      doctor(),
      `query($id: ID!) { resident(id: $id) { labReports(code: "14749-6") { edges { node { results { value interpretation } history { issuedAt } } } } } }`,
      { id: a },
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.resident.labReports.edges.map((edge: { node: { results: unknown[]; history: unknown[] } }) => ({
      results: edge.node.results,
      versions: edge.node.history.length,
    }));
    expect(nodes).toContainEqual({ results: [{ value: 5.4, interpretation: 'N' }], versions: 0 });
    expect(nodes).toContainEqual({ results: [{ value: 8.1, interpretation: 'H' }], versions: 1 });
  });
});

describe('refusals', () => {
  it('without a token: 401, nothing read', async () => {
    const { status, body } = await upload(null, 'encounters', ndjson([encounter(residents[0]!, 'U-1')]));
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['a resident', () => stack.token({ subject: 'self', roles: ['resident'], residentId: residents[0]! })],
    ['a pharmacy', () => stack.token({ subject: 'ph', roles: ['pharmacist'], organizationCode: '3201-P01' })],
    ['a lab system, for encounters', labSystem],
  ])('%s may not upload encounters: 403, nothing written', async (_label, token) => {
    const beforeCount = await modelsOf(stack).records.Encounter.countDocuments({ residentId: residents[0]!, organizationCode: HOSPITAL });
    const { status, body } = await upload(token(), 'encounters', ndjson([encounter(residents[0]!, 'R-1'), encounter(residents[0]!, 'R-2')]));
    expect(status).toBe(403);
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: residents[0]!, organizationCode: HOSPITAL })).toBe(beforeCount);
  });

  it('another hospital without standing: every line FORBIDDEN, nothing written', async () => {
    const { status, body } = await upload(hospitalSystem(OTHER_HOSPITAL), 'encounters', ndjson([encounter(residents[0]!, 'S-1')]));
    expect(status).toBe(200);
    expect(body).toEqual(
      uploadSummary('encounters', { lines: 1, rejected: 1 }, [
        { line: 1, code: 'FORBIDDEN', message: 'Not permitted: no care relationship with this resident' },
      ]),
    );
    expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: residents[0]!, organizationCode: OTHER_HOSPITAL })).toBe(0);
    // No write creates the standing it needs: the other hospital's doctors still cannot read the resident.
    const otherDoctor = stack.token({ subject: 'dr-other', roles: ['doctor'], organizationCode: OTHER_HOSPITAL, practitionerId: 'D9' });
    const read = await stack.query(otherDoctor, `query($id: ID!) { resident(id: $id) { name } }`, { id: residents[0]! });
    expect(read.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(read.body.data?.resident ?? null).toBeNull();
  });

  it('over UPLOAD_MAX_LINES: 413, the lines before the limit kept and counted', async () => {
    const c = residents[2]!;
    const lines = Array.from({ length: MAX_LINES + 5 }, (_, index) => encounter(c, `X-${index + 1}`, { chargesFen: index }));
    const { status, body } = await upload(hospitalSystem(), 'encounters', ndjson(lines));
    expect(status).toBe(413);
    expect(body).toEqual({
      ...uploadSummary('encounters', { lines: MAX_LINES, accepted: MAX_LINES }),
      complete: false,
      stopped: { reason: 'limit', message: `The batch has more than ${MAX_LINES} lines (UPLOAD_MAX_LINES); lines after ${MAX_LINES} were not read` },
    });
    expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: c, 'source.recordId': `X-${MAX_LINES + 1}` })).toBe(0);
  });

  it('a body declared over UPLOAD_MAX_BYTES: 413 before anything is read', async () => {
    const c = residents[2]!;
    const lines = Array.from({ length: 60 }, (_, index) => encounter(c, `Y-${index + 1}`));
    const { status, body } = await upload(hospitalSystem(), 'encounters', ndjson(lines));
    expect(status).toBe(413);
    expect(body.errors).toEqual([
      { message: `The batch is larger than ${MAX_BYTES} bytes (UPLOAD_MAX_BYTES); nothing was read`, extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    expect(await modelsOf(stack).records.Encounter.countDocuments({ residentId: c, 'source.recordId': 'Y-1' })).toBe(0);
  });

  it('another content type: 415; an unknown kind: 404', async () => {
    expect((await upload(hospitalSystem(), 'encounters', '{}', 'application/json')).status).toBe(415);
    const unknown = await upload(hospitalSystem(), 'vaccinations', '{}\n');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].message).toBe(
      'No such upload endpoint; use /upload/encounters, /upload/conditions, /upload/allergies, /upload/lab-reports, /upload/prescriptions',
    );
  });
});

it('counts what was accepted for the cockpit, as scheduled uploads; a re-sent batch counts nothing', async () => {
  // A hospital of its own, so that no other test's uploads are in its rollup.
  const hospital = '3201-H105';
  const [resident] = (await insertResidents(stack, { organizationCode: hospital, count: 1 })) as [string];
  const rollup = (period: string) => modelsOf(stack).activity.ActivityRollup.findById(rollupId(hospital, period)).lean();
  const today = () => rollup(cityDay(new Date()));
  // The visits were on 1 June 2026 (09:00 in Nanjing): their figures count on that day, the records today.
  const batch = ndjson([
    encounter(resident, 'C-1'),
    encounter(resident, 'C-2', { class: 'EMERGENCY', chargesFen: 30_000 }),
    encounter(resident, 'C-3', { start: 'bad' }),
  ]);
  expect((await upload(hospitalSystem(hospital), 'encounters', batch)).body).toMatchObject({ accepted: 2, rejected: 1 });
  const received = { scheduledUploadRecords: 2, verifiedRecords: 2 };
  const visits = { outpatientVisits: 1, outpatientRevenueFen: 12_800, emergencyVisits: 1, emergencyRevenueFen: 30_000 };
  const counted = async () => ({ today: await today(), june1: await rollup('2026-06-01'), june: await rollup('2026-06') });
  const expected = (records: object, figures: object) => ({
    today: expect.objectContaining(records),
    june1: expect.objectContaining(figures),
    june: expect.objectContaining(figures),
  });
  expect(await counted()).toEqual(expected(received, visits));
  expect(await today()).not.toHaveProperty('outpatientVisits');
  expect((await upload(hospitalSystem(hospital), 'encounters', batch)).body).toMatchObject({ accepted: 0, unchanged: 2, rejected: 1 });
  expect(await counted()).toEqual(expected(received, visits));
  // A corrected charge counts the record again, and the revenue by the difference.
  await upload(hospitalSystem(hospital), 'encounters', ndjson([encounter(resident, 'C-1', { chargesFen: 13_000 })]));
  expect(await counted()).toEqual(expected({ scheduledUploadRecords: 3, verifiedRecords: 3 }, { ...visits, outpatientRevenueFen: 13_000 }));
});

it('is audited as writes, under the request id the answer carries', async () => {
  const b = residents[1]!;
  const { requestId } = await upload(hospitalSystem(), 'encounters', ndjson([encounter(b, 'W-1'), encounter(stranger, 'W-2')]));
  const events = await modelsOf(stack)
    .access.AuditEvent.find({ subject: `his-${HOSPITAL}`, requestId })
    .lean();
  expect(
    events
      .map(({ residentId, action, outcome, dataKinds, subgraph }) => ({ residentId, action, outcome, dataKinds, subgraph }))
      .sort((x, y) => x.outcome.localeCompare(y.outcome)),
  ).toEqual([
    { residentId: b, action: 'write', outcome: 'allowed', dataKinds: ['encounters'], subgraph: 'records' },
    { residentId: stranger, action: 'write', outcome: 'denied', dataKinds: ['encounters'], subgraph: 'records' },
  ]);
});
