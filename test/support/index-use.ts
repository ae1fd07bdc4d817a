/**
 * Proof from the engine itself that the suite's reads were served by indexes: after the
 * whole suite, PostgreSQL's statistics (pg_stat_user_tables) say how many rows sequential
 * scans read in each table behind a collection. On a large collection that number must stay
 * small: a single scan of it would read every row.
 */
import { Client } from 'pg';

/** Rows from which a collection counts as large (the suite's largest read ones hold a few hundred). */
export const LARGE_COLLECTION_ROWS = Number(process.env.TEST_LARGE_COLLECTION_ROWS || 200);

export interface TableUse {
  table: string;
  rows: number;
  seqScans: number;
  seqRowsRead: number;
  indexScans: number;
}

/** Every FerretDB table's use, once every other session's statistics have reached PostgreSQL. */
export async function tableUse(postgresUrl: string): Promise<TableUse[]> {
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    // Sessions report their counters when they end: end FerretDB's (the suite is over) and wait for them to go.
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`);
    for (;;) {
      const { rows } = await client.query<{ left: string }>(
        `SELECT count(*) AS left FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      if (Number(rows[0]!.left) === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ table: string; rows: string; seq_scan: string; seq_tup_read: string; idx_scan: string | null }>(
      `SELECT schemaname || '.' || relname AS table, n_live_tup AS rows, seq_scan, seq_tup_read, idx_scan
         FROM pg_stat_user_tables
        WHERE relname NOT LIKE '\\_ferretdb\\_%'
        ORDER BY seq_tup_read DESC`,
    );
    return rows.map((row) => ({
      table: row.table,
      rows: Number(row.rows),
      seqScans: Number(row.seq_scan),
      seqRowsRead: Number(row.seq_tup_read),
      indexScans: Number(row.idx_scan ?? 0),
    }));
  } finally {
    await client.end();
  }
}

/**
 * Large tables that sequential scans read as if whole: more rows read than the table holds
 * means at least one full scan (or many partial ones) of a large collection.
 */
export function scannedLargeTables(use: TableUse[]): TableUse[] {
  return use.filter((table) => table.rows >= LARGE_COLLECTION_ROWS && table.seqRowsRead >= table.rows);
}
