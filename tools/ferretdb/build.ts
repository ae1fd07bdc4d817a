/**
 * Builds the embedded FerretDB launcher once and caches the binary. The cache key is the
 * hash of the launcher's Go sources and module sums, so a dependency change rebuilds it.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

const launcherDir = __dirname;

export function ferretdbBinaryPath(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(launcherDir, file)));
  return path.join(launcherDir, 'bin', `ferretdb-${hash.digest('hex').slice(0, 12)}`);
}

/** Returns the cached binary, building it first when it is missing (needs Go and the Go module proxy). */
export function ensureFerretdbBinary(log: (line: string) => void = () => {}): string {
  const binary = ferretdbBinaryPath();
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  log('building the embedded FerretDB launcher (first run only, about a minute)');
  const started = Date.now();
  try {
    execFileSync('go', ['build', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
      cwd: launcherDir,
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the Go toolchain is not installed' : 'go build failed';
    throw new Error(`Cannot build the embedded FerretDB (${reason}). Install Go 1.24+ or set MONGODB_URI.`);
  }
  renameSync(partial, binary); // atomic, so parallel builders never see half a binary
  log(`built ${path.relative(process.cwd(), binary)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

if (require.main === module) {
  console.log(ensureFerretdbBinary(console.log));
}
