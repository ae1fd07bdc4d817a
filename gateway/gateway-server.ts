/**
 * The gateway: Apollo Server over @apollo/gateway with the committed supergraph. It refuses
 * anonymous and invalid tokens with 401 before any parsing, calls subgraphs with internal
 * tokens, and is the single point where errors are masked for clients.
 */
import { type KeyObject, randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { SubgraphName } from '../platform/config';
import { isExpectedError, maskError } from '../platform/errors';
import { HttpError } from '../platform/http-error';
import { bearerToken, createHttpHandler, listen, type RunningHttpService } from '../platform/http-server';
import { observedHandler } from '../platform/http-telemetry';
import { createLogger, type DestinationStream, errorDetails } from '../platform/logger';
import { GatewayMetrics } from '../platform/metrics';
import { listenForScrapes, type MetricsOptions } from '../platform/metrics-endpoint';
import { operationMetrics } from '../platform/operation-metrics';
import { RequestGate } from '../platform/request-gate';
import { type Drain, drainer } from '../platform/shutdown';
import { serveApiConsole } from './api-console';
import { type ClientTokenSettings, REFUSAL_DESCRIPTIONS, type TokenVerdict, verifyClientToken } from './client-auth';
import { serveCockpit } from './cockpit';
import { executableOperation } from './executable-operation';
import type { GatewayContext } from './gateway-context';
import { operationCostLimit } from './operation-cost';
import { operationRunner } from './operations';
import { QUERY_LIMITS, queryLimits } from './query-limits';
import { type RateLimitSettings, rateLimiter } from './rate-limits';
import { subgraphsNotReady } from './readiness';
import { gatewayRoutes } from './routes';
import { SubgraphDataSource } from './subgraph-data-source';
import type { UploadSettings } from './uploads';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  clientTokens: ClientTokenSettings;
  internalPrivateKey: KeyObject;
  subgraphTimeoutMs: number;
  /** A different timeout for some subgraphs (a test's hung server, say); the rest use subgraphTimeoutMs. */
  subgraphTimeoutOverridesMs?: Partial<Record<SubgraphName, number>>;
  maxBodyBytes: number;
  introspection: boolean;
  /** Most an operation may cost (operation-cost.ts); QUERY_LIMITS.maxCost unless configured. */
  maxOperationCost?: number;
  /** Serve the API console (GraphiQL) to browsers at GET /graphql. */
  apiConsole: boolean;
  host: string;
  port: number;
  /** Requests worked on at once before shedding load with 503 OVERLOADED (MAX_IN_FLIGHT); unbounded if unset. */
  maxInFlight?: number;
  /** Requests per minute per token subject and per organization (RATE_LIMIT_*); none if unset. */
  rateLimits?: RateLimitSettings;
  logLevel?: string;
  /** Where logs go (stdout by default). */
  logDestination?: DestinationStream;
  /** Limits of batch uploads (gateway/uploads.ts); the defaults unless configured. */
  uploads?: UploadSettings;
  /** Where Prometheus scrapes the gateway; no metrics listener unless a port is given. */
  metrics?: MetricsOptions;
}

export interface RunningGateway extends RunningHttpService {
  /** The scrape URL of the metrics listener, when one was configured. */
  metricsUrl?: string;
  /** Stops at once, whatever is in flight (tests). */
  stop(): Promise<void>;
  /** Stops gracefully (shutdown.ts): refuses new work and lets the work in flight finish within the bound. */
  drain: Drain;
}

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

/** Tells the client the gateway's request id (the key of the audit events), for support calls. */
function requestIdHeader(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('x-request-id', contextValue.requestId);
        },
      };
    },
  };
}

export async function createGatewayServer(options: GatewayOptions): Promise<RunningGateway> {
  const logger = createLogger('gateway', options.logLevel, options.logDestination);
  const metrics = new GatewayMetrics('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name as SubgraphName];
      if (!url) throw new Error(`No URL configured for subgraph ${name}`);
      return new SubgraphDataSource({
        name,
        url,
        privateKey: options.internalPrivateKey,
        timeoutMs: options.subgraphTimeoutOverridesMs?.[name as SubgraphName] ?? options.subgraphTimeoutMs,
        logger,
        metrics,
      });
    },
  });
  const limits = queryLimits();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    allowBatchedHttpRequests: false,
    introspection: options.introspection,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    // Nothing here is cacheable (every response is no-store), so no cache policy is computed.
    plugins: [
      ...limits.plugins,
      executableOperation(),
      operationCostLimit(options.maxOperationCost ?? QUERY_LIMITS.maxCost),
      requestIdHeader(),
      operationMetrics(metrics),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
    formatError: (formatted, error) => {
      if (!isExpectedError(formatted)) logger.error({ error: errorDetails(error), path: formatted.path }, 'gateway error');
      return maskError(formatted);
    },
  });
  await apollo.start();
  // The endpoints beside /graphql answer by running operations through this same pipeline.
  const routes = gatewayRoutes(operationRunner(apollo), {
    supergraphSdl: options.supergraphSdl,
    maxBodyBytes: options.maxBodyBytes,
    uploads: options.uploads,
    logger,
  });

  const gate = new RequestGate(options.maxInFlight ?? Infinity);
  const handler = createHttpHandler<GatewayContext, GatewayContext>({
    apollo,
    logger,
    maxBodyBytes: options.maxBodyBytes,
    gate,
    limitRate: options.rateLimits ? rateLimiter(options.rateLimits) : undefined,
    authenticate: async (request) => {
      const token = bearerToken(request);
      if (!request.headers.authorization) {
        metrics.tokenRefusals.inc({ reason: 'missing' });
        throw new HttpError(401, 'UNAUTHENTICATED', 'A bearer token is required (Authorization: Bearer <JWT>)', {
          'www-authenticate': 'Bearer realm="jinling-hie"',
        });
      }
      const verdict: TokenVerdict = token ? await verifyClientToken(token, options.clientTokens) : { refused: 'malformed' };
      if ('refused' in verdict) {
        // One line per refusal, with the reason only: never the token or its claims.
        logger.info({ reason: verdict.refused }, 'client token refused');
        metrics.tokenRefusals.inc({ reason: verdict.refused });
        const description = REFUSAL_DESCRIPTIONS[verdict.refused];
        throw new HttpError(401, 'UNAUTHENTICATED', `Invalid bearer token: ${description}`, {
          'www-authenticate': `Bearer realm="jinling-hie", error="invalid_token", error_description="${description}"`,
        });
      }
      const { viewer } = verdict;
      // The request id is always the gateway's own: a client could otherwise replay or collide
      // with another request's audit trail. Its own id is kept as a correlation field.
      const offered = request.headers['x-request-id'];
      return { viewer, requestId: randomUUID(), correlationId: typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : null };
    },
    context: (auth) => auth,
    // The cockpit page is always served (it holds no data); the API console only where enabled.
    serveStatic: (request, response, pathname) =>
      serveCockpit(request, response, pathname) || (options.apiConsole && serveApiConsole(request, response, pathname)),
    routes,
    waitingFor: () => subgraphsNotReady(options.subgraphUrls, options.subgraphTimeoutMs),
  });
  const scrapes = await listenForScrapes(metrics, options.metrics);
  const http = await listen(observedHandler(handler, metrics, { metricsOnPublicListener: options.metrics?.onPublicListener }), options.host, options.port);
  logger.info({ url: http.url, metricsUrl: scrapes?.url }, 'gateway listening');
  return {
    ...http,
    metricsUrl: scrapes?.url,
    stop: async () => {
      await scrapes?.close();
      await http.close();
      await apollo.stop();
    },
    // The metrics listener answers scrapes while the requests drain, and closes after them.
    drain: drainer({
      server: http.server,
      gate,
      logger,
      release: async () => {
        await apollo.stop();
        await scrapes?.close();
      },
    }),
  };
}
