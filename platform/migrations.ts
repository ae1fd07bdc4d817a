/**
 * The deployment's schema version: migrations (`migrations/`, run by migrate-mongo) and their
 * changelog, one sequence for all of a deployment's databases, kept in the access database
 * (the store every subgraph already reaches). A service refuses to serve while it is behind.
 */
import path from 'node:path';
import type { mongo } from 'mongoose';
import type { SubgraphName } from './config';
import { connectDatabase, databaseName } from './database';
import { isDuplicateKey } from './errors';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../migrations');
export const CHANGELOG_COLLECTION = 'changelog';
export const MIGRATE_COMMAND = 'npm run migrate';

/** What the project uses of migrate-mongo's API (it ships no types). */
interface MigrateMongo {
  config: { set(config: object): void };
  status(db: mongo.Db): Promise<{ fileName: string; appliedAt: string }[]>;
  up(db: mongo.Db, client: mongo.MongoClient): Promise<string[]>;
}

let migrateMongo: Promise<MigrateMongo> | undefined;

/**
 * migrate-mongo, configured once: its configuration is process-wide, and the same for every
 * deployment (the caller hands it the database). No lock: it needs a TTL index, which the
 * embedded engine lacks; every migration is idempotent instead, so a second run is harmless.
 */
function library(): Promise<MigrateMongo> {
  migrateMongo ??= import('migrate-mongo').then((loaded) => {
    const library = ((loaded as { default?: MigrateMongo }).default ?? loaded) as MigrateMongo;
    library.config.set({
      mongodb: { url: 'mongodb://unused' },
      migrationsDir: MIGRATIONS_DIR,
      changelogCollectionName: CHANGELOG_COLLECTION,
      migrationFileExtension: '.ts',
      lockTtl: 0,
    });
    return library;
  });
  return migrateMongo;
}

/** Another database of the deployment a migration runs on (`db`, its access database: `<prefix>_access`). */
export function deploymentDatabase(db: mongo.Db, client: mongo.MongoClient, name: SubgraphName): mongo.Db {
  const suffix = `_${'access' satisfies SubgraphName}`;
  if (!db.databaseName.endsWith(suffix)) throw new Error(`migrations run on a deployment's access database, not ${db.databaseName}`);
  return client.db(databaseName(db.databaseName.slice(0, -suffix.length), name));
}

export interface MigrationState {
  fileName: string;
  /** null while pending. */
  appliedAt: Date | null;
}

/** Every migration and when it was applied to this deployment (`db`: its access database). */
export async function migrationStatus(db: mongo.Db): Promise<MigrationState[]> {
  const rows = await (await library()).status(db);
  return rows.map(({ fileName, appliedAt }) => ({ fileName, appliedAt: appliedAt === 'PENDING' ? null : new Date(appliedAt) }));
}

/** Applies the pending migrations in order, stopping at the first that fails; returns those applied. */
export async function applyMigrations(db: mongo.Db, client: mongo.MongoClient): Promise<string[]> {
  return (await library()).up(db, client);
}

/** Runs `work` on the access database of the deployment at `uri` whose databases share `dbPrefix`. */
async function onDeployment<T>(uri: string, dbPrefix: string, work: (db: mongo.Db, client: mongo.MongoClient) => Promise<T>): Promise<T> {
  const connection = await connectDatabase({ uri, dbName: databaseName(dbPrefix, 'access') });
  try {
    return await work(connection.db!, connection.getClient());
  } finally {
    await connection.close();
  }
}

/** `npm run migrate`: applies the deployment's pending migrations; returns those applied. */
export const migrateDeployment = (uri: string, dbPrefix: string) => onDeployment(uri, dbPrefix, applyMigrations);

/** `npm run migrate -- --status`. */
export const deploymentMigrationStatus = (uri: string, dbPrefix: string) => onDeployment(uri, dbPrefix, migrationStatus);

/**
 * Refuses a deployment whose migrations are behind, naming the command that brings it up to
 * date. A deployment that holds nothing yet has nothing to migrate: its migrations are marked
 * applied, keyed by file name, so services starting together on it mark them once. Runs before
 * the service creates any collection (its indexes), so data never exists unmarked.
 */
export async function refuseIfBehind(db: mongo.Db): Promise<void> {
  let pending = (await migrationStatus(db)).filter((migration) => migration.appliedAt === null);
  if (pending.length === 0) return;
  if (await holdsNothing(db)) {
    await markApplied(
      db,
      pending.map((migration) => migration.fileName),
    );
    pending = (await migrationStatus(db)).filter((migration) => migration.appliedAt === null);
    if (pending.length === 0) return;
  }
  const count = pending.length === 1 ? '1 migration' : `${pending.length} migrations`;
  throw new Error(`database ${db.databaseName} is ${count} behind: run \`${MIGRATE_COMMAND}\``);
}

async function holdsNothing(db: mongo.Db): Promise<boolean> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  return collections.every((collection) => collection.name === CHANGELOG_COLLECTION);
}

/** Changelog entries as migrate-mongo writes them, with the file name as _id (a second marker's insert fails harmlessly). */
async function markApplied(db: mongo.Db, fileNames: string[]): Promise<void> {
  const appliedAt = new Date();
  const entries = fileNames.map((fileName) => ({ _id: fileName, fileName, appliedAt, migrationBlock: appliedAt.getTime(), freshDatabase: true }));
  try {
    await db.collection<{ _id: string }>(CHANGELOG_COLLECTION).insertMany(entries, { ordered: false });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
