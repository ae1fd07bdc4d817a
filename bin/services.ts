/**
 * Starts one service (a subgraph or the gateway) from the validated configuration. The
 * subgraphs' code (mongoose, models, schemas) is loaded only by subgraph processes, so the
 * gateway process stays small.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toPrivateKey, toPublicKey } from '../access-control/internal-token';
import { jwksKeys, staticKey } from '../gateway/client-auth';
import { createGatewayServer } from '../gateway/gateway-server';
import type { Config, SubgraphName } from '../platform/config';
import type { SubgraphServerOptions } from '../subgraphs/runtime/subgraph-server';
import { keyFiles, readKey } from './keys';

export const SUPERGRAPH_FILE = path.resolve(__dirname, '../schema/supergraph.graphql');

export function startSubgraph(name: SubgraphName, config: Config, mongoUri: string, overrides: Partial<SubgraphServerOptions> = {}) {
  // Required here rather than imported at the top: only subgraph processes need mongoose and the models.
  const { SUBGRAPHS } = require('../subgraphs') as typeof import('../subgraphs');
  const { createSubgraphServer } = require('../subgraphs/runtime/subgraph-server') as typeof import('../subgraphs/runtime/subgraph-server');
  return createSubgraphServer(SUBGRAPHS[name], {
    mongoUri,
    dbPrefix: config.MONGODB_DB_PREFIX,
    host: config.HOST,
    port: config.subgraphPorts[name],
    internalPublicKey: toPublicKey(readKey(keyFiles(config).internalPublicKey)),
    policy: {
      encounterWindowDays: config.CARE_RELATIONSHIP_WINDOW_DAYS,
      registrationWindowDays: config.REGISTRATION_WINDOW_DAYS,
      referralWindowDays: config.REFERRAL_RELATIONSHIP_DAYS,
      referralOpenDays: config.REFERRAL_OPEN_DAYS,
      dispensingDays: config.DISPENSING_RELATIONSHIP_DAYS,
      breakGlassHours: config.BREAK_GLASS_HOURS,
      breakGlassOverridesConsent: config.BREAK_GLASS_OVERRIDES_CONSENT,
    },
    matching: config.matching,
    chronicMaxDays: config.CHRONIC_MAX_DAYS,
    bookingHorizonDays: config.BOOKING_HORIZON_DAYS,
    slots: config.slots,
    auditFailClosed: config.AUDIT_FAIL_CLOSED,
    maxBodyBytes: config.MAX_REQUEST_BYTES,
    maxInFlight: config.MAX_IN_FLIGHT,
    logLevel: config.LOG_LEVEL,
    metrics: workerMetrics(config),
    ...overrides,
  });
}

export function startGateway(config: Config) {
  const files = keyFiles(config);
  return createGatewayServer({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    clientTokens: {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      algorithm: config.JWT_ALGORITHM,
      maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
      keys: config.JWT_JWKS_URL ? jwksKeys(config.JWT_JWKS_URL) : staticKey(toPublicKey(readKey(files.issuerPublicKey))),
    },
    internalPrivateKey: toPrivateKey(readKey(files.internalPrivateKey)),
    subgraphTimeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    maxBodyBytes: config.MAX_REQUEST_BYTES,
    maxOperationCost: config.MAX_OPERATION_COST,
    uploads: {
      maxLines: config.UPLOAD_MAX_LINES,
      maxBytes: config.UPLOAD_MAX_BYTES,
      chunkLines: config.UPLOAD_CHUNK_LINES,
      maxErrors: config.UPLOAD_MAX_ERRORS,
    },
    introspection: config.NODE_ENV !== 'production',
    apiConsole: config.API_CONSOLE ?? config.NODE_ENV !== 'production',
    host: config.HOST,
    port: config.GATEWAY_PORT,
    maxInFlight: config.MAX_IN_FLIGHT,
    rateLimits: {
      perSubject: config.RATE_LIMIT_PER_SUBJECT,
      perOrganization: config.RATE_LIMIT_PER_ORGANIZATION,
      burstSeconds: config.RATE_LIMIT_BURST_SECONDS,
    },
    logLevel: config.LOG_LEVEL,
    metrics: workerMetrics(config),
  });
}

/** A cluster worker opens no metrics listener: the primary answers for all of them (clusterScrape). */
function workerMetrics(config: Config): Config['metrics'] {
  return cluster.isWorker ? { ...config.metrics, port: undefined } : config.metrics;
}
