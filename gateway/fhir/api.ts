/**
 * Asking the GraphQL API for the FHIR API. An error on the root field (FORBIDDEN, NOT_FOUND,
 * BAD_USER_INPUT) decides the whole answer; an error below it (a subgraph down, say) leaves
 * the rest useful and becomes a warning in the Bundle, as the GraphQL response degrades.
 */

import type { OperationOutcome } from '@medplum/fhirtypes';
import type { GraphQLFormattedError } from 'graphql';
import { fromGraphQLError } from '../../platform/errors';
import type { GatewayContext } from '../gateway-context';
import type { RunOperation } from '../operations';
import { outcome } from './operation-outcome';

export interface Answer<T> {
  data: T;
  /** What is missing from the answer, in the API's words. */
  warnings: string[];
}

export type Ask = <T>(query: string, variables: Record<string, unknown>) => Promise<Answer<T>>;

export function asker(runOperation: RunOperation, context: GatewayContext): Ask {
  return async <T>(query: string, variables: Record<string, unknown>) => {
    const result = await runOperation<T>(context, query, variables);
    const errors = result.errors ?? [];
    const fatal = errors.find((error) => !error.path || error.path.length <= 1) ?? (result.data ? undefined : errors[0]);
    if (fatal || !result.data) throw fromGraphQLError(fatal ?? { message: 'Internal error' });
    // The gateway nulls what a subgraph answered against the schema and says so in valueCompletion, not errors.
    const completions = Array.isArray(result.extensions?.valueCompletion) ? (result.extensions.valueCompletion as GraphQLFormattedError[]) : [];
    return {
      data: result.data as T,
      warnings: [
        ...errors.map((error) => `${where(error)}: ${fromGraphQLError(error).clientMessage}`),
        ...completions.map((completion) => `${where(completion)}: left out, incomplete in its source`),
      ],
    };
  };
}

/** The list an error is about (`labReports`), never the internal detail of where below it. */
function where(error: GraphQLFormattedError): string {
  return String(error.path?.[1] ?? error.path?.[0] ?? 'record');
}

/** What a Bundle lacks, as the OperationOutcome entry FHIR clients look for; none when complete. */
export function warningsOutcome(warnings: readonly string[]): OperationOutcome | null {
  if (warnings.length === 0) return null;
  return { ...outcome(warnings.map((text) => ({ severity: 'warning' as const, code: 'incomplete' as const, text }))), id: 'incomplete' };
}
