/** `npm run seed`: loads the demo city into MONGODB_URI (or the embedded database) unless it has data. */
import { loadConfig } from '../../platform/config';
import { databaseFor } from '../database-for';
import { seedDemoCity } from './seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await databaseFor(config, console.log);
  try {
    await seedDemoCity({ uri: database.uri, dbPrefix: config.MONGODB_DB_PREFIX, slots: config.slots, log: console.log });
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
