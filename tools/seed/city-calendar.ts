/**
 * Time in the city generator: the units it counts in, and visit times drawn on whole minutes
 * inside opening hours on Beijing calendar days (stored timestamps are UTC).
 */

import type { Random } from './city-random';

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365.2425 * DAY;
/** Opening hours and calendar days are Beijing time; stored timestamps are UTC. */
const BEIJING_OFFSET = 8 * HOUR;

export const iso = (ms: number) => new Date(ms).toISOString();

/** A time on a whole minute between opening and closing (Beijing time) on a day inside [from, to]. */
export function visitTime(random: Random, from: number, to: number, openMinute: number, closeMinute: number): number {
  const firstDay = Math.floor((from + BEIJING_OFFSET) / DAY) + 1;
  const lastDay = Math.floor((to + BEIJING_OFFSET) / DAY) - 1;
  if (lastDay < firstDay) return Math.floor((from + random.float() * Math.max(0, to - from)) / MINUTE) * MINUTE;
  return random.int(firstDay, lastDay) * DAY - BEIJING_OFFSET + random.int(openMinute, closeMinute - 1) * MINUTE;
}
