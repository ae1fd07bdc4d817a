/**
 * `npm run bench [-- quick|full]`: the whole exchange against plain Apollo Gateway, Hive
 * Gateway, a direct subgraph call, a single-process direct-database baseline and a static
 * ceiling, side by side over the same subgraphs and database, interleaved over rounds.
 *
 * Loopback only; stops by itself within the profile's time budget; writes
 * bench/results/latest.json and latest.md and prints the table. Runs against MONGODB_URI
 * when set (the city is seeded once per size and kept), else an embedded database in a
 * temporary folder, or in BENCH_DATA_DIR, where it is kept like MONGODB_URI's (a
 * 20,000-resident city is seeded once).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SUPERGRAPH_FILE } from '../bin/services';
import { DEFAULT_PORTS, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config';
import { connectDatabase } from '../platform/database';
import { databaseName } from '../subgraphs/runtime/subgraph-server';
import { issueDemoToken } from '../tools/demo-issuer';
import { parseEngine, startEmbeddedDatabase } from '../tools/embedded-database';
import { seedDemoCity } from '../tools/seed/seed';
import { readWorkloadFacts, recordsPerResident } from './city-facts';
import { type LoadOptions, PEERS_DIR, runLoad } from './load';
import { type BenchProcess, startProcess, usageOf, waitUntilAnswering } from './processes';
import { type BenchProfile, profileFrom } from './profiles';
import { type ContenderName, goalsOf, type Measurement, markdownOf, summarize } from './report';
import { type BenchRequest, RECORDS_PART, Workload } from './workload';

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const ISSUER = 'https://idp.bench.local';
const AUDIENCE = 'jinling-hie-bench';
const BENCH_SEED = 20261126;
/** BENCH_CPU_PROFILE=1: every Node process of ours writes a V8 CPU profile to bench/results/profiles on exit. */
const PROFILE_DIR = path.join(RESULTS_DIR, 'profiles');
const NODE_FLAGS = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const TSX = ['--import', 'tsx', ...NODE_FLAGS];

interface Contender {
  name: ContenderName;
  url: string;
  workload: string;
  /** The processes whose CPU is the contender's own. */
  processes: BenchProcess[];
  /** Whether the five subgraphs serve this contender's requests. */
  usesSubgraphs: boolean;
  next(workload: Workload): BenchRequest;
  headersFor(request: BenchRequest, workload: Workload): Record<string, string>;
  bodyFor?(request: BenchRequest): string;
}

async function main(): Promise<void> {
  const profile = profileFrom(process.argv[2], process.env);
  const started = Date.now();
  const deadline = started + profile.budgetMinutes * 60_000;
  const say = (line: string) => console.log(`[bench] ${line}`);
  ensurePeers(say);

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'jinling-bench-'));
  chmodSync(scratch, 0o755); // run by root, the embedded PostgreSQL runs as nobody, who must reach its folder inside
  const database = process.env.MONGODB_URI
    ? { uri: process.env.MONGODB_URI, engine: 'MongoDB at MONGODB_URI', pid: undefined, stop: async () => {} }
    : await startEmbeddedDatabase({
        dataDir: process.env.BENCH_DATA_DIR ? path.resolve(process.env.BENCH_DATA_DIR) : path.join(scratch, 'db'),
        engine: parseEngine(process.env.EMBEDDED_DB_ENGINE),
        log: say,
      });
  const processes: BenchProcess[] = [];
  const stopAll = async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await database.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    say(
      `profile ${profile.name}: ${profile.residents} residents, ${profile.rounds} rounds of about ${profile.durationSeconds} s per measurement, ${profile.connections} connections; database ${database.engine}`,
    );
    const prefix = `bench_${profile.residents}`;
    const seeding = Date.now();
    await seedDemoCity({ uri: database.uri, dbPrefix: prefix, residents: profile.residents, seed: BENCH_SEED, volume: profile.volume, log: say });
    const facts = await connectDatabase({ uri: database.uri, dbName: databaseName(prefix, 'records') });
    const city = await recordsPerResident(facts, prefix);
    const cityLine = `${city.residents} residents, ${city.total} records (median ${city.median} per resident, p99 ${city.p99}, max ${city.max}; ${city.heavy} with 1,000 or more)`;
    say(`city: ${cityLine}; ready in ${((Date.now() - seeding) / 1000).toFixed(0)} s`);

    const keys = writeKeys(scratch);
    const ports = await freePorts(SUBGRAPH_NAMES.length + 5);
    const subgraphPorts = Object.fromEntries(SUBGRAPH_NAMES.map((name, index) => [name, ports[index]!])) as Record<SubgraphName, number>;
    const [jinlingPort, apolloPort, hivePort, baselinePort, staticPort] = ports.slice(SUBGRAPH_NAMES.length) as [number, number, number, number, number];
    const subgraphUrl = (name: SubgraphName) => `http://127.0.0.1:${subgraphPorts[name]}/graphql`;
    const supergraphFile = path.join(scratch, 'supergraph.graphql');
    writeFileSync(
      supergraphFile,
      readFileSync(SUPERGRAPH_FILE, 'utf8').replace(/url: "http:\/\/127\.0\.0\.1:\d+\/graphql"/g, (match) => {
        const name = SUBGRAPH_NAMES.find((candidate) => match.includes(`:${DEFAULT_PORTS[candidate]}/`));
        return name ? `url: "${subgraphUrl(name)}"` : match;
      }),
    );

    const common = {
      MONGODB_URI: database.uri,
      MONGODB_DB_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      DATA_DIR: scratch,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_PUBLIC_KEY_FILE: keys.issuerPublicFile,
      INTERNAL_TOKEN_PRIVATE_KEY_FILE: keys.internalPrivateFile,
      INTERNAL_TOKEN_PUBLIC_KEY_FILE: keys.internalPublicFile,
      // The embedded engine scans collections: heavy residents take seconds there.
      SUBGRAPH_TIMEOUT_MS: '30000',
      ...Object.fromEntries(
        SUBGRAPH_NAMES.flatMap((name) => [
          [`${name.toUpperCase()}_PORT`, String(subgraphPorts[name])],
          [`${name.toUpperCase()}_URL`, subgraphUrl(name)],
        ]),
      ),
    };
    const start = (name: string, command: string, args: string[], env: Record<string, string> = {}) => {
      const child = startProcess(name, command, args, { ...common, ...env }, say);
      processes.push(child);
      return child;
    };
    const subgraphs = SUBGRAPH_NAMES.map((name) => start(name, process.execPath, [...TSX, path.join(__dirname, 'subgraph-process.ts'), name]));
    await Promise.all(SUBGRAPH_NAMES.map((name, index) => waitUntilAnswering(`http://127.0.0.1:${subgraphPorts[name]}/health`, subgraphs[index]!.child)));
    const jinling = start('jinling', process.execPath, [...TSX, path.join(ROOT, 'bin/service.ts'), 'gateway'], { GATEWAY_PORT: String(jinlingPort) });
    const apollo = start('apollo-gateway', process.execPath, [...NODE_FLAGS, path.join(__dirname, 'apollo-plain-gateway.mjs')], {
      PORT: String(apolloPort),
      SUPERGRAPH_FILE: supergraphFile,
    });
    const hive = start('hive-gateway', process.execPath, [
      path.join(PEERS_DIR, 'node_modules/@graphql-hive/gateway/dist/bin.js'),
      'supergraph',
      supergraphFile,
      '--fork',
      '2',
      '--host',
      '127.0.0.1',
      '--port',
      String(hivePort),
      '-c',
      path.join(PEERS_DIR, 'hive-gateway.config.mjs'),
    ]);
    const baseline = start('direct-db', process.execPath, [...TSX, path.join(__dirname, 'direct-baseline.ts')], { PORT: String(baselinePort) });
    const url = (port: number, route = '/graphql') => `http://127.0.0.1:${port}${route}`;
    await waitUntilAnswering(url(jinlingPort, '/health'), jinling.child);
    await waitUntilAnswering(url(apolloPort), apollo.child);
    await waitUntilAnswering(url(hivePort, '/healthcheck'), hive.child);
    await waitUntilAnswering(url(baselinePort, '/'), baseline.child);

    const ask = async (viewer: { organizationCode: string; practitionerId: string }, query: string, variables: Record<string, unknown>) => {
      const token = issueDemoToken(
        { subject: `bench-setup-${viewer.practitionerId}`, roles: ['family_doctor'], ...viewer },
        { privateKey: keys.issuer, issuer: ISSUER, audience: AUDIENCE },
      );
      const body = await postJson(url(jinlingPort), { authorization: `Bearer ${token}` }, JSON.stringify({ query, variables }));
      if (body.errors) throw new Error(body.errors[0].message);
      return body.data;
    };
    const workloadFacts = await readWorkloadFacts(facts, prefix, profile.bookings, ask, say);
    await facts.close();
    say(`workload: ${workloadFacts.records.length} residents to look up, ${workloadFacts.bookings.length} referrals prepared for booking`);
    const workload = new Workload(
      workloadFacts,
      { issuer: { privateKey: keys.issuer, issuer: ISSUER, audience: AUDIENCE }, internal: keys.internal },
      { seed: BENCH_SEED, poolSize: profile.poolSize },
    );

    const clientToken = (request: BenchRequest) => ({ authorization: `Bearer ${request.clientToken}` });
    const forwarded = (request: BenchRequest, load: Workload) => load.forwardedTokens(request.viewer);
    const mix = (load: Workload) => load.next();
    const fullRecordOnly = (load: Workload) => load.nextFullRecord();
    const contenders: Contender[] = [
      { name: 'jinling', url: url(jinlingPort), workload: 'mix', processes: [jinling], usesSubgraphs: true, next: mix, headersFor: clientToken },
      { name: 'apollo-gateway', url: url(apolloPort), workload: 'mix', processes: [apollo], usesSubgraphs: true, next: mix, headersFor: forwarded },
      { name: 'hive-gateway', url: url(hivePort), workload: 'mix', processes: [hive], usesSubgraphs: true, next: mix, headersFor: forwarded },
      {
        name: 'direct-subgraph',
        url: subgraphUrl('records'),
        workload: 'records part of the full record',
        processes: [],
        usesSubgraphs: true,
        next: fullRecordOnly,
        headersFor: (request, load) => ({ authorization: `Bearer ${load.internalToken(request.viewer, 'records')}` }),
        bodyFor: (request) => JSON.stringify({ query: RECORDS_PART, variables: { id: request.residentId } }),
      },
      {
        name: 'direct-db',
        url: url(baselinePort, '/'),
        workload: 'full record',
        processes: [baseline],
        usesSubgraphs: false,
        next: fullRecordOnly,
        headersFor: () => ({}),
      },
    ];

    // The ceiling serves the bytes of a real full-record answer.
    const sample = workload.nextFullRecord();
    const sampleBody = await postJson(url(jinlingPort), clientToken(sample), sample.body);
    writeFileSync(path.join(scratch, 'full-record.json'), JSON.stringify(sampleBody));
    const staticServer = start('static', process.execPath, [...TSX, path.join(__dirname, 'static-server.ts')], {
      PORT: String(staticPort),
      BODY_FILE: path.join(scratch, 'full-record.json'),
    });
    await waitUntilAnswering(url(staticPort, '/'), staticServer.child);
    contenders.push({
      name: 'static',
      url: url(staticPort, '/'),
      workload: 'full record bytes',
      processes: [staticServer],
      usesSubgraphs: false,
      next: fullRecordOnly,
      headersFor: () => ({}),
    });

    // BENCH_CONTENDERS=jinling,apollo-gateway measures only those (for profiling and A/B runs).
    const chosen = process.env.BENCH_CONTENDERS?.split(',');
    const measured = chosen ? contenders.filter((contender) => chosen.includes(contender.name)) : contenders;
    await checkSameAnswers(
      contenders.filter((contender) => contender.name === 'jinling' || measured.includes(contender)),
      workload,
      say,
    );
    const measurements: Measurement[] = [];
    for (let round = 1; round <= profile.rounds; round++) {
      // Interleaved: each round starts with a different contender, so drift (caches, compaction) spreads evenly.
      const order = measured.map((_, index) => measured[(index + round - 1) % measured.length]!);
      for (const contender of order) {
        if (Date.now() > deadline) {
          say(`time budget of ${profile.budgetMinutes} min reached: reporting what was measured`);
          break;
        }
        const measurement = await measure(contender, round, workload, profile, subgraphs, baseline, database.pid);
        measurements.push(measurement);
        for (const failure of [...measurement.throughput.failures, ...measurement.latency.failures].slice(0, 3)) say(`${contender.name} failed: ${failure}`);
        say(
          `round ${round} ${contender.name}: ${measurement.throughput.requestsPerSecond.toFixed(1)} req/s, p50 ${measurement.latency.p50.toFixed(0)} ms at half load, ${measurement.cpuMsPerRequest.toFixed(2)} CPU ms/request`,
        );
      }
    }

    const summaries = summarize(measurements);
    const goals = goalsOf(summaries);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
    const markdown = markdownOf(summaries, goals, {
      machine,
      engine: database.engine,
      city: cityLine,
      profile: profile.name,
      command: `npm run bench${profile.name === 'full' ? ' -- full' : ''}`,
      date: new Date().toISOString().slice(0, 10),
    });
    mkdirSync(RESULTS_DIR, { recursive: true });
    const databaseUsage = database.pid ? usageOf(database.pid) : null;
    writeFileSync(
      path.join(RESULTS_DIR, 'latest.json'),
      JSON.stringify({ profile, machine, engine: database.engine, city, issued: workload.issued, databaseUsage, measurements, summaries, goals }, null, 2),
    );
    writeFileSync(path.join(RESULTS_DIR, 'latest.md'), `${markdown}\n`);
    console.log(`\n${markdown}\n`);
    say(`requests issued by kind: ${JSON.stringify(workload.issued)}`);
    say(`done in ${((Date.now() - started) / 60_000).toFixed(1)} min; results in bench/results/latest.json and latest.md`);
  } finally {
    await stopAll();
  }
}

/**
 * A short warm-up that also estimates the rate; throughput at fixed concurrency for about the
 * profile's duration; latency at half that rate; then unloaded full-record latency. CPU and
 * counters are read around the two measured runs, whose requests are all waited for.
 */
async function measure(
  contender: Contender,
  round: number,
  workload: Workload,
  profile: BenchProfile,
  subgraphs: BenchProcess[],
  baseline: BenchProcess,
  databasePid: number | undefined,
): Promise<Measurement> {
  const load = (amount: number, rate?: number): LoadOptions => ({
    url: contender.url,
    connections: profile.connections,
    amount,
    ...(rate ? { rate } : {}),
    next: () => contender.next(workload),
    headersFor: (request) => contender.headersFor(request, workload),
    ...(contender.bodyFor ? { bodyFor: contender.bodyFor } : {}),
  });
  const cpu = (group: BenchProcess[]) => group.reduce((sum, child) => sum + usageOf(child.child.pid!).cpuMs, 0);
  const databaseCpu = () => (databasePid ? usageOf(databasePid).cpuMs : Number.NaN);
  const counted = async () => {
    let requests = 0;
    let commands = 0;
    let documents = 0;
    for (const child of [...subgraphs, baseline]) {
      const counters = await child.counters();
      if (child !== baseline) requests += counters?.requests ?? 0;
      commands += counters?.commands ?? 0;
      documents += counters?.documents ?? 0;
    }
    return { requests, commands, documents };
  };

  const warmUp = await runLoad(load(profile.connections * 2));
  const amount = Math.max(profile.connections * 4, Math.round(warmUp.requestsPerSecond * profile.durationSeconds));
  const before = { own: cpu(contender.processes), subgraphs: cpu(subgraphs), database: databaseCpu(), counters: await counted() };
  const throughput = await runLoad(load(amount));
  const halfRate = Math.max(1, throughput.requestsPerSecond / 2);
  const latencyAmount = Math.max(20, Math.round(halfRate * profile.durationSeconds));
  const latency = await runLoad(load(latencyAmount, Math.max(1, Math.round(halfRate))));
  const after = { own: cpu(contender.processes), subgraphs: cpu(subgraphs), database: databaseCpu(), counters: await counted() };
  const served = amount + latencyAmount;
  const fullRecordP50 =
    contender.workload === 'records part of the full record' || contender.name === 'static'
      ? null
      : await probeFullRecord(contender, workload, profile.probeRequests);

  return {
    contender: contender.name,
    round,
    workload: contender.workload,
    throughput,
    latency,
    fullRecordP50,
    cpuMsPerRequest: (after.own - before.own) / served,
    subgraphCpuMsPerRequest: contender.usesSubgraphs ? (after.subgraphs - before.subgraphs) / served : 0,
    databaseCpuMsPerRequest: (after.database - before.database) / served,
    peakRssMb: contender.processes.reduce((sum, child) => sum + usageOf(child.child.pid!).peakRssMb, 0),
    subgraphFetchesPerRequest: (after.counters.requests - before.counters.requests) / served,
    databaseRoundTripsPerRequest: (after.counters.commands - before.counters.commands) / served,
    documentsPerRequest: (after.counters.documents - before.counters.documents) / served,
  };
}

/** p50 of sequential full-record requests: the latency a doctor sees when the system is idle. */
async function probeFullRecord(contender: Contender, workload: Workload, count: number): Promise<number> {
  const timings: number[] = [];
  for (let index = 0; index < count; index++) {
    const request = workload.nextFullRecord();
    const startedAt = performance.now();
    await postJson(contender.url, contender.headersFor(request, workload), contender.bodyFor?.(request) ?? request.body);
    timings.push(performance.now() - startedAt);
  }
  timings.sort((a, b) => a - b);
  return timings[Math.floor(timings.length / 2)]!;
}

/** Before measuring: the gateways measured must give the same answers to the same requests as Jinling's, without errors. */
async function checkSameAnswers(contenders: Contender[], workload: Workload, say: (line: string) => void): Promise<void> {
  const gateways = contenders.filter((contender) => contender.workload === 'mix');
  const requests = [workload.nextFullRecord(), workload.nextFullRecord(), workload.nextPrescriptions(), workload.nextPrescriptions()];
  for (const request of requests) {
    const answers = await Promise.all(gateways.map((gateway) => postJson(gateway.url, gateway.headersFor(request, workload), request.body)));
    const [reference, ...others] = answers.map((answer) => JSON.stringify(answer));
    if (answers[0].errors) throw new Error(`The Jinling gateway answered a ${request.kind} request with an error: ${answers[0].errors[0].message}`);
    others.forEach((answer, index) => {
      if (answer !== reference)
        throw new Error(`${gateways[index + 1]!.name} answered a ${request.kind} request differently from the Jinling gateway: ${answer.slice(0, 300)}`);
    });
  }
  say(`checked: ${gateways.map((gateway) => gateway.name).join(', ')} give identical answers to ${requests.length} requests`);
}

async function postJson(url: string, headers: Record<string, string>, body: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return response.json();
}

/** Bench-only peers (Hive Gateway, autocannon) live in bench/peers, installed on first use. */
function ensurePeers(say: (line: string) => void): void {
  if (existsSync(path.join(PEERS_DIR, 'node_modules/autocannon')) && existsSync(path.join(PEERS_DIR, 'node_modules/@graphql-hive/gateway'))) return;
  say('installing the benchmark peers (Hive Gateway, autocannon) into bench/peers');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', PEERS_DIR], { stdio: 'inherit' });
}

function writeKeys(folder: string) {
  const issuer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const internal = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const write = (name: string, key: KeyObject, type: 'pkcs8' | 'spki') => {
    const file = path.join(folder, name);
    writeFileSync(file, key.export({ type, format: 'pem' }), { mode: 0o600 });
    return file;
  };
  return {
    issuer: issuer.privateKey,
    internal: internal.privateKey,
    issuerPublicFile: write('issuer-public.pem', issuer.publicKey, 'spki'),
    internalPrivateFile: write('internal-private.pem', internal.privateKey, 'pkcs8'),
    internalPublicFile: write('internal-public.pem', internal.publicKey, 'spki'),
  };
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve) => {
          const server = net.createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
