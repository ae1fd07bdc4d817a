/** Field rules that several subgraphs' inputs share, with the same wording wherever they are checked. */
import { z } from 'zod';
import { DATE_RULE, instantOf, isCalendarDate, isCalendarMonth, MONTH_RULE, quoted, TIME_RULE } from '../../platform/calendar';

export const ICD10 = /^[A-Z]\d{2}(\.\d{1,4})?$/;

export const residentIdRule = z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters');

/** A hospital's own id for a record it files (its re-uploads land on the same record). */
export const sourceRecordIdRule = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -');

/** A rule of the one calendar (`platform/calendar.ts`), its message quoting the refused value. */
const calendarRule = (check: (value: string) => boolean, rule: string) =>
  z.string().refine(check, { error: (issue) => `${rule} (not ${quoted(issue.input)})` });

export const isoTimeRule = calendarRule((value) => instantOf(value) !== null, TIME_RULE);
export const isoDateRule = calendarRule(isCalendarDate, DATE_RULE);
export const isoMonthRule = calendarRule(isCalendarMonth, MONTH_RULE);

/** Free text, trimmed, 1 to `max` characters. */
export const textRule = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
