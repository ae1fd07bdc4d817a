/**
 * Verifies the client's bearer JWT from the city's identity provider: algorithm pinned,
 * issuer, audience and expiry required, bounded clock skew, a bounded lifetime (issued-at
 * required, not in the future), keys from a PEM file or a JWKS URL (rotated by kid). What it
 * returns is the viewer every subgraph call carries.
 */
import type { KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type JwtHeader, type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { PURPOSES, viewerSchema, type PurposeOfUse, type Role, type Viewer } from '../subgraphs/kit/viewer';

export const MAX_CLIENT_TOKEN_LENGTH = 8192;
const CLOCK_TOLERANCE_SECONDS = 30;
/** The longest a client token may live (exp - iat) unless configured otherwise: 12 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 43_200;

export type KeyResolver = (header: JwtHeader) => Promise<KeyObject | string>;

export interface ClientTokenSettings {
  issuer: string;
  audience: string;
  algorithm: Algorithm;
  keys: KeyResolver;
  /** The longest a token may live (exp - iat); tokens without iat are then refused. 0: no limit. */
  maxLifetimeSeconds?: number;
}

export function staticKey(key: KeyObject | string): KeyResolver {
  return async () => key;
}

export function jwksKeys(jwksUri: string): KeyResolver {
  const client = new JwksClient({ jwksUri, cache: true, cacheMaxAge: 600_000, rateLimit: true, jwksRequestsPerMinute: 10, timeout: 5_000 });
  return async (header) => {
    if (!header.kid) throw new Error('token has no kid');
    return (await client.getSigningKey(header.kid)).getPublicKey();
  };
}

/** The viewer a valid token describes, or null for any token that is not valid. */
export async function verifyClientToken(token: string, settings: ClientTokenSettings): Promise<Viewer | null> {
  if (token.length > MAX_CLIENT_TOKEN_LENGTH) return null;
  let payload: JwtPayload;
  try {
    payload = await new Promise<JwtPayload>((resolve, reject) => {
      jwt.verify(
        token,
        (header, callback) => {
          settings.keys(header).then((key) => callback(null, key), (error: Error) => callback(error));
        },
        {
          algorithms: [settings.algorithm],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        },
        (error, decoded) => (error || typeof decoded !== 'object' || decoded === null ? reject(error) : resolve(decoded as JwtPayload)),
      );
    });
  } catch {
    return null;
  }
  if (typeof payload.exp !== 'number' || typeof payload.sub !== 'string') return null;
  if (!withinLifetime(payload, settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS)) return null;
  return viewerFromClaims(payload);
}

/** Issued at a time already come (within the skew), and living no longer than the maximum. */
function withinLifetime(payload: JwtPayload, maxLifetimeSeconds: number): boolean {
  if (payload.iat === undefined) return maxLifetimeSeconds === 0;
  if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) return false;
  return maxLifetimeSeconds === 0 || payload.exp! - payload.iat <= maxLifetimeSeconds;
}

function viewerFromClaims(payload: JwtPayload): Viewer | null {
  const roles = payload.roles as Role[];
  const parsed = viewerSchema.safeParse({
    subject: payload.sub,
    roles,
    organizationCode: payload.org,
    practitionerId: payload.practitioner_id,
    residentId: payload.resident_id,
    purposeOfUse: PURPOSES.includes(payload.purpose_of_use) ? payload.purpose_of_use : defaultPurpose(roles),
    tokenExpiresAt: payload.exp,
  });
  return parsed.success ? parsed.data : null;
}

function defaultPurpose(roles: unknown): PurposeOfUse {
  if (!Array.isArray(roles)) return 'treatment';
  if (roles.includes('resident')) return 'self';
  if (roles.includes('privacy_officer') || roles.includes('health_commission')) return 'administration';
  return 'treatment';
}
