/** Validation of identifiers that arrive from clients or in `_entities` representations, and the ids of records hospitals file. */
import { createHash } from 'node:crypto';
import { badUserInput } from '../../platform/errors';
import type { AttachmentsRef } from './entity-refs';

const OBJECT_ID = /^[0-9a-f]{24}$/;
const ORGANIZATION_CODE = /^3201-[A-Z]\d{2,4}$/;

export function residentIdOf(value: unknown): string {
  if (typeof value !== 'string' || !OBJECT_ID.test(value)) throw badUserInput('Resident id must be 24 lowercase hex characters');
  return value;
}

export function recordIdOf(value: unknown, what: string): string {
  if (typeof value !== 'string' || !OBJECT_ID.test(value)) throw badUserInput(`${what} id must be 24 lowercase hex characters`);
  return value;
}

export function organizationCodeOf(value: unknown): string {
  if (typeof value !== 'string' || !ORGANIZATION_CODE.test(value)) throw badUserInput('Organization code must look like 3201-H001');
  return value;
}

/** A client's id for one request, which makes its retries idempotent. */
export const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;
export const CLIENT_REQUEST_ID_RULE = 'must be 8-64 letters, digits or . _ : -';

export function clientRequestIdOf(value: string): string {
  if (!CLIENT_REQUEST_ID.test(value)) throw badUserInput(`clientRequestId ${CLIENT_REQUEST_ID_RULE}`);
  return value;
}

/** The most records one referral attaches of each kind. */
const MAX_ATTACHMENTS = 20;

/**
 * A referral handed over for its attachments: `{ id, resident: { id }, <idsField>: [...] }`,
 * validated before it reaches a query.
 */
export function attachmentsRefOf(reference: unknown, idsField: string): AttachmentsRef {
  const fields = (reference ?? {}) as Record<string, unknown>;
  const ids = fields[idsField];
  if (!Array.isArray(ids) || ids.length > MAX_ATTACHMENTS) throw badUserInput(`${idsField} must be a list of at most ${MAX_ATTACHMENTS} ids`);
  return {
    id: recordIdOf(fields.id, 'Referral'),
    residentId: residentIdOf((fields.resident as { id?: unknown } | undefined)?.id),
    attachedIds: ids.map((id) => recordIdOf(id, 'Attached record')),
  };
}

/** Caps a client's page size: lists never return more than `max` items at once. */
export function pageSize(first: number | null | undefined, max = 100): number {
  if (first === null || first === undefined) return 20;
  if (!Number.isInteger(first) || first < 1 || first > max) throw badUserInput(`first must be between 1 and ${max}`);
  return first;
}

/**
 * A stable id for a hospital's record: the same upload always lands on the same document, and
 * another subgraph can name the record by the hospital's own id (a prescription's encounter).
 */
export function sourceRecordKey(kind: 'encounter' | 'condition' | 'allergy' | 'prescription', organizationCode: string, sourceRecordId: string): string {
  return createHash('sha256').update(`${kind}|${organizationCode}|${sourceRecordId}`).digest('hex').slice(0, 24);
}
