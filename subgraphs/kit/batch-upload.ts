/**
 * What the subgraphs' batch-upload mutations share: the outcome of one item, the refusal of
 * one item without failing the others, and the comparison that tells a re-sent record
 * (unchanged, nothing written) from a changed one.
 */
import { GraphQLError } from 'graphql';
import { badUserInput, ERROR_CODES, type ErrorCode } from './errors';

/** Items one batch mutation takes: the gateway sends fewer (its chunks are bounded by bytes too). */
export const MAX_UPLOAD_ITEMS = 1000;

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
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) && code !== 'INTERNAL') return refused(code as ErrorCode, error instanceof Error ? error.message : String(error));
  throw error;
}

/** Refuses a batch larger than a call may carry. */
export function checkBatchSize(items: readonly unknown[]): void {
  if (items.length === 0 || items.length > MAX_UPLOAD_ITEMS) throw badUserInput(`inputs must hold 1 to ${MAX_UPLOAD_ITEMS} items`);
}

/**
 * Whether a stored document already holds what an upload would write: every field of `next`
 * compares equal, nested values included, whatever the order of their keys, except `_id` and
 * the keys in `ignore` (at any depth: the upload time, the resident it is filed under). Missing
 * and null are the same.
 */
export function sameContent(stored: object, next: object, ignore: readonly string[] = []): boolean {
  const skip = new Set(['_id', ...ignore]);
  return Object.entries(next).every(([key, value]) => skip.has(key) || canonical(value, skip) === canonical((stored as Record<string, unknown>)[key], skip));
}

/** A stable text for a value: sorted keys, dates as ISO strings (JSON does that), no null or skipped keys. */
function canonical(value: unknown, skip: Set<string>): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      return Object.fromEntries(
        Object.entries(item as Record<string, unknown>)
          .filter(([key, inner]) => inner !== undefined && inner !== null && !skip.has(key))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return item;
  });
}
