/**
 * The rule that derives the demo city's history from the bulletin's month, so that the
 * cockpit's trends have a shape: only September 2024 was published, and it stays exactly the
 * bulletin's. Each of the eleven months before it (October 2023 – August 2024) is every unit's
 * September figures of care and uploads times the month's factor below, rounded to a whole
 * count (or fen); real-time days are September's, at most the month's length; appointments are
 * not derived (the platform counts them by channel from September 2024). Admissions and days in
 * hospital, which the bulletin does not give, are derived for every month, September included.
 * docs/data-collection-and-cockpit.md#seeded-history states the same.
 */
import type { ActivityCounter, ActivityCounts } from '../../monitoring/activity-store';

export const BULLETIN_MONTH = '2024-09';

/**
 * A month's figures against September 2024's (1 = the same). The shape of a hospital year: the
 * National Day holiday in October, the winter's respiratory peak in December and January, the
 * Spring Festival in February (10 February 2024), a quieter early summer, and some growth.
 */
export const MONTH_FACTORS: Readonly<Record<string, number>> = {
  '2023-10': 0.86,
  '2023-11': 0.93,
  '2023-12': 0.98,
  '2024-01': 1.02,
  '2024-02': 0.76,
  '2024-03': 0.95,
  '2024-04': 0.94,
  '2024-05': 0.95,
  '2024-06': 0.92,
  '2024-07': 0.97,
  '2024-08': 0.96,
};
export const HISTORY_MONTHS = Object.keys(MONTH_FACTORS);

/** What the derived months carry: figures of care and uploads (real-time and verified records follow from them). */
const SCALED: readonly ActivityCounter[] = [
  'scheduledUploadRecords',
  'outpatientVisits',
  'outpatientRevenueFen',
  'emergencyVisits',
  'emergencyRevenueFen',
  'discharges',
  'inpatientRevenueFen',
  'admissions',
  'inpatientDays',
  'referralsUp',
  'referralsDown',
  'prescriptionsRouted',
];

/** A unit's September counts scaled to a derived month (a revenue nobody reported stays unreported). */
export function scaledCounts(september: ActivityCounts, month: string): ActivityCounts {
  const factor = MONTH_FACTORS[month];
  if (factor === undefined) throw new Error(`${month} is not a derived month`);
  return Object.fromEntries(SCALED.filter((counter) => september[counter] !== undefined).map((counter) => [counter, Math.round(september[counter]! * factor)]));
}

/**
 * The demo's average stays: 7.5 days in the city-level hospitals, 8.5 in the district's units
 * (secondary hospitals and community beds keep patients longer), in the range of the city's
 * published yearbooks; a steady month admits as many as it discharges.
 */
const AVERAGE_STAY_DAYS = { cityLevel: 7.5, district: 8.5 };

export function admissionsAndStaysOf(discharges: number, cityLevel: boolean): ActivityCounts {
  return { admissions: discharges, inpatientDays: Math.round(discharges * (cityLevel ? AVERAGE_STAY_DAYS.cityLevel : AVERAGE_STAY_DAYS.district)) };
}

/**
 * A unit's patients in hospital before the first derived month: September's average occupied
 * beds (its days in hospital over its 30 days). Since every seeded month admits as many as it
 * discharges, the census stays there through the twelve months.
 */
export const openingCensusOf = (septemberInpatientDays: number) => Math.round(septemberInpatientDays / 30);

/** The calendar days of a month (YYYY-MM). */
export function daysIn(month: string): number {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}
