/**
 * Configuration, read once from the environment and validated. Every variable is listed in
 * docs/operations/configuration.md; a bad value stops the process with a message naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';
import type { MetricsOptions } from './metrics-endpoint';

export const SUBGRAPH_NAMES = ['records', 'labs', 'prescriptions', 'referrals', 'access'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  records: 4001,
  labs: 4002,
  prescriptions: 4003,
  referrals: 4004,
  access: 4005,
};

/**
 * A service's metrics port under one shared METRICS_PORT (`npm start`): the gateway's is the
 * base, each subgraph's is offset like its API port (9400: gateway 9400, records 9401 ...
 * access 9405); 0 gives every service a free port.
 */
export function metricsPortOf(service: SubgraphName | 'gateway', base: number): number {
  return base === 0 ? 0 : base + DEFAULT_PORTS[service] - DEFAULT_PORTS.gateway;
}

/** Master patient index linkage thresholds (records subgraph). */
export interface MatchSettings {
  /** At or above: the same person, linked automatically. */
  certainThreshold: number;
  /** At or above (and below certain): a possible duplicate for a person to review. */
  possibleThreshold: number;
  /** The most candidates one registration may score; the blocking keys keep it far below. */
  maxCandidates: number;
}

export const DEFAULT_MATCH_SETTINGS: MatchSettings = { certainThreshold: 0.95, possibleThreshold: 0.6, maxCandidates: 200 };

/** How a participating hospital's published slot pools are split (referrals subgraph). */
export interface SlotSettings {
  /** The share of each pool reserved for contracted family doctors, in percent, rounded up to whole places. */
  reservedSharePercent: number;
  /** How many hours before the session unused reserved places join the public share. */
  releaseHoursBefore: number;
}

export const DEFAULT_SLOT_SETTINGS: SlotSettings = { reservedSharePercent: 30, releaseHoursBefore: 24 };

/** Items one batch mutation takes: the gateway sends fewer (its chunks are bounded by bytes too). */
export const MAX_UPLOAD_ITEMS = 1000;

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** The API console (GraphiQL) at GET /graphql for browsers; on unless NODE_ENV=production. */
  API_CONSOLE: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  MONGODB_DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lowercase letters, digits and _')
    .default('jinling'),
  EMBEDDED_DB_ENGINE: z.enum(['ferretdb-postgresql', 'ferretdb-sqlite', 'mongodb-memory-server']).default('ferretdb-postgresql'),
  GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway),
  RECORDS_PORT: port.default(DEFAULT_PORTS.records),
  LABS_PORT: port.default(DEFAULT_PORTS.labs),
  PRESCRIPTIONS_PORT: port.default(DEFAULT_PORTS.prescriptions),
  REFERRALS_PORT: port.default(DEFAULT_PORTS.referrals),
  ACCESS_PORT: port.default(DEFAULT_PORTS.access),
  RECORDS_URL: z.url().optional(),
  LABS_URL: z.url().optional(),
  PRESCRIPTIONS_URL: z.url().optional(),
  REFERRALS_URL: z.url().optional(),
  ACCESS_URL: z.url().optional(),
  SUBGRAPH_TIMEOUT_MS: positiveInt.default(2000),
  /** Processes per service (node:cluster, sharing the port); one per core is the ceiling worth trying. */
  GATEWAY_WORKERS: positiveInt.max(64).default(1),
  SUBGRAPH_WORKERS: positiveInt.max(64).default(1),
  /** Most an operation may cost at the gateway (lists counted by `first`); unset: the gateway's calibrated limit. */
  MAX_OPERATION_COST: z.coerce.number().int().min(100).max(1_000_000).optional(),
  MAX_REQUEST_BYTES: positiveInt.default(100_000),
  /** Batch uploads (gateway/uploads.ts): most lines and bytes one batch may hold (413 past either). */
  UPLOAD_MAX_LINES: positiveInt.default(200_000),
  UPLOAD_MAX_BYTES: positiveInt.default(64 * 1024 * 1024),
  /** Lines the gateway sends to a subgraph per batch mutation (fewer when they would pass MAX_REQUEST_BYTES). */
  UPLOAD_CHUNK_LINES: positiveInt.max(MAX_UPLOAD_ITEMS).default(200),
  /** How many rejected lines an upload's answer lists (each with line number, code and message). */
  UPLOAD_MAX_ERRORS: z.coerce.number().int().min(0).max(10_000).default(100),
  /**
   * How long a stopping service waits for the requests it is working on (SIGTERM, Ctrl-C).
   * 25 s fits inside Kubernetes' default terminationGracePeriodSeconds (30 s), leaving room
   * to close the database before the kubelet's SIGKILL.
   */
  SHUTDOWN_DRAIN_MS: positiveInt.max(600_000).default(25_000),
  /** Requests one service process works on at once; beyond, a quick 503 OVERLOADED instead of a queue. */
  MAX_IN_FLIGHT: positiveInt.max(100_000).default(1000),
  /** Gateway requests one token subject may make per minute; 0 (the default): no limit. */
  RATE_LIMIT_PER_SUBJECT: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Gateway requests one organization (all its subjects together) may make per minute; 0 (the default): no limit. */
  RATE_LIMIT_PER_ORGANIZATION: z.coerce.number().int().min(0).max(10_000_000).default(0),
  /** How many seconds' worth of its rate a quiet caller may spend at once (the bucket size). */
  RATE_LIMIT_BURST_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  JWT_ISSUER: z.string().min(1).default('https://idp.jinling-hie.local/demo'),
  JWT_AUDIENCE: z.string().min(1).default('jinling-hie'),
  JWT_ALGORITHM: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384']).default('RS256'),
  JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  JWT_JWKS_URL: z.url().optional(),
  /** The longest a client token may live (exp - iat), in seconds; 0 turns the limit (and the iat requirement) off. */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(31 * 86_400)
    .default(43_200),
  INTERNAL_TOKEN_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  INTERNAL_TOKEN_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  CARE_RELATIONSHIP_WINDOW_DAYS: positiveInt.default(730),
  /** How long a registration gives standing when no care (a visit) follows at the organization. */
  REGISTRATION_WINDOW_DAYS: positiveInt.max(365).default(30),
  REFERRAL_RELATIONSHIP_DAYS: positiveInt.max(3650).default(90),
  /** How long an accepted referral that is never completed lasts after its session or acceptance. */
  REFERRAL_OPEN_DAYS: positiveInt.max(3650).default(180),
  /** How long a pharmacy keeps standing after dispensing when it never completes the prescription. */
  DISPENSING_RELATIONSHIP_DAYS: positiveInt.max(365).default(30),
  AUDIT_FAIL_CLOSED: bool.default(true),
  BREAK_GLASS_HOURS: z.coerce.number().positive().max(72).default(4),
  BREAK_GLASS_OVERRIDES_CONSENT: bool.default(false),
  CHRONIC_MAX_DAYS: positiveInt.max(90).default(28),
  BOOKING_HORIZON_DAYS: positiveInt.max(60).default(14),
  RESERVED_SHARE_PERCENT: z.coerce.number().int().min(0).max(100).default(DEFAULT_SLOT_SETTINGS.reservedSharePercent),
  SLOT_RELEASE_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(14 * 24)
    .default(DEFAULT_SLOT_SETTINGS.releaseHoursBefore),
  MATCH_CERTAIN_THRESHOLD: z.coerce.number().min(0).max(1).default(DEFAULT_MATCH_SETTINGS.certainThreshold),
  MATCH_POSSIBLE_THRESHOLD: z.coerce.number().min(0).max(1).default(DEFAULT_MATCH_SETTINGS.possibleThreshold),
  MATCH_MAX_CANDIDATES: positiveInt.max(10_000).default(DEFAULT_MATCH_SETTINGS.maxCandidates),
  /** Prometheus metrics: a listener of their own, off unless METRICS_PORT is set (`npm start` gives each service METRICS_PORT + its offset). */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: port.optional(),
  /** Also answer GET /metrics on the public port: only behind something that keeps it from clients. */
  METRICS_ON_PUBLIC_LISTENER: bool.default(false),
  /** OTLP/HTTP collector for traces; unset: no tracing, nothing sent anywhere. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
});

/** Every environment variable the configuration reads, for checks of deployment manifests. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type Config = z.infer<typeof schema> & {
  subgraphUrls: Record<SubgraphName, string>;
  subgraphPorts: Record<SubgraphName, number>;
  keysDir: string;
  matching: MatchSettings;
  slots: SlotSettings;
  metrics: MetricsOptions;
};

/**
 * Where a service bound to `host` is reached on this machine: the address itself, or loopback
 * for a wildcard bind (0.0.0.0, ::), so a shared host never sends one stack's calls to another's.
 */
export function serviceUrl(host: string, port: number, pathname: string): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}${pathname}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  if (values.MATCH_POSSIBLE_THRESHOLD > values.MATCH_CERTAIN_THRESHOLD) {
    throw new Error('Invalid configuration:\n  MATCH_POSSIBLE_THRESHOLD: must not exceed MATCH_CERTAIN_THRESHOLD');
  }
  const subgraphPorts = {
    records: values.RECORDS_PORT,
    labs: values.LABS_PORT,
    prescriptions: values.PRESCRIPTIONS_PORT,
    referrals: values.REFERRALS_PORT,
    access: values.ACCESS_PORT,
  };
  const configuredUrl = (name: SubgraphName) => values[`${name.toUpperCase()}_URL` as `${Uppercase<SubgraphName>}_URL`];
  // Port 0 (any free port) leaves the gateway no way to find the subgraph unless told where it is.
  const unreachable = SUBGRAPH_NAMES.filter((name) => subgraphPorts[name] === 0 && !configuredUrl(name));
  if (unreachable.length > 0) {
    throw new Error(
      `Invalid configuration:\n${unreachable.map((name) => `  ${name.toUpperCase()}_PORT: 0 (any free port) needs ${name.toUpperCase()}_URL, or the gateway cannot reach ${name}`).join('\n')}`,
    );
  }
  const urlFor = (name: SubgraphName) => configuredUrl(name) ?? serviceUrl(values.HOST, subgraphPorts[name], '/graphql');
  return {
    ...values,
    subgraphPorts,
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, urlFor(name)])) as Record<SubgraphName, string>,
    keysDir: path.resolve(values.DATA_DIR, 'keys'),
    matching: {
      certainThreshold: values.MATCH_CERTAIN_THRESHOLD,
      possibleThreshold: values.MATCH_POSSIBLE_THRESHOLD,
      maxCandidates: values.MATCH_MAX_CANDIDATES,
    },
    slots: { reservedSharePercent: values.RESERVED_SHARE_PERCENT, releaseHoursBefore: values.SLOT_RELEASE_HOURS },
    metrics: { host: values.METRICS_HOST, port: values.METRICS_PORT, onPublicListener: values.METRICS_ON_PUBLIC_LISTENER },
  };
}
