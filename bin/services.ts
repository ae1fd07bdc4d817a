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
import { keyFiles, readKey } from './keys';

export const SUPERGRAPH_FILE = path.resolve(__dirname, '../schema/supergraph.graphql');

export function startSubgraph(name: SubgraphName, config: Config, mongoUri: string) {
  // Required here rather than imported at the top: only subgraph processes need mongoose and the models.
  const { SUBGRAPHS } = require('../subgraphs') as typeof import('../subgraphs');
  const { createSubgraphServer } = require('../subgraphs/runtime/subgraph-server') as typeof import('../subgraphs/runtime/subgraph-server');
  return createSubgraphServer(SUBGRAPHS[name], {
    config: forThisProcess(config),
    mongoUri,
    internalPublicKey: toPublicKey(readKey(keyFiles(config).internalPublicKey)),
  });
}

export function startGateway(config: Config) {
  const files = keyFiles(config);
  return createGatewayServer({
    config: forThisProcess(config),
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    clientTokenKeys: config.JWT_JWKS_URL ? jwksKeys(config.JWT_JWKS_URL) : staticKey(toPublicKey(readKey(files.issuerPublicKey))),
    internalPrivateKey: toPrivateKey(readKey(files.internalPrivateKey)),
  });
}

/** A cluster worker opens no metrics listener: the primary answers for all of them (clusterScrape). */
function forThisProcess(config: Config): Config {
  return cluster.isWorker ? { ...config, metrics: { ...config.metrics, port: undefined } } : config;
}
