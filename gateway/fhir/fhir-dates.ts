/**
 * FHIR's date and dateTime types as the specification defines them, checked where a resource
 * enters the exchange: its pattern, and a real calendar day (a 30 February matches the
 * pattern but is no day). A bad time refuses the resource before anything is written.
 */
import { ApiError } from '../../platform/errors';

const DATE = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;
const DATE_TIME =
  /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(?:T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(?:\.\d{1,9})?(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;

function realDay(year: string, month: string | undefined, day: string | undefined): boolean {
  if (!month || !day) return true;
  const last = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return Number(day) <= last;
}

function checked(pattern: RegExp, kind: string, value: unknown, field: string): string {
  const match = typeof value === 'string' ? pattern.exec(value) : null;
  if (!match || !realDay(match[1]!, match[2], match[3]))
    throw new ApiError('BAD_USER_INPUT', `${field} must be a FHIR ${kind} on a real calendar day (got ${JSON.stringify(value)})`);
  return value as string;
}

/** A FHIR dateTime (2026-06-01, 2026-06-01T09:00:00+08:00), or a refusal naming the field. */
export const fhirDateTime = (value: unknown, field: string): string => checked(DATE_TIME, 'dateTime', value, field);

/** A FHIR date (2026-06-01), or a refusal naming the field. */
export const fhirDate = (value: unknown, field: string): string => checked(DATE, 'date', value, field);
