/** The gateway's authenticated endpoints beside /graphql, each answering through the GraphQL pipeline. */
import type { HttpRoute } from '../subgraphs/kit/http-server';
import type { GatewayContext } from './gateway-context';
import type { RunOperation } from './operations';
import { fhirRoute } from './fhir/route';

export function gatewayRoutes(runOperation: RunOperation): HttpRoute<GatewayContext>[] {
  return [fhirRoute(runOperation)];
}
