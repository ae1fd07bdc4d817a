/**
 * The city's residents: sex, age from the city's age structure, home district and community
 * centre, a unique ID number and mobile number, a name of their generation, their chronic
 * conditions and the regimen each is treated with.
 */

import { makeIdNumber } from '../../access-control/id-number';
import { DAY, iso, YEAR } from './city-calendar';
import { CHRONIC } from './city-conditions';
import { districtWeights, REGION_CODES } from './city-districts';
import { type Drug, drug, TREATMENTS } from './city-drugs';
import type { Generation, Person } from './city-generation';
import { AGE_BANDS, GIVEN_NAMES, MOBILE_PREFIXES, SURNAMES } from './city-population';
import { type Random, WeightedTable } from './city-random';
import type { Gender } from './city-records';
import { type VolumeProfile, visitsOf } from './city-volume';

const districtTable = new WeightedTable(districtWeights(), (district) => district.weight);
const surnameTable = new WeightedTable(SURNAMES, ([, weight]) => weight);

/** Numbers already given out in this city. */
interface Issued {
  idNumbers: Set<string>;
  phones: Set<string>;
}

export function drawResidents(generation: Generation, count: number, volume: VolumeProfile | undefined): Person[] {
  const issued: Issued = { idNumbers: new Set(), phones: new Set() };
  const people: Person[] = [];
  for (let index = 0; index < count; index++) people.push(drawResident(generation, issued, index, volume));
  return people;
}

/** Resident number `index`; a volume profile also draws how many visits they have. */
function drawResident(generation: Generation, issued: Issued, index: number, volume: VolumeProfile | undefined): Person {
  const { random, now, organizations } = generation;
  const gender: Gender = random.chance(0.5) ? 'MALE' : 'FEMALE';
  const band = random.index(AGE_BANDS);
  // Nobody younger than two months: every resident has had time for a first visit.
  const birthMs = Math.floor((now - Math.max(60 * DAY, (band * 5 + random.float() * 5) * YEAR)) / DAY) * DAY;
  const birthDate = iso(birthMs).slice(0, 10);
  const birthYear = Number(birthDate.slice(0, 4));
  const district = districtTable.pick(random).name;
  const idNumber = uniqueIdNumber(random, issued, REGION_CODES[district] ?? '320106', birthDate, gender);
  const phone = uniquePhone(random, issued);
  const era = birthYear < 1970 ? 'older' : birthYear < 2000 ? 'middle' : 'younger';
  const name = surnameTable.pick(random)[0] + random.pick(GIVEN_NAMES[era][gender]);

  const age = Math.floor((now - birthMs) / YEAR);
  const chronic = CHRONIC.filter(([, prevalence]) => random.chance(prevalence(age))).map(([chronicCode]) => chronicCode);
  const regimen = regimenFor(random, chronic);
  const home = random.pick(organizations.centresByDistrict.get(district) ?? organizations.ofLevel('COMMUNITY'));
  const visits = volume ? visitsOf(volume, index, random) : null;
  return { seed: { id: generation.newId(), name, gender, birthDate, idNumber, phone, district }, birthMs, chronic, regimen, home, visits };
}

function uniqueIdNumber(random: Random, issued: Issued, regionCode: string, birthDate: string, gender: Gender): string {
  let idNumber: string;
  do idNumber = makeIdNumber(regionCode, birthDate, random.int(0, 499) * 2 + (gender === 'MALE' ? 1 : 0));
  while (issued.idNumbers.has(idNumber));
  issued.idNumbers.add(idNumber);
  return idNumber;
}

function uniquePhone(random: Random, issued: Issued): string {
  let phone: string;
  do phone = random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
  while (issued.phones.has(phone));
  issued.phones.add(phone);
  return phone;
}

/** One or two drugs per chronic condition (coronary heart disease always two). */
function regimenFor(random: Random, chronic: readonly string[]): Map<string, Drug[]> {
  const regimen = new Map<string, Drug[]>();
  for (const chronicCode of chronic) {
    const drugOptions = TREATMENTS.get(chronicCode)?.[1] ?? [];
    const count = chronicCode === 'I25.1' ? 2 : random.chance(0.3) ? 2 : 1;
    regimen.set(chronicCode, random.shuffled(drugOptions).slice(0, count).map(drug));
  }
  return regimen;
}
