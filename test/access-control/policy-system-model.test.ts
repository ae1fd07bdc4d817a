/**
 * The policy against the model at the system level: random sequences of registrations (true and
 * invented identifiers), visits, emergency grants, referrals and acceptances, consent, merges,
 * unmerges, family-doctor contracts, prescriptions routed to a pharmacy and the clock, run
 * through the real gateway; after every step, each read of the people it touched (and of one
 * more) agrees with the model in test/access-control/model/ (system-model.ts, care-model.ts).
 * A fixed seed; `npm run fuzz:policy -- --system` runs more with a random one.
 */
import fc from 'fast-check';
import { useStack } from '../support/stack-fixture';
import { Coverage, insertOrganizations } from './model/system-actors';
import { systemProperty } from './model/system-fuzz';
import { WRITTEN_SEQUENCES } from './model/system-steps';

const SEED = 20261207;
const SEQUENCES = Number(process.env.SYSTEM_MODEL_SEQUENCES ?? 20);

jest.setTimeout(1_800_000);

const { stack } = useStack({}, async () => {
  await insertOrganizations(stack);
});

it(`agrees with the model on ${WRITTEN_SEQUENCES.length} written and ${SEQUENCES} random sequences of 20 steps, reaching every kind of step, answer and denial`, async () => {
  const coverage = new Coverage();
  // The written sequences count among the runs: the random ones come on top of them.
  const examples = WRITTEN_SEQUENCES.map((steps): [typeof steps] => [steps]);
  await fc.assert(systemProperty(stack, coverage), { seed: SEED, numRuns: examples.length + SEQUENCES, examples });
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
    'offerContract:ok',
    'offerContract:FORBIDDEN',
    'acceptContract:ok',
    'acceptContract:by-family-doctor:FORBIDDEN',
    'renewContract:ok',
    'terminateContract:ok',
    'prescribe:ok',
    'prescribe:FORBIDDEN',
    'prescribe:by-pharmacist:FORBIDDEN',
    'sign:ok',
    'sign:FORBIDDEN',
    'approve:ok',
    'approve:FORBIDDEN',
    'route:ok',
    'dispense:ok',
    'complete:ok',
    'complete:FORBIDDEN',
    'read:nothing',
    'read:demographics',
    'read:demographics+encounters',
    'read:restricted-left-out',
    'read:family-doctor:demographics+encounters',
    'read:family-doctor:nothing:contract-ended',
    'read:pharmacist:prescription+resident+safety-facts',
    'read:pharmacist:nothing-after-standing-ended',
    'read:pharmacist:nothing-after-dispensing-window',
    'read:pharmacist:nothing-while-blocked',
  ];
  const missing = reached.filter((what) => !coverage.has(what));
  if (missing.length) console.log('reached:', Object.fromEntries(coverage.counts));
  expect(missing).toEqual([]);
});
