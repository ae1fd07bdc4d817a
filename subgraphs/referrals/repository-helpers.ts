/** What the referrals subgraph's sections share: dates as their inputs give them, and the caller's organization. */
import type { ResidentAccess } from '../../access-control/resident-access';
import { forbidden } from '../../platform/errors';

export const DAY_MS = 86_400_000;

/** The caller's organization: what inboxes, outboxes and referrals are kept by. */
export function requireOrganization(access: ResidentAccess): string {
  const code = access.viewer.organizationCode;
  if (!code) throw forbidden('An organization is required');
  return code;
}
