/**
 * createSubgraphServer: everything a subgraph needs around its own schema, resolvers and
 * models. It connects the databases, builds the federated schema behind graphql-shield,
 * refuses any call without a valid internal token, gives each request its access decisions
 * and loaders, writes the audit events before the response leaves, and masks errors.
 */

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import type { Connection } from 'mongoose';
import { AccessStore, type AccessStoreModels, registerAccessStoreModels } from '../../access-control/access-store';
import { auditMetrics } from '../../access-control/audit-metrics';
import { type InternalClaims, verifyInternalToken } from '../../access-control/internal-token';
import type { PolicySettings } from '../../access-control/policy';
import { ResidentAccess } from '../../access-control/resident-access';
import { ActivityStore, activityDatabaseName, registerActivityStoreModels } from '../../monitoring/activity-store';
import { DEFAULT_MATCH_SETTINGS, DEFAULT_SLOT_SETTINGS, type MatchSettings, type SlotSettings, type SubgraphName } from '../../platform/config';
import { connectDatabase, databaseName, ensureIndexes, isReachable } from '../../platform/database';
import { observeDatabase } from '../../platform/database-telemetry';
import { isExpectedError, maskError } from '../../platform/errors';
import { HttpError } from '../../platform/http-error';
import { bearerToken, createHttpHandler, listen, type RunningHttpService } from '../../platform/http-server';
import { observedHandler } from '../../platform/http-telemetry';
import { createLogger, type DestinationStream, errorDetails } from '../../platform/logger';
import { SubgraphMetrics } from '../../platform/metrics';
import { listenForScrapes, type MetricsOptions } from '../../platform/metrics-endpoint';
import { refuseIfBehind } from '../../platform/migrations';
import { operationMetrics } from '../../platform/operation-metrics';
import { RequestGate } from '../../platform/request-gate';
import { type Drain, drainer } from '../../platform/shutdown';
import { applyPermissions, type PermissionMap } from './permissions';
import type { SubgraphContext } from './subgraph-context';

process.env.APOLLO_TELEMETRY_DISABLED = '1';

export interface SubgraphDefinition<TModels, TContext extends SubgraphContext> {
  name: SubgraphName;
  resolvers: object;
  permissions: PermissionMap;
  registerModels(connection: Connection): TModels;
  /** Adds the subgraph's repository and loaders to the request's base context. */
  createContext(models: TModels, base: SubgraphContext): TContext;
}

export interface SubgraphServerOptions {
  mongoUri: string;
  dbPrefix: string;
  host: string;
  port: number;
  internalPublicKey: KeyObject;
  policy: PolicySettings;
  /** Defaults to DEFAULT_MATCH_SETTINGS. */
  matching?: MatchSettings;
  /** Defaults to 28. */
  chronicMaxDays?: number;
  /** Defaults to 14. */
  bookingHorizonDays?: number;
  /** Defaults to DEFAULT_SLOT_SETTINGS. */
  slots?: SlotSettings;
  auditFailClosed: boolean;
  maxBodyBytes: number;
  /** Requests worked on at once before shedding load with 503 OVERLOADED (MAX_IN_FLIGHT); unbounded if unset. */
  maxInFlight?: number;
  /** @deprecated Command events are always on now: the database metrics and spans need them. */
  monitorCommands?: boolean;
  logLevel?: string;
  /** Where logs go (stdout by default). */
  logDestination?: DestinationStream;
  /** Where Prometheus scrapes this subgraph; no metrics listener unless a port is given. */
  metrics?: MetricsOptions;
}

export interface RunningSubgraph extends RunningHttpService {
  name: SubgraphName;
  /** The scrape URL of the metrics listener, when one was configured. */
  metricsUrl?: string;
  connection: Connection;
  /** Stops at once, whatever is in flight (tests). */
  stop(): Promise<void>;
  /** Stops gracefully (shutdown.ts): refuses new work, lets the work in flight finish within the bound, closes the database. */
  drain: Drain;
}

const PROJECT_ROOT = path.resolve(__dirname, '../..');

export function subgraphTypeDefs(name: SubgraphName) {
  return parse(readFileSync(path.join(PROJECT_ROOT, 'schema', `${name}.graphql`), 'utf8'));
}

// Where it has always been imported from; it lives with the connections.
export { databaseName } from '../../platform/database';

export async function createSubgraphServer<TModels, TContext extends SubgraphContext>(
  definition: SubgraphDefinition<TModels, TContext>,
  options: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const logger = createLogger(definition.name, options.logLevel, options.logDestination);
  const metrics = new SubgraphMetrics(definition.name);
  const connection = await connectDatabase({
    uri: options.mongoUri,
    dbName: databaseName(options.dbPrefix, definition.name),
    // Command events are what database latency is measured from (and traced, when tracing is on).
    monitorCommands: true,
  });
  observeDatabase(connection, metrics);
  // The access store lives in the access subgraph's database, on the same client.
  const accessConnection = definition.name === 'access' ? connection : connection.useDb(databaseName(options.dbPrefix, 'access'), { useCache: true });
  // Before any index is created: a deployment behind its migrations is not served at all.
  try {
    await refuseIfBehind(accessConnection.db!);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const models = definition.registerModels(connection);
  const accessStore = new AccessStore(
    definition.name === 'access' ? (models as unknown as AccessStoreModels) : registerAccessStoreModels(accessConnection),
    auditMetrics(metrics),
  );
  // The activity rollups live in a monitoring database of their own, on the same client.
  const activityConnection = connection.useDb(activityDatabaseName(options.dbPrefix), { useCache: true });
  const activity = new ActivityStore(registerActivityStoreModels(activityConnection));
  await ensureIndexes(connection);
  if (accessConnection !== connection) await ensureIndexes(accessConnection);
  await ensureIndexes(activityConnection);

  const schema = applyPermissions(
    buildSubgraphSchema({ typeDefs: subgraphTypeDefs(definition.name), resolvers: definition.resolvers as GraphQLResolverMap<unknown> }),
    definition.permissions,
  );

  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: false,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      auditBeforeResponse(options.auditFailClosed),
      operationMetrics(metrics),
    ],
    formatError: (formatted, error) => {
      if (!isExpectedError(formatted)) logger.error({ error: errorDetails(error), path: formatted.path }, 'resolver error');
      return maskError(formatted);
    },
  });
  await apollo.start();

  const settings = {
    matching: options.matching ?? DEFAULT_MATCH_SETTINGS,
    policy: options.policy,
    chronicMaxDays: options.chronicMaxDays ?? 28,
    bookingHorizonDays: options.bookingHorizonDays ?? 14,
    slots: options.slots ?? DEFAULT_SLOT_SETTINGS,
  };
  const gate = new RequestGate(options.maxInFlight ?? Infinity);
  const handler = createHttpHandler<TContext, InternalClaims>({
    apollo,
    logger,
    maxBodyBytes: options.maxBodyBytes,
    gate,
    authenticate: (request) => {
      const token = bearerToken(request);
      const claims = token ? verifyInternalToken(token, definition.name, options.internalPublicKey) : null;
      if (!claims) throw new HttpError(401, 'UNAUTHENTICATED', 'A valid internal token is required', { 'www-authenticate': 'Bearer error="invalid_token"' });
      return claims;
    },
    context: ({ viewer, requestId, correlationId }) => {
      const access = new ResidentAccess(viewer, requestId, definition.name, accessStore, options.policy, correlationId ?? null);
      return definition.createContext(models, { viewer, requestId, access, activity, logger: logger.child({ requestId }), settings });
    },
    waitingFor: async () => ((await isReachable(connection)) ? [] : ['database']),
  });
  const scrapes = await listenForScrapes(metrics, options.metrics);
  const http = await listen(observedHandler(handler, metrics, { metricsOnPublicListener: options.metrics?.onPublicListener }), options.host, options.port);
  logger.info({ url: http.url, metricsUrl: scrapes?.url }, 'subgraph listening');

  // The metrics listener answers scrapes while the requests drain, and closes after them.
  const release = async () => {
    await apollo.stop();
    await connection.close();
    await scrapes?.close();
  };
  return {
    ...http,
    name: definition.name,
    connection,
    metricsUrl: scrapes?.url,
    stop: async () => {
      await http.close();
      await release();
    },
    drain: drainer({ server: http.server, gate, logger, release }),
  };
}

/** No audit, no data: the request's audit events are written before its response is sent. */
function auditBeforeResponse(failClosed: boolean): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (operation?.operation === 'mutation') contextValue.access.writing = true;
        },
        async willSendResponse({ contextValue, response }) {
          try {
            await contextValue.access.flush();
          } catch (error) {
            contextValue.logger.error({ error: errorDetails(error) }, 'audit write failed');
            if (failClosed && response.body.kind === 'single') {
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [
                { message: 'The audit log is unavailable; nothing was disclosed', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
              ];
            }
          }
        },
      };
    },
  };
}
