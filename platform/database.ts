/**
 * MongoDB connections. One database per subgraph; every subgraph also reaches the access
 * subgraph's database, where care relationships and audit events are kept.
 */

import mongoose, { type Connection, type Model } from 'mongoose';
import type { SubgraphName } from './config';
import { isDuplicateKey } from './errors';

// Untrusted values must never become query operators, and unknown paths never filters.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/**
 * Query operators the code itself writes. With sanitizeFilter on, mongoose neutralises any
 * `$` operator in a filter unless it is marked trusted; values from clients never are.
 */
export const operator = <T extends object>(condition: T): T => mongoose.trusted(condition);
export const oneOf = <T>(values: Iterable<T>): { $in: T[] } => operator({ $in: [...values] });
export const noneOf = <T>(values: Iterable<T>): { $nin: T[] } => operator({ $nin: [...values] });
/**
 * Matches `_id` against a batch of keys. A batch of one is sent as plain equality: the same
 * answer, and the form every engine serves from the primary key (the embedded FerretDB
 * pushes nothing else down).
 */
export const idIn = (ids: Iterable<string>): string | { $in: string[] } => {
  const list = [...ids];
  return list.length === 1 ? list[0]! : oneOf(list);
};

/**
 * First-batch size for queries that return a batch of residents' records. The driver's
 * default (101) would add a getMore round trip per extra batch, so round trips would grow
 * with the records returned; one batch holds up to the server's 16 MB limit.
 */
export const RECORDS_BATCH_SIZE = 10_000;

/** A subgraph's database in the deployment whose databases share `prefix` (MONGODB_DB_PREFIX). */
export function databaseName(prefix: string, name: SubgraphName): string {
  return `${prefix}_${name}`;
}

export interface DatabaseOptions {
  uri: string;
  dbName: string;
  /** Emit the driver's command events (round-trip counting in tests and benchmarks). */
  monitorCommands?: boolean;
  /** Told each time the database could not be reached at start, before the next try. */
  onUnreachable?: (attempt: number) => void | Promise<void>;
}

/** How long a starting service keeps trying to reach its database before it gives up. */
const STARTUP_WAIT_MS = Number(process.env.DATABASE_STARTUP_WAIT_MS || 120_000);

/**
 * A connection whose requests fail fast (3 s to find the server) once it is up; at start it
 * keeps trying for STARTUP_WAIT_MS, since a database that is itself starting, or a busy
 * machine, is slow rather than gone.
 */
export async function connectDatabase({ uri, dbName, monitorCommands = false, onUnreachable }: DatabaseOptions): Promise<Connection> {
  const deadline = Date.now() + STARTUP_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    const connection = mongoose.createConnection(uri, {
      dbName,
      bufferCommands: false,
      autoIndex: false,
      serverSelectionTimeoutMS: 3000,
      maxPoolSize: 20,
      monitorCommands,
    });
    try {
      await connection.asPromise();
      if (monitorCommands) dispatchCommands(connection);
      return connection;
    } catch (error) {
      await connection.close().catch(() => {});
      if ((error as Error).name !== 'MongooseServerSelectionError' || Date.now() >= deadline) throw error;
      await onUnreachable?.(attempt);
    }
  }
}

/**
 * Runs an upsert keyed by `_id`. Two upserts racing for the same new `_id` can both try the
 * insert; the loser fails on the primary key and runs once more, now as an update of the
 * winner's document, so a retried or concurrent write never surfaces as an internal error.
 */
export async function upsertById(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await run();
  }
}

/** Any model, for helpers whose callers build the documents: the schema's type does not matter there. */
// biome-ignore lint/suspicious/noExplicitAny: mongoose's Model generics are invariant; unknown would refuse every real model
export type AnyModel = Model<any, any, any, any>;

/**
 * Runs a batch of writes unordered (one round trip per kind of write) and returns the
 * positions that failed on a unique key (a concurrent write inserted the same _id first); any
 * other failure fails the call.
 */
export async function bulkWriteFailures(model: AnyModel, operations: object[]): Promise<Set<number>> {
  if (operations.length === 0) return new Set();
  try {
    await model.bulkWrite(operations as Parameters<typeof model.bulkWrite>[0], { ordered: false });
    return new Set();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { index: number; code?: number; errmsg?: string }[] }).writeErrors;
    if (!writeErrors?.every((writeError) => isDuplicateKey(writeError) || /duplicate key/i.test(writeError.errmsg ?? ''))) throw error;
    return new Set(writeErrors.map((writeError) => writeError.index));
  }
}

/** Creates the indexes declared on every model of the connection. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) await model.createIndexes();
}

export async function isReachable(connection: Connection): Promise<boolean> {
  try {
    await connection.db!.command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** Database commands seen by monitored connections: what a test counts as round trips. */
export interface CommandEvent {
  commandName: string;
  databaseName: string;
  command: Record<string, unknown>;
}
type CommandListener = (event: CommandEvent) => void;
const commandListeners = new Set<CommandListener>();
const IGNORED_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'createIndexes', 'listIndexes']);

/** The documents a monitored connection's query returned: one cursor batch of a find, aggregate or getMore. */
export interface ReplyEvent {
  databaseName: string;
  collection: string;
  documents: Record<string, unknown>[];
}
type ReplyListener = (event: ReplyEvent) => void;
const replyListeners = new Set<ReplyListener>();

function dispatchCommands(connection: Connection): void {
  const client = connection.getClient();
  client.on('commandStarted', (event) => {
    if (IGNORED_COMMANDS.has(event.commandName)) return;
    for (const listener of commandListeners) {
      listener({ commandName: event.commandName, databaseName: event.databaseName, command: event.command });
    }
  });
  client.on('commandSucceeded', (event) => {
    const cursor = (event.reply as { cursor?: { ns?: string; firstBatch?: Record<string, unknown>[]; nextBatch?: Record<string, unknown>[] } } | undefined)
      ?.cursor;
    const documents = cursor?.firstBatch ?? cursor?.nextBatch;
    if (!documents || replyListeners.size === 0) return;
    const collection = cursor!.ns?.slice(event.databaseName.length + 1) ?? '';
    for (const listener of replyListeners) listener({ databaseName: event.databaseName, collection, documents });
  });
}

export function onDatabaseCommand(listener: CommandListener): () => void {
  commandListeners.add(listener);
  return () => commandListeners.delete(listener);
}

/** Counts documents returned (tests and benchmarks): FerretDB's cost grows with them. */
export function onDatabaseReply(listener: ReplyListener): () => void {
  replyListeners.add(listener);
  return () => replyListeners.delete(listener);
}
