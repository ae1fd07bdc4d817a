/**
 * The whole exchange in the test process: the five real subgraphs and the real gateway on
 * free loopback ports, against the suite's database, in databases of their own. Requests go
 * over HTTP like a client's; tokens are signed by an in-memory demo issuer.
 */
import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Connection } from 'mongoose';
import { SUPERGRAPH_FILE } from '../../bin/services';
import { jwksKeys, staticKey } from '../../gateway/client-auth';
import { createGatewayServer, type RunningGateway } from '../../gateway/gateway-server';
import { activityDatabaseName } from '../../monitoring/activity-store';
import { type Config, configWith, SUBGRAPH_NAMES, type SubgraphName } from '../../platform/config';
import { type CommandEvent, connectDatabase, onDatabaseCommand } from '../../platform/database';
import { migrateDeployment } from '../../platform/migrations';
import { SUBGRAPHS } from '../../subgraphs';
import { createSubgraphServer, databaseName, type RunningSubgraph } from '../../subgraphs/runtime/subgraph-server';
import { type DemoIdentity, issueDemoToken } from '../../tools/demo-issuer';
import { SHARD_PLAN } from '../../tools/shard-plan';
import { modelsOf } from './fixtures';
import { indexesByCollection, uncoveredQueries } from './index-coverage';
import { untargetedQueries } from './shard-targeting';
import { TEST_SUBGRAPH_TIMEOUT_MS } from './timing';

export const TEST_ISSUER = 'https://idp.test.local';
export const TEST_AUDIENCE = 'jinling-hie-test';

export interface StackOptions {
  /** Point a subgraph somewhere else (a hung server, say) instead of the real one. */
  subgraphUrlOverrides?: Partial<Record<SubgraphName, string>>;
  /** Check at stop that an index serves every query the subgraphs sent (default); off for long fuzz runs, which would hold every command. */
  checkQueries?: boolean;
  /** Timeouts of some subgraphs (a hung one, say); the others get TEST_SUBGRAPH_TIMEOUT_MS. */
  subgraphTimeoutMs?: Partial<Record<SubgraphName, number>>;
  /** Verify client tokens against this JWKS URL instead of the in-memory issuer's key. */
  jwksUrl?: string;
  /**
   * Settings of the gateway other than the defaults, as the variables name them
   * (MAX_OPERATION_COST, UPLOAD_MAX_LINES, MAX_IN_FLIGHT, RATE_LIMIT_*, NODE_ENV=production …).
   */
  gatewayConfig?: Partial<Config>;
  /** Settings of every service, the gateway and the subgraphs (REQUEST_TIMEOUT_MS …). */
  serviceConfig?: Partial<Config>;
  /** The clock of the gateway (rate limits, internal tokens) and of the subgraphs' token checks, fixed by a test. */
  clock?: () => number;
  /** Collect every service's log lines here (at info level) instead of discarding them. */
  logLines?: string[];
  /** Give every service a metrics listener on a free loopback port (its metricsUrl). */
  metrics?: boolean;
}

/** What every service of a test deployment shares: its databases, free loopback ports, the test issuer, quiet logs; then `overrides`. */
export function testConfig(dbPrefix: string, overrides: Partial<Config> = {}): Config {
  return configWith({
    MONGODB_DB_PREFIX: dbPrefix,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    SUBGRAPH_TIMEOUT_MS: TEST_SUBGRAPH_TIMEOUT_MS,
    GATEWAY_PORT: 0,
    subgraphPorts: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, 0])) as Record<SubgraphName, number>,
    ...overrides,
  });
}

export interface GraphQLResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] };
  text: string;
}

export class TestStack {
  /** Every command the subgraphs sent (not the tests' own fixture queries): checked against the indexes at stop. */
  private readonly sent: CommandEvent[] = [];
  private readonly stopCollecting: () => void;

  private constructor(
    readonly uri: string,
    readonly dbPrefix: string,
    readonly subgraphs: Record<SubgraphName, RunningSubgraph>,
    readonly gateway: RunningGateway,
    readonly keys: { issuer: { privateKey: KeyObject; publicKey: KeyObject }; internal: { privateKey: KeyObject; publicKey: KeyObject } },
    private readonly fixtures: Connection,
    checkQueries: boolean,
  ) {
    this.stopCollecting = checkQueries
      ? onDatabaseCommand((event) => {
          if (event.databaseName.startsWith(`${dbPrefix}_`)) this.sent.push(event);
        })
      : () => {};
  }

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error('MONGODB_URI is not set: the global test setup did not run');
    const dbPrefix = `t${randomBytes(5).toString('hex')}`;
    const keys = {
      issuer: generateKeyPairSync('rsa', { modulusLength: 2048 }),
      internal: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    };
    const logDestination = options.logLines ? { write: (line: string) => void options.logLines!.push(line) } : undefined;
    const config = testConfig(dbPrefix, {
      LOG_LEVEL: options.logLines ? 'info' : 'silent',
      // Read once per stack: a test's round-trip counts do not depend on how long the machine took.
      ORGANIZATION_NAMES_REFRESH_MS: 24 * 3_600_000,
      ...(options.metrics ? { metrics: { host: '127.0.0.1', port: 0, onPublicListener: false } } : {}),
      ...options.serviceConfig,
    });
    // The databases start empty, at the current schema version.
    await migrateDeployment(uri, dbPrefix);
    const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
    for (const name of SUBGRAPH_NAMES) {
      subgraphs[name] = await createSubgraphServer(SUBGRAPHS[name], {
        config,
        mongoUri: uri,
        internalPublicKey: keys.internal.publicKey,
        clock: options.clock,
        logDestination,
      });
    }
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, options.subgraphUrlOverrides?.[name] ?? subgraphs[name].url]));
    const gateway = await createGatewayServer({
      config: { ...config, subgraphUrls: urls as Record<SubgraphName, string>, ...options.gatewayConfig },
      supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
      clientTokenKeys: options.jwksUrl ? jwksKeys(options.jwksUrl) : staticKey(keys.issuer.publicKey),
      internalPrivateKey: keys.internal.privateKey,
      subgraphTimeoutOverridesMs: options.subgraphTimeoutMs,
      clock: options.clock,
      logDestination,
    });
    // Fixtures and checks use a connection of their own, so the index check sees only what the subgraphs sent.
    const fixtures = await connectDatabase({ uri, dbName: databaseName(dbPrefix, 'records') });
    return new TestStack(uri, dbPrefix, subgraphs, gateway, keys, fixtures, options.checkQueries ?? true);
  }

  token(identity: DemoIdentity, ttlSeconds = 300): string {
    return issueDemoToken(identity, { privateKey: this.keys.issuer.privateKey, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds });
  }

  /** The connection of the shared monitoring database (activity rollups), for fixtures and checks. */
  monitoringConnection() {
    return this.fixtures.useDb(activityDatabaseName(this.dbPrefix), { useCache: true });
  }

  /** The connection of a subgraph's own database (for fixtures and checks). */
  connection(name: SubgraphName) {
    return this.fixtures.useDb(databaseName(this.dbPrefix, name), { useCache: true });
  }

  async query(token: string | null, query: string, variables?: Record<string, unknown>, url = this.gateway.url): Promise<GraphQLResponse> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text), text };
  }

  /** Runs `action` and returns the database commands this stack's subgraphs sent meanwhile. */
  async commandsDuring(action: () => Promise<unknown>): Promise<CommandEvent[]> {
    const seen: CommandEvent[] = [];
    const stopListening = onDatabaseCommand((event) => {
      if (event.databaseName.startsWith(`${this.dbPrefix}_`)) seen.push(event);
    });
    try {
      await action();
    } finally {
      stopListening();
    }
    return seen;
  }

  /** Runs `action` and returns the subgraph of every HTTP request a subgraph server received meanwhile. */
  async subgraphRequestsDuring(action: () => Promise<unknown>): Promise<SubgraphName[]> {
    const seen: SubgraphName[] = [];
    const listeners = SUBGRAPH_NAMES.map((name) => [this.subgraphs[name].server, () => void seen.push(name)] as const);
    for (const [server, listener] of listeners) server.on('request', listener);
    try {
      await action();
    } finally {
      for (const [server, listener] of listeners) server.off('request', listener);
    }
    return seen;
  }

  /**
   * Stops everything, then fails if any filter a subgraph sent during the test file is not
   * served by an index declared on its model (engine-free: the embedded engine scans anyway),
   * or would be sent to every shard under the shard plan without being listed there.
   */
  async stop(): Promise<void> {
    this.stopCollecting();
    await this.gateway.stop();
    for (const name of SUBGRAPH_NAMES) {
      if (!process.env.JINLING_TEST_EMBEDDED) await this.connection(name).dropDatabase();
    }
    if (!process.env.JINLING_TEST_EMBEDDED) await this.monitoringConnection().dropDatabase();
    for (const subgraph of Object.values(this.subgraphs)) await subgraph.stop();
    const uncovered = uncoveredQueries(this.sent, indexesByCollection(allModels(this)));
    const untargeted = untargetedQueries(this.sent, SHARD_PLAN, this.dbPrefix);
    await this.fixtures.close();
    if (uncovered.length > 0) throw new Error(`Queries no declared index serves:\n${[...new Set(uncovered)].join('\n')}`);
    if (untargeted.length > 0) throw new Error(`Queries that do not fit the shard plan (tools/shard-plan.ts):\n${untargeted.join('\n')}`);
  }

  /** How many commands the subgraphs sent during this stack's life. */
  get commandsSent(): readonly CommandEvent[] {
    return this.sent;
  }
}

function allModels(stack: TestStack) {
  const models = modelsOf(stack);
  return Object.values(models).flatMap((group) => Object.values(group));
}
