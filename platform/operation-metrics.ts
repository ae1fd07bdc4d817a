/**
 * An Apollo Server plugin that counts and times every GraphQL operation by its (bounded)
 * name, counts the error codes its response carries, and names the request's span after the
 * operation. Used by the gateway and by every subgraph.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { ServiceMetrics } from './metrics';

export function operationMetrics<TContext extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      // An operation that never resolved (unparsable, invalid) has no name to report.
      let operation = 'unresolved';
      return {
        async didResolveOperation({ operationName }) {
          operation = metrics.operationLabel(operationName);
          trace.getActiveSpan()?.setAttribute('graphql.operation.name', operation);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          metrics.graphqlRequests.inc({ operation, outcome: errors.length > 0 ? 'error' : 'ok' });
          metrics.graphqlDuration.observe({ operation }, (performance.now() - started) / 1000);
          for (const error of errors) metrics.graphqlErrors.inc({ operation, code: ServiceMetrics.errorCodeLabel(error.extensions?.code) });
        },
      };
    },
  };
}
