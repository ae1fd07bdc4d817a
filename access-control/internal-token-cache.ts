/**
 * The two ends of an internal token, each with a cache so that a token is signed once and
 * verified once per process, however many calls carry it.
 *
 * - The gateway's `InternalTokenSigner` keys its tokens by everything that goes into one (the
 *   audience, the viewer, the request id and the correlation id), so a token is reused only
 *   where a fresh one would say exactly the same, and only until shortly before it expires.
 * - A subgraph's `InternalTokenVerifier` keys verified claims by the token string: an entry
 *   expires with the token's exp by the verifying clock, and a refused token is never kept.
 *
 * Both are per process and bounded. Keys are read once at start (a rotated key is a restart),
 * and each cache belongs to the signer or verifier of one key, so no entry outlives its key.
 */
import type { KeyObject } from 'node:crypto';
import { BoundedExpiringMap } from './bounded-expiring-map';
import { INTERNAL_TOKEN_TTL_SECONDS, type InternalClaims, mintInternalToken, type VerifiedInternalClaims, verifyInternalToken } from './internal-token';

/** A cached token is handed out only while it has this long left: the call still reaches the subgraph in time. */
export const REUSE_MARGIN_MS = 5_000;
const MAX_ENTRIES = 10_000;

export type Clock = () => number;

export class InternalTokenSigner {
  private readonly tokens = new BoundedExpiringMap<string>(MAX_ENTRIES);

  constructor(
    private readonly privateKey: KeyObject,
    private readonly clock: Clock = Date.now,
    /** Told of every signature made (the gateway counts them). */
    private readonly onSigned: (audience: string) => void = () => {},
  ) {}

  tokenFor(claims: InternalClaims, audience: string): string {
    const key = JSON.stringify([audience, claims.requestId, claims.correlationId ?? null, claims.viewer]);
    const now = this.clock();
    const cached = this.tokens.get(key, now);
    if (cached) return cached;
    const token = mintInternalToken(claims, audience, this.privateKey, now);
    this.onSigned(audience);
    // Seconds of the token's iat, as it was signed, plus its lifetime.
    const expiresAtMs = (Math.floor(now / 1000) + INTERNAL_TOKEN_TTL_SECONDS) * 1000;
    this.tokens.set(key, token, expiresAtMs - REUSE_MARGIN_MS);
    return token;
  }
}

export type VerificationOutcome = 'verified' | 'cached' | 'refused';

export class InternalTokenVerifier {
  private readonly verified = new BoundedExpiringMap<VerifiedInternalClaims>(MAX_ENTRIES);

  constructor(
    private readonly audience: string,
    private readonly publicKey: KeyObject,
    private readonly clock: Clock = Date.now,
    /** Told of every outcome (the subgraph counts them). */
    private readonly onOutcome: (outcome: VerificationOutcome) => void = () => {},
  ) {}

  /** The claims of a valid token for this subgraph, or null. */
  claimsOf(token: string): InternalClaims | null {
    const now = this.clock();
    const cached = this.verified.get(token, now);
    if (cached) {
      this.onOutcome('cached');
      return cached;
    }
    const claims = verifyInternalToken(token, this.audience, this.publicKey, now);
    if (!claims) {
      this.onOutcome('refused');
      return null;
    }
    this.onOutcome('verified');
    this.verified.set(token, claims, claims.expiresAtMs);
    return claims;
  }
}
