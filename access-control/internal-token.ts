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

export function mintInternalToken(claims: InternalClaims, audience: string, privateKey: KeyObject): string {
  return jwt.sign({ viewer: claims.viewer, rid: claims.requestId, ...(claims.correlationId ? { cid: claims.correlationId } : {}) }, privateKey, {
    algorithm: INTERNAL_ALGORITHM,
    issuer: INTERNAL_ISSUER,
    audience,
    expiresIn: INTERNAL_TOKEN_TTL_SECONDS,
  });
}

/** Returns the claims of a valid token for this audience, or null for anything else. */
export function verifyInternalToken(token: string, audience: string, publicKey: KeyObject): InternalClaims | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  try {
    const payload = jwt.verify(token, publicKey, {
      algorithms: [INTERNAL_ALGORITHM],
      issuer: INTERNAL_ISSUER,
      audience,
      clockTolerance: 5,
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success || claims.data.exp - claims.data.iat > MAX_LIFETIME_SECONDS) return null;
    return { viewer: claims.data.viewer, requestId: claims.data.rid, correlationId: claims.data.cid ?? null };
  } catch {
    return null;
  }
}

export const toPrivateKey = (pem: string | KeyObject) => (typeof pem === 'string' ? createPrivateKey(pem) : pem);
export const toPublicKey = (pem: string | KeyObject) => (typeof pem === 'string' ? createPublicKey(pem) : pem);
