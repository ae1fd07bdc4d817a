/**
 * The state one run of the city generator shares across its steps: the random source, the
 * clock, the organizations, record ids, and each resident's encounters as they are drawn.
 */

import { DAY, MINUTE, YEAR } from './city-calendar';
import type { Drug } from './city-drugs';
import { type Organization, type OrganizationDirectory, organizationDirectory } from './city-organizations';
import { Random } from './city-random';
import type { EncounterSeed, ResidentSeed } from './city-records';

export interface Person {
  seed: ResidentSeed;
  birthMs: number;
  chronic: string[];
  /** The drugs a resident takes for each chronic condition, prescribed again at every refill. */
  regimen: Map<string, Drug[]>;
  home: Organization;
  /** Visits drawn from a volume profile, or null for the demo's everyday spread. */
  visits: number | null;
}

export interface Generation {
  /** Every draw of the run comes from here, in a fixed order: that order is the city. */
  random: Random;
  /** `now` on a whole minute. */
  now: number;
  /** Records go back three years. */
  windowStart: number;
  organizations: OrganizationDirectory;
  /** A fresh record id (24 hex digits, like a MongoDB ObjectId). */
  newId(): string;
  /** Each resident's encounters, in the order they were drawn. */
  encountersOf: Map<Person, EncounterSeed[]>;
}

export function startGeneration(seed: number, at: Date): Generation {
  const random = new Random(seed);
  const now = Math.floor(at.getTime() / MINUTE) * MINUTE;
  if (!Number.isFinite(now)) throw new Error('generateCity needs a valid `now`');
  const usedIds = new Set<string>();
  const newId = (): string => {
    for (;;) {
      const id = random.hex(24);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  return { random, now, windowStart: now - 3 * 365 * DAY, organizations: organizationDirectory(), newId, encountersOf: new Map() };
}

export const ageAt = (person: Person, ms: number) => Math.max(0, Math.floor((ms - person.birthMs) / YEAR));
