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
import type { Config } from '../platform/config';
import { ApiError } from '../platform/errors';
import type { GatewayContext } from './gateway-context';
import { TokenBuckets } from './token-buckets';

/** What rate limits read of the configuration: per subject and per organization a minute (0: no limit), and the burst. */
export type RateLimitConfig = Pick<Config, 'RATE_LIMIT_PER_SUBJECT' | 'RATE_LIMIT_PER_ORGANIZATION' | 'RATE_LIMIT_BURST_SECONDS'>;

interface Limit {
  buckets: TokenBuckets;
  perMinute: number;
  /** Who is over it, in the refusal's message. */
  who: string;
  keyOf(auth: GatewayContext): string | undefined;
}

/** Refuses (throws ApiError RATE_LIMITED, a 429) a caller over either limit; undefined when both are off. */
export function rateLimiter(config: RateLimitConfig, clock?: () => number): ((auth: GatewayContext) => void) | undefined {
  const limits: Limit[] = [];
  const bucketsOf = (perMinute: number) => new TokenBuckets(perMinute, Math.max(1, (perMinute * config.RATE_LIMIT_BURST_SECONDS) / 60), clock);
  const perSubject = config.RATE_LIMIT_PER_SUBJECT;
  const perOrganization = config.RATE_LIMIT_PER_ORGANIZATION;
  if (perSubject > 0) limits.push({ buckets: bucketsOf(perSubject), perMinute: perSubject, who: 'this caller', keyOf: (auth) => auth.viewer.subject });
  if (perOrganization > 0)
    limits.push({
      buckets: bucketsOf(perOrganization),
      perMinute: perOrganization,
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
      throw new ApiError('RATE_LIMITED', `Too many requests from ${over.limit.who} (at most ${over.limit.perMinute} a minute); retry in ${over.wait} s`, {
        headers: { 'retry-after': String(over.wait) },
      });
    }
    for (const { limit, key } of applying) limit.buckets.take(key);
  };
}
