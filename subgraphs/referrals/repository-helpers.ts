/** What the referrals subgraph's sections share: dates as their inputs give them, and the caller's organization. */
import type { ResidentAccess } from '../../access-control/resident-access';
import { badUserInput, forbidden } from '../../platform/errors';

export const DAY_MS = 86_400_000;

export function parseDate(value: string, field: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) throw badUserInput(`${field} must be a date (YYYY-MM-DD)`);
  return new Date(value);
}

/** The caller's organization: what inboxes, outboxes and referrals are kept by. */
export function requireOrganization(access: ResidentAccess): string {
  const code = access.viewer.organizationCode;
  if (!code) throw forbidden('An organization is required');
  return code;
}
