/**
 * Verifies the client's bearer JWT from the city's identity provider: algorithm pinned,
 * issuer, audience and expiry required, bounded clock skew, a bounded lifetime (issued-at
 * required, not in the future), keys from a PEM file or a JWKS URL (rotated by kid). What it
 * returns is the viewer every subgraph call carries.
 */
import type { KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type JwtHeader, type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { PURPOSES, type PurposeOfUse, type Role, type Viewer, viewerSchema } from '../access-control/viewer';

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

/** Why a token was refused, for the 401's error_description and the log: never the token itself. */
export type TokenRefusal = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not-yet-valid' | 'issuer' | 'audience' | 'issued-at' | 'lifetime' | 'claims';

export const REFUSAL_DESCRIPTIONS: Record<TokenRefusal, string> = {
  malformed: 'the bearer token is not a well-formed JWT',
  algorithm: 'the token is not signed with the algorithm this API accepts',
  signature: 'the token signature does not verify with the identity provider keys',
  expired: 'the token has expired',
  'not-yet-valid': 'the token is not valid yet (nbf)',
  issuer: 'the token was not issued by the identity provider this API trusts (iss)',
  audience: 'the token is not meant for this API (aud)',
  'issued-at': 'the token has no issue time (iat) or one in the future',
  lifetime: 'the token lives longer than this API allows (exp - iat)',
  claims: 'the token claims are incomplete or invalid (sub, exp, roles, org, practitioner_id, resident_id)',
};

export type TokenVerdict = { viewer: Viewer } | { refused: TokenRefusal };

/** The viewer a valid token describes, or why the token is refused. */
export async function verifyClientToken(token: string, settings: ClientTokenSettings): Promise<TokenVerdict> {
  if (token.length > MAX_CLIENT_TOKEN_LENGTH) return { refused: 'malformed' };
  let payload: JwtPayload;
  try {
    payload = await new Promise<JwtPayload>((resolve, reject) => {
      jwt.verify(
        token,
        (header, callback) => {
          settings.keys(header).then(
            (key) => callback(null, key),
            (error: Error) => callback(error),
          );
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
  } catch (error) {
    return { refused: refusalOf(error) };
  }
  if (typeof payload.exp !== 'number' || typeof payload.sub !== 'string') return { refused: 'claims' };
  const lifetime = lifetimeRefusal(payload, settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
  if (lifetime) return { refused: lifetime };
  const viewer = viewerFromClaims(payload);
  return viewer ? { viewer } : { refused: 'claims' };
}

/** What jsonwebtoken's error says went wrong, in this API's terms. */
function refusalOf(error: unknown): TokenRefusal {
  if (error instanceof jwt.TokenExpiredError) return 'expired';
  if (error instanceof jwt.NotBeforeError) return 'not-yet-valid';
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt issuer invalid')) return 'issuer';
  if (message.startsWith('jwt audience invalid')) return 'audience';
  if (message === 'invalid algorithm') return 'algorithm';
  if (message === 'invalid signature' || message === 'jwt signature is required' || message.startsWith('error in secret or public key callback'))
    return 'signature';
  return 'malformed';
}

/** Issued at a time already come (within the skew), and living no longer than the maximum. */
function lifetimeRefusal(payload: JwtPayload, maxLifetimeSeconds: number): TokenRefusal | null {
  if (payload.iat === undefined) return maxLifetimeSeconds === 0 ? null : 'issued-at';
  if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) return 'issued-at';
  return maxLifetimeSeconds === 0 || payload.exp! - payload.iat <= maxLifetimeSeconds ? null : 'lifetime';
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
