import { z } from 'zod';
import type { RecordKind } from '../../access-control/access-store';
import type { ActivityEntry } from '../../monitoring/activity-store';
import { badUserInput } from '../../platform/errors';
import { refused, type UploadOutcome } from './batch-upload';
import { type FilingSteps, fileBatch } from './filing-pipeline';

/** A record of the test: filed under a resident, with a value the sender may change. */
interface Note {
  _id: string;
  residentId: string;
  value: number;
}
type NoteInput = { residentId: string; sourceId: string; value: number };

const schema = z.object({ residentId: z.string(), sourceId: z.string(), value: z.number() });

/**
 * A pipeline over an in-memory store, recording every step it is asked for: residents named
 * "blocked" are refused by the policy, "merged" lands on "survivor", a value of 13 is refused
 * by the build, and a record whose id is in `collides` is refused by the write.
 */
function harness(stored: Note[], collides: string[] = []) {
  const calls: string[] = [];
  const owners: { kind: RecordKind; records: { recordId: string; residentId: string }[] }[] = [];
  const counted: ActivityEntry[][] = [];
  const writes: { doc: Note; previous: Note | null }[][] = [];
  const steps: FilingSteps<NoteInput, string, Note> = {
    schema,
    sourceIdField: 'sourceId',
    organization: async () => {
      calls.push('organization');
      return 'ORG-1';
    },
    decide: async (parsed, outcomes) => {
      calls.push('decide');
      const targets = new Map<number, string>();
      for (const [index, input] of parsed) {
        if (input.residentId === 'blocked') outcomes[index] = refused('FORBIDDEN', 'No standing with this resident');
        else targets.set(index, input.residentId === 'merged' ? 'survivor' : input.residentId);
      }
      return targets;
    },
    build: (input, organizationCode, residentId) => {
      if (input.value === 13) throw badUserInput('value: 13 is not allowed');
      return { _id: `${organizationCode}|${input.sourceId}`, residentId, value: input.value };
    },
    storedVersions: async (built) => {
      calls.push('storedVersions');
      const ids = new Set(built.map(({ doc }) => doc._id));
      return new Map(stored.filter((doc) => ids.has(doc._id)).map((doc) => [doc._id, doc]));
    },
    compare: (filed, existing) => (filed.value === existing.value ? { status: 'UNCHANGED', code: null, message: null } : null),
    write: async (filings) => {
      calls.push('write');
      writes.push(filings.map(({ doc, previous }) => ({ doc, previous })));
      return filings.map(({ doc }) => (collides.includes(doc._id) ? refused('CONFLICT', 'Uploaded by another request meanwhile') : { saved: doc }));
    },
    owner: 'encounter',
    afterWrite: async (written) => {
      calls.push(`afterWrite ${written.map(({ saved }) => saved._id).join(',')}`);
    },
    countOf: ({ saved, previous }, organizationCode, at) => [{ organizationCode, at, counts: { outpatientVisits: saved.value - (previous?.value ?? 0) } }],
  };
  const notes = {
    noteRecordOwners: async (kind: RecordKind, records: readonly { recordId: string; residentId: string }[]) => {
      calls.push('noteRecordOwners');
      owners.push({ kind, records: [...records] });
    },
  };
  const count = async (entries: readonly ActivityEntry[]) => {
    calls.push('count');
    counted.push([...entries]);
  };
  return { run: (inputs: unknown[]) => fileBatch(inputs, steps, notes, count), calls, owners, counted, writes };
}

const ok = (status: UploadOutcome['status']): UploadOutcome => ({ status, code: null, message: null });

describe('fileBatch', () => {
  it('runs parse, decide, diff, one write, owners, after-write and count once each, in that order', async () => {
    const { run, calls } = harness([]);
    const { outcomes } = await run([
      { residentId: 'r1', sourceId: 'A', value: 1 },
      { residentId: 'r2', sourceId: 'B', value: 2 },
    ]);
    expect(outcomes).toEqual([ok('CREATED'), ok('CREATED')]);
    expect(calls).toEqual(['organization', 'decide', 'storedVersions', 'write', 'noteRecordOwners', 'afterWrite ORG-1|A,ORG-1|B', 'count']);
  });

  it('refuses an item in decide, parse or build without writing it or stopping the others', async () => {
    const { run, writes, owners, counted } = harness([]);
    const { outcomes, targets } = await run([
      { residentId: 'blocked', sourceId: 'A', value: 1 },
      { residentId: 'r1', sourceId: 'B', value: 'two' },
      { residentId: 'r1', sourceId: 'C', value: 13 },
      { residentId: 'merged', sourceId: 'D', value: 4 },
      { residentId: 'r1', sourceId: 'D', value: 5 },
    ]);
    expect(outcomes).toEqual([
      { status: 'REJECTED', code: 'FORBIDDEN', message: 'No standing with this resident' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', message: 'Invalid input: value Invalid input: expected number, received string' },
      { status: 'REJECTED', code: 'BAD_USER_INPUT', message: 'value: 13 is not allowed' },
      ok('CREATED'),
      { status: 'REJECTED', code: 'BAD_USER_INPUT', message: 'sourceId D is already item 4 of this batch' },
    ]);
    expect(writes).toEqual([[{ doc: { _id: 'ORG-1|D', residentId: 'survivor', value: 4 }, previous: null }]]);
    expect(owners).toEqual([{ kind: 'encounter', records: [{ recordId: 'ORG-1|D', residentId: 'survivor' }] }]);
    expect(counted.map((entries) => entries.map(({ counts }) => counts))).toEqual([[{ outpatientVisits: 4 }]]);
    expect([...targets]).toEqual([[3, 'survivor']]);
  });

  it('writes nothing and counts nothing for a re-sent record: UNCHANGED', async () => {
    const { run, calls } = harness([{ _id: 'ORG-1|A', residentId: 'r1', value: 1 }]);
    const { outcomes } = await run([{ residentId: 'r1', sourceId: 'A', value: 1 }]);
    expect(outcomes).toEqual([ok('UNCHANGED')]);
    expect(calls).toEqual(['organization', 'decide', 'storedVersions', 'noteRecordOwners']);
  });

  it('files a changed record where its stored version is filed, and counts it against that version: CHANGED', async () => {
    const { run, writes, counted } = harness([{ _id: 'ORG-1|A', residentId: 'merged', value: 1 }]);
    const { outcomes } = await run([{ residentId: 'merged', sourceId: 'A', value: 3 }]);
    expect(outcomes).toEqual([ok('CHANGED')]);
    expect(writes).toEqual([[{ doc: { _id: 'ORG-1|A', residentId: 'merged', value: 3 }, previous: { _id: 'ORG-1|A', residentId: 'merged', value: 1 } }]]);
    expect(counted.map((entries) => entries.map(({ counts }) => counts))).toEqual([[{ outpatientVisits: 2 }]]);
  });

  it('answers a write the store refused with its refusal, and notes and counts only what was written', async () => {
    const { run, owners, counted } = harness([], ['ORG-1|A']);
    const { outcomes } = await run([
      { residentId: 'r1', sourceId: 'A', value: 1 },
      { residentId: 'r1', sourceId: 'B', value: 2 },
    ]);
    expect(outcomes).toEqual([{ status: 'REJECTED', code: 'CONFLICT', message: 'Uploaded by another request meanwhile' }, ok('CREATED')]);
    expect(owners).toEqual([{ kind: 'encounter', records: [{ recordId: 'ORG-1|B', residentId: 'r1' }] }]);
    expect(counted.map((entries) => entries.map(({ counts }) => counts))).toEqual([[{ outpatientVisits: 2 }]]);
  });

  it('refuses a batch with no items, or more than a call may carry, before any step', async () => {
    const { run, calls } = harness([]);
    await expect(run([])).rejects.toThrow('inputs must hold 1 to 1000 items');
    await expect(run(Array.from({ length: 1001 }, (_item, index) => ({ residentId: 'r1', sourceId: `S${index}`, value: 1 })))).rejects.toThrow(
      'inputs must hold 1 to 1000 items',
    );
    expect(calls).toEqual([]);
  });
});
