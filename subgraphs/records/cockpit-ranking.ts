/**
 * The indicators the cockpit ranks hospitals and colours districts by, and the ranking itself
 * (pure): most first, ties sharing a rank, rows with nothing to show (null) last and unranked.
 */
import type { ActivityRowView } from './cockpit';

/** Each indicator and how a row answers it. */
export const INDICATORS = {
  OUTPATIENT_EMERGENCY_VISITS: (row) => row.outpatientVisits + row.emergencyVisits,
  ADMISSIONS: (row) => row.admissions,
  DISCHARGES: (row) => row.discharges,
  AVERAGE_STAY_DAYS: (row) => row.averageStayDays,
  OUTPATIENT_REVENUE_PER_VISIT: (row) => row.outpatientRevenuePerVisitFen,
  INPATIENT_REVENUE_PER_DISCHARGE: (row) => row.inpatientRevenuePerDischargeFen,
  VERIFIED_RECORDS: (row) => row.verifiedRecords,
  REALTIME_UPLOAD_DAYS: (row) => row.realtimeUploadDays,
  REALTIME_FORMS_UPLOADED: (row) => row.realtimeFormsUploaded,
  REFERRALS: (row) => row.referralsUp + row.referralsDown,
} as const satisfies Record<string, (row: ActivityRowView) => number | null>;
export type Indicator = keyof typeof INDICATORS;

export interface RankedRow<T> {
  /** 1 for the most; rows of equal value share a rank (1, 2, 2, 4); null when the value is null. */
  rank: number | null;
  value: number | null;
  row: T;
}

/** Rows ranked by a value, most first; equal values keep the rows' order. */
export function rankBy<T>(rows: readonly T[], measure: (row: T) => number | null): RankedRow<T>[] {
  const valued = rows.map((row, index) => ({ row, index, value: measure(row) }));
  valued.sort((a, b) => (b.value ?? Number.NEGATIVE_INFINITY) - (a.value ?? Number.NEGATIVE_INFINITY) || a.index - b.index);
  let rank = 0;
  return valued.map(({ row, value }, position) => {
    if (value !== null && (position === 0 || valued[position - 1]!.value !== value)) rank = position + 1;
    return { rank: value === null ? null : rank, value, row };
  });
}
