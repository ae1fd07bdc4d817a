/** Cursor pagination: opaque cursors over (sort value, id), a page size cap, and the page shape. */
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
    if (Array.isArray(parsed) && parsed.length === 2 && ['string', 'number'].includes(typeof parsed[0]) && typeof parsed[1] === 'string') {
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
