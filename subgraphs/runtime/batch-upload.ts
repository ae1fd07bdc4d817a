/**
 * What the subgraphs' batch-upload mutations share: the size of a batch, parsing its items,
 * deciding their writes at once, the outcome of one item, and the refusal of one item without
 * failing the others. (A re-sent record is told from a changed one by monitoring/activity.ts
 * isResend, as the single mutations tell it.)
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
 * The write decided for every parsed item's resident at once, and the document of each allowed
 * item, built for the survivor it lands on (a merged id's). A refused resident's items, and
 * items their build refuses, get their outcome instead.
 */
export async function allowedDocuments<T extends { residentId: string }, D>(
  access: ResidentAccess,
  write: WriteKind,
  parsed: ReadonlyMap<number, T>,
  outcomes: (UploadOutcome | null)[],
  build: (input: T, survivorId: string) => D,
): Promise<Map<number, D>> {
  const decisions = await access.decideWrites(
    [...parsed.values()].map((input) => input.residentId),
    write,
  );
  const documents = new Map<number, D>();
  for (const [index, input] of parsed) {
    const decision = decisions.get(input.residentId)!;
    if ('refused' in decision) {
      outcomes[index] = refused('FORBIDDEN', decision.refused);
      continue;
    }
    try {
      documents.set(index, build(input, decision.survivorId));
    } catch (error) {
      outcomes[index] = refusalOf(error);
    }
  }
  return documents;
}
