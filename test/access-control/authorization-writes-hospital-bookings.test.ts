/**
 * The write side of the authorization matrix for family doctors' hospital bookings, on a stack
 * of its own: with valid input, the caller with standing succeeds; callers without it get
 * FORBIDDEN and change nothing, read back from every database; and after an outsider's attempt,
 * its doctors still cannot read the resident.
 */
import { insertHospitals, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';
import { hospitalBookingWriteCases } from './hospital-booking-write-cases';
import { HOSPITAL, NAME, writeScenarios } from './write-scenarios';

const { stack, ok } = useStack();
const scenarios = writeScenarios({ stack, ok });
const { doctor, codesOf, snapshot } = scenarios;
const WRITES = hospitalBookingWriteCases(scenarios);

beforeAll(async () => {
  await insertHospitals(stack);
  await modelsOf(stack).labs.Laboratory.insertMany([{ _id: HOSPITAL, certifiedScope: 'CITY' }]);
});

describe('valid input: the caller with standing succeeds; callers without it are refused and change nothing', () => {
  it.each(Object.keys(WRITES))('%s', async (name) => {
    const { query, prepare } = WRITES[name]!;
    const prepared = await prepare();
    for (const [label, attempt] of Object.entries(prepared.denied)) {
      const before = await snapshot();
      const { body, text } = await stack.query(attempt.token, query, attempt.variables);
      expect([label, codesOf(body)]).toEqual([label, ['FORBIDDEN']]);
      expect(text).not.toContain(NAME);
      expect([label, await snapshot()]).toEqual([label, before]);
    }
    const { body } = await stack.query(prepared.allowed.token, query, prepared.allowed.variables);
    expect(body.errors).toBeUndefined();
    expect(codesOf(body)).toEqual([]);
  });
});

describe('after a write attempted by an organization without standing, its doctors still cannot read the resident', () => {
  it.each(Object.keys(WRITES))('%s', async (name) => {
    const { query, prepare } = WRITES[name]!;
    const { residentId, outsider } = await prepare();
    await stack.query(outsider!.attempt.token, query, outsider!.attempt.variables);
    const read = await stack.query(
      doctor(outsider!.organizationCode, 'D-READ'),
      `query($id: ID!) { resident(id: $id) { name encounters { edges { node { id } } } } }`,
      { id: residentId },
    );
    expect(codesOf(read.body)).toEqual(['FORBIDDEN']);
    expect(read.text).not.toContain(NAME);
  });
});
