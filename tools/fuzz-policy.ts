/**
 * Fuzzes the authorization policy against its reference model (test/access-control/model/): the property
 * `npm test` runs 10,000 times with a fixed seed, here with a random seed and many more runs.
 *
 *   npm run fuzz:policy [-- --runs N] [--seed N] [--system [--minutes M]]
 *
 * Prints the seed, the cases run and the time; on a disagreement the shrunk case, and exits 1.
 * `--system` runs `runSystemFuzz` from test/access-control/model/system-fuzz.ts (the model against the
 * running services) instead, when that file exists.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { policyAgreesWithModel } from '../test/access-control/model/policy-cases';

const SYSTEM_FUZZ = path.join(__dirname, '..', 'test', 'access-control', 'model', 'system-fuzz.ts');

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new Error(`--${name} must be a whole number, not "${value}"`);
  return Number(value);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, system: { type: 'boolean' }, minutes: { type: 'string' } } });
  const runs = wholeNumber('runs', values.runs, values.system ? 100 : 1_000_000);
  // A 32-bit seed, as fast-check takes it.
  const seed = wholeNumber('seed', values.seed, Math.floor(Math.random() * 2 ** 31));
  if (values.system) {
    if (!existsSync(SYSTEM_FUZZ)) throw new Error(`--system needs ${path.relative(process.cwd(), SYSTEM_FUZZ)}, which does not exist yet`);
    const { runSystemFuzz } = (await import(SYSTEM_FUZZ)) as {
      runSystemFuzz: (options: { seed: number; runs: number; minutes: number | null }) => Promise<number>;
    };
    const minutes = values.minutes === undefined ? null : wholeNumber('minutes', values.minutes, 0);
    console.log(`system fuzz: seed ${seed}, ${runs} sequences${minutes === null ? '' : `, stopping after ${minutes} minutes`}`);
    return runSystemFuzz({ seed, runs, minutes });
  }
  console.log(`policy fuzz: seed ${seed}, ${runs.toLocaleString('en')} cases`);
  const started = performance.now();
  const result = fc.check(policyAgreesWithModel, { seed, numRuns: runs });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!result.failed) {
    console.log(`agreed on ${result.numRuns.toLocaleString('en')} cases in ${seconds} s`);
    return 0;
  }
  console.log(`DISAGREED after ${result.numRuns.toLocaleString('en')} cases (${result.numShrinks} shrinks) in ${seconds} s`);
  console.log(`replay: npm run fuzz:policy -- --seed ${seed} --runs ${runs}`);
  console.log('shrunk case:', fc.stringify(result.counterexample?.[0]));
  console.log(result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance));
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
