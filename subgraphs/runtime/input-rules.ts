/** Field rules that several subgraphs' inputs share, with the same wording wherever they are checked. */
import { z } from 'zod';

export const ICD10 = /^[A-Z]\d{2}(\.\d{1,4})?$/;

export const residentIdRule = z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters');

/** A hospital's own id for a record it files (its re-uploads land on the same record). */
export const sourceRecordIdRule = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -');

export const isoTimeRule = z.string().refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 time');

/** Free text, trimmed, 1 to `max` characters. */
export const textRule = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
