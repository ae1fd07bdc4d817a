/** The database a command uses: MONGODB_URI when set, else the embedded server in the data folder. */
import path from 'node:path';
import type { Config } from '../platform/config';
import { startEmbeddedDatabase } from './embedded-database';

export async function databaseFor(config: Config, log: (line: string) => void): Promise<{ uri: string; stop(): Promise<void> }> {
  if (config.MONGODB_URI) {
    log(`database: MongoDB at MONGODB_URI`);
    return { uri: config.MONGODB_URI, stop: async () => {} };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: path.resolve(config.DATA_DIR, 'db'), engine: config.EMBEDDED_DB_ENGINE, log });
  const relative = path.relative(process.cwd(), embedded.dataDir);
  log(`database: ${embedded.engine}, data in ${relative.startsWith('..') ? embedded.dataDir : relative || '.'}`);
  return embedded;
}
