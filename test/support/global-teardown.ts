import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scannedLargeTables, tableUse, LARGE_COLLECTION_ROWS } from './index-use';

export default async function globalTeardown(): Promise<void> {
  const database = globalThis.__testDatabase;
  if (!database) return;
  let problem: string | undefined;
  try {
    const postgresUrl = process.env.JINLING_TEST_POSTGRES_URL;
    if (postgresUrl) {
      const use = await tableUse(postgresUrl);
      if (process.env.TEST_TABLE_USE_FILE) writeFileSync(path.resolve(process.env.TEST_TABLE_USE_FILE), JSON.stringify(use, null, 2));
      const scanned = scannedLargeTables(use);
      if (scanned.length > 0) {
        problem = `Sequential scans read large collections (${LARGE_COLLECTION_ROWS}+ rows) during the suite; their reads must be index scans:\n${scanned
          .map((table) => `  ${table.table}: ${table.rows} rows, ${table.seqScans} sequential scans read ${table.seqRowsRead} rows, ${table.indexScans} index scans`)
          .join('\n')}`;
      } else {
        const large = use.filter((table) => table.rows >= LARGE_COLLECTION_ROWS).length;
        console.log(`[test] PostgreSQL: reads on all ${large} large collections (${LARGE_COLLECTION_ROWS}+ rows) were index scans`);
      }
    }
  } finally {
    await database.stop();
    rmSync(database.dataDir, { recursive: true, force: true });
  }
  if (problem) throw new Error(problem);
}
