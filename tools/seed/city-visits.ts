/**
 * A resident's visits: the setting (community centre, internet hospital or hospital), the
 * class, when, which organization, and the diagnoses and department that organization gives.
 * Also the encounter record itself, which referrals add to.
 */

import { DAY, iso, MINUTE, visitTime } from './city-calendar';
import { CHILDREN_HOSPITAL_DEPARTMENTS, COMPANIONS, CONDITIONS, type Condition, condition, DENTAL_DEPARTMENTS, fits } from './city-conditions';
import { ageAt, type Generation, type Person } from './city-generation';
import type { Organization } from './city-organizations';
import { type Random, WeightedTable } from './city-random';
import type { EncounterClass, EncounterSeed, Gender } from './city-records';

type Setting = 'community' | 'virtual' | 'hospital';

/** The diagnoses an organization gives a patient of this age, sex and class; `table` draws the non-chronic ones. */
interface Pool {
  all: Condition[];
  table: WeightedTable<Condition> | null;
}
// Pools follow from the fixed condition table alone, so one cache serves every city.
const pools = new Map<string, Pool>();

function poolFor(organization: Organization, age: number, gender: Gender, classLetter: string): Pool {
  const { specialty } = organization;
  const letter = age < 14 && specialty.childPool ? specialty.childPool : specialty.pool;
  const key = `${letter}|${specialty.maxAge !== undefined && age > specialty.maxAge ? 'none' : age}|${gender}|${classLetter}`;
  let pool = pools.get(key);
  if (!pool) {
    const all = key.includes('none')
      ? []
      : [...CONDITIONS.values()].filter((item) => item.pools.includes(letter) && item.classes.includes(classLetter) && fits(item, age, gender));
    const weighted = all.filter((item) => item.weight > 0);
    pool = { all, table: weighted.length ? new WeightedTable(weighted, (item) => item.weight) : null };
    pools.set(key, pool);
  }
  return pool;
}

export function addEncounter(
  generation: Generation,
  person: Person,
  organization: Organization,
  encounterClass: EncounterClass,
  department: string,
  start: number,
  end: number,
  diagnoses: Condition[],
): EncounterSeed {
  const encounter: EncounterSeed = {
    id: generation.newId(),
    residentId: person.seed.id,
    organizationCode: organization.seed.code,
    encounterClass,
    department,
    start: iso(start),
    end: iso(end),
    diagnoses: diagnoses.map((item) => item.coding),
  };
  generation.encountersOf.get(person)?.push(encounter);
  return encounter;
}

function departmentFor(item: Condition, organization: Organization, encounterClass: EncounterClass, age: number): string {
  if (encounterClass === 'EMERGENCY') return '急诊科';
  if (organization.seed.level === 'COMMUNITY') return item.coding.code === 'Z00.1' ? '儿童保健科' : '全科医学科';
  let department = item.department;
  if (DENTAL_DEPARTMENTS.has(department) && !organization.specialty.dental) department = '口腔科';
  if (organization.specialty.children)
    return CHILDREN_HOSPITAL_DEPARTMENTS[department] ?? (department.endsWith('内科') ? `${department.slice(0, -2)}科` : department);
  if (age < 14 && department.endsWith('内科')) return '儿科';
  return department;
}

/** The primary diagnosis first, then chronic conditions and companions, at most three. */
export function diagnosesFor(
  random: Random,
  person: Person,
  primary: Condition,
  organization: Organization,
  encounterClass: EncounterClass,
  age: number,
): Condition[] {
  const diagnoses = [primary];
  const wanted = encounterClass === 'INPATIENT' ? random.int(1, 2) : (random.chance(0.35) ? 1 : 0) + (random.chance(0.1) ? 1 : 0);
  const listsComorbidities = encounterClass === 'INPATIENT' || 'gc'.includes(organization.specialty.pool);
  const candidates = [...(listsComorbidities ? random.shuffled(person.chronic) : []), ...(COMPANIONS[primary.coding.code] ?? [])];
  for (const candidate of candidates) {
    if (diagnoses.length > wanted) break;
    const item = condition(candidate);
    if (!diagnoses.includes(item) && fits(item, age, person.seed.gender)) diagnoses.push(item);
  }
  return diagnoses;
}

function durationOf(random: Random, encounterClass: EncounterClass, community: boolean, age: number): number {
  if (encounterClass === 'INPATIENT') return (random.int(3, 10) + (age >= 65 ? random.int(0, 5) : 0)) * DAY + random.int(-180, 180) * MINUTE;
  if (encounterClass === 'EMERGENCY') return random.int(60, 360) * MINUTE;
  if (encounterClass === 'VIRTUAL') return random.int(5, 15) * MINUTE;
  return random.int(community ? 5 : 8, community ? 20 : 45) * MINUTE;
}

/** Where a visit happens, and its class: older residents and infants are admitted more often. */
function drawSetting(random: Random, age: number): { setting: Setting; encounterClass: EncounterClass } {
  const roll = random.float();
  const setting = roll < 0.05 ? 'community' : roll < 0.08 ? 'virtual' : 'hospital';
  let encounterClass: EncounterClass = 'OUTPATIENT';
  if (setting === 'virtual') encounterClass = 'VIRTUAL';
  else if (setting === 'hospital') {
    const inpatientShare = age >= 60 ? 0.09 : age < 5 ? 0.05 : 0.04;
    const classRoll = random.float();
    encounterClass = classRoll < inpatientShare ? 'INPATIENT' : classRoll < inpatientShare + 0.11 ? 'EMERGENCY' : 'OUTPATIENT';
  }
  return { setting, encounterClass };
}

/** A start inside the record window, in the hours the class is seen, leaving room for the visit to end by now. */
function drawStart(generation: Generation, person: Person, encounterClass: EncounterClass, duration: number): number {
  const { random, now } = generation;
  const from = Math.max(generation.windowStart, person.birthMs + DAY);
  return encounterClass === 'EMERGENCY'
    ? visitTime(random, from, now - duration, 0, 24 * 60)
    : encounterClass === 'VIRTUAL'
      ? visitTime(random, from, now - duration, 8 * 60, 22 * 60)
      : visitTime(random, from, now - duration, 8 * 60, 17 * 60);
}

function drawOrganization(generation: Generation, person: Person, setting: Setting, encounterClass: EncounterClass): Organization {
  const { random, organizations } = generation;
  return setting === 'community'
    ? person.home
    : setting === 'virtual'
      ? organizations.internet.pick(random)
      : encounterClass === 'INPATIENT'
        ? organizations.inpatient.pick(random)
        : organizations.outpatient.pick(random);
}

/** A follow-up of a chronic condition the organization treats, or a new diagnosis from its pool; null if it sees neither. */
function drawPrimary(random: Random, person: Person, pool: Pool, setting: Setting, encounterClass: EncounterClass): Condition | null {
  const chronicHere = pool.all.filter((item) => person.chronic.includes(item.coding.code));
  const followUpShare =
    setting === 'virtual' ? 0.85 : setting === 'community' ? 0.75 : { OUTPATIENT: 0.55, INPATIENT: 0.25, EMERGENCY: 0.1, VIRTUAL: 0.85 }[encounterClass];
  let primary: Condition | null = null;
  if (chronicHere.length && (random.chance(followUpShare) || !pool.table)) primary = random.pick(chronicHere);
  else if (pool.table) primary = pool.table.pick(random);
  return primary;
}

/** One visit: where, when, why. Specialist hospitals that do not see this resident are drawn again. */
function visit(generation: Generation, person: Person): EncounterSeed {
  const { random, now } = generation;
  const currentAge = ageAt(person, now);
  const drawn = drawSetting(random, currentAge);
  const { setting } = drawn;
  let { encounterClass } = drawn;
  const duration = durationOf(random, encounterClass, setting === 'community', currentAge);
  const start = drawStart(generation, person, encounterClass, duration);
  const age = ageAt(person, start);

  for (let attempt = 0; ; attempt++) {
    // Emergencies and admissions that no drawn hospital takes become ordinary outpatient visits.
    if (attempt === 30 && (encounterClass === 'EMERGENCY' || encounterClass === 'INPATIENT')) encounterClass = 'OUTPATIENT';
    if (attempt === 1000) throw new Error(`No organization sees resident ${person.seed.id}`);
    const organization = drawOrganization(generation, person, setting, encounterClass);
    const classLetter = encounterClass === 'EMERGENCY' ? 'E' : encounterClass === 'INPATIENT' ? 'I' : 'O';
    const pool = poolFor(organization, age, person.seed.gender, classLetter);
    const primary = drawPrimary(random, person, pool, setting, encounterClass);
    if (!primary) continue;
    const end = start + (encounterClass === 'OUTPATIENT' && duration > DAY ? random.int(8, 45) * MINUTE : duration);
    const department = departmentFor(primary, organization, encounterClass, age);
    const diagnoses = diagnosesFor(random, person, primary, organization, encounterClass, age);
    return addEncounter(generation, person, organization, encounterClass, department, start, Math.min(end, now), diagnoses);
  }
}

/** The resident's everyday visits: a volume profile's count, or a few (more with chronic conditions), at most 10. */
export function drawVisits(generation: Generation, person: Person): void {
  const { random } = generation;
  // At most 10 here, leaving room for the two a referral may add.
  const count = person.visits ?? Math.min(10, 1 + Math.floor(-Math.log(1 - random.float()) * (1.3 + 0.8 * person.chronic.length)));
  for (let i = 0; i < count; i++) visit(generation, person);
}
