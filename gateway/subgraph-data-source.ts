/**
 * How the gateway calls a subgraph: an internal token per request and subgraph (the viewer,
 * the request id, aud = the subgraph, short expiry; signed once, internal-token-cache.ts), undici's request API over a keep-alive
 * pool, and a timeout after which the subgraph's part of the response is null with
 * SUBGRAPH_UNAVAILABLE.
 */
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { type DocumentNode, GraphQLError, Kind, parse, type SelectionSetNode } from 'graphql';
import { Agent, request } from 'undici';
import type { InternalTokenSigner } from '../access-control/internal-token-cache';
import { appError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { GatewayMetrics } from '../platform/metrics';
import type { GatewayContext } from './gateway-context';
import { observedFetcher } from './subgraph-telemetry';

export interface SubgraphCallOptions {
  name: string;
  url: string;
  /** The gateway's one signer: its tokens are reused across calls that would carry the same token. */
  tokens: InternalTokenSigner;
  timeoutMs: number;
  logger: Logger;
  metrics: GatewayMetrics;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly options: SubgraphCallOptions) {
    super({ url: options.url, fetcher: observedFetcher(options.name, pooledFetcher(options.timeoutMs)!, options.metrics) });
  }

  override willSendRequest({ request: call, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // The gateway makes no calls of its own with a static supergraph; every call has a viewer.
    // A full record calls records several times: its later calls carry the token of the first.
    const token = this.options.tokens.tokenFor(context as GatewayContext, this.options.name);
    call.http!.headers.set('authorization', `Bearer ${token}`);
  }

  override didEncounterError(error: Error): void {
    this.options.logger.warn({ subgraph: this.options.name, reason: error.name }, 'subgraph call failed');
    throw appError('SUBGRAPH_UNAVAILABLE', `The ${this.options.name} service is unavailable`);
  }

  /** An unavailable subgraph's error says which part of the response it leaves null (its path). */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    try {
      return await super.process(options);
    } catch (error) {
      const incoming = 'incomingRequestContext' in options ? options : null;
      if (!(error instanceof GraphQLError) || error.extensions.code !== 'SUBGRAPH_UNAVAILABLE' || !incoming?.request.query) throw error;
      // Parsed again only on this failure path: the planner does not hand over its document.
      const missing = missingPaths(incoming.document ?? parse(incoming.request.query), incoming.pathInIncomingRequest ?? []);
      if (missing.length === 0) throw error;
      const names = missing.map((path) => path.join('.')).join(', ');
      throw appError(
        'SUBGRAPH_UNAVAILABLE',
        `The ${this.options.name} service is unavailable: ${names} ${missing.length > 1 ? 'are' : 'is'} missing`,
        missing[0],
      );
    }
  }
}

/**
 * Where the fields a subgraph call was to resolve sit in the client's response: the fetch's
 * place (up to the first list, whose items the error cannot name one by one) and the fields it
 * selected at the root or on the entities it was handed.
 */
function missingPaths(document: DocumentNode, at: readonly (string | number)[]): string[][] {
  const place = at.slice(0, at.includes('@') ? at.indexOf('@') : at.length).map(String);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const responseNames = (selectionSet: SelectionSetNode): string[] =>
    selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === '__typename' ? [] : [selection.alias?.value ?? selection.name.value];
      return selection.kind === Kind.INLINE_FRAGMENT ? responseNames(selection.selectionSet) : [];
    });
  const root = operation.selectionSet.selections[0];
  const fields =
    root?.kind === Kind.FIELD && root.name.value === '_entities' && root.selectionSet
      ? responseNames(root.selectionSet)
      : responseNames(operation.selectionSet);
  return [...new Set(fields)].map((field) => [...place, field]);
}

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];
type FetcherResponse = Awaited<ReturnType<NonNullable<Fetcher>>>;

/**
 * undici's request API rather than fetch: no WHATWG streams, Request objects or per-call
 * abort timers. A subgraph that sends no headers, or stalls mid-body, for `timeoutMs` fails
 * the call. Only what the data source reads is implemented.
 */
function pooledFetcher(timeoutMs: number): Fetcher {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
  return (async (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string | Buffer }) => {
    const response = await request(url, {
      method: (init?.method ?? 'POST') as 'POST',
      headers: init?.headers,
      body: init?.body,
      dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const text = await response.body.text();
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    const answer: FetcherResponse = {
      url,
      ok,
      status: response.statusCode,
      statusText: String(response.statusCode),
      redirected: false,
      bodyUsed: true,
      headers,
      text: async () => text,
      json: async () => JSON.parse(text),
      arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
      clone: () => answer,
    };
    return answer;
  }) as Fetcher;
}
