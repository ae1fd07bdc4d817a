/**
 * Limits on the shape of an operation, enforced at the gateway before planning. Calibrated
 * from the operations the clients run: the doctor's full record (summary, encounters, labs,
 * prescriptions, referrals, latest results) is the deepest (8) and costliest of them (about
 * 4,700 by operation-cost.ts, which counts lists by `first`), so the limits leave room for it
 * and little for abuse: twice the full record is refused. One over a limit and the request
 * fails with a 400; nothing is only logged.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';

export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 8000,
} as const;

export function queryLimits(limits: typeof QUERY_LIMITS = QUERY_LIMITS) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, exposeLimits: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // The parser itself counts tokens (parseOptions below), so an oversized document is a 400 parse error.
    maxTokens: { enabled: false },
    // Cost is counted by operation-cost.ts, which multiplies lists by `first`.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  });
  return { ...armor.protect(), parseOptions: { maxTokens: limits.maxTokens } };
}
