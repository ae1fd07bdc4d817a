/**
 * `npm start`: the whole exchange on one machine. Starts the database (embedded unless
 * MONGODB_URI), applies its pending migrations and seeds the demo city into an empty one
 * (tools/seed/seed.ts), runs each subgraph and the gateway as its own process with prefixed logs, and stops everything on Ctrl-C or SIGTERM: the gateway
 * drains first (its requests in flight still need the subgraphs), then the subgraphs drain,
 * then the database stops. A service that dies is reported and takes the others down with
 * it: nothing is restarted silently.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';
import { ensureLocalKeys } from '../bin/keys';
import { loadConfig, metricsPortOf, SUBGRAPH_NAMES, serviceUrl } from '../platform/config';
import { databaseFor } from './database-for';
import { seedDemoCity } from './seed/seed';
import { stopChild } from './stop-child';

const SERVICE_ENTRY = path.join(__dirname, '..', 'bin', 'service.ts');
const READY_TIMEOUT_MS = 180_000;
const EMBEDDED_SUBGRAPH_TIMEOUT_MS = 10_000;
/** How long past its own drain bound a service gets to close its database and exit before it is killed. */
const STOP_MARGIN_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const say = (line: string) => console.log(`[start] ${line}`);
  if (config.GATEWAY_PORT === 0) throw new Error('GATEWAY_PORT: npm start needs a fixed port for the gateway, to print its address and wait until it is ready');
  ensureLocalKeys(config);
  const database = await databaseFor(config, say);
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping');
    const graceMs = config.SHUTDOWN_DRAIN_MS + STOP_MARGIN_MS;
    // Each resolves with the service's exit code (null when a signal, SIGKILL after the grace, ended it).
    const stop = (names: string[]) =>
      Promise.all(
        names.flatMap((name) => {
          const child = children.get(name);
          return child ? [stopChild(child, graceMs).then(() => child.exitCode)] : [];
        }),
      );
    const exits = await stop(['gateway']);
    say('gateway stopped; stopping the subgraphs');
    exits.push(...(await stop([...SUBGRAPH_NAMES])));
    say('subgraphs stopped; stopping the database');
    await database.stop();
    // A service that could not drain in time (or died) makes the whole stop a failure.
    process.exit(code !== 0 || exits.some((exit) => exit !== 0) ? 1 : 0);
  };
  // The services run in process groups of their own (detached), so Ctrl-C at a terminal reaches
  // only this supervisor, which stops them in order; a closed terminal (SIGHUP) does the same.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

  try {
    const { facts } = await seedDemoCity({ uri: database.uri, dbPrefix: config.MONGODB_DB_PREFIX, slots: config.slots, log: say });
    const gatewayUrl = serviceUrl(config.HOST, config.GATEWAY_PORT, '/graphql');
    if (facts) writeFileSync(path.resolve(config.DATA_DIR, 'demo.json'), JSON.stringify({ gatewayUrl, ...facts }, null, 2));

    // FerretDB spends about 1 ms of CPU per document it returns: give the heaviest records room unless told otherwise.
    const embeddedTimeout = !config.MONGODB_URI && !process.env.SUBGRAPH_TIMEOUT_MS ? { SUBGRAPH_TIMEOUT_MS: String(EMBEDDED_SUBGRAPH_TIMEOUT_MS) } : {};
    if (Object.keys(embeddedTimeout).length > 0)
      say(`subgraph timeout ${EMBEDDED_SUBGRAPH_TIMEOUT_MS / 1000} s on the embedded database (SUBGRAPH_TIMEOUT_MS overrides)`);
    for (const name of [...SUBGRAPH_NAMES, 'gateway'] as const) {
      const child = spawn(process.execPath, ['--import', 'tsx', SERVICE_ENTRY, name], {
        env: {
          ...process.env,
          ...embeddedTimeout,
          ...(config.METRICS_PORT === undefined ? {} : { METRICS_PORT: String(metricsPortOf(name, config.METRICS_PORT)) }),
          MONGODB_URI: database.uri,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      children.set(name, child);
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${readable(line)}`));
      }
      child.once('exit', (code, signal) => {
        if (stopping) return;
        say(`${name} exited (${signal ?? `code ${code}`}); stopping the others`);
        void stopAll(1);
      });
    }
    await waitUntilReady(serviceUrl(config.HOST, config.GATEWAY_PORT, '/ready'));
    say(`gateway ready at ${gatewayUrl}`);
    say('demo tokens, one per role, and a resident to look up: npm run demo -- tokens');
    say('press Ctrl-C to stop');
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    await stopAll(1);
  }
}

// A person at a terminal reads log lines; anything else (a file, a collector) gets the JSON.
const pretty = process.stdout.isTTY
  ? prettyFactory({ colorize: true, singleLine: true, ignore: 'pid,hostname,service,name', translateTime: 'SYS:HH:MM:ss' })
  : null;

function readable(line: string): string {
  if (!pretty || !line.startsWith('{')) return line;
  try {
    return pretty(line).trimEnd();
  } catch {
    return line;
  }
}

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the gateway was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
