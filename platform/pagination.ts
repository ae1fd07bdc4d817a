/** Cursor pagination: opaque cursors over (sort value, id), a page size cap, and the page shape. */
import { operator } from './database';
import { badUserInput } from './errors';

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function encodeCursor(sortValue: string | number, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

/** The (sort value, id) a cursor stands for; BAD_USER_INPUT for anything this API did not issue. */
export function decodeCursor(cursor: string): [sortValue: string | number, id: string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      ['string', 'number'].includes(typeof parsed[0]) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length > 0 &&
      parsed[1].length <= 64
    ) {
      return parsed as [string | number, string];
    }
  } catch {
    // fall through
  }
  throw badUserInput('Invalid cursor');
}

/** Builds a page from rows fetched with a limit of `first + 1` (the extra row says whether more exist). */
export function pageOf<T>(rows: T[], first: number, cursorOf: (row: T) => string): Page<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Pages through rows a loader already fetched whole (in their final order), by id cursor. */
export function pageInMemory<T extends { _id: string }>(rows: readonly T[], first: number, after: string | null | undefined): Page<T> {
  const start = after ? rows.findIndex((row) => row._id === decodeCursor(after)[1]) + 1 : 0;
  if (after && start === 0) throw badUserInput('Invalid cursor');
  return pageOf(rows.slice(start, start + first + 1), first, (row) => encodeCursor(0, row._id));
}

// ---- keyset pages by time, newest first ---------------------------------------------------

/** Where a page by time stands: a row's time and id (ties broken by id, descending). */
export interface TimeKey {
  at: Date;
  id: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeTimeCursor({ at, id }: TimeKey): string {
  return encodeCursor(at.toISOString(), id);
}

/** The position a time cursor stands for; BAD_USER_INPUT "Invalid cursor" for a tampered or malformed one. */
export function decodeTimeCursor(cursor: string): TimeKey {
  const [value, id] = decodeCursor(cursor);
  const at = typeof value === 'string' && ISO_TIME.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime()) || at.toISOString() !== value) throw badUserInput('Invalid cursor');
  return { at, id };
}

/** The rows strictly after `position` in (field desc, _id desc) order: merge into the query's filter. */
export function keysetAfter(field: string, position: TimeKey): Record<string, unknown> {
  return { $or: [{ [field]: operator({ $lt: position.at }) }, { [field]: position.at, _id: operator({ $lt: position.id }) }] };
}

/** A page by time of rows already fetched whole, newest first (time desc, then id desc), with the cursors `timePage` issues. */
export function timePageInMemory<T>(rows: readonly T[], keyOf: (row: T) => TimeKey, first: number, after: string | null | undefined): Page<T> {
  const position = after ? decodeTimeCursor(after) : null;
  const isAfter = (row: T) => {
    const { at, id } = keyOf(row);
    return at < position!.at || (at.getTime() === position!.at.getTime() && id < position!.id);
  };
  const start = position ? rows.findIndex(isAfter) : 0;
  return pageOf(start === -1 ? [] : rows.slice(start, start + first + 1), first, (row) => encodeTimeCursor(keyOf(row)));
}

/** Most batches one page fetches while filtering leaves it short. */
export const MAX_FILL_ROUNDS = 4;

export interface TimePageSource<Row, Node> {
  /** The time field the collection is paged by (an index serves the filter's equality fields, then it). */
  field: string;
  /** One batch of the source: the filter merged with `keyset`, sorted by `sort`, at most `limit` rows. */
  fetch(batch: { keyset: Record<string, unknown>; sort: Record<string, -1>; limit: number }): Promise<Row[]>;
  keyOf(row: Row): TimeKey;
  /** What of a batch the viewer may see, in order. Rows are kept whole when omitted. */
  keep?(rows: Row[]): Promise<Node[]>;
  /** The row a kept node came from (its cursor is the row's); the node itself when omitted. */
  rowOf?(node: Node): Row;
}

/**
 * A page by time, newest first, filled after filtering: batches are fetched (each after the
 * last row looked at, each twice the size still missing) until the page is full or the source
 * is exhausted, so `hasNextPage` is exact. At most MAX_FILL_ROUNDS batches: when even they
 * leave the page short, hasNextPage is true and endCursor stands after the last row looked
 * at, so the next page goes on from there.
 */
export async function timePage<Row, Node = Row>(source: TimePageSource<Row, Node>, first: number, after: string | null | undefined): Promise<Page<Node>> {
  let position = after ? decodeTimeCursor(after) : null;
  const sort = { [source.field]: -1 as const, _id: -1 as const };
  const keep = source.keep ?? (async (rows: Row[]) => rows as unknown as Node[]);
  const rowOf = source.rowOf ?? ((node: Node) => node as unknown as Row);
  const cursorOf = (node: Node) => encodeTimeCursor(source.keyOf(rowOf(node)));
  const kept: Node[] = [];
  for (let round = 0; round < MAX_FILL_ROUNDS; round++) {
    const limit = (first + 1 - kept.length) * 2 ** round;
    const rows = await source.fetch({ keyset: position ? keysetAfter(source.field, position) : {}, sort, limit });
    kept.push(...(await keep(rows)));
    if (kept.length > first || rows.length < limit) return pageOf(kept, first, cursorOf);
    position = source.keyOf(rows.at(-1)!);
  }
  const { edges } = pageOf(kept, first, cursorOf);
  return { edges, pageInfo: { hasNextPage: true, endCursor: encodeTimeCursor(position!) } };
}
