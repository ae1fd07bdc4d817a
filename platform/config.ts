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

/** A variable's line in docs/operations/configuration.md: what it means, and its default when the value alone would not say it. */
function docs(meaning: string, shownDefault?: string) {
  return shownDefault === undefined ? { description: meaning } : { description: meaning, shownDefault };
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').meta(docs('`production` turns introspection and the API console off.')),
  API_CONSOLE: bool
    .optional()
    .meta(docs('`true`/`false`: serve the API console (GraphiQL, from npm, nothing from a CDN) to browsers at `GET /graphql`.', 'on unless production')),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta(
      docs(
        'pino level; logs carry ids and codes, never personal data or tokens. They are JSON lines, shown as readable lines when `npm start` or a service runs at a terminal.',
      ),
    ),
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .meta(
      docs(
        'Address every service binds to, and where the gateway reaches the subgraphs by default (loopback for `0.0.0.0`/`::`); `npm start` probes and prints URLs at it.',
      ),
    ),
  DATA_DIR: z.string().min(1).default('data').meta(docs('Embedded database files, local key pairs, `demo.json`.')),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional()
    .meta(docs('MongoDB to use. When set, nothing is started or downloaded.', '(embedded)')),
  MONGODB_DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lowercase letters, digits and _')
    .default('jinling')
    .meta(
      docs(
        'Databases are `<prefix>_records`, `_labs`, `_prescriptions`, `_referrals`, `_access`, and `_monitoring` (the activity rollups every subgraph counts into).',
      ),
    ),
  EMBEDDED_DB_ENGINE: z
    .enum(['ferretdb-postgresql', 'ferretdb-sqlite', 'mongodb-memory-server'])
    .default('ferretdb-postgresql')
    .meta(
      docs(
        "The database started when `MONGODB_URI` is unset: `ferretdb-postgresql` (FerretDB 1.24.2 with the project's index patch on PostgreSQL 17 from npm); `ferretdb-sqlite` (FerretDB on SQLite: slow, it scans a collection for every filter but `_id`; kept for comparison); `mongodb-memory-server` (a real `mongod`; opt-in only, it downloads its binary from the internet).",
      ),
    ),
  GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway).meta(docs('Gateway port.')),
  RECORDS_PORT: port.default(DEFAULT_PORTS.records).meta(docs('Records subgraph port.')),
  LABS_PORT: port.default(DEFAULT_PORTS.labs).meta(docs('Labs subgraph port.')),
  PRESCRIPTIONS_PORT: port.default(DEFAULT_PORTS.prescriptions).meta(docs('Prescriptions subgraph port.')),
  REFERRALS_PORT: port.default(DEFAULT_PORTS.referrals).meta(docs('Referrals subgraph port.')),
  ACCESS_PORT: port.default(DEFAULT_PORTS.access).meta(docs('Access subgraph port.')),
  RECORDS_URL: z
    .url()
    .optional()
    .meta(docs('Where the gateway reaches the records subgraph (set when it runs elsewhere).', '`http://<HOST>:<RECORDS_PORT>/graphql`')),
  LABS_URL: z.url().optional().meta(docs('Where the gateway reaches the labs subgraph.', '`http://<HOST>:<LABS_PORT>/graphql`')),
  PRESCRIPTIONS_URL: z.url().optional().meta(docs('Where the gateway reaches the prescriptions subgraph.', '`http://<HOST>:<PRESCRIPTIONS_PORT>/graphql`')),
  REFERRALS_URL: z.url().optional().meta(docs('Where the gateway reaches the referrals subgraph.', '`http://<HOST>:<REFERRALS_PORT>/graphql`')),
  ACCESS_URL: z.url().optional().meta(docs('Where the gateway reaches the access subgraph.', '`http://<HOST>:<ACCESS_PORT>/graphql`')),
  SUBGRAPH_TIMEOUT_MS: positiveInt
    .default(2000)
    .meta(
      docs(
        "After this, a subgraph's part of a response is null with `SUBGRAPH_UNAVAILABLE`. `npm start` on the embedded database uses 10000 unless this is set.",
      ),
    ),
  GATEWAY_WORKERS: positiveInt
    .max(64)
    .default(1)
    .meta(docs('Gateway processes (node:cluster, sharing the port). A worker that dies stops the service; nothing restarts silently.')),
  SUBGRAPH_WORKERS: positiveInt.max(64).default(1).meta(docs('The same for each subgraph started with `bin/service.ts`.')),
  MAX_OPERATION_COST: z.coerce
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .optional()
    .meta(
      docs(
        'Most an operation may cost at the gateway (see [Operation limits](../graphql-api.md#operation-limits)); over it, a 400 that names the costliest lists.',
        '`8000`',
      ),
    ),
  ORGANIZATION_NAMES_REFRESH_MS: positiveInt
    .default(600_000)
    .meta(
      docs(
        "How often each subgraph reads the organization registry's names again (it names the organizations it refers to itself): a renamed organization is named anew within this time.",
      ),
    ),
  REQUEST_TIMEOUT_MS: positiveInt
    .default(30_000)
    .meta(
      docs(
        'How long a client may take to send a request whole, headers and body; past it the connection is dropped (408), so a stalled body holds none. A batch upload must arrive within it too: raise it for large batches over slow links.',
      ),
    ),
  MAX_REQUEST_BYTES: positiveInt.default(100_000).meta(docs('Largest request body accepted (413 above).')),
  UPLOAD_MAX_LINES: positiveInt.default(200_000).meta(docs('Most lines one batch upload may hold (413 past it; see [Uploading batches](../uploads.md)).')),
  UPLOAD_MAX_BYTES: positiveInt.default(64 * 1024 * 1024).meta(docs('Most bytes one batch upload may hold (64 MiB; 413 past it).')),
  UPLOAD_CHUNK_LINES: positiveInt
    .max(MAX_UPLOAD_ITEMS)
    .default(200)
    .meta(docs('Lines the gateway sends a subgraph per batch mutation (1-1,000; fewer when they would pass `MAX_REQUEST_BYTES`).')),
  UPLOAD_MAX_ERRORS: z.coerce.number().int().min(0).max(10_000).default(100).meta(docs("Rejected lines an upload's answer lists (all are counted).")),
  SHUTDOWN_DRAIN_MS: positiveInt
    .max(600_000)
    .default(25_000)
    .meta(
      docs(
        "On SIGTERM or Ctrl-C, how long a service lets its requests in flight finish before cutting them off (see [Graceful shutdown](resilience.md#graceful-shutdown)). 25 s fits Kubernetes' default 30 s grace period.",
      ),
    ),
  MAX_IN_FLIGHT: positiveInt
    .max(100_000)
    .default(1000)
    .meta(docs('Requests one service process works on at once; beyond, an immediate 503 `OVERLOADED` instead of a queue.')),
  RATE_LIMIT_PER_SUBJECT: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(0)
    .meta(docs('Gateway requests one token subject may make per minute (per gateway process); over it, 429 `RATE_LIMITED`.', '`0` (off)')),
  RATE_LIMIT_PER_ORGANIZATION: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .default(0)
    .meta(docs('The same for all subjects of one organization (`org` claim) together.', '`0` (off)')),
  RATE_LIMIT_BURST_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .meta(docs("How many seconds' worth of its rate a quiet caller may spend at once (the bucket size); `60` lets a minute's allowance go at once.")),
  JWT_ISSUER: z.string().min(1).default('https://idp.jinling-hie.local/demo').meta(docs('Required `iss` of client tokens.')),
  JWT_AUDIENCE: z.string().min(1).default('jinling-hie').meta(docs('Required `aud` of client tokens.')),
  JWT_ALGORITHM: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384']).default('RS256').meta(docs('The one algorithm client tokens may use.')),
  JWT_PUBLIC_KEY_FILE: z.string().min(1).optional().meta(docs('PEM public key of the identity provider.', "(demo issuer's key)")),
  JWT_JWKS_URL: z.url().optional().meta(docs('JWKS of the identity provider; keys are picked by `kid` and cached.')),
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(31 * 86_400)
    .default(43_200)
    .meta(docs('Longest a client token may live (`exp - iat`); tokens without `iat`, or with `iat` more than 30 s ahead, are refused. `0`: no limit.')),
  INTERNAL_TOKEN_PRIVATE_KEY_FILE: z.string().min(1).optional().meta(docs("Gateway's ES256 key for internal tokens.", '`DATA_DIR/keys/internal-private.pem`')),
  INTERNAL_TOKEN_PUBLIC_KEY_FILE: z.string().min(1).optional().meta(docs('Subgraphs verify internal tokens with it.', '`DATA_DIR/keys/internal-public.pem`')),
  CARE_RELATIONSHIP_WINDOW_DAYS: positiveInt
    .default(730)
    .meta(docs('How long after the latest visit it recorded an organization keeps the access its registration gave.')),
  REGISTRATION_WINDOW_DAYS: positiveInt.max(365).default(30).meta(docs('How long a registration gives an organization access when no visit follows there.')),
  REFERRAL_RELATIONSHIP_DAYS: positiveInt.max(3650).default(90).meta(docs('How long after a referral is completed the receiving organization keeps access.')),
  REFERRAL_OPEN_DAYS: positiveInt
    .max(3650)
    .default(180)
    .meta(docs('How long an accepted referral that is never completed lasts after its session or acceptance.')),
  DISPENSING_RELATIONSHIP_DAYS: positiveInt
    .max(365)
    .default(30)
    .meta(docs('How long a pharmacy keeps access after dispensing when it never completes the prescription.')),
  AUDIT_FAIL_CLOSED: bool.default(true).meta(docs('When the audit log cannot be written, disclose nothing.')),
  BREAK_GLASS_HOURS: z.coerce
    .number()
    .positive()
    .max(72)
    .default(4)
    .meta(docs('How long an emergency (break-the-glass) grant lasts; it ends by the clock, no job needed.')),
  BREAK_GLASS_OVERRIDES_CONSENT: bool
    .default(false)
    .meta(docs('Whether an emergency grant also opens categories a resident restricted and organizations they blocked.')),
  CHRONIC_MAX_DAYS: positiveInt.max(90).default(28).meta(docs('Most days of chronic medication one prescription may cover.')),
  CRITICAL_RESULT_ESCALATION_MINUTES: positiveInt
    .max(7 * 24 * 60)
    .default(30)
    .meta(
      docs(
        'How long a critical lab result may stay unacknowledged in the inbox it was pushed to before it escalates to every clinician of the recipient organization (1–10080 minutes); decided when the inbox is read, no job needed.',
      ),
    ),
  BOOKING_HORIZON_DAYS: positiveInt.max(60).default(14).meta(docs('How many days ahead family doctors may book referral slots.')),
  RESERVED_SHARE_PERCENT: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(DEFAULT_SLOT_SETTINGS.reservedSharePercent)
    .meta(
      docs(
        'The share of each slot pool a participating hospital publishes that is reserved for contracted family doctors, in whole percent (0–100), rounded up to whole places.',
      ),
    ),
  SLOT_RELEASE_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(14 * 24)
    .default(DEFAULT_SLOT_SETTINGS.releaseHoursBefore)
    .meta(docs('How many hours before a session its unused reserved places join the public share (0–336).')),
  MATCH_CERTAIN_THRESHOLD: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_MATCH_SETTINGS.certainThreshold)
    .meta(docs('Master patient index: a demographic match scoring at least this links automatically.')),
  MATCH_POSSIBLE_THRESHOLD: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_MATCH_SETTINGS.possibleThreshold)
    .meta(docs('A match scoring at least this (and below certain) creates a new record and opens a review.')),
  MATCH_MAX_CANDIDATES: positiveInt
    .max(10_000)
    .default(DEFAULT_MATCH_SETTINGS.maxCandidates)
    .meta(docs('The most residents the blocking step may hand to scoring for one registration.')),
  METRICS_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .meta(docs("Address of the metrics listener. Set it to an address your Prometheus reaches; the API's `HOST` is not used for it.")),
  METRICS_PORT: port
    .optional()
    .meta(
      docs(
        "Port of the service's Prometheus listener (`GET /metrics`); unset: no listener. `npm start` gives the gateway this port and each subgraph this plus its API port's offset (`9400`: gateway 9400, records 9401 … access 9405); `0`: a free port each (logged). See [Metrics and traces](observability.md).",
        '(off)',
      ),
    ),
  METRICS_ON_PUBLIC_LISTENER: bool
    .default(false)
    .meta(
      docs("`true`: also answer `GET /metrics` on the service's API port, with no protection of its own (only behind a proxy that keeps it from clients)."),
    ),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url()
    .optional()
    .meta(
      docs('OTLP/HTTP collector (e.g. `http://otel-collector:4318`); spans go to `<endpoint>/v1/traces`. Unset: no tracing at all, nothing sent.', '(off)'),
    ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional().meta(docs('The full traces URL, instead of `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`.', '(off)')),
});

/** Every environment variable the configuration reads, for checks of deployment manifests. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface VariableReference {
  variable: string;
  /** As the page shows it: the default value in code, or what the variable's docs say happens when it is unset. */
  shownDefault: string;
  meaning: string;
}

/** Every variable as docs/operations/configuration.md lists it, in the schema's order, from the schema's own docs. */
export function configurationReference(): VariableReference[] {
  return Object.entries(schema.shape).map(([variable, field]) => {
    const meta = z.globalRegistry.get(field) as { description?: string; shownDefault?: string } | undefined;
    if (!meta?.description) throw new Error(`${variable} has no description in the configuration schema`);
    const def = field._zod.def as { type: string; defaultValue?: unknown };
    const shownDefault = meta.shownDefault ?? (def.type === 'default' ? `\`${String(def.defaultValue)}\`` : '(unset)');
    return { variable, shownDefault, meaning: meta.description };
  });
}

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

/**
 * The configuration with some values set in code rather than read from the environment
 * (tests, benchmarks): the defaults of `env`, then `overrides`. A derived section
 * (`subgraphUrls`, `subgraphPorts`, `metrics` …) is not recomputed: override it directly.
 */
export function configWith(overrides: Partial<Config>, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig(env), ...overrides };
}
