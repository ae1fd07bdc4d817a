/**
 * Rate limits at the gateway, per token subject and per organization (all its subjects
 * together), applied after the token is verified (the keys come from it, so a caller cannot
 * pick its own) and before the body is read or parsed. A refusal is a 429 RATE_LIMITED with
 * Retry-After in seconds; nothing was read, so nothing is disclosed or audited.
 *
 * The buckets live in this process: behind several gateway processes (GATEWAY_WORKERS,
 * replicas) each enforces its own share, so the effective limit is the per-process limit
 * times their number.
 */
import { HttpError } from '../platform/http-error';
import type { GatewayContext } from './gateway-context';
import { TokenBuckets } from './token-buckets';

export interface RateLimitSettings {
  /** Requests per minute per token subject; 0: no limit. */
  perSubject: number;
  /** Requests per minute per organization; 0: no limit. */
  perOrganization: number;
  /** How many seconds' worth of its rate a quiet caller may spend at once. */
  burstSeconds: number;
  /** Milliseconds since the epoch; Date.now unless a test fixes it. */
  clock?: () => number;
}

interface Limit {
  buckets: TokenBuckets;
  perMinute: number;
  /** Who is over it, in the refusal's message. */
  who: string;
  keyOf(auth: GatewayContext): string | undefined;
}

/** Refuses (throws HttpError 429) a caller over either limit; undefined when both are off. */
export function rateLimiter(settings: RateLimitSettings): ((auth: GatewayContext) => void) | undefined {
  const limits: Limit[] = [];
  const bucketsOf = (perMinute: number) => new TokenBuckets(perMinute, Math.max(1, (perMinute * settings.burstSeconds) / 60), settings.clock);
  if (settings.perSubject > 0)
    limits.push({ buckets: bucketsOf(settings.perSubject), perMinute: settings.perSubject, who: 'this caller', keyOf: (auth) => auth.viewer.subject });
  if (settings.perOrganization > 0)
    limits.push({
      buckets: bucketsOf(settings.perOrganization),
      perMinute: settings.perOrganization,
      who: 'this organization',
      keyOf: (auth) => auth.viewer.organizationCode,
    });
  if (limits.length === 0) return undefined;

  return (auth) => {
    const applying = limits.flatMap((limit) => {
      const key = limit.keyOf(auth);
      return key === undefined ? [] : [{ limit, key, wait: limit.buckets.secondsUntilToken(key) }];
    });
    // Spend from every bucket or from none: a refused request must not use up the other allowance.
    const over = applying.filter(({ wait }) => wait > 0).sort((a, b) => b.wait - a.wait)[0];
    if (over) {
      throw new HttpError(429, 'RATE_LIMITED', `Too many requests from ${over.limit.who} (at most ${over.limit.perMinute} a minute); retry in ${over.wait} s`, {
        'retry-after': String(over.wait),
      });
    }
    for (const { limit, key } of applying) limit.buckets.take(key);
  };
}
