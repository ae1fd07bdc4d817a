/**
 * Volume profiles: how many visits each resident of a load-test city has, in place of the
 * demo's everyday spread, and how lab reports and prescriptions grow with them.
 */

import type { Random } from './city-random';

/**
 * A heavy-tailed spread of visits per resident (log-normal around the median, plus a share
 * of heavy users such as dialysis or oncology patients), for load tests. Lab reports and
 * prescriptions grow with the visits instead of staying at the demo's handful.
 */
export interface VolumeProfile {
  medianVisits: number;
  heavyShare: number;
  heavyVisits: [min: number, max: number];
}

/** The load tests' city: a median of about 50 records per resident, 1% heavy residents with 1,000 to 2,000. */
export const LOAD_TEST_VOLUME: VolumeProfile = { medianVisits: 30, heavyShare: 0.01, heavyVisits: [660, 1130] };

/** Lab reports and prescriptions per visit under a volume profile. */
export const REPORTS_PER_VISIT = 0.35;
export const PRESCRIPTIONS_PER_VISIT = 0.3;

/** Resident number `index`'s visits; heavy residents are spread evenly, so even a small city has its share. */
export function visitsOf(volume: VolumeProfile, index: number, random: Random): number {
  if (Math.floor((index + 1) * volume.heavyShare) > Math.floor(index * volume.heavyShare)) return random.int(...volume.heavyVisits);
  // Box-Muller: a standard normal draw, spread so a tenth of residents have under a third of the median.
  const normal = Math.sqrt(-2 * Math.log(1 - random.float())) * Math.cos(2 * Math.PI * random.float());
  return Math.max(1, Math.round(volume.medianVisits * Math.exp(0.85 * normal)));
}
