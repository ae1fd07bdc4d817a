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
 * day and counted on the new one. `previous` is null for a record seen for the first time.
 */
export function recordEntries(arrival: Arrival, organizationCode: string, at: Date, previous: RecordActivity | null, next: RecordActivity): ActivityEntry[] {
  const received =
    arrival === 'realtime' ? realtimeEntry(organizationCode, at, { counts: {}, feeds: next.feeds }) : scheduledEntry(organizationCode, at, NO_ACTIVITY);
  const dayOf = (activity: RecordActivity) => activity.on ?? at;
  const figures = (day: Date, counts: ActivityCounts): ActivityEntry[] => (Object.keys(counts).length > 0 ? [{ organizationCode, at: day, counts }] : []);
  if (!previous || cityDay(dayOf(previous)) === cityDay(dayOf(next))) return [received, ...figures(dayOf(next), changeOf(previous, next))];
  const takenBack = Object.fromEntries(Object.entries(previous.counts).map(([counter, value]) => [counter, -value])) as ActivityCounts;
  return [received, ...figures(dayOf(previous), takenBack), ...figures(dayOf(next), next.counts)];
}

/** The figures a record adds over its previous version on the same day: a figure reported for the first time is reported (even as 0); one no longer reported is taken back. */
function changeOf(previous: RecordActivity | null, next: RecordActivity): ActivityCounts {
  if (!previous) return next.counts;
  const counts: ActivityCounts = {};
  for (const key of new Set([...Object.keys(previous.counts), ...Object.keys(next.counts)]) as Set<keyof ActivityCounts>) {
    const before = previous.counts[key];
    const after = next.counts[key];
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
