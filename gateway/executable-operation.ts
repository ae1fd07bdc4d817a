/**
 * Refuses, as the client's mistake (400), operations the gateway could parse but cannot run:
 * several operations without `operationName`, an unknown `operationName`, and subscriptions.
 * Left to the query planner they would surface as a 500.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

const refuse = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

export function executableOperation(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            throw refuse(
              request.operationName
                ? `No operation named "${request.operationName}" in the document`
                : 'The document has several operations: say which to run with operationName',
            );
          }
          if (operation.operation === 'subscription') throw refuse('Subscriptions are not supported: use a query');
        },
      };
    },
  };
}
