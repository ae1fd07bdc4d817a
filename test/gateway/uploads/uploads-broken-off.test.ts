/**
 * A batch whose client breaks the connection off mid-line: the complete lines it sent are
 * filed, the partial one is not, and the gateway logs the counts (the client is gone, so the
 * log line is the answer's only trace). The test waits for that log line, not for a time.
 */
import http from 'node:http';
import { insertHospitals, insertResidents, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(180_000);

const HOSPITAL = '3201-H001';

/** Log lines, and a promise for the first that matches. */
class WatchedLines extends Array<string> {
  private waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  override push(...lines: string[]): number {
    for (const line of lines) {
      for (const waiter of this.waiters.filter((candidate) => candidate.test(line))) waiter.resolve(line);
      this.waiters = this.waiters.filter((candidate) => !candidate.test(line));
    }
    return super.push(...lines);
  }

  next(test: (line: string) => boolean): Promise<string> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

const logLines = new WatchedLines();
const { stack } = useStack({ logLines });
beforeAll(async () => {
  await insertHospitals(stack);
});

it('keeps the complete lines of a batch whose client broke off, and logs its counts', async () => {
  const [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  const line = (sourceRecordId: string) =>
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
  const logged = logLines.next((entry) => entry.includes('"msg":"batch upload"'));

  const url = new URL(stack.gateway.url.replace(/\/graphql$/, '/upload/encounters'));
  const token = stack.token({ subject: 'his-abort', roles: ['hospital_system'], organizationCode: HOSPITAL });
  const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` } });
  request.on('error', () => {}); // the client's own side of the break
  const closed = new Promise((resolve) => request.on('close', resolve));
  // Sent without a length (chunked), then the connection is closed mid-line.
  await new Promise<void>((resolve) => request.write(`${line('B-1')}\n${line('B-2')}\n${line('B-3')}\n${line('B-4').slice(0, 30)}`, () => resolve()));
  request.destroy();
  await closed;

  expect(JSON.parse(await logged)).toMatchObject({
    kind: 'encounters',
    lines: 3,
    accepted: 3,
    unchanged: 0,
    rejected: 0,
    complete: false,
    stopped: 'broken-off',
  });
  const filed = await modelsOf(stack).records.Encounter.find({ residentId }).lean();
  expect(filed.map((encounter) => encounter.source.recordId).sort()).toEqual(['B-1', 'B-2', 'B-3']);
});
