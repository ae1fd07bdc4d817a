/**
 * The demo city: Nanjing's real hospitals and monthly volumes from the September 2024 health
 * bulletin, with synthetic residents and records shaped like a real city's. Pure and
 * deterministic: the caller passes `now`, and the same options always give the same city.
 * This module composes the generator's steps (the `city-*.ts` files) and is what the seeders,
 * tests and benchmarks import.
 */

import { startGeneration } from './city-generation';
import { drawLabReports } from './city-lab-reports';
import { drawPrescriptions } from './city-prescriptions';
import type { City, ReferralSeed } from './city-records';
import { drawReferral } from './city-referrals';
import { drawResidents } from './city-residents';
import { drawVisits } from './city-visits';
import type { VolumeProfile } from './city-volume';

export { communityCentresPerDistrict, REGION_CODES } from './city-districts';
export { abnormalFlagOf } from './city-lab-tests';
export { mulberry32 } from './city-random';
export type {
  City,
  Coding,
  EncounterSeed,
  LabReportSeed,
  ObservationSeed,
  OrganizationLevel,
  OrganizationSeed,
  PrescriptionItemSeed,
  PrescriptionSeed,
  ReferralSeed,
  ResidentSeed,
} from './city-records';
export { CITY_REGION_CODE, ICD10, LOINC, NMPA } from './city-records';
export { LOAD_TEST_VOLUME, type VolumeProfile } from './city-volume';

/**
 * Residents first, then each resident's visits and referral, then the reports and
 * prescriptions of those visits: every step draws from the one random source in this order.
 */
export function generateCity(options: { seed: number; residents: number; now: Date; volume?: VolumeProfile }): City {
  const generation = startGeneration(options.seed, options.now);
  const people = drawResidents(generation, options.residents, options.volume);
  const referrals: ReferralSeed[] = [];
  for (const person of people) {
    generation.encountersOf.set(person, []);
    drawVisits(generation, person);
    const referral = drawReferral(generation, person);
    if (referral) referrals.push(referral);
    generation.encountersOf.get(person)?.sort((a, b) => a.start.localeCompare(b.start));
  }
  const labReports = drawLabReports(generation, people);
  const prescriptions = drawPrescriptions(generation, people);
  return {
    organizations: generation.organizations.all.map(({ seed }) => ({ ...seed })),
    residents: people.map(({ seed }) => seed),
    encounters: people.flatMap((person) => generation.encountersOf.get(person) ?? []),
    labReports,
    prescriptions,
    referrals,
  };
}
