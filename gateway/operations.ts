/**
 * Runs a GraphQL operation through the gateway's own pipeline (limits, cost, federation,
 * masking) for the endpoints that are not GraphQL (uploads, FHIR): they have no second path
 * to the data, so subgraph policy, consent omission and audit apply to them unchanged.
 */
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from './gateway-context';

export interface OperationResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
  /** The gateway's notes on the answer, such as `valueCompletion`: parts nulled because a subgraph returned what the schema forbids. */
  extensions?: Record<string, unknown>;
}

export type RunOperation = <TData = Record<string, unknown>>(
  context: GatewayContext,
  query: string,
  variables?: Record<string, unknown>,
) => Promise<OperationResult<TData>>;

export function operationRunner(apollo: ApolloServer<GatewayContext>): RunOperation {
  return async <TData>(context: GatewayContext, query: string, variables?: Record<string, unknown>) => {
    const response = await apollo.executeOperation<TData & Record<string, unknown>>({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used by the gateway');
    const { data, errors, extensions } = response.body.singleResult;
    return { data, errors, extensions };
  };
}
