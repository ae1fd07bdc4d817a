/**
 * A chunk that fails at the service (here the records subgraph, stopped for real in the
 * middle of a batch) is sent once more; failing again, its lines are answered as failed, not
 * rejected (not known whether written: re-send the batch), and no later line is read. Nothing
 * waits on time: the batch is streamed, and the subgraph is stopped once it has answered the
 * first chunk, before the second is sent.
 */
import http from 'node:http';
import type { Bundle, OperationOutcome, Parameters } from '@medplum/fhirtypes';
import { fhirRequest } from '../../support/fhir-client';
import { insertHospitals, insertResidents, modelsOf } from '../../support/fixtures';
import { jsonAnswerOf } from '../../support/held-request';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';
const logLines: string[] = [];
const { stack } = useStack({ gatewayConfig: { UPLOAD_CHUNK_LINES: 2 }, logLines });
let residentId: string;

beforeAll(async () => {
  await insertHospitals(stack);
  [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
});

const hospitalSystem = () => stack.token({ subject: `his-${HOSPITAL}`, roles: ['hospital_system'], organizationCode: HOSPITAL });
const encounter = (sourceRecordId: string) =>
  JSON.stringify({
    residentId,
    sourceRecordId,
    class: 'OUTPATIENT',
    status: 'FINISHED',
    department: '心血管内科',
    start: '2026-06-01T01:00:00.000Z',
    diagnoses: [],
    chargesFen: 100,
  });
const failedCalls = () => logLines.filter((line) => line.includes('"msg":"subgraph call failed"') && line.includes('"subgraph":"records"')).length;

it('files the chunks before a failed one, answers its lines as failed (502) after one retry, and reads no further', async () => {
  const records = stack.subgraphs.records;
  // The first chunk's answer has left the records subgraph once its response is finished.
  const firstAnswered = new Promise<void>((resolve) =>
    records.server.once('request', (_request: http.IncomingMessage, response: http.ServerResponse) => response.once('finish', () => resolve())),
  );

  const url = new URL(stack.gateway.url.replace(/\/graphql$/, '/upload/encounters'));
  const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${hospitalSystem()}` } });
  const answered = jsonAnswerOf(request);
  request.write(`${encounter('F-1')}\n${encounter('F-2')}\n`);
  await firstAnswered;
  await records.stop();
  request.end(`${encounter('F-3')}\n${encounter('F-4')}\n${encounter('F-5')}\n${encounter('F-6')}\n`);

  const { status, body } = await answered;
  expect(status).toBe(502);
  expect(body).toEqual({
    kind: 'encounters',
    lines: 4,
    accepted: 2,
    unchanged: 0,
    rejected: 0,
    failed: 2,
    errors: [
      { line: 3, code: 'INTERNAL', message: 'Not known whether written: re-send the batch, re-sending is safe' },
      { line: 4, code: 'INTERNAL', message: 'Not known whether written: re-send the batch, re-sending is safe' },
    ],
    complete: false,
    stopped: {
      reason: 'failed',
      message:
        'Lines 3 to 4 failed twice at the service (The records service is unavailable: uploadEncounters is missing): not known whether written, and no later line was read. Re-send the batch; re-sending is safe',
    },
  });
  // The failed chunk was sent twice; the lines after it never were.
  expect(failedCalls()).toBe(2);
  const filed = await modelsOf(stack).records.Encounter.find({ residentId }).lean();
  expect(filed.map((doc) => doc.source.recordId).sort()).toEqual(['F-1', 'F-2']);
  expect(
    logLines
      .filter((line) => line.includes('"msg":"batch upload"'))
      .map((line) => JSON.parse(line))
      .at(-1),
  ).toMatchObject({ lines: 4, accepted: 2, failed: 2, complete: false, stopped: 'failed' });
});

it('answers $import with 502, the failed count and one OperationOutcome per failed line', async () => {
  // The records subgraph was stopped by the test before.
  const condition = (id: string) =>
    JSON.stringify({
      resourceType: 'Condition',
      identifier: [{ system: `urn:jinling-hie:source-record:${HOSPITAL}`, value: id }],
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
      code: { coding: [{ system: 'urn:jinling-hie:icd-10-cn', code: 'I10', display: '原发性高血压' }] },
      subject: { reference: `Patient/${residentId}` },
    });
  const answer = await fhirRequest<Bundle>(stack, hospitalSystem(), '/$import', {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+ndjson' },
    body: `${condition('P-F-1')}\n${condition('P-F-2')}\n`,
  });
  expect(answer.status).toBe(502);
  const [summary, ...outcomes] = (answer.body.entry ?? []).map((entry) => entry.resource);
  expect((summary as Parameters).parameter).toEqual([
    {
      name: 'total',
      part: [
        { name: 'lines', valueInteger: 2 },
        { name: 'accepted', valueInteger: 0 },
        { name: 'unchanged', valueInteger: 0 },
        { name: 'rejected', valueInteger: 0 },
        { name: 'failed', valueInteger: 2 },
      ],
    },
    {
      name: 'Condition',
      part: [
        { name: 'lines', valueInteger: 2 },
        { name: 'accepted', valueInteger: 0 },
        { name: 'unchanged', valueInteger: 0 },
        { name: 'rejected', valueInteger: 0 },
        { name: 'failed', valueInteger: 2 },
      ],
    },
    { name: 'complete', valueBoolean: false },
    {
      name: 'stopped',
      valueString:
        'Condition: Lines 1 to 2 failed twice at the service (The records service is unavailable: uploadConditions is missing): not known whether written, and no later line was read. Re-send the batch; re-sending is safe',
    },
  ]);
  expect((outcomes as OperationOutcome[]).map((outcome) => outcome.issue)).toEqual([
    [{ severity: 'error', code: 'exception', details: { text: 'Not known whether written: re-send the batch, re-sending is safe' }, diagnostics: 'line 1' }],
    [{ severity: 'error', code: 'exception', details: { text: 'Not known whether written: re-send the batch, re-sending is safe' }, diagnostics: 'line 2' }],
  ]);
});
