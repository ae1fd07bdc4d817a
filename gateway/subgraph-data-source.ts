/**
 * How the gateway calls a subgraph: a fresh internal token per call (the viewer, the request
 * id, aud = the subgraph, short expiry), a keep-alive HTTP client, and a timeout after which
 * the subgraph's part of the response is null with SUBGRAPH_UNAVAILABLE.
 */
import type { KeyObject } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { appError } from '../subgraphs/kit/errors';
import { mintInternalToken } from '../subgraphs/kit/internal-token';
import type { Logger } from '../subgraphs/kit/logger';
import type { GatewayContext } from './gateway-context';

export interface SubgraphCallOptions {
  name: string;
  url: string;
  privateKey: KeyObject;
  timeoutMs: number;
  logger: Logger;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly options: SubgraphCallOptions) {
    super({ url: options.url, fetcher: timedFetcher(options.timeoutMs) });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // The gateway makes no calls of its own with a static supergraph; every call has a viewer.
    const { viewer, requestId } = context as GatewayContext;
    request.http!.headers.set('authorization', `Bearer ${mintInternalToken({ viewer, requestId }, this.options.name, this.options.privateKey)}`);
  }

  override didEncounterError(error: Error): void {
    this.options.logger.warn({ subgraph: this.options.name, reason: error.name }, 'subgraph call failed');
    throw appError('SUBGRAPH_UNAVAILABLE', `The ${this.options.name} service is unavailable`);
  }
}

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

/** Node's fetch (undici, keep-alive) with a per-call deadline. */
function timedFetcher(timeoutMs: number): Fetcher {
  return ((url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as Fetcher;
}
