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
import { InternalTokenSigner } from '../access-control/internal-token-cache';
import type { Config, SubgraphName } from '../platform/config';
import { ApiError, isExpectedError, maskError } from '../platform/errors';
import { bearerToken, createHttpHandler, listen, type RunningHttpService } from '../platform/http-server';
import { observedHandler } from '../platform/http-telemetry';
import { createLogger, type DestinationStream, errorDetails } from '../platform/logger';
import { GatewayMetrics } from '../platform/metrics';
import { listenForScrapes } from '../platform/metrics-endpoint';
import { operationMetrics } from '../platform/operation-metrics';
import { RequestGate } from '../platform/request-gate';
import { type Drain, drainer } from '../platform/shutdown';
import { serveApiConsole } from './api-console';
import { type KeyResolver, REFUSAL_DESCRIPTIONS, type TokenVerdict, verifyClientToken } from './client-auth';
import { serveCockpit } from './cockpit';
import { executableOperation } from './executable-operation';
import type { GatewayContext } from './gateway-context';
import { operationCostLimit } from './operation-cost';
import { operationRunner } from './operations';
import { QUERY_LIMITS, queryLimits } from './query-limits';
import { rateLimiter } from './rate-limits';
import { subgraphsNotReady } from './readiness';
import { gatewayRoutes } from './routes';
import { SubgraphDataSource } from './subgraph-data-source';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

export interface GatewayOptions {
  /** The validated configuration, whole: every setting the gateway reads is a variable of it (docs/operations/configuration.md). */
  config: Config;
  supergraphSdl: string;
  /** The identity provider's keys (JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE, read by the caller). */
  clientTokenKeys: KeyResolver;
  internalPrivateKey: KeyObject;
  /** A different timeout for some subgraphs (a test's hung server, say); the rest use SUBGRAPH_TIMEOUT_MS. */
  subgraphTimeoutOverridesMs?: Partial<Record<SubgraphName, number>>;
  /** The clock of the rate limits and of internal tokens, in milliseconds since the epoch; Date.now unless a test fixes it. */
  clock?: () => number;
  /** Where logs go (stdout by default). */
  logDestination?: DestinationStream;
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
  const { config } = options;
  const logger = createLogger('gateway', config.LOG_LEVEL, options.logDestination);
  const metrics = new GatewayMetrics('gateway');
  const tokens = new InternalTokenSigner(options.internalPrivateKey, options.clock, (subgraph) => metrics.internalTokensSigned.inc({ subgraph }));
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = config.subgraphUrls[name as SubgraphName];
      if (!url) throw new Error(`No URL configured for subgraph ${name}`);
      return new SubgraphDataSource({
        name,
        url,
        tokens,
        timeoutMs: options.subgraphTimeoutOverridesMs?.[name as SubgraphName] ?? config.SUBGRAPH_TIMEOUT_MS,
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
    introspection: config.NODE_ENV !== 'production',
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    // Nothing here is cacheable (every response is no-store), so no cache policy is computed.
    plugins: [
      ...limits.plugins,
      executableOperation(),
      operationCostLimit(config.MAX_OPERATION_COST ?? QUERY_LIMITS.maxCost),
      requestIdHeader(),
      operationMetrics(metrics),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
    formatError: (formatted, error) => {
      if (!isExpectedError(formatted, error)) logger.error({ error: errorDetails(error), path: formatted.path }, 'gateway error');
      return maskError(formatted, error);
    },
  });
  await apollo.start();
  // The endpoints beside /graphql answer by running operations through this same pipeline.
  const routes = gatewayRoutes(operationRunner(apollo), options.supergraphSdl, config, logger);
  const apiConsole = config.API_CONSOLE ?? config.NODE_ENV !== 'production';

  const gate = new RequestGate(config.MAX_IN_FLIGHT);
  const handler = createHttpHandler<GatewayContext, GatewayContext>({
    apollo,
    logger,
    maxBodyBytes: config.MAX_REQUEST_BYTES,
    gate,
    limitRate: rateLimiter(config, options.clock),
    authenticate: async (request) => {
      const token = bearerToken(request);
      if (!request.headers.authorization) {
        metrics.tokenRefusals.inc({ reason: 'missing' });
        throw new ApiError('UNAUTHENTICATED', 'A bearer token is required (Authorization: Bearer <JWT>)', {
          headers: { 'www-authenticate': 'Bearer realm="jinling-hie"' },
        });
      }
      const verdict: TokenVerdict = token ? await verifyClientToken(token, config, options.clientTokenKeys) : { refused: 'malformed' };
      if ('refused' in verdict) {
        // One line per refusal, with the reason only: never the token or its claims.
        logger.info({ reason: verdict.refused }, 'client token refused');
        metrics.tokenRefusals.inc({ reason: verdict.refused });
        const description = REFUSAL_DESCRIPTIONS[verdict.refused];
        throw new ApiError('UNAUTHENTICATED', `Invalid bearer token: ${description}`, {
          headers: { 'www-authenticate': `Bearer realm="jinling-hie", error="invalid_token", error_description="${description}"` },
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
    serveStatic: (request, response, pathname) => serveCockpit(request, response, pathname) || (apiConsole && serveApiConsole(request, response, pathname)),
    routes,
    waitingFor: () => subgraphsNotReady(config.subgraphUrls, config.SUBGRAPH_TIMEOUT_MS),
  });
  const scrapes = await listenForScrapes(metrics, config.metrics);
  const http = await listen(
    observedHandler(handler, metrics, { metricsOnPublicListener: config.metrics.onPublicListener }),
    config.HOST,
    config.GATEWAY_PORT,
    config.REQUEST_TIMEOUT_MS,
  );
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
