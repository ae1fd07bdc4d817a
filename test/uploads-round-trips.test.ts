/**
 * Batch uploads write in chunks: the database round trips of a batch grow with its chunks,
 * never with its lines one by one, so they are the same for every 1,000 lines. Counted from
 * the commands the subgraphs send, not timed.
 */
import type { CommandEvent } from '../subgraphs/kit/database';
import { DEFAULT_UPLOAD_SETTINGS } from '../gateway/uploads';
import { insertHospitals, insertResidents } from './support/fixtures';
import { TestStack } from './support/stack';

jest.setTimeout(600_000);

const HOSPITAL = '3201-H001';
let stack: TestStack;
let residents: string[];

beforeAll(async () => {
  stack = await TestStack.start();
  await insertHospitals(stack);
  residents = await insertResidents(stack, { organizationCode: HOSPITAL, count: 50 });
});
afterAll(() => stack?.stop());

/** Each command as database, command and collection, sorted: what two batches must share per 1,000 lines. */
function roundTrips(commands: readonly CommandEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { databaseName, commandName, command } of commands) {
    const collection = typeof command[commandName] === 'string' ? command[commandName] : command.collection;
    const key = `${databaseName.replace(/^t[0-9a-f]+_/, '')}.${commandName} ${String(collection)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** `lines` new encounters (one line every resident in turn), as NDJSON. */
function batch(prefix: string, lines: number): string {
  return Array.from({ length: lines }, (_, index) =>
    JSON.stringify({
      residentId: residents[index % residents.length],
      sourceRecordId: `${prefix}-${String(index).padStart(5, '0')}`,
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '内分泌科',
      start: '2026-06-01T01:00:00.000Z',
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病', rank: 1, primary: true }],
      chargesFen: 5_000 + index,
    }),
  ).join('\n');
}

async function upload(body: string, kind = 'encounters') {
  const token = stack.token({ subject: 'his-rt', roles: ['hospital_system'], organizationCode: HOSPITAL });
  const response = await fetch(stack.gateway.url.replace(/\/graphql$/, `/upload/${kind}`), { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` }, body });
  return (await response.json()) as { accepted: number; unchanged: number; rejected: number };
}

/** `lines` new prescriptions filed by the hospital (one line every resident in turn), as NDJSON. */
function prescriptionBatch(prefix: string, lines: number): string {
  return Array.from({ length: lines }, (_, index) =>
    JSON.stringify({
      residentId: residents[index % residents.length],
      sourceRecordId: `${prefix}-${String(index).padStart(5, '0')}`,
      prescriberPractitioner: 'D1001',
      issuedAt: '2026-06-01T01:00:00.000Z',
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病' }],
      items: [{ drugCode: 'H20023370', dose: 0.5, route: 'oral', frequency: 'tid', days: 14, quantity: 84 }],
      dispensing: { at: '2026-06-01T02:00:00.000Z', pharmacist: 'P3001', lot: `LOT-${index}` },
    }),
  ).join('\n');
}

/** The commands one upload sends, after checking its answer. */
async function measure(body: string, expected: Record<string, number>, kind?: string): Promise<Map<string, number>> {
  let answer: unknown;
  const commands = await stack.commandsDuring(async () => {
    answer = await upload(body, kind);
  });
  expect(answer).toMatchObject(expected);
  return roundTrips(commands);
}
const perThousand = (trips: Map<string, number>, thousands: number) => new Map([...trips].map(([key, count]) => [key, count / thousands]));

it('database round trips per 1,000 lines are the same for 1,000 and 3,000 lines, new or re-sent', async () => {
  const thousand = batch('K', 1_000);
  const threeThousand = batch('M', 3_000);

  const created1k = await measure(thousand, { accepted: 1_000, rejected: 0 });
  const created3k = await measure(threeThousand, { accepted: 3_000, rejected: 0 });
  expect(perThousand(created3k, 3)).toEqual(perThousand(created1k, 1));

  const resent1k = await measure(thousand, { accepted: 0, unchanged: 1_000 });
  const resent3k = await measure(threeThousand, { accepted: 0, unchanged: 3_000 });
  expect(perThousand(resent3k, 3)).toEqual(perThousand(resent1k, 1));

  // Per chunk of UPLOAD_CHUNK_LINES lines: the organization, the residents, their merged ids,
  // relationships and consents, the stored versions, one bulk write of the records, one of
  // their owners, one of the activity rollups, and the audit write.
  const chunks = 1_000 / DEFAULT_UPLOAD_SETTINGS.chunkLines;
  expect([...created1k.values()].reduce((sum, count) => sum + count, 0)).toBe(10 * chunks);
  // A re-sent batch writes nothing but the audit.
  expect([...resent1k.values()].reduce((sum, count) => sum + count, 0)).toBe(7 * chunks);
});

it('the same holds for filed prescriptions', async () => {
  const thousand = prescriptionBatch('RX-K', 1_000);
  const threeThousand = prescriptionBatch('RX-M', 3_000);
  const created1k = await measure(thousand, { accepted: 1_000, rejected: 0 }, 'prescriptions');
  const created3k = await measure(threeThousand, { accepted: 3_000, rejected: 0 }, 'prescriptions');
  expect(perThousand(created3k, 3)).toEqual(perThousand(created1k, 1));
  const resent1k = await measure(thousand, { accepted: 0, unchanged: 1_000 }, 'prescriptions');
  const resent3k = await measure(threeThousand, { accepted: 0, unchanged: 3_000 }, 'prescriptions');
  expect(perThousand(resent3k, 3)).toEqual(perThousand(resent1k, 1));
  // Per chunk of 200 lines: the residents' merged ids, relationships and consents, the stored
  // versions, one bulk write of the prescriptions, one of their transitions, one of the activity
  // rollups, and the audit write (no encounter is named, so no owners are read); a re-sent
  // chunk writes only the audit.
  expect(DEFAULT_UPLOAD_SETTINGS.chunkLines).toBe(200);
  expect(Object.fromEntries(created1k)).toEqual({
    'access.find careRelationships': 5,
    'access.find consents': 5,
    'access.find residentAliases': 5,
    'access.insert auditEvents': 5,
    'monitoring.update activityRollups': 5,
    'prescriptions.find prescriptions': 5,
    'prescriptions.insert prescriptions': 5,
    'prescriptions.update prescriptionTransitions': 5,
  });
  expect(Object.fromEntries(resent1k)).toEqual({
    'access.find careRelationships': 5,
    'access.find consents': 5,
    'access.find residentAliases': 5,
    'access.insert auditEvents': 5,
    'prescriptions.find prescriptions': 5,
  });
});
