/** Who is asking: the identity the gateway verified and forwards to every subgraph call. */
import { z } from 'zod';

export const ROLES = [
  'doctor',
  'family_doctor',
  'internet_hospital',
  'pharmacist',
  'resident',
  'lab_system',
  'hospital_system',
  'health_commission',
  'privacy_officer',
  /** An operator (or the telephony) of the 12320 hotline centre: records calls and work orders, books and cancels appointments for callers by phone, reads no record. */
  'hotline_operator',
] as const;
export type Role = (typeof ROLES)[number];

export const PURPOSES = ['treatment', 'emergency', 'self', 'administration'] as const;
export type PurposeOfUse = (typeof PURPOSES)[number];

const identifier = z.string().regex(/^[A-Za-z0-9._:@-]{1,64}$/);

export const viewerSchema = z.object({
  subject: identifier,
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  organizationCode: identifier.optional(),
  practitionerId: identifier.optional(),
  residentId: identifier.optional(),
  purposeOfUse: z.enum(PURPOSES),
  /** When the client's token expires (seconds since the epoch), as the gateway verified it. */
  tokenExpiresAt: z.number().int().positive().optional(),
});
export type Viewer = z.infer<typeof viewerSchema>;

/** The viewer as the `viewer` query shows it: the caller's own identity, nothing else. */
export function describeViewer(viewer: Viewer) {
  return {
    subject: viewer.subject,
    roles: viewer.roles,
    organization: viewer.organizationCode ? { code: viewer.organizationCode } : null,
    practitionerId: viewer.practitionerId ?? null,
    residentId: viewer.residentId ?? null,
    purposeOfUse: viewer.purposeOfUse,
    tokenExpiresAt: viewer.tokenExpiresAt ? new Date(viewer.tokenExpiresAt * 1000).toISOString() : null,
  };
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return viewer.roles.some((role) => roles.includes(role));
}

/**
 * Who did something, as records name people: the practitioner id of the person acting, or the
 * token subject of a system that acts with none (a hospital system, a lab system).
 */
export function actorOf(viewer: Viewer): string {
  return viewer.practitionerId ?? viewer.subject;
}
