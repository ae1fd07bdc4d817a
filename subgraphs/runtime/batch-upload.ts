/**
 * The outcome of one item of a batch upload, the refusal of one item without failing the
 * others, and the first steps of filing a batch (its size, parsing its items, deciding their
 * writes at once, building their documents). filing-pipeline.ts runs them with the rest.
 */
import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import type { WriteKind } from '../../access-control/policy';
import type { ResidentAccess } from '../../access-control/resident-access';
import { MAX_UPLOAD_ITEMS } from '../../platform/config';
import { badUserInput, ERROR_CODES, type ErrorCode } from '../../platform/errors';
import { parseInput } from './input';

export type UploadStatus = 'CREATED' | 'CHANGED' | 'UNCHANGED' | 'REJECTED';

export interface UploadOutcome {
  status: UploadStatus;
  code: ErrorCode | null;
  message: string | null;
}

export const accepted = (status: Exclude<UploadStatus, 'REJECTED'>): UploadOutcome => ({ status, code: null, message: null });
export const refused = (code: ErrorCode, message: string): UploadOutcome => ({ status: 'REJECTED', code, message });

/**
 * The item's refusal when `error` is one the single mutation would answer with (bad input,
 * forbidden, not found, conflict); anything else is a fault and fails the whole call.
 */
export function refusalOf(error: unknown): UploadOutcome {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) && code !== 'INTERNAL')
    return refused(code as ErrorCode, error instanceof Error ? error.message : String(error));
  throw error;
}

/** Refuses a batch larger than a call may carry. */
export function checkBatchSize(items: readonly unknown[]): void {
  if (items.length === 0 || items.length > MAX_UPLOAD_ITEMS) throw badUserInput(`inputs must hold 1 to ${MAX_UPLOAD_ITEMS} items`);
}

/**
 * The items of a batch parsed with the single mutation's schema, by position, and an outcome
 * for each item already refused (null: still to decide). A second item with the source id of
 * an earlier one is refused: one chunk files a hospital's record once.
 */
export function parseBatch<T>(
  rawInputs: readonly unknown[],
  schema: z.ZodType<T>,
  sourceIdField: keyof T & string,
): { parsed: Map<number, T>; outcomes: (UploadOutcome | null)[] } {
  checkBatchSize(rawInputs);
  const outcomes: (UploadOutcome | null)[] = rawInputs.map(() => null);
  const parsed = new Map<number, T>();
  const firstOfSource = new Map<unknown, number>();
  rawInputs.forEach((raw, index) => {
    try {
      const input = parseInput(schema, raw);
      const sourceId = input[sourceIdField];
      const earlier = firstOfSource.get(sourceId);
      if (earlier !== undefined) throw badUserInput(`${sourceIdField} ${String(sourceId)} is already item ${earlier + 1} of this batch`);
      firstOfSource.set(sourceId, index);
      parsed.set(index, input);
    } catch (error) {
      outcomes[index] = refusalOf(error);
    }
  });
  return { parsed, outcomes };
}

/**
 * The write decided by the policy for every parsed item's resident at once: index → the
 * survivor it lands on (a merged id's), for the items allowed; a refused resident's items get
 * their outcome instead.
 */
export async function decideByPolicy<T extends { residentId: string }>(
  access: ResidentAccess,
  write: WriteKind,
  parsed: ReadonlyMap<number, T>,
  outcomes: (UploadOutcome | null)[],
): Promise<Map<number, string>> {
  const decisions = await access.decideWrites(
    [...parsed.values()].map((input) => input.residentId),
    write,
  );
  const survivors = new Map<number, string>();
  for (const [index, input] of parsed) {
    const decision = decisions.get(input.residentId)!;
    if ('refused' in decision) outcomes[index] = refused('FORBIDDEN', decision.refused);
    else survivors.set(index, decision.survivorId);
  }
  return survivors;
}

/**
 * The document of each decided item, built for the resident it lands on; an item its build
 * refuses gets its outcome instead.
 */
export function buildDecided<T, Target, D>(
  parsed: ReadonlyMap<number, T>,
  targets: ReadonlyMap<number, Target>,
  outcomes: (UploadOutcome | null)[],
  build: (input: T, target: Target) => D,
): Map<number, D> {
  const documents = new Map<number, D>();
  for (const [index, target] of targets) {
    try {
      documents.set(index, build(parsed.get(index)!, target));
    } catch (error) {
      outcomes[index] = refusalOf(error);
    }
  }
  return documents;
}
