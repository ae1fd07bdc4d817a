/**
 * The one way a batch of records is filed, whatever the subgraph: parse → decide → diff →
 * bulk write → note owners → count. Each subgraph says how its records are decided, stored,
 * compared and written; the order of the steps, the outcome of each item and what a refused
 * item leaves alone are the same for all. Round trips do not grow with the number of items:
 * every step that reads or writes does it once for the whole batch.
 */
import type { z } from 'zod';
import type { RecordKind } from '../../access-control/access-store';
import type { CountActivity } from '../../monitoring/activity';
import type { ActivityEntry } from '../../monitoring/activity-store';
import { accepted, buildDecided, parseBatch, type UploadOutcome } from './batch-upload';

/** A record of the batch that was written: as built for its resident, as saved, and the version it replaced. */
export interface FiledRecord<TDoc> {
  built: TDoc;
  saved: TDoc;
  previous: TDoc | null;
}

/** A record to write: as it will be filed, and the stored version it replaces (null for a new one). */
export interface Filing<TDoc> {
  doc: TDoc;
  previous: TDoc | null;
}

/** What the bulk write answers for one filing: the version saved, or the item's refusal. */
export type WriteResult<TDoc> = { saved: TDoc } | UploadOutcome;

export interface FilingSteps<TInput, TTarget, TDoc extends { _id: string; residentId: string }> {
  /** parse: the single mutation's schema, and the field that names the sender's own record. */
  schema: z.ZodType<TInput>;
  sourceIdField: keyof TInput & string;
  /** The writing organization; it refuses the whole call when the caller's is not registered. */
  organization: () => Promise<string>;
  /** decide: index → where each parsed item's write lands; a refused item's outcome is set instead. */
  decide: (parsed: ReadonlyMap<number, TInput>, outcomes: (UploadOutcome | null)[]) => Promise<Map<number, TTarget>>;
  /** The record an item files, single and batch alike (a refusal it throws refuses the item). */
  build: (input: TInput, organizationCode: string, target: TTarget) => TDoc;
  /** diff: the stored versions of the records built, by id, in one read. */
  storedVersions: (built: readonly { doc: TDoc; target: TTarget }[]) => Promise<Map<string, TDoc>>;
  /**
   * diff: an item whose record is stored, filed where the stored version is (under a merged id,
   * say): its refusal, UNCHANGED for a re-sent record, or null when it changed.
   */
  compare: (filed: TDoc, stored: TDoc, target: TTarget) => UploadOutcome | null;
  /** The bulk write of what is new or changed: one result per filing, in order. */
  write: (filings: readonly Filing<TDoc>[]) => Promise<WriteResult<TDoc>[]>;
  /** note owners: the kind under which written records are noted in the access store, so that referrals can attach them. */
  owner?: RecordKind;
  /** After the write, with the records written (at least one) and the writing organization. */
  afterWrite?: (written: readonly FiledRecord<TDoc>[], organizationCode: string) => Promise<unknown>;
  /** count: what a written record counts for the platform's monitoring. */
  countOf: (record: FiledRecord<TDoc>, organizationCode: string, at: Date) => ActivityEntry[];
}

/** Where the pipeline notes the owners of the records it wrote (the request's ResidentAccess). */
export interface OwnerNotes {
  noteRecordOwners(kind: RecordKind, records: readonly { recordId: string; residentId: string }[]): Promise<void>;
}

/**
 * Files one batch: each item's outcome, by position, and where each item that was decided and
 * built lands (index → target). A refused item writes nothing and does not stop the others; a
 * re-sent record is UNCHANGED and counts nothing.
 */
export async function fileBatch<TInput, TTarget, TDoc extends { _id: string; residentId: string }>(
  rawInputs: readonly unknown[],
  steps: FilingSteps<TInput, TTarget, TDoc>,
  owners: OwnerNotes,
  countActivity: CountActivity,
): Promise<{ outcomes: UploadOutcome[]; targets: Map<number, TTarget> }> {
  const { parsed, outcomes } = parseBatch(rawInputs, steps.schema, steps.sourceIdField);
  const organizationCode = await steps.organization();

  const decided = await steps.decide(parsed, outcomes);
  const built = buildDecided(parsed, decided, outcomes, (input, target) => ({ doc: steps.build(input, organizationCode, target), target }));

  const stored = built.size ? await steps.storedVersions([...built.values()]) : new Map<string, TDoc>();
  const filings: (Filing<TDoc> & { index: number; built: TDoc })[] = [];
  for (const [index, { doc, target }] of built) {
    const previous = stored.get(doc._id) ?? null;
    const filed = previous ? { ...doc, residentId: previous.residentId } : doc;
    const unwritten = previous ? steps.compare(filed, previous, target) : null;
    if (unwritten) outcomes[index] = unwritten;
    else filings.push({ index, built: doc, doc: filed, previous });
  }

  const results = filings.length ? await steps.write(filings) : [];
  const written: FiledRecord<TDoc>[] = [];
  filings.forEach((filing, position) => {
    const result = results[position]!;
    if (!('saved' in result)) {
      outcomes[filing.index] = result;
      return;
    }
    outcomes[filing.index] = accepted(filing.previous ? 'CHANGED' : 'CREATED');
    written.push({ built: filing.built, saved: result.saved, previous: filing.previous });
  });

  if (steps.owner)
    await owners.noteRecordOwners(
      steps.owner,
      written.map(({ saved }) => ({ recordId: saved._id, residentId: saved.residentId })),
    );
  if (steps.afterWrite && written.length) await steps.afterWrite(written, organizationCode);
  if (written.length) {
    const at = new Date();
    await countActivity(written.flatMap((record) => steps.countOf(record, organizationCode, at)));
  }
  return { outcomes: outcomes.map((outcome) => outcome!), targets: new Map([...built].map(([index, { target }]) => [index, target])) };
}
