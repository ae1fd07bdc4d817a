/**
 * The token the gateway mints for every subgraph call. It carries the verified viewer and the
 * request id, is bound to one subgraph (aud) and lives at most 60 s, so a token captured on
 * the internal network is useless against another subgraph or a minute later.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { type Viewer, viewerSchema } from './viewer';

export const INTERNAL_ISSUER = 'jinling-hie-gateway';
export const INTERNAL_ALGORITHM = 'ES256';
export const INTERNAL_TOKEN_TTL_SECONDS = 30;
const MAX_LIFETIME_SECONDS = 60;
const MAX_TOKEN_LENGTH = 4096;
const CLOCK_TOLERANCE_SECONDS = 5;

const claimsSchema = z.object({
  viewer: viewerSchema,
  rid: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  cid: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/)
    .nullish(),
  iat: z.number(),
  exp: z.number(),
});

export interface InternalClaims {
  viewer: Viewer;
  requestId: string;
  /** The client's own request id, for correlation only. */
  correlationId?: string | null;
}

/** `issuedAtMs` is the minting clock (Date.now unless a test fixes it): the token expires 30 s after it. */
export function mintInternalToken(claims: InternalClaims, audience: string, privateKey: KeyObject, issuedAtMs = Date.now()): string {
  const iat = Math.floor(issuedAtMs / 1000);
  return jwt.sign({ viewer: claims.viewer, rid: claims.requestId, ...(claims.correlationId ? { cid: claims.correlationId } : {}), iat }, privateKey, {
    algorithm: INTERNAL_ALGORITHM,
    issuer: INTERNAL_ISSUER,
    audience,
    expiresIn: INTERNAL_TOKEN_TTL_SECONDS,
  });
}

/** Verified claims, with the token's exp: a cached verification never outlives it (the clock tolerance is for jwt.verify alone). */
export interface VerifiedInternalClaims extends InternalClaims {
  expiresAtMs: number;
}

/** Returns the claims of a valid token for this audience at `nowMs`, or null for anything else. */
export function verifyInternalToken(token: string, audience: string, publicKey: KeyObject, nowMs = Date.now()): VerifiedInternalClaims | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  try {
    const payload = jwt.verify(token, publicKey, {
      algorithms: [INTERNAL_ALGORITHM],
      issuer: INTERNAL_ISSUER,
      audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success || claims.data.exp - claims.data.iat > MAX_LIFETIME_SECONDS) return null;
    return {
      viewer: claims.data.viewer,
      requestId: claims.data.rid,
      correlationId: claims.data.cid ?? null,
      expiresAtMs: claims.data.exp * 1000,
    };
  } catch {
    return null;
  }
}

export const toPrivateKey = (pem: string | KeyObject) => (typeof pem === 'string' ? createPrivateKey(pem) : pem);
export const toPublicKey = (pem: string | KeyObject) => (typeof pem === 'string' ? createPublicKey(pem) : pem);
