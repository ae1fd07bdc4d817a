/**
 * Builds the embedded FerretDB launcher once and caches the binary.
 *
 * The default ("patched") build applies to FerretDB v1.24.2 postgresql-indexes.patch (indexes
 * the PostgreSQL backend can use: GIN for non-unique keys, `_id` by `=`, `$in` and `$or`
 * pushed down) and update-connections.patch (an update command gives each statement's
 * pooled connection back before the next; otherwise one of 50 statements or more never
 * ends): the module is copied from the Go module cache, patched, and built with a `replace`
 * directive. The "stock" build is the unpatched module, kept for the test that compares the
 * two. The cache key hashes the launcher's sources, module sums and the patches, so any
 * change to them rebuilds.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const launcherDir = __dirname;
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const FERRETDB_VERSION = 'v1.24.2';
const PATCH_FILES = ['postgresql-indexes.patch', 'update-connections.patch'].map((file) => path.join(launcherDir, file));
const LAUNCHER_FILES = ['go.mod', 'go.sum', 'main.go'];

export type FerretdbBuild = 'patched' | 'stock';

export function ferretdbBinaryPath(build: FerretdbBuild = 'patched'): string {
  const hash = createHash('sha256');
  hash.update(build);
  for (const file of LAUNCHER_FILES) hash.update(readFileSync(path.join(launcherDir, file)));
  if (build === 'patched') for (const patch of PATCH_FILES) hash.update(readFileSync(patch));
  const suffix = build === 'patched' ? '' : '-stock';
  return path.join(launcherDir, 'bin', `ferretdb-${hash.digest('hex').slice(0, 12)}${suffix}`);
}

/** Returns the cached binary, building it first when it is missing (needs Go and the Go module proxy). */
export function ensureFerretdbBinary(log: (line: string) => void = () => {}, build: FerretdbBuild = 'patched'): string {
  const binary = ferretdbBinaryPath(build);
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  log(`building the embedded FerretDB launcher${build === 'stock' ? ' (stock, unpatched)' : ''} (first run only, about a minute)`);
  const started = Date.now();
  const workDir = `${binary}.${process.pid}.work`;
  try {
    if (build === 'stock') {
      go(['build', '-trimpath', '-buildvcs=false', '-o', partial, '.'], launcherDir);
    } else {
      buildPatched(workDir, partial);
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the Go toolchain is not installed' : (error as Error).message;
    throw new Error(`Cannot build the embedded FerretDB (${reason}). Install Go 1.24+ or set MONGODB_URI.`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  renameSync(partial, binary); // atomic, so parallel builders never see half a binary
  log(`built ${path.relative(process.cwd(), binary)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

/** A patched copy of the module beside a copy of the launcher that replaces the module with it. */
function buildPatched(workDir: string, output: string): void {
  const moduleDir = JSON.parse(go(['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], launcherDir)).Dir as string;
  const source = path.join(workDir, 'ferretdb');
  const launcher = path.join(workDir, 'launcher');
  cpSync(moduleDir, source, { recursive: true });
  makeWritable(source); // the module cache is read-only
  // git apply works outside a repository too; --check first so a half-applied patch never builds.
  execFileSync('git', ['apply', '--check', ...PATCH_FILES], { cwd: source, stdio: ['ignore', 'pipe', 'inherit'] });
  execFileSync('git', ['apply', ...PATCH_FILES], { cwd: source, stdio: ['ignore', 'pipe', 'inherit'] });
  mkdirSync(launcher, { recursive: true });
  for (const file of LAUNCHER_FILES) writeFileSync(path.join(launcher, file), readFileSync(path.join(launcherDir, file)));
  go(['mod', 'edit', `-replace=${FERRETDB_MODULE}=../ferretdb`], launcher);
  go(['build', '-trimpath', '-buildvcs=false', '-o', output, '.'], launcher);
}

function go(args: string[], cwd: string): string {
  return execFileSync('go', args, {
    cwd,
    env: { ...process.env, CGO_ENABLED: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else if (entry.isFile()) chmodSync(full, 0o644);
  }
}

if (require.main === module) {
  // `npm run build:ferretdb` builds both: the stock one is what the patch's test compares against.
  console.log(ensureFerretdbBinary(console.log, 'patched'));
  console.log(ensureFerretdbBinary(console.log, 'stock'));
}
