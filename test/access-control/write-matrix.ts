/**
 * The write side of the authorization matrix, as one runner for each file that holds a share of
 * the mutations (each on a stack of its own, so that no access store grows past the size at which
 * the suite's index-use check counts the cases' whole-database snapshots): with valid input the
 * caller with standing succeeds; callers without it get FORBIDDEN and change nothing, read back
 * from every database; and after a write attempted by an organization without standing, its
 * doctors still cannot read the resident.
 */
import type { TestStack } from '../support/stack';
import { NAME, type WriteCase, type WriteScenarios } from './write-scenarios';

export function describeWriteMatrix(
  stack: TestStack,
  scenarios: WriteScenarios,
  cases: Record<string, WriteCase>,
  /** Mutations whose outsider is not tried after the cases (registrations, uploads: see the callers). */
  withoutOutsider: (name: string) => boolean = () => false,
): void {
  const { doctor, codesOf, snapshot } = scenarios;
  describe('valid input: the caller with standing succeeds; callers without it are refused and change nothing', () => {
    it.each(Object.keys(cases))('%s', async (name) => {
      const { query, prepare } = cases[name]!;
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
    it.each(Object.keys(cases).filter((name) => !withoutOutsider(name)))('%s', async (name) => {
      const { query, prepare } = cases[name]!;
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
}
