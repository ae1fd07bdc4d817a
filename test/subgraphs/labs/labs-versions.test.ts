/**
 * A lab report's versions through both write paths: a lab system's batch upload replaces a
 * changed report as submitLabReport does (the same history, labels and counts), each
 * version goes to exactly one upload when several change a report at once, and a change
 * whose attempt failed between its two writes is finished by sending it again.
 */
import { cityDay, rollupId } from '../../../monitoring/activity-store';
import { insertHospitals, insertResidents, labSubmission, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok } = useStack();
let RESIDENT: string;
const CERTIFIED = '3201-H001';

const labSystem = () => stack.token({ subject: `lis-${CERTIFIED}`, roles: ['lab_system'], organizationCode: CERTIFIED });
const doctor = () => stack.token({ subject: `dr-${CERTIFIED}`, roles: ['doctor'], organizationCode: CERTIFIED });

const SUBMIT = `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id version } }`;

const upload = (overrides: Record<string, unknown> = {}) => labSubmission(RESIDENT, overrides);

beforeAll(async () => {
  await insertHospitals(stack);
  RESIDENT = (await insertResidents(stack, { organizationCode: CERTIFIED, count: 1 }))[0]!;
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: CERTIFIED, certifiedScope: 'CITY' }]);
});

/** The same inputs through the batch upload (POST /upload/lab-reports): its summary. */
async function uploadBatch(inputs: unknown[]) {
  const response = await fetch(stack.gateway.url.replace(/\/graphql$/, '/upload/lab-reports'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${labSystem()}` },
    body: `${inputs.map((input) => JSON.stringify(input)).join('\n')}\n`,
  });
  return (await response.json()) as { accepted: number; unchanged: number; rejected: number; errors: { line: number; code: string; message: string }[] };
}
/** A report of the resident by its source id, read by resident (the collection's index), as stored. */
const reportOf = async (sourceReportId: string) =>
  (await modelsOf(stack).labs.LabReport.find({ residentId: RESIDENT }).lean()).find((report) => report.source.recordId === sourceReportId)!;
const HISTORY = `query($id: ID!) { labReport(id: $id) { status version results { value } history { version status conclusion results { value } } } }`;
const storedVersions = async (reportId: string) =>
  (await modelsOf(stack).labs.LabReportVersion.find({ reportId }).sort({ version: 1 }).lean()).map(
    ({ _id, reportId: _report, replacedAt: _at, replacedBy: _by, ...version }) => ({ ...version, _id: _id.slice(-2) }),
  );

it('keeps the same history, labels and counts through the batch path as through submitLabReport', async () => {
  const steps = [
    // The first conclusion reveals a mental-health context: the archived version keeps that label.
    { status: 'FINAL', conclusion: '焦虑状态下采血', results: [{ code: '14749-6', value: 7.9, unit: 'mmol/L' }] },
    { status: 'AMENDED', conclusion: null, results: [{ code: '14749-6', value: 5.2, unit: 'mmol/L' }] },
    { status: 'ENTERED_IN_ERROR', conclusion: null, results: [{ code: '14749-6', value: 5.2, unit: 'mmol/L' }] },
  ];
  const single = upload({ sourceReportId: 'R-HIST-SINGLE', issuedAt: '2026-05-01T02:00:00.000Z' });
  const batched = upload({ sourceReportId: 'R-HIST-BATCH', issuedAt: '2026-05-01T02:00:00.000Z' });
  let singleId = '';
  const scheduledUploads = async () =>
    (
      await modelsOf(stack)
        .activity.ActivityRollup.findById(rollupId(CERTIFIED, cityDay(new Date())))
        .lean()
    )?.scheduledUploadRecords ?? 0;
  for (const [index, step] of steps.entries()) {
    singleId = (await ok(labSystem(), SUBMIT, { input: { ...single, ...step } })).submitLabReport.id;
    const before = await scheduledUploads();
    expect(await uploadBatch([{ ...batched, ...step }])).toMatchObject({ accepted: 1, unchanged: 0, rejected: 0 });
    // Each new version counts as one scheduled upload; the same again is unchanged, counts nothing and writes no version.
    expect(await scheduledUploads()).toBe(before + 1);
    if (index === 1) expect(await uploadBatch([{ ...batched, ...step }])).toMatchObject({ accepted: 0, unchanged: 1 });
    if (index === 1) expect(await scheduledUploads()).toBe(before + 1);
  }
  const batchedId = (await reportOf('R-HIST-BATCH'))._id;
  const expected = {
    status: 'ENTERED_IN_ERROR',
    version: 3,
    results: [{ value: 5.2 }],
    history: [
      { version: 2, status: 'AMENDED', conclusion: null, results: [{ value: 5.2 }] },
      { version: 1, status: 'FINAL', conclusion: '焦虑状态下采血', results: [{ value: 7.9 }] },
    ],
  };
  expect((await ok(doctor(), HISTORY, { id: singleId })).labReport).toEqual(expected);
  expect((await ok(doctor(), HISTORY, { id: batchedId })).labReport).toEqual(expected);
  const versions = await storedVersions(batchedId);
  expect(versions.map(({ _id, version, status, sensitivities, code }) => ({ _id, version, status, sensitivities, code: code!.code }))).toEqual([
    { _id: ':1', version: 1, status: 'FINAL', sensitivities: ['MENTAL_HEALTH'], code: '14749-6' },
    { _id: ':2', version: 2, status: 'AMENDED', sensitivities: [], code: '14749-6' },
  ]);
  // Field by field, the versions archived by either path are the same.
  expect(versions).toEqual(await storedVersions(singleId));
});

it('refuses a change whose version another upload claimed first, and a re-send then applies it', async () => {
  const input = upload({ sourceReportId: 'R-CLAIMED' });
  expect(await uploadBatch([input])).toMatchObject({ accepted: 1 });
  const report = await reportOf('R-CLAIMED');
  // Another upload has claimed version 1 (archived it) and not yet written version 2.
  await modelsOf(stack).labs.LabReportVersion.create({
    _id: `${report._id}:1`,
    reportId: report._id,
    version: 1,
    status: 'FINAL',
    issuedAt: report.issuedAt,
    conclusion: null,
    results: report.results,
    replacedAt: new Date(),
  });
  const changed = { ...input, status: 'AMENDED', results: [{ code: '14749-6', value: 6.6, unit: 'mmol/L' }] };
  expect(await uploadBatch([changed])).toMatchObject({
    accepted: 0,
    rejected: 1,
    errors: [{ line: 1, code: 'CONFLICT', message: 'The report was replaced by another upload meanwhile; retry' }],
  });
  expect(await modelsOf(stack).labs.LabReport.findById(report._id).lean()).toMatchObject({ version: 1, status: 'FINAL', results: [{ value: 5.4 }] });
  // The other upload writes its version 2; the re-sent change becomes version 3.
  await modelsOf(stack).labs.LabReport.updateOne({ _id: report._id }, { $set: { version: 2 } });
  expect(await uploadBatch([changed])).toMatchObject({ accepted: 1, rejected: 0 });
  expect((await ok(doctor(), HISTORY, { id: report._id })).labReport).toMatchObject({
    status: 'AMENDED',
    version: 3,
    results: [{ value: 6.6 }],
    history: [{ version: 2 }, { version: 1 }],
  });
});

it('finishes a replacement whose claim a failed attempt left behind, when the same change is sent again', async () => {
  const input = upload({ sourceReportId: 'R-UNFINISHED' });
  expect(await uploadBatch([input])).toMatchObject({ accepted: 1 });
  const original = await reportOf('R-UNFINISHED');
  const change = { ...input, status: 'AMENDED', results: [{ code: '14749-6', value: 6.6, unit: 'mmol/L' }] };
  expect(await uploadBatch([change])).toMatchObject({ accepted: 1 });
  // As if the attempt had failed after claiming version 1 and before writing version 2.
  await modelsOf(stack).labs.LabReport.replaceOne({ _id: original._id }, original);
  const other = { ...input, status: 'AMENDED', results: [{ code: '14749-6', value: 7.7, unit: 'mmol/L' }] };
  expect(await uploadBatch([other])).toMatchObject({
    accepted: 0,
    rejected: 1,
    errors: [{ line: 1, code: 'CONFLICT', message: 'The report was replaced by another upload meanwhile; retry' }],
  });
  expect(await uploadBatch([change])).toMatchObject({ accepted: 1, rejected: 0 });
  expect((await ok(doctor(), HISTORY, { id: original._id })).labReport).toEqual({
    status: 'AMENDED',
    version: 2,
    results: [{ value: 6.6 }],
    history: [{ version: 1, status: 'FINAL', conclusion: null, results: [{ value: 5.4 }] }],
  });
});

it('gives each version to one upload when several change a report at once, batch and single alike', async () => {
  const input = upload({ sourceReportId: 'R-RACE' });
  expect(await uploadBatch([input])).toMatchObject({ accepted: 1 });
  const values = [6.1, 6.2, 6.3, 6.4];
  const change = (value: number) => ({ ...input, results: [{ code: '14749-6', value, unit: 'mmol/L' }] });
  const answers = await Promise.all(
    values.map(async (value, index) => {
      if (index % 2 === 0) return (await uploadBatch([change(value)])).accepted === 1 ? 'CHANGED' : 'CONFLICT';
      const { body } = await stack.query(labSystem(), SUBMIT, { input: change(value) });
      return body.errors ? body.errors[0]!.extensions!.code! : 'CHANGED';
    }),
  );
  const changed = values.filter((_value, index) => answers[index] === 'CHANGED');
  expect(answers.filter((answer) => answer !== 'CHANGED' && answer !== 'CONFLICT')).toEqual([]);
  expect(changed.length).toBeGreaterThanOrEqual(1);
  // As many versions as changes that won: none lost, none written twice.
  const report = await reportOf('R-RACE');
  expect(report.version).toBe(1 + changed.length);
  expect((await storedVersions(report._id)).map((version) => version.version)).toEqual(Array.from({ length: changed.length }, (_, index) => index + 1));
  expect(changed).toContain(report.results[0]!.value);
});
