/**
 * After the suite: the embedded PostgreSQL must have served large collections from indexes,
 * and nothing may have tried to connect off loopback; then the database stops.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LARGE_COLLECTION_ROWS, scannedLargeTables, tableUse } from './index-use';
import { offLoopbackAttempts } from './loopback-only.cjs';

export default async function globalTeardown(): Promise<void> {
  const problems: string[] = [];
  const offLoopback = offLoopbackAttempts();
  if (offLoopback.length > 0)
    problems.push(`Connections off loopback were attempted during the suite; nothing may leave this host:\n  ${offLoopback.join('\n  ')}`);
  const database = globalThis.__testDatabase;
  if (database) {
    try {
      const scans = await indexUseProblem();
      if (scans) problems.push(scans);
    } finally {
      await database.stop();
      rmSync(database.dataDir, { recursive: true, force: true });
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n\n'));
}

async function indexUseProblem(): Promise<string | undefined> {
  const postgresUrl = process.env.JINLING_TEST_POSTGRES_URL;
  if (!postgresUrl) return undefined;
  const use = await tableUse(postgresUrl);
  if (process.env.TEST_TABLE_USE_FILE) writeFileSync(path.resolve(process.env.TEST_TABLE_USE_FILE), JSON.stringify(use, null, 2));
  const scanned = scannedLargeTables(use);
  if (scanned.length === 0) {
    const large = use.filter((table) => table.rows >= LARGE_COLLECTION_ROWS).length;
    console.log(`[test] PostgreSQL: reads on all ${large} large collections (${LARGE_COLLECTION_ROWS}+ rows) were index scans`);
    return undefined;
  }
  return `Sequential scans read large collections (${LARGE_COLLECTION_ROWS}+ rows) during the suite; their reads must be index scans:\n${scanned
    .map((table) => `  ${table.table}: ${table.rows} rows, ${table.seqScans} sequential scans read ${table.seqRowsRead} rows, ${table.indexScans} index scans`)
    .join('\n')}`;
}
