/**
 * The Node.js versions `engines` in package.json allows are the ones every package of the
 * lockfile accepts, so `npm install` on a supported Node prints no EBADENGINE warning; and the
 * Node the scripts run on (the pinned `node` package, first on npm's script PATH) is one of them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// semver comes with npm's own dependency tree (the lockfile holds it); only this check uses it.
const semver = createRequire(__filename)('semver') as { subset(range: string, within: string): boolean; satisfies(version: string, range: string): boolean };

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

interface Locked {
  engines?: { node?: string };
  os?: string[];
  cpu?: string[];
}

it('allows exactly the Node.js lines every locked package accepts', () => {
  expect(manifest.engines.node).toBe('^22.19.0 || ^24.2.0 || >=26');
  // Every package, those for other platforms too: an install anywhere prints no warning.
  const refused = Object.entries(lock.packages as Record<string, Locked>)
    .filter(([name, locked]) => name !== '' && locked.engines?.node !== undefined && !semver.subset(manifest.engines.node, locked.engines.node))
    .map(([name, locked]) => `${name}: ${locked.engines!.node}`);
  expect(refused).toEqual([]);
  for (const version of ['20.19.0', '22.18.0', '23.11.0', '24.1.0', '25.0.0'])
    expect([version, semver.satisfies(version, manifest.engines.node)]).toEqual([version, false]);
});

it('runs its scripts on the pinned Node 24, which the range allows', () => {
  expect(manifest.devDependencies.node).toBe('24.21.0');
  expect(semver.satisfies(manifest.devDependencies.node, manifest.engines.node)).toBe(true);
});
