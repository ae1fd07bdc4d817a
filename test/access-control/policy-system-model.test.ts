/**
 * The policy against the model at the system level: random sequences of registrations (true and
 * invented identifiers), visits, emergency grants, referrals and acceptances, consent, merges,
 * unmerges and the clock, run through the real gateway; after every step, each read of the
 * people it touched (and of one more) agrees with test/access-control/model/system-model.ts. A fixed seed;
 * `npm run fuzz:policy -- --system` runs more with a random one.
 */
import fc from 'fast-check';
import { insertHospitals } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';
import { Coverage, systemProperty } from './model/system-fuzz';
import { WRITTEN_SEQUENCE } from './model/system-model';

const SEED = 20261207;
const SEQUENCES = Number(process.env.SYSTEM_MODEL_SEQUENCES ?? 20);

jest.setTimeout(1_800_000);

const { stack } = useStack({}, async () => {
  await insertHospitals(stack);
});

it(`agrees with the model on ${SEQUENCES} random sequences of 20 steps, reaching every kind of step, answer and denial`, async () => {
  const coverage = new Coverage();
  await fc.assert(systemProperty(stack, coverage), { seed: SEED, numRuns: SEQUENCES, examples: [[WRITTEN_SEQUENCE]] });
  const reached = [
    'register:CREATED',
    'register:MATCHED',
    'register:CREATED_POSSIBLE_DUPLICATE',
    'register:CREATED_POSSIBLE_DUPLICATE:impostor',
    'visit:ok',
    'visit:FORBIDDEN',
    'breakGlass:ok',
    'refer:ok',
    'refer:FORBIDDEN',
    'accept:ok',
    'consent:ok',
    'merge:ok',
    'unmerge:ok',
    'read:nothing',
    'read:demographics',
    'read:demographics+encounters',
    'read:restricted-left-out',
  ];
  const missing = reached.filter((what) => !coverage.has(what));
  if (missing.length) console.log('reached:', Object.fromEntries(coverage.counts));
  expect(missing).toEqual([]);
});
