/**
 * `npm run migrate`: brings the deployment's databases (MONGODB_URI, else the embedded one in
 * the data folder; MONGODB_DB_PREFIX) up to date with `migrations/`, in order, stopping at the
 * first that fails. `npm run migrate -- --status`: every migration, applied or pending.
 */
import { loadConfig } from '../platform/config';
import { deploymentMigrationStatus, MIGRATE_COMMAND, migrateDeployment } from '../platform/migrations';
import { databaseFor } from './database-for';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length > 1 || (args.length === 1 && args[0] !== '--status')) throw new Error(`Usage: ${MIGRATE_COMMAND} [-- --status]`);
  const config = loadConfig();
  const say = (line: string) => console.log(`[migrate] ${line}`);
  const database = await databaseFor(config, say);
  try {
    if (args[0] === '--status') {
      const migrations = await deploymentMigrationStatus(database.uri, config.MONGODB_DB_PREFIX);
      for (const { fileName, appliedAt } of migrations) say(`${fileName}  ${appliedAt ? `applied ${appliedAt.toISOString()}` : 'pending'}`);
      const pending = migrations.filter((migration) => migration.appliedAt === null).length;
      say(pending === 0 ? 'up to date' : `${pending} pending: run \`${MIGRATE_COMMAND}\``);
    } else {
      const applied = await migrateDeployment(database.uri, config.MONGODB_DB_PREFIX);
      for (const fileName of applied) say(`applied ${fileName}`);
      say(applied.length === 0 ? 'nothing to apply: up to date' : `${applied.length} applied: up to date`);
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`[migrate] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
