/** The local demo identity provider: signs client tokens the way the city's IdP would. */
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { PurposeOfUse, Role } from '../access-control/viewer';

export interface DemoIdentity {
  subject: string;
  roles: Role[];
  organizationCode?: string;
  practitionerId?: string;
  residentId?: string;
  purposeOfUse?: PurposeOfUse;
}

export function issueDemoToken(
  identity: DemoIdentity,
  signing: { privateKey: KeyObject | string; issuer: string; audience: string; ttlSeconds?: number },
): string {
  return jwt.sign(
    {
      roles: identity.roles,
      org: identity.organizationCode,
      practitioner_id: identity.practitionerId,
      resident_id: identity.residentId,
      purpose_of_use: identity.purposeOfUse,
    },
    signing.privateKey,
    { algorithm: 'RS256', subject: identity.subject, issuer: signing.issuer, audience: signing.audience, expiresIn: signing.ttlSeconds ?? 3600 },
  );
}
