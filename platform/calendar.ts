/**
 * The one reading of dates and times that clients send (GraphQL arguments and inputs, upload
 * lines, FHIR imports): ISO 8601 on the real calendar. `Date.parse` is not used because it
 * rolls impossible days over ("2026-02-30" becomes 2 March), reads a time without an offset in
 * the server's own zone and takes hour 24.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
/** Date, `T`, hours and minutes, optional seconds and fraction, then `Z` or an offset ±hh:mm. */
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** The widest offsets in use on Earth: UTC-12:00 to UTC+14:00. */
const WEST_MOST_MINUTES = 12 * 60;
const EAST_MOST_MINUTES = 14 * 60;

export const TIME_RULE = 'must be an ISO 8601 time on the calendar with an offset, e.g. 2026-03-01T08:30:00+08:00';
export const DATE_RULE = 'must be a calendar date as YYYY-MM-DD, e.g. 2026-03-01';
export const MONTH_RULE = 'must be a month as YYYY-MM, e.g. 2024-09';
export const DATE_OR_TIME_RULE = 'must be an ISO 8601 date or time on the calendar, e.g. 2026-03-01 or 2026-03-01T08:30:00+08:00';

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether the text is a day of the calendar as YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  return match !== null && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Whether the text is a month as YYYY-MM. */
export function isCalendarMonth(text: string): boolean {
  const match = MONTH.exec(text);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** The instant an ISO 8601 time with an offset names, or null when it is not one on the calendar. */
export function instantOf(text: string): Date | null {
  const match = TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = Number(match[6] ?? 0);
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (!isCalendarDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (!match[8]) {
    const [offsetHours, offsetRest] = [Number(match[10]), Number(match[11])];
    if (offsetRest > 59) return null;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
    if (offsetMinutes < -WEST_MOST_MINUTES || offsetMinutes > EAST_MOST_MINUTES) return null;
  }
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute - offsetMinutes, second, millisecond);
  return at;
}

/** A day (its midnight UTC) or a time, as the `since` and `until` filters take them; null otherwise. */
export function dayOrInstantOf(text: string): Date | null {
  if (!isCalendarDate(text)) return instantOf(text);
  const at = new Date(0);
  at.setUTCFullYear(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)));
  return at;
}

/** How a refused value is quoted back in an error: in full unless it is long. */
export function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
