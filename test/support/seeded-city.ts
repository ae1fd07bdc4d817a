/**
 * The demo city seeded on a test stack, as the cockpit and bulletin tests read it: the stack,
 * the codes of its city-level hospitals by name, and the tokens those tests call with.
 */
import { seedDemoCity } from '../../tools/seed/seed';
import { modelsOf } from './fixtures';
import { TestStack } from './stack';

export interface SeededCity {
  stack: TestStack;
  /** The city-level (tertiary) hospitals' codes by name, as the registry holds them. */
  codeOf: Map<string, string>;
}

/** Starts a stack and seeds a small demo city (300 residents) with the bulletin's September 2024. */
export async function startSeededCity(): Promise<SeededCity> {
  const stack = await TestStack.start();
  await seedDemoCity({ uri: stack.uri, dbPrefix: stack.dbPrefix, residents: 300 });
  const organizations = await modelsOf(stack).records.Organization.find({ level: 'TERTIARY' }).lean();
  return { stack, codeOf: new Map(organizations.map((organization) => [organization.name, organization._id])) };
}

export const commissionToken = (stack: TestStack) => stack.token({ subject: 'hc-1', roles: ['health_commission'] });
export const hospitalSystemToken = (stack: TestStack, organizationCode: string) =>
  stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });

/** Rows keyed by their name, to compare tables whatever their order. */
export const byName = <T extends { name: string }>(rows: readonly T[]) => Object.fromEntries(rows.map((row) => [row.name, row]));
