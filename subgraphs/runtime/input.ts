/** Parsing of client input shared by every subgraph: one BAD_USER_INPUT naming every problem. */
import type { z } from 'zod';
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

/**
 * An ISO 8601 time from a client, or BAD_USER_INPUT naming the field. The calendar date is
 * checked on its own because `Date.parse` rolls "2026-02-30" over into March.
 */
export function timeOf(value: string, field: string): Date {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!date || !isCalendarDay(Number(date[1]), Number(date[2]), Number(date[3])) || Number.isNaN(Date.parse(value)))
    throw badUserInput(`${field} must be an ISO 8601 time`);
  return new Date(value);
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}
