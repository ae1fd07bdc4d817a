/**
 * Batch uploads write in chunks: the database round trips of a batch grow with its chunks,
 * never with its lines one by one, so they are the same for every 1,000 lines. Counted from
 * the commands the subgraphs send, not timed.
 */

import { configWith } from '../../../platform/config';
import type { CommandEvent } from '../../../platform/database';
import { insertHospitals, insertResidents, modelsOf } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

jest.setTimeout(600_000);

const HOSPITAL = '3201-H001';
const { stack } = useStack();
let residents: string[];

beforeAll(async () => {
  await insertHospitals(stack);
  residents = await insertResidents(stack, { organizationCode: HOSPITAL, count: 50 });
});

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

async function upload(body: string, kind = 'encounters', role: 'hospital_system' | 'lab_system' = 'hospital_system') {
  const token = stack.token({ subject: `${role}-rt`, roles: [role], organizationCode: HOSPITAL });
  const response = await fetch(stack.gateway.url.replace(/\/graphql$/, `/upload/${kind}`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
    body,
  });
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

/** The database commands of one upload, counted by database, command and collection, once its answer is as expected. */
async function measure(body: string, expected: Record<string, number>, kind?: string, role?: 'hospital_system' | 'lab_system') {
  let answer: unknown;
  const commands = await stack.commandsDuring(async () => {
    answer = await upload(body, kind, role);
  });
  expect(answer).toMatchObject(expected);
  return roundTrips(commands);
}
const perThousand = (trips: Map<string, number>, thousands: number) => new Map([...trips].map(([key, count]) => [key, count / thousands]));
const total = (trips: Map<string, number>) => [...trips.values()].reduce((sum, count) => sum + count, 0);
/** The default UPLOAD_CHUNK_LINES. */
const DEFAULT_CHUNK_LINES = configWith({}).UPLOAD_CHUNK_LINES;
const chunksOf = (lines: number) => lines / DEFAULT_CHUNK_LINES;

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
  // their owners, one of the care they show (registrations kept), one of the activity
  // rollups, and the audit write.
  expect(total(created1k)).toBe(11 * chunksOf(1_000));
  // A re-sent batch writes nothing but the audit.
  expect(total(resent1k)).toBe(7 * chunksOf(1_000));
});

it('"no known allergies" lines cost the same round trips per chunk for 1,000 and 3,000 lines', async () => {
  // Every chunk asserts for one resident new to it (the others are already asserted): one write per chunk.
  const fresh = await insertResidents(stack, { organizationCode: HOSPITAL, count: chunksOf(1_000) + chunksOf(3_000) });
  const assertions = (lines: number, firstFresh: number) =>
    Array.from({ length: lines }, (_, index) =>
      JSON.stringify({
        residentId: index % DEFAULT_CHUNK_LINES === 0 ? fresh[firstFresh + index / DEFAULT_CHUNK_LINES] : residents[index % residents.length],
        sourceRecordId: `NKA-${index}`,
        noKnownAllergies: true,
      }),
    ).join('\n');
  // The shared residents' first assertion, so that both measured batches find them asserted.
  await upload(residents.map((residentId) => JSON.stringify({ residentId, sourceRecordId: 'NKA', noKnownAllergies: true })).join('\n'), 'allergies');
  const asserted1k = await measure(assertions(1_000, 0), { accepted: chunksOf(1_000), unchanged: 1_000 - chunksOf(1_000), rejected: 0 }, 'allergies');
  const asserted3k = await measure(
    assertions(3_000, chunksOf(1_000)),
    { accepted: chunksOf(3_000), unchanged: 3_000 - chunksOf(3_000), rejected: 0 },
    'allergies',
  );
  expect(perThousand(asserted3k, 3)).toEqual(perThousand(asserted1k, 1));
  // Per chunk: the organization, the residents, their merged ids, relationships and consents,
  // the residents with a statement on record, the assertion's one write, and the audit write.
  expect(total(asserted1k)).toBe(8 * chunksOf(1_000));
});

it('changed lab reports cost the same round trips per chunk for 1,000 and 3,000 lines', async () => {
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
  const reports = (prefix: string, lines: number, value: number) =>
    Array.from({ length: lines }, (_, index) =>
      JSON.stringify({
        residentId: residents[index % residents.length],
        sourceReportId: `${prefix}-${String(index).padStart(5, '0')}`,
        category: 'LABORATORY',
        code: '14749-6',
        status: 'FINAL',
        issuedAt: '2026-06-01T02:00:00.000Z',
        subjectSex: 'FEMALE',
        subjectBirthDate: '1960-03-15',
        results: [{ code: '14749-6', value, unit: 'mmol/L' }],
      }),
    ).join('\n');
  await measure(reports('LK', 1_000, 5.4), { accepted: 1_000, rejected: 0 }, 'lab-reports', 'lab_system');
  await measure(reports('LM', 3_000, 5.4), { accepted: 3_000, rejected: 0 }, 'lab-reports', 'lab_system');
  const changed1k = await measure(reports('LK', 1_000, 7.9), { accepted: 1_000, rejected: 0 }, 'lab-reports', 'lab_system');
  const changed3k = await measure(reports('LM', 3_000, 7.9), { accepted: 3_000, rejected: 0 }, 'lab-reports', 'lab_system');
  expect(perThousand(changed3k, 3)).toEqual(perThousand(changed1k, 1));
  // Per chunk: the laboratory, the residents' merged ids, relationships and consents, the
  // stored reports, the archived versions (their claims), the replacements, the owners (two
  // writes), the activity rollups, and the audit write.
  expect(total(changed1k)).toBe(11 * chunksOf(1_000));
  // A report of either batch is at version 2, its first version in its history.
  const report = (await modelsOf(stack).labs.LabReport.findOne({ residentId: residents[0] }).lean())!;
  expect([report.version, report.results[0]!.value]).toEqual([2, 7.9]);
  expect(
    (await modelsOf(stack).labs.LabReportVersion.find({ reportId: report._id }).lean()).map((version) => [version.version, version.results[0]!.value]),
  ).toEqual([[1, 5.4]]);
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
  expect(DEFAULT_CHUNK_LINES).toBe(200);
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
