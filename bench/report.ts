/**
 * Turns the rounds' measurements into one row per contender (the median of the rounds), the
 * goals of the performance brief as pass or fail, and the markdown docs/performance.md shows.
 */
import type { LoadResult } from './load';

export type ContenderName = 'jinling' | 'apollo-gateway' | 'hive-gateway' | 'direct-subgraph' | 'direct-db' | 'static';

export const CONTENDER_LABELS: Record<ContenderName, string> = {
  jinling: 'Jinling gateway, all security on',
  'apollo-gateway': 'plain @apollo/gateway, no auth',
  'hive-gateway': 'Hive Gateway, 2 workers',
  'direct-subgraph': 'records subgraph called directly',
  'direct-db': 'single process, straight from the database',
  static: 'static bytes (ceiling)',
};

/** What a contender's requests cost, per request. */
interface Costs {
  /** CPU ms per request of the contender's own processes (the gateway, its workers). */
  cpuMsPerRequest: number;
  /** CPU ms per request of the five subgraphs behind it. */
  subgraphCpuMsPerRequest: number;
  /** CPU ms per request of the database server, where the bench started it (NaN against MONGODB_URI). */
  databaseCpuMsPerRequest: number;
  peakRssMb: number;
  subgraphFetchesPerRequest: number;
  databaseRoundTripsPerRequest: number;
  /** Documents the database returned per request (cursor batches of finds and aggregates). */
  documentsPerRequest: number;
}

export interface Measurement extends Costs {
  contender: ContenderName;
  round: number;
  workload: string;
  throughput: LoadResult;
  latency: LoadResult;
  /** p50 of sequential full-record requests, unloaded; null where the contender serves something else. */
  fullRecordP50: number | null;
}

export interface Summary extends Costs {
  contender: ContenderName;
  workload: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  fullRecordP50: number | null;
  failed: number;
  requests: number;
}

export interface Goal {
  goal: string;
  ratio: number | null;
  target: string;
  holds: boolean | null;
}

const median = (values: number[]) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export function summarize(measurements: Measurement[]): Summary[] {
  const byContender = new Map<ContenderName, Measurement[]>();
  for (const measurement of measurements) byContender.set(measurement.contender, [...(byContender.get(measurement.contender) ?? []), measurement]);
  return [...byContender].map(([contender, rows]) => ({
    contender,
    workload: rows[0]!.workload,
    requestsPerSecond: median(rows.map((row) => row.throughput.requestsPerSecond)),
    p50: median(rows.map((row) => row.latency.p50)),
    p95: median(rows.map((row) => row.latency.p95)),
    p99: median(rows.map((row) => row.latency.p99)),
    fullRecordP50: rows[0]!.fullRecordP50 === null ? null : median(rows.map((row) => row.fullRecordP50!)),
    cpuMsPerRequest: median(rows.map((row) => row.cpuMsPerRequest)),
    subgraphCpuMsPerRequest: median(rows.map((row) => row.subgraphCpuMsPerRequest)),
    databaseCpuMsPerRequest: median(rows.map((row) => row.databaseCpuMsPerRequest)),
    peakRssMb: Math.max(...rows.map((row) => row.peakRssMb)),
    subgraphFetchesPerRequest: median(rows.map((row) => row.subgraphFetchesPerRequest)),
    databaseRoundTripsPerRequest: median(rows.map((row) => row.databaseRoundTripsPerRequest)),
    documentsPerRequest: median(rows.map((row) => row.documentsPerRequest)),
    failed: rows.reduce((sum, row) => sum + row.throughput.failed + row.latency.failed, 0),
    requests: rows.reduce((sum, row) => sum + row.throughput.requests + row.latency.requests, 0),
  }));
}

export function goalsOf(summaries: Summary[]): Goal[] {
  const of = (name: ContenderName) => summaries.find((summary) => summary.contender === name);
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 && Number.isFinite(a / b) ? a / b : null);
  const goal = (text: string, value: number | null, target: string, holds: (value: number) => boolean): Goal => ({
    goal: text,
    ratio: value,
    target,
    holds: value === null ? null : holds(value),
  });
  const jinling = of('jinling');
  return [
    goal(
      'gateway CPU per request, Jinling (all security) / plain @apollo/gateway',
      ratio(jinling?.cpuMsPerRequest, of('apollo-gateway')?.cpuMsPerRequest),
      '≤ 0.8 (stretch 0.65)',
      (value) => value <= 0.8,
    ),
    goal(
      'requests/s on the mix, Jinling / Hive Gateway (2 workers)',
      ratio(jinling?.requestsPerSecond, of('hive-gateway')?.requestsPerSecond),
      '≥ 1.0',
      (value) => value >= 1,
    ),
    goal(
      'full-record p50, Jinling / single-process direct-DB baseline',
      ratio(jinling?.fullRecordP50, of('direct-db')?.fullRecordP50),
      '≤ 1.5',
      (value) => value <= 1.5,
    ),
    goal('Jinling p99 / p50 at half the maximum load', ratio(jinling?.p99, jinling?.p50), '≤ 3', (value) => value <= 3),
    goal(
      'static ceiling requests/s / Jinling requests/s',
      ratio(of('static')?.requestsPerSecond, jinling?.requestsPerSecond),
      '≥ 20 (else the run is void)',
      (value) => value >= 20,
    ),
  ];
}

export function markdownOf(
  summaries: Summary[],
  goals: Goal[],
  context: { machine: string; engine: string; city: string; profile: string; command: string; date: string },
): string {
  const number = (value: number | null, digits = 1) => (value === null || !Number.isFinite(value) ? '–' : value.toFixed(digits));
  const lines = [
    `Run ${context.date} with \`${context.command}\` (profile ${context.profile}) on ${context.machine}; database: ${context.engine}; city: ${context.city}.`,
    '',
    '| contender | workload | requests/s | p50 ms | p95 ms | p99 ms | full-record p50 ms | CPU ms/request (contender) | CPU ms/request (subgraphs) | CPU ms/request (database) | peak memory MB | subgraph fetches/request | DB round trips/request | documents returned/request | failed / requests |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summaries.map(
      (row) =>
        `| ${CONTENDER_LABELS[row.contender]} | ${row.workload} | ${number(row.requestsPerSecond)} | ${number(row.p50, 0)} | ${number(row.p95, 0)} | ${number(row.p99, 0)} | ${number(row.fullRecordP50, 0)} | ${number(row.cpuMsPerRequest, 2)} | ${number(row.subgraphCpuMsPerRequest, 2)} | ${number(row.databaseCpuMsPerRequest, 1)} | ${number(row.peakRssMb, 0)} | ${number(row.subgraphFetchesPerRequest, 2)} | ${number(row.databaseRoundTripsPerRequest, 1)} | ${number(row.documentsPerRequest, 1)} | ${row.failed} / ${row.requests} |`,
    ),
    '',
    'Latency percentiles are at a fixed rate of half the contender’s measured maximum; requests/s is at fixed concurrency; each figure is the median of the rounds.',
    '',
    '| goal | measured | target | holds |',
    '| --- | ---: | --- | --- |',
    ...goals.map(
      (goal) => `| ${goal.goal} | ${number(goal.ratio, 2)} | ${goal.target} | ${goal.holds === null ? 'not measured' : goal.holds ? 'yes' : 'no'} |`,
    ),
  ];
  return lines.join('\n');
}
