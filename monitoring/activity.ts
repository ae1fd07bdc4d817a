/**
 * What an accepted write counts, whatever subgraph accepted it: the figures it adds (visits,
 * revenue, discharges, referrals, …) and the kinds of record it is, which name the real-time
 * forms it feeds. A write that arrived in real time (a mutation) counts as a real-time record;
 * a line of a scheduled batch upload as a scheduled one; both count as verified records, on
 * the day they arrived. A clinical record's figures count on the day of care it names (a visit
 * on its day, a discharge on its day), whenever it arrives: a hospital's nightly batch of
 * yesterday's visits counts them yesterday, as the bulletin's monthly figures of care do.
 */

import { errorDetails, type Logger } from '../platform/logger';
import { type ActivityCounts, type ActivityEntry, type ActivityStore, cityDay } from './activity-store';
import { formsFedBy, type RecordFeed } from './realtime-forms';

export interface RecordActivity {
  counts: ActivityCounts;
  feeds: RecordFeed[];
  /** The day of care the counts belong to; without it they count on the day the record arrived. */
  on?: Date;
  /** Figures of another day of care of the same record (an inpatient stay's admission, counted on the day it began). */
  alsoOn?: readonly DatedCounts[];
}

export interface DatedCounts {
  on: Date;
  counts: ActivityCounts;
}

export const NO_ACTIVITY: RecordActivity = { counts: {}, feeds: [] };

/** How a record arrived: through a real-time mutation, or as a line of a scheduled batch upload. */
export type Arrival = 'realtime' | 'scheduled';

/** A record accepted through a real-time mutation, with no day of care of its own. */
export function realtimeEntry(organizationCode: string, at: Date, activity: RecordActivity): ActivityEntry {
  return { organizationCode, at, counts: { ...activity.counts, realtimeRecords: 1, verifiedRecords: 1 }, realtimeForms: formsFedBy(activity.feeds) };
}

/** A record accepted as a line of a scheduled (batch) upload, with no day of care of its own: it feeds no real-time form. */
export function scheduledEntry(organizationCode: string, at: Date, activity: RecordActivity): ActivityEntry {
  return { organizationCode, at, counts: { ...activity.counts, scheduledUploadRecords: 1, verifiedRecords: 1 } };
}

/**
 * What a record written at `at` counts: the record received (on that day), and its figures on
 * its day of care. A re-upload that changed a record counts again as a record received, and its
 * figures by the difference it makes (charges corrected from 100 to 150 fen add 50; a visit
 * counted before is not counted twice); one moved to another day is taken back from the old
 * day and counted on the new one; a record with figures on two days (an inpatient stay's
 * admission and discharge) is compared day by day. `previous` is null for a record seen for the
 * first time.
 */
export function recordEntries(arrival: Arrival, organizationCode: string, at: Date, previous: RecordActivity | null, next: RecordActivity): ActivityEntry[] {
  const received =
    arrival === 'realtime' ? realtimeEntry(organizationCode, at, { counts: {}, feeds: next.feeds }) : scheduledEntry(organizationCode, at, NO_ACTIVITY);
  const before = previous ? countsByDay(previous, at) : new Map<string, DatedCounts>();
  const after = countsByDay(next, at);
  const figures: ActivityEntry[] = [];
  // Per day of care: the difference on a day both versions count; taken back from a day only the
  // old one counts; counted on a day only the new one counts.
  for (const day of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(day);
    const now = after.get(day);
    const counts = now ? changeOf(old?.counts ?? null, now.counts) : negated(old!.counts);
    if (Object.keys(counts).length > 0) figures.push({ organizationCode, at: (now ?? old)!.on, counts });
  }
  return [received, ...figures];
}

/** A record's figures by the city day they count on, the day's figures added up. */
function countsByDay(activity: RecordActivity, at: Date): Map<string, DatedCounts> {
  const days = new Map<string, DatedCounts>();
  for (const { on, counts } of [{ on: activity.on ?? at, counts: activity.counts }, ...(activity.alsoOn ?? [])]) {
    const day = cityDay(on);
    const found = days.get(day);
    if (!found) days.set(day, { on, counts: { ...counts } });
    else
      for (const [counter, value] of Object.entries(counts) as [keyof ActivityCounts, number][]) found.counts[counter] = (found.counts[counter] ?? 0) + value;
  }
  return days;
}

const negated = (counts: ActivityCounts) => Object.fromEntries(Object.entries(counts).map(([counter, value]) => [counter, -value])) as ActivityCounts;

/** The figures a record adds over its previous version on the same day: a figure reported for the first time is reported (even as 0); one no longer reported is taken back. */
function changeOf(previous: ActivityCounts | null, next: ActivityCounts): ActivityCounts {
  if (!previous) return next;
  const counts: ActivityCounts = {};
  for (const key of new Set([...Object.keys(previous), ...Object.keys(next)]) as Set<keyof ActivityCounts>) {
    const before = previous[key];
    const after = next[key];
    if (after === undefined) counts[key] = -(before ?? 0);
    else counts[key] = after - (before ?? 0);
  }
  return counts;
}

/**
 * Whether a re-upload is the same record again: every field equal but the upload time. An
 * identical re-send counts nothing.
 */
export function isResend(previous: object | null, next: object): boolean {
  return previous !== null && canonical(previous) === canonical(next);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (key, item) => {
    if (key === 'uploadedAt') return undefined;
    if (item && typeof item === 'object' && !Array.isArray(item))
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((name) => [name, (item as Record<string, unknown>)[name]]),
      );
    return item;
  });
}

/** Counts what a write accepted (bound to the request's store and logger). */
export type CountActivity = (entries: readonly ActivityEntry[]) => Promise<void>;
export const countNothing: CountActivity = async () => {};

/** The real-time entries of a record written or re-uploaded now, or none for an identical re-send. */
export function realtimeChange<T extends object>(
  organizationCode: string,
  previous: T | null,
  saved: T,
  activityOf: (record: T) => RecordActivity,
): ActivityEntry[] {
  if (isResend(previous, saved)) return [];
  return recordEntries('realtime', organizationCode, new Date(), previous ? activityOf(previous) : null, activityOf(saved));
}

/**
 * Counts what a write accepted, in the same request, after the write itself succeeded. The
 * record is the truth and the counters are monitoring: a failure to count is logged (with
 * the organization and figures, never personal data) and does not fail the write, since a
 * retried write would be an idempotent re-send that counts nothing anyway.
 */
export async function countAccepted(store: ActivityStore, logger: Logger, entries: readonly ActivityEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await store.record(entries);
  } catch (error) {
    logger.error(
      {
        error: errorDetails(error),
        activity: entries.map(({ organizationCode, at, counts, realtimeForm, realtimeForms }) => ({
          organizationCode,
          at,
          counts,
          realtimeForm,
          realtimeForms,
        })),
      },
      'activity not counted',
    );
  }
}
