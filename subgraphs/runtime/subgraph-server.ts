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
import type { InternalClaims } from '../../access-control/internal-token';
import { InternalTokenVerifier } from '../../access-control/internal-token-cache';
import type { PolicySettings } from '../../access-control/policy';
import { ResidentAccess } from '../../access-control/resident-access';
import { ActivityStore, activityDatabaseName, registerActivityStoreModels } from '../../monitoring/activity-store';
import type { Config, SubgraphName } from '../../platform/config';
import { connectDatabase, databaseName, ensureIndexes, isReachable } from '../../platform/database';
import { observeDatabase } from '../../platform/database-telemetry';
import { ApiError, isExpectedError, maskError } from '../../platform/errors';
import { bearerToken, createHttpHandler, listen, type RunningHttpService } from '../../platform/http-server';
import { observedHandler } from '../../platform/http-telemetry';
import { createLogger, type DestinationStream, errorDetails } from '../../platform/logger';
import { SubgraphMetrics } from '../../platform/metrics';
import { listenForScrapes } from '../../platform/metrics-endpoint';
import { refuseIfBehind } from '../../platform/migrations';
import { operationMetrics } from '../../platform/operation-metrics';
import { RequestGate } from '../../platform/request-gate';
import { type Drain, drainer } from '../../platform/shutdown';
import { OrganizationCatalogue } from './organization-catalogue';
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
  /** The validated configuration, whole: every setting the subgraph reads is a variable of it (docs/operations/configuration.md). */
  config: Config;
  /** MONGODB_URI, or the embedded database the caller started. */
  mongoUri: string;
  internalPublicKey: KeyObject;
  /** The clock internal tokens are checked by, in milliseconds since the epoch; Date.now unless a test fixes it. */
  clock?: () => number;
  /** Where logs go (stdout by default). */
  logDestination?: DestinationStream;
}

/** The policy's windows, as configured. */
export function policySettingsOf(config: Config): PolicySettings {
  return {
    encounterWindowDays: config.CARE_RELATIONSHIP_WINDOW_DAYS,
    registrationWindowDays: config.REGISTRATION_WINDOW_DAYS,
    referralWindowDays: config.REFERRAL_RELATIONSHIP_DAYS,
    referralOpenDays: config.REFERRAL_OPEN_DAYS,
    dispensingDays: config.DISPENSING_RELATIONSHIP_DAYS,
    breakGlassHours: config.BREAK_GLASS_HOURS,
    breakGlassOverridesConsent: config.BREAK_GLASS_OVERRIDES_CONSENT,
  };
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
  const { config } = options;
  const dbPrefix = config.MONGODB_DB_PREFIX;
  const logger = createLogger(definition.name, config.LOG_LEVEL, options.logDestination);
  const metrics = new SubgraphMetrics(definition.name);
  const connection = await connectDatabase({
    uri: options.mongoUri,
    dbName: databaseName(dbPrefix, definition.name),
    // Command events are what database latency is measured from (and traced, when tracing is on).
    monitorCommands: true,
  });
  observeDatabase(connection, metrics);
  // The access store lives in the access subgraph's database, on the same client.
  const accessConnection = definition.name === 'access' ? connection : connection.useDb(databaseName(dbPrefix, 'access'), { useCache: true });
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
  const activityConnection = connection.useDb(activityDatabaseName(dbPrefix), { useCache: true });
  const activity = new ActivityStore(registerActivityStoreModels(activityConnection));
  // The organization registry is records' reference data; the others read its names (organization-catalogue.ts).
  const registryConnection = definition.name === 'records' ? connection : connection.useDb(databaseName(dbPrefix, 'records'), { useCache: true });
  const organizationCatalogue = new OrganizationCatalogue(registryConnection, config.ORGANIZATION_NAMES_REFRESH_MS);
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
      auditBeforeResponse(config.AUDIT_FAIL_CLOSED),
      operationMetrics(metrics),
    ],
    formatError: (formatted, error) => {
      if (!isExpectedError(formatted, error)) logger.error({ error: errorDetails(error), path: formatted.path }, 'resolver error');
      return maskError(formatted, error);
    },
  });
  await apollo.start();

  const policy = policySettingsOf(config);
  const settings = {
    matching: config.matching,
    policy,
    chronicMaxDays: config.CHRONIC_MAX_DAYS,
    bookingHorizonDays: config.BOOKING_HORIZON_DAYS,
    slots: config.slots,
    criticalResultEscalationMinutes: config.CRITICAL_RESULT_ESCALATION_MINUTES,
  };
  const gate = new RequestGate(config.MAX_IN_FLIGHT);
  // A full record calls records several times with one token: its signature is checked once.
  const tokens = new InternalTokenVerifier(definition.name, options.internalPublicKey, options.clock, (outcome) =>
    metrics.internalTokenChecks.inc({ outcome }),
  );
  const handler = createHttpHandler<TContext, InternalClaims>({
    apollo,
    logger,
    maxBodyBytes: config.MAX_REQUEST_BYTES,
    gate,
    authenticate: (request) => {
      const token = bearerToken(request);
      const claims = token ? tokens.claimsOf(token) : null;
      if (!claims)
        throw new ApiError('UNAUTHENTICATED', 'A valid internal token is required', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
      return claims;
    },
    context: ({ viewer, requestId, correlationId }) => {
      const access = new ResidentAccess(viewer, requestId, definition.name, accessStore, policy, correlationId ?? null);
      return definition.createContext(models, {
        viewer,
        requestId,
        access,
        activity,
        logger: logger.child({ requestId }),
        settings,
        organizationCatalogue,
      });
    },
    waitingFor: async () => ((await isReachable(connection)) ? [] : ['database']),
  });
  const scrapes = await listenForScrapes(metrics, config.metrics);
  const http = await listen(
    observedHandler(handler, metrics, { metricsOnPublicListener: config.metrics.onPublicListener }),
    config.HOST,
    config.subgraphPorts[definition.name],
    config.REQUEST_TIMEOUT_MS,
  );
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
