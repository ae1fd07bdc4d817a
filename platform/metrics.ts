/**
 * Prometheus metrics of one service (the gateway or a subgraph), in a registry of its own so
 * that services sharing a process (the test stack) still report apart. Labels carry names and
 * codes from fixed vocabularies only: never a resident id, a subject or anything a client
 * typed, except operation names, which are bounded (operationLabel).
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Scrape } from './metrics-endpoint';

/** Seconds: from a fast cached read to past the default subgraph timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Database commands are faster than whole requests. */
const DATABASE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The most distinct operation names one service reports; later ones are counted as "other". */
export const MAX_OPERATION_LABELS = 100;
const MAX_OPERATION_NAME_LENGTH = 64;
const GRAPHQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Six digits in a row, or a long hex run, may be an ID number or a resident id: never a label. */
const LOOKS_LIKE_AN_ID = /\d{6}|[0-9a-f]{16}/i;
const ERROR_CODE = /^[A-Z][A-Z_]{0,39}$/;

/** A client's operation name as it may be reported (metrics, spans): cut to 64 characters, or "other". */
export function safeOperationName(name: string): string {
  const cut = name.slice(0, MAX_OPERATION_NAME_LENGTH);
  return GRAPHQL_NAME.test(cut) && !LOOKS_LIKE_AN_ID.test(cut) ? cut : 'other';
}

export class ServiceMetrics implements Scrape {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();

  readonly httpRequests: Counter<'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly graphqlRequests: Counter<'operation' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation'>;
  readonly graphqlErrors: Counter<'operation' | 'code'>;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    // Event-loop lag, heap and RSS, GC, handles: prom-client's standard process metrics.
    collectDefaultMetrics({ register: this.registry, prefix: 'jinling_' });
    this.httpRequests = this.counter('jinling_http_requests_total', 'HTTP requests answered, by route and status code', ['route', 'status']);
    this.httpDuration = this.histogram('jinling_http_request_duration_seconds', 'Time to answer an HTTP request, by route', ['route'], LATENCY_BUCKETS);
    this.graphqlRequests = this.counter('jinling_graphql_requests_total', 'GraphQL operations, by operation name and outcome (ok, error)', [
      'operation',
      'outcome',
    ]);
    this.graphqlDuration = this.histogram(
      'jinling_graphql_request_duration_seconds',
      'Time to answer a GraphQL operation, by operation name',
      ['operation'],
      LATENCY_BUCKETS,
    );
    this.graphqlErrors = this.counter('jinling_graphql_errors_total', 'Errors in GraphQL responses, by operation name and error code', ['operation', 'code']);
    if (cluster.isWorker) {
      // A cluster worker (one service per process) answers its primary's scrapes with this
      // registry; prom-client installs that answering when an AggregatorRegistry is made.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Operation names are chosen by clients: only GraphQL names without anything id-like, cut
   * to 64 characters, and at most MAX_OPERATION_LABELS of them become labels.
   */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    const cut = safeOperationName(name);
    if (cut === 'other' || this.operations.has(cut)) return cut;
    if (this.operations.size >= MAX_OPERATION_LABELS) return 'other';
    this.operations.add(cut);
    return cut;
  }

  /** Error codes come from the error vocabulary and Apollo's own; anything else is "OTHER". */
  static errorCodeLabel(code: unknown): string {
    return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER';
  }

  protected counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  protected histogram<L extends string>(name: string, help: string, labelNames: L[], buckets = LATENCY_BUCKETS): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}

/** What a subgraph counts beyond requests: its database commands and its audit log. */
export class SubgraphMetrics extends ServiceMetrics {
  readonly databaseCommands = this.histogram(
    'jinling_database_command_duration_seconds',
    'Database command round trips, by command and outcome (ok, error)',
    ['command', 'outcome'],
    DATABASE_BUCKETS,
  );
  readonly auditEvents = this.counter(
    'jinling_audit_events_written_total',
    'Audit events written, by action (read, write) and outcome (allowed, denied, omitted)',
    ['action', 'outcome'],
  );
  readonly auditFailures = this.counter(
    'jinling_audit_write_failures_total',
    'Audit events that could not be written (the response then discloses nothing when AUDIT_FAIL_CLOSED)',
  );
  readonly consentOmissions = this.counter(
    'jinling_consent_omissions_total',
    'Disclosures from which items were left out because the resident restricted them (audit outcome omitted)',
  );
  readonly breakGlassGrants = this.counter('jinling_break_glass_grants_total', 'Emergency (break-the-glass) grants allowed');
  readonly auditAlerts = this.counter('jinling_audit_alerts_total', 'Audit events raised as security alerts (every disclosure under an emergency grant)');
  readonly internalTokenChecks = this.counter(
    'jinling_internal_token_checks_total',
    'Internal tokens checked, by outcome (verified: signature checked; cached: verified before and not yet expired; refused)',
    ['outcome'],
  );
}

/** What the gateway counts beyond requests: its calls to subgraphs and the client tokens it refuses. */
export class GatewayMetrics extends ServiceMetrics {
  readonly subgraphFetches = this.counter('jinling_subgraph_fetches_total', 'Gateway calls to subgraphs, by subgraph and outcome (ok, error, timeout)', [
    'subgraph',
    'outcome',
  ]);
  readonly subgraphDuration = this.histogram('jinling_subgraph_fetch_duration_seconds', 'Time of a gateway call to a subgraph, by subgraph', ['subgraph']);
  readonly subgraphTimeouts = this.counter('jinling_subgraph_timeouts_total', 'Gateway calls to subgraphs given up after SUBGRAPH_TIMEOUT_MS, by subgraph', [
    'subgraph',
  ]);
  readonly internalTokensSigned = this.counter('jinling_internal_tokens_signed_total', 'Internal tokens signed (ES256), by subgraph', ['subgraph']);
  readonly tokenRefusals = this.counter(
    'jinling_client_token_refusals_total',
    'Client requests refused with 401, by reason (missing, or why the JWT was refused)',
    ['reason'],
  );
}
