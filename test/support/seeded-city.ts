/**
 * The demo city seeded on a test stack, as the cockpit and bulletin tests read it: the stack,
 * the codes of its city-level hospitals by name, and the tokens those tests call with.
 */
import { seedDemoCity } from '../../tools/seed/seed';
import { modelsOf } from './fixtures';
import type { TestStack } from './stack';
import { useStack } from './stack-fixture';

export interface SeededCity {
  stack: TestStack;
  /** The city-level (tertiary) hospitals' codes by name, as the registry holds them (filled before the tests run). */
  codeOf: Map<string, string>;
}

/** The file's stack, with a small demo city (300 residents) seeded with the bulletin's September 2024. */
export function useSeededCity(): SeededCity {
  const codeOf = new Map<string, string>();
  const { stack } = useStack({}, async (started) => {
    await seedDemoCity({ uri: started.uri, dbPrefix: started.dbPrefix, residents: 300 });
    const organizations = await modelsOf(started).records.Organization.find({ level: 'TERTIARY' }).lean();
    for (const organization of organizations) codeOf.set(organization.name, organization._id);
  });
  return { stack, codeOf };
}

export const commissionToken = (stack: TestStack) => stack.token({ subject: 'hc-1', roles: ['health_commission'] });
export const hospitalSystemToken = (stack: TestStack, organizationCode: string) =>
  stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });

/** Rows keyed by their name, to compare tables whatever their order. */
export const byName = <T extends { name: string }>(rows: readonly T[]) => Object.fromEntries(rows.map((row) => [row.name, row]));
