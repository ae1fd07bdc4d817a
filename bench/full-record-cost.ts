/**
 * `npx tsx bench/full-record-cost.ts`: what a full record costs the database, read by the
 * single-process baseline (bench/direct-baseline.ts) one request at a time: database CPU
 * ms, documents returned and round trips per request, over residents picked at random.
 * Compares city sizes without the gateway bench's load: run it on a kept city of each size.
 *
 * Env: BENCH_DATA_DIR (the embedded database's folder, kept), BENCH_RESIDENTS (the city,
 * seeded there once, as `npm run bench` seeds it), BENCH_REQUESTS (300).
 */
import path from 'node:path';
import { connectDatabase } from '../platform/database';
import { databaseName } from '../subgraphs/runtime/subgraph-server';
import { parseEngine, startEmbeddedDatabase } from '../tools/embedded-database';
import { LOAD_TEST_VOLUME, mulberry32 } from '../tools/seed/city';
import { seedDemoCity } from '../tools/seed/seed';
import { startProcess, usageOf, waitUntilAnswering } from './processes';

const BENCH_SEED = 20261126;
const WARM_UP = 10;

async function main(): Promise<void> {
  const say = (line: string) => console.log(`[full-record-cost] ${line}`);
  const dataDir = process.env.BENCH_DATA_DIR;
  if (!dataDir) throw new Error('Set BENCH_DATA_DIR: the folder the city is kept in');
  const residents = Number(process.env.BENCH_RESIDENTS ?? 100);
  const requests = Number(process.env.BENCH_REQUESTS ?? 300);
  const prefix = `bench_${residents}`;
  const database = await startEmbeddedDatabase({ dataDir: path.resolve(dataDir), engine: parseEngine(process.env.EMBEDDED_DB_ENGINE), log: say });
  try {
    await seedDemoCity({ uri: database.uri, dbPrefix: prefix, residents, seed: BENCH_SEED, volume: LOAD_TEST_VOLUME, log: say });
    const records = await connectDatabase({ uri: database.uri, dbName: databaseName(prefix, 'records') });
    const ids = (
      await records
        .collection('residents')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((row) => String(row._id));
    await records.close();
    const random = mulberry32(BENCH_SEED);
    const pick = () => ids[Math.floor(random() * ids.length)]!;

    const port = 4690 + Math.floor(Math.random() * 100);
    const baseline = startProcess(
      'direct-db',
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'direct-baseline.ts')],
      { PORT: String(port), MONGODB_URI: database.uri, MONGODB_DB_PREFIX: prefix },
      say,
    );
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/`, baseline.child);
      const ask = async (id: string) =>
        (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify({ variables: { id } }) })).arrayBuffer();
      for (let index = 0; index < WARM_UP; index++) await ask(pick());
      const before = { cpu: usageOf(database.pid!).cpuMs, counters: (await baseline.counters())! };
      for (let index = 0; index < requests; index++) await ask(pick());
      const after = { cpu: usageOf(database.pid!).cpuMs, counters: (await baseline.counters())! };
      const per = (value: number) => (value / requests).toFixed(1);
      say(
        `${ids.length} residents (${database.engine}), ${requests} full records: database CPU ${per(after.cpu - before.cpu)} ms/request, ` +
          `${per(after.counters.documents - before.counters.documents)} documents/request, ${per(after.counters.commands - before.counters.commands)} round trips/request`,
      );
    } finally {
      await baseline.stop();
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
