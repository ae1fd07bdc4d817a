/**
 * The policy against the model at the system level: random sequences of registrations (true and
 * invented identifiers), visits, emergency grants, referrals and acceptances, consent, merges,
 * unmerges and the clock, run through the real gateway; after every step, each read of the
 * people it touched (and of one more) agrees with test/model/system-model.ts. A fixed seed;
 * `npm run fuzz:policy -- --system` runs more with a random one.
 */
import fc from 'fast-check';
import { insertHospitals } from './support/fixtures';
import { TestStack } from './support/stack';
import { systemProperty } from './model/system-fuzz';

const SEED = 20261207;
const SEQUENCES = Number(process.env.SYSTEM_MODEL_SEQUENCES ?? 12);

jest.setTimeout(1_800_000);

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
  await insertHospitals(stack);
});
afterAll(() => stack?.stop());

it(`agrees with the model on ${SEQUENCES} random sequences of 20 steps`, async () => {
  await fc.assert(systemProperty(stack), { seed: SEED, numRuns: SEQUENCES });
});
