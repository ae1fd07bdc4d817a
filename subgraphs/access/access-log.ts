/**
 * A resident's access log: one entry per request and resident. Each subgraph a request reaches
 * writes its own audit event (the evidence privacy officers search, event by event); the
 * resident reads them united: the kinds of data of all of them, the worst outcome, an
 * emergency or alert if any had one, and the subgraphs that disclosed.
 *
 * Entries are merged on read by request id, whatever the writers did: the subgraphs stamp their
 * events with their own clocks, a request's events may lie apart in time (an upload runs for
 * minutes) and other requests' events may lie between them. An entry stands at its newest
 * event (its head) and its cursor is the head's (time, id), so a page is exact:
 *  - the log is scanned newest first from the cursor (keys only) until first + 1 entries have
 *    been seen, or the log ends; the first event seen of an entry not shown yet is its head;
 *  - every event of the requests seen is then fetched (index {residentId, requestId}) and
 *    united, so an entry is whole whichever of its events the scan reached;
 *  - an entry whose head lies at or before the cursor was on an earlier page, though some of
 *    its older events lie after the cursor: it is left out.
 * So no entry is split across pages, repeated or lost. Each scan costs one more query (its
 * requests' events); one scan usually fills a page, a later one doubles its size.
 */
import { decodeTimeCursor, encodeTimeCursor, MAX_FILL_ROUNDS, type Page, pageOf, type TimeKey } from '../../platform/pagination';
import type { AuditEventDoc } from './models';

/** An entry of the log: the request's events about one resident, united under its newest. */
export type AccessLogEntry = AuditEventDoc & {
  /** Every subgraph whose event the entry unites, alphabetically. */
  subgraphs: string[];
};

/** What an AuditEvent resolves from: an event as written, or an access-log entry. */
export type AuditEventView = AuditEventDoc & { subgraphs?: string[] };

/** What the scan needs of an event. */
export type AuditEventKey = Pick<AuditEventDoc, '_id' | 'at' | 'requestId' | 'residentId'>;

export interface AccessLogSource {
  /** The log's events after `position` (from the newest when null), newest first (time, then id, descending), at most `limit`. */
  scan(position: TimeKey | null, limit: number): Promise<AuditEventKey[]>;
  /** Every event of these requests about the log's residents. */
  eventsOf(requestIds: string[]): Promise<AuditEventDoc[]>;
}

/**
 * Events the first scan allows for each entry: a doctor's full record makes five to eight, a
 * resident's own read one. Later scans double, as timePage's batches do.
 */
const EVENTS_PER_ENTRY = 4;

const OUTCOME_RANK: Record<AuditEventDoc['outcome'], number> = { allowed: 0, omitted: 1, denied: 2 };

const entryKey = (event: AuditEventKey) => `${event.requestId}\n${event.residentId}`;
const keyOf = (event: AuditEventKey): TimeKey => ({ at: event.at, id: event._id });

/** Newest first: later time, then the greater id (the order of the index {residentId, at: -1, _id: -1}). */
export function newestFirst(a: TimeKey, b: TimeKey): number {
  return b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** One request's events about one resident, as the one entry the resident reads. */
export function entryOf(events: readonly AuditEventDoc[]): AccessLogEntry {
  const head = events.reduce((newest, event) => (newestFirst(keyOf(event), keyOf(newest)) < 0 ? event : newest));
  return {
    ...head,
    dataKinds: [...new Set(events.flatMap((event) => event.dataKinds))].sort(),
    outcome: events.reduce((worst, event) => (OUTCOME_RANK[event.outcome] > OUTCOME_RANK[worst] ? event.outcome : worst), head.outcome),
    purposeOfUse: events.some((event) => event.purposeOfUse === 'emergency') ? 'emergency' : head.purposeOfUse,
    alert: events.some((event) => event.alert === true),
    action: events.some((event) => event.action === 'write') ? 'write' : 'read',
    subgraphs: [...new Set(events.map((event) => event.subgraph))].sort(),
  };
}

/**
 * A page of entries, newest first, after the cursor of the last entry shown. The request that
 * reads the log (`reading`) is left out: the services it reached before this one have already
 * written their part of it, so it would show half; the next read shows it whole.
 */
export async function accessLogPage(
  source: AccessLogSource,
  first: number,
  after: string | null | undefined,
  reading: string | null = null,
): Promise<Page<AccessLogEntry>> {
  const cursor = after ? decodeTimeCursor(after) : null;
  const seen = new Set<string>();
  const entries: AccessLogEntry[] = [];
  const page = () => entries.sort((a, b) => newestFirst(keyOf(a), keyOf(b)));
  let position = cursor;
  let limit = (first + 1) * EVENTS_PER_ENTRY;
  for (let round = 0; round < MAX_FILL_ROUNDS; round++) {
    const rows = await source.scan(position, limit);
    // The first event seen of each entry not seen before.
    const fresh = new Map<string, AuditEventKey>();
    for (const row of rows) if (row.requestId !== reading && !seen.has(entryKey(row)) && !fresh.has(entryKey(row))) fresh.set(entryKey(row), row);
    if (fresh.size > 0) {
      const events = Map.groupBy(await source.eventsOf([...new Set([...fresh.values()].map((row) => row.requestId))]), entryKey);
      for (const key of fresh.keys()) {
        seen.add(key);
        const group = events.get(key);
        if (!group) continue; // audit events are never deleted; nothing to show if one were
        const entry = entryOf(group);
        // Shown on an earlier page when its newest event lies at or before the cursor.
        if (!cursor || newestFirst(cursor, keyOf(entry)) < 0) entries.push(entry);
      }
    }
    if (entries.length > first || rows.length < limit) return pageOf(page(), first, (entry) => encodeTimeCursor(keyOf(entry)));
    position = keyOf(rows.at(-1)!);
    limit *= 2;
  }
  // Still short after every round (entries of very many events): every entry whose head the
  // scan passed is on this page, so the next one goes on from the last event looked at.
  return {
    edges: pageOf(page(), first, (entry) => encodeTimeCursor(keyOf(entry))).edges,
    pageInfo: { hasNextPage: true, endCursor: encodeTimeCursor(position!) },
  };
}
