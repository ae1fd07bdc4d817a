/** Parsing of client input shared by every subgraph: one BAD_USER_INPUT naming every problem. */
import type { z } from 'zod';
import {
  DATE_OR_TIME_RULE,
  DATE_RULE,
  dayOrInstantOf,
  instantOf,
  isCalendarDate,
  isCalendarMonth,
  MONTH_RULE,
  quoted,
  TIME_RULE,
} from '../../platform/calendar';
import { badUserInput } from '../../platform/errors';

/** Parses input with a schema, turning every problem into one BAD_USER_INPUT message. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message));
  throw badUserInput(`Invalid input: ${problems.join('; ')}`);
}

/**
 * A matcher for a catalogue's `search` argument: part of any of an entry's texts, ignoring
 * case; everything when there is no search. BAD_USER_INPUT unless 1-50 characters.
 */
export function searchMatcher(search: string | null | undefined): (...texts: string[]) => boolean {
  if (search === null || search === undefined) return () => true;
  const needle = search.trim().toLowerCase();
  if (needle.length < 1 || needle.length > 50) throw badUserInput('search must be 1-50 characters');
  return (...texts) => texts.some((text) => text.toLowerCase().includes(needle));
}

/** A time with an offset on the calendar, or BAD_USER_INPUT naming the field and the value. */
export function timeOf(value: string, field: string): Date {
  return instantOf(value) ?? refuse(field, value, TIME_RULE);
}

/** A day (its midnight UTC) or a time, as the `since` and `until` filters take them. */
export function dayOrTimeOf(value: string, field: string): Date {
  return dayOrInstantOf(value) ?? refuse(field, value, DATE_OR_TIME_RULE);
}

/** A calendar date as YYYY-MM-DD. */
export function dateOf(value: string, field: string): string {
  return isCalendarDate(value) ? value : refuse(field, value, DATE_RULE);
}

/** A month as YYYY-MM. */
export function monthOf(value: string, field: string): string {
  return isCalendarMonth(value) ? value : refuse(field, value, MONTH_RULE);
}

function refuse(field: string, value: string, rule: string): never {
  throw badUserInput(`${field} ${rule} (not ${quoted(value)})`);
}
