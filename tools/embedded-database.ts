/**
 * Starts a MongoDB-compatible server when no MONGODB_URI is configured: a real mongod through
 * mongodb-memory-server where its binary can be had, else the embedded FerretDB (SQLite
 * storage). Both listen on a free loopback port and stop with the process that started them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFerretdbBinary } from './ferretdb/build';

export type EngineChoice = 'auto' | 'mongodb-memory-server' | 'ferretdb';

export interface EmbeddedDatabase {
  uri: string;
  engine: 'mongod (mongodb-memory-server)' | 'FerretDB 1.24.2 (SQLite)';
  dataDir: string;
  /** The database server's process, where this process started one of its own. */
  pid?: number;
  stop(): Promise<void>;
}

const MONGOD_START_TIMEOUT_MS = 20_000;
const FERRETDB_START_TIMEOUT_MS = 15_000;

export async function startEmbeddedDatabase(options: {
  dataDir: string;
  engine?: EngineChoice;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const engine = options.engine ?? 'auto';
  mkdirSync(options.dataDir, { recursive: true });
  if (engine !== 'ferretdb') {
    try {
      return await startMongod(path.join(options.dataDir, 'mongod'));
    } catch (error) {
      if (engine === 'mongodb-memory-server') throw error;
      log(`mongod unavailable (${firstLine(error)}); using the embedded FerretDB`);
    }
  }
  return startFerretdb(path.join(options.dataDir, 'ferretdb'), log);
}

async function startMongod(dbPath: string): Promise<EmbeddedDatabase> {
  mkdirSync(dbPath, { recursive: true });
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core');
  // Resolving (or downloading) the binary first fails quietly where there is no internet.
  const start = async () => {
    const systemBinary = await MongoBinary.getPath();
    return MongoMemoryServer.create({ binary: { systemBinary }, instance: { ip: '127.0.0.1', dbPath, storageEngine: 'wiredTiger' } });
  };
  const server = await withTimeout(start(), MONGOD_START_TIMEOUT_MS, 'mongod did not start in time');
  return {
    uri: server.getUri(),
    engine: 'mongod (mongodb-memory-server)',
    dataDir: dbPath,
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}

async function startFerretdb(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const binary = ensureFerretdbBinary(log);
  // stdin stays open as a lifeline: the launcher exits as soon as this process goes away.
  const child = spawn(binary, ['-listen', '127.0.0.1:0', '-sqlite-url', `file:${path.resolve(dataDir)}/`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = await withTimeout(
    new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`FerretDB exited with code ${code} before it was ready`)));
    }),
    FERRETDB_START_TIMEOUT_MS,
    'FerretDB did not start in time',
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    uri,
    engine: 'FerretDB 1.24.2 (SQLite)',
    dataDir,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!.slice(0, 160);
}
