/**
 * Starts the database the whole suite shares: MONGODB_URI when set (a real MongoDB), else
 * the embedded server in a temporary folder. Each test file works in databases of its own.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEngine, startEmbeddedDatabase } from '../../tools/embedded-database';
import { startRecording } from './loopback-only.cjs';

declare global {
  var __testDatabase: { stop(): Promise<void>; dataDir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  startRecording(path.join(mkdtempSync(path.join(os.tmpdir(), 'jinling-net-')), 'off-loopback.log'));
  if (process.env.MONGODB_URI) {
    console.log('\n[test] database: MongoDB at MONGODB_URI');
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-test-'));
  // Run by root, PostgreSQL runs as nobody, who must be let through (its own folder inside stays private).
  chmodSync(dataDir, 0o755);
  const database = await startEmbeddedDatabase({
    dataDir,
    engine: parseEngine(process.env.EMBEDDED_DB_ENGINE),
    durable: false,
    // the suite provokes duplicate keys and bad input on purpose; PostgreSQL's own log is kept in the data folder
    quiet: true,
    // The planner takes an index wherever one applies, whatever a table's size or statistics:
    // a sequential scan left in PostgreSQL's counters after the suite is a read no index serves.
    postgresSettings: ['enable_seqscan=off'],
    log: (line) => console.log(`[test] ${line}`),
  });
  console.log(`\n[test] database: ${database.engine} at ${database.uri}, data in ${dataDir}`);
  process.env.MONGODB_URI = database.uri;
  process.env.JINLING_TEST_EMBEDDED = '1';
  if (database.postgresUrl) process.env.JINLING_TEST_POSTGRES_URL = database.postgresUrl;
  globalThis.__testDatabase = { stop: database.stop, dataDir };
}
