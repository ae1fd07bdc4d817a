/**
 * Referrals between the city's organizations: a hospital hands a discharged inpatient back
 * to the community centre near home, or a family doctor sends a resident up to a tertiary
 * hospital's specialist. Completed referrals bring the visit at the receiving end.
 */

import { DAY, iso, MINUTE, visitTime } from './city-calendar';
import { condition, fits, REFERRAL_REASONS } from './city-conditions';
import { ageAt, type Generation, type Person } from './city-generation';
import { at, type Random } from './city-random';
import type { EncounterSeed, ReferralSeed } from './city-records';
import { addEncounter, diagnosesFor } from './city-visits';

/** About 10% of residents get a referral (12% asked: children and residents with no reason for one are skipped). */
export function drawReferral(generation: Generation, person: Person): ReferralSeed | null {
  const { random, organizations } = generation;
  if (!random.chance(0.12)) return null;
  const stays = (generation.encountersOf.get(person) ?? []).filter(
    (encounter) => encounter.encounterClass === 'INPATIENT' && organizations.organizationOf(encounter.organizationCode).seed.level === 'TERTIARY',
  );
  if (stays.length && random.chance(0.35)) return referDown(generation, person, random.pick(stays));
  return referUp(generation, person);
}

/** Older referrals are mostly settled. */
function referralStatus(generation: Generation, requestedAt: number): ReferralSeed['status'] {
  const { random, now } = generation;
  const daysAgo = (now - requestedAt) / DAY;
  const statuses: ReferralSeed['status'][] = ['REQUESTED', 'ACCEPTED', 'COMPLETED', 'REJECTED'];
  if (daysAgo < 3) return at(statuses, random.index([60, 30, 0, 10]));
  if (daysAgo < 21) return at(statuses, random.index([5, 50, 35, 10]));
  return at(statuses, random.index([0, 4, 84, 12]));
}

/** A hospital hands a discharged inpatient back to the community centre near home. */
function referDown(generation: Generation, person: Person, stay: EncounterSeed): ReferralSeed {
  const { random, now } = generation;
  const diagnosis = at(stay.diagnoses, 0);
  const requestedAt = Date.parse(stay.end) - random.int(60, 240) * MINUTE;
  let status = referralStatus(generation, requestedAt);
  if (status === 'COMPLETED') {
    const duration = random.int(5, 20) * MINUTE;
    const after = Date.parse(stay.end) + 2 * DAY;
    if (after + 8 * DAY > now - duration) status = 'ACCEPTED';
    else {
      const start = visitTime(random, after, after + 8 * DAY, 8 * 60, 17 * 60);
      addEncounter(generation, person, person.home, 'OUTPATIENT', '全科医学科', start, start + duration, [condition(diagnosis.code)]);
    }
  }
  const reason = random.chance(0.5) ? `${diagnosis.display}出院后社区康复随访` : `${diagnosis.display}病情稳定，转社区继续治疗`;
  return {
    id: generation.newId(),
    residentId: person.seed.id,
    fromOrganizationCode: stay.organizationCode,
    toOrganizationCode: person.home.seed.code,
    toDepartment: '全科医学科',
    reason,
    status,
    requestedAt: iso(requestedAt),
  };
}

/** Mostly one of the resident's chronic conditions, else any condition a community centre refers up for. */
function referralReasonFor(random: Random, person: Person, age: number): string | null {
  const gender = person.seed.gender;
  const chronicReasons = person.chronic.filter((chronicCode) => REFERRAL_REASONS[chronicCode]);
  const otherReasons = Object.keys(REFERRAL_REASONS).filter((reasonCode) => condition(reasonCode).weight > 0 && fits(condition(reasonCode), age, gender));
  return chronicReasons.length && random.chance(0.8) ? random.pick(chronicReasons) : otherReasons.length ? random.pick(otherReasons) : null;
}

/** A family doctor sends a resident up to a tertiary hospital's specialist department. */
function referUp(generation: Generation, person: Person): ReferralSeed | null {
  const { random, now, organizations } = generation;
  const age = ageAt(person, now);
  // Adults only: the visit may lie three years back, and children go to paediatrics.
  if (age < 18) return null;
  const reasonCode = referralReasonFor(random, person, age);
  const reason = reasonCode ? REFERRAL_REASONS[reasonCode] : undefined;
  if (!reasonCode || !reason) return null;
  const [department, text] = reason;
  const primary = condition(reasonCode);
  const duration = random.int(8, 20) * MINUTE;
  const from = Math.max(generation.windowStart, person.birthMs + DAY);
  const start = random.chance(0.15)
    ? visitTime(random, Math.max(from, now - 30 * DAY), now - duration, 8 * 60, 17 * 60)
    : visitTime(random, from, now - duration, 8 * 60, 17 * 60);
  const diagnoses = diagnosesFor(random, person, primary, person.home, 'OUTPATIENT', age);
  addEncounter(generation, person, person.home, 'OUTPATIENT', '全科医学科', start, start + duration, diagnoses);
  const requestedAt = start + random.int(3, Math.round(duration / MINUTE)) * MINUTE;
  const target = organizations.referralTargets.pick(random);
  let status = referralStatus(generation, requestedAt);
  if (status === 'COMPLETED') {
    const visitDuration = random.int(10, 40) * MINUTE;
    const after = requestedAt + DAY;
    const latest = Math.min(requestedAt + 14 * DAY, now - visitDuration);
    if (latest - after < 2 * DAY) status = 'ACCEPTED';
    else {
      const visitStart = visitTime(random, after, latest, 8 * 60, 17 * 60);
      addEncounter(generation, person, target, 'OUTPATIENT', department, visitStart, visitStart + visitDuration, [primary]);
    }
  }
  return {
    id: generation.newId(),
    residentId: person.seed.id,
    fromOrganizationCode: person.home.seed.code,
    toOrganizationCode: target.seed.code,
    toDepartment: department,
    reason: text,
    status,
    requestedAt: iso(requestedAt),
  };
}
