/**
 * The demo city's organizations: the bulletin's tertiary and secondary hospitals, the
 * community health centres of each district, the internet hospitals of the busiest hospitals
 * and the online pharmacies, with the specialty that decides which diagnoses each one sees,
 * and the weighted tables visits and referrals draw them from.
 */

import { communityCentresPerDistrict, DISTRICTS, districtOfHospital } from './city-districts';
import { median, WeightedTable } from './city-random';
import { CITY_REGION_CODE, type OrganizationLevel, type OrganizationSeed } from './city-records';
import bulletin from './nanjing-2024-09.json';

/** Which diagnoses an organization sees: a letter of each condition's `pools`. */
export interface Specialty {
  pool: string;
  childPool?: string;
  maxAge?: number;
  children?: true;
  dental?: true;
}
const GENERAL: Specialty = { pool: 'g' };
const COMMUNITY: Specialty = { pool: 'c' };
const SPECIALTIES: readonly [RegExp, Specialty][] = [
  [/儿童医院/, { pool: 'k', maxAge: 17, children: true }],
  [/妇幼/, { pool: 'w', childPool: 'k' }],
  [/口腔/, { pool: 'd', dental: true }],
  [/眼科/, { pool: 'e' }],
  [/脑科/, { pool: 'n' }],
  [/胸科/, { pool: 't' }],
  [/肿瘤/, { pool: 'o' }],
  [/皮肤病/, { pool: 's' }],
  [/整形/, { pool: 'p' }],
  [/耳鼻喉/, { pool: 'h' }],
  [/职业病/, { pool: 'x' }],
];
const specialtyOf = (name: string): Specialty => SPECIALTIES.find(([pattern]) => pattern.test(name))?.[1] ?? GENERAL;

export interface Organization {
  seed: OrganizationSeed;
  specialty: Specialty;
  /** Monthly outpatient visits, with the median standing in where the bulletin printed none. */
  visitWeight: number;
  dischargeWeight: number;
}

const INTERNET_HOSPITALS = 23;
const PHARMACIES: readonly [string, string][] = [
  ['鼓楼', '鼓楼区'],
  ['玄武', '玄武区'],
  ['秦淮', '秦淮区'],
  ['建邺', '建邺区'],
  ['雨花', '雨花台区'],
  ['栖霞', '栖霞区'],
  ['仙林', '栖霞区'],
  ['江宁', '江宁区'],
  ['浦口', '浦口区'],
  ['江北', '江北新区'],
  ['六合', '六合区'],
  ['溧水', '溧水区'],
  ['高淳', '高淳区'],
];

const code = (prefix: string, index: number, digits: number) => `${CITY_REGION_CODE}-${prefix}${String(index + 1).padStart(digits, '0')}`;

interface HospitalRow {
  name: string;
  level: 'TERTIARY' | 'SECONDARY';
  outpatientVisits: number;
  discharges: number;
}

/**
 * The bulletin's data-collection hospitals are tertiary; its 21 secondary hospitals are the seed's
 * list: those of the appointment table by the bulletin's names and figures, the rest demo names
 * without figures (`"demo": true`), weighted as the median secondary hospital.
 */
function hospitalRows(): { tertiary: HospitalRow[]; all: HospitalRow[] } {
  const tertiary = bulletin.dataCollectionByHospital.map((hospital) => ({
    name: hospital.name,
    level: 'TERTIARY' as const,
    outpatientVisits: hospital.outpatientVisits,
    discharges: hospital.discharges,
  }));
  const known = new Set(tertiary.map((hospital) => hospital.name));
  const appointments = new Map(bulletin.appointmentsByHospital.map((hospital) => [hospital.name, hospital.total]));
  for (const name of appointments.keys())
    if (!known.has(name) && !bulletin.secondaryHospitals.some((hospital) => hospital.name === name))
      throw new Error(`The bulletin's ${name} takes appointments but is neither a tertiary nor a secondary hospital of the seed`);
  const secondary = bulletin.secondaryHospitals.map((hospital) => {
    const total = appointments.get(hospital.name);
    if (total === undefined && !('demo' in hospital)) throw new Error(`The secondary hospital ${hospital.name} is not the bulletin's: mark it demo`);
    return { name: hospital.name, level: 'SECONDARY' as const, outpatientVisits: (total ?? 0) * 20, discharges: 0 };
  });
  return { tertiary, all: [...tertiary, ...secondary] };
}

function hospitals(): Organization[] {
  const { tertiary, all: rows } = hospitalRows();
  // A 0 in the bulletin means "not reported", not "no patients".
  const medianVisits = median(rows.map((row) => row.outpatientVisits).filter((visits) => visits > 0));
  const medianDischarges = median(tertiary.map((row) => row.discharges).filter((discharges) => discharges > 0));
  // The demo secondary hospitals have no figures: they weigh as the bulletin's median secondary one, not as a tertiary one.
  const medianSecondaryVisits = median(rows.filter((row) => row.level === 'SECONDARY' && row.outpatientVisits > 0).map((row) => row.outpatientVisits));
  return rows.map((row, index) => ({
    seed: {
      code: code('H', index, 3),
      name: row.name,
      level: row.level,
      district: districtOfHospital(row.name),
      outpatientVisits: row.outpatientVisits,
      discharges: row.discharges,
    },
    specialty: specialtyOf(row.name),
    visitWeight: row.outpatientVisits || (row.level === 'SECONDARY' ? medianSecondaryVisits : medianVisits),
    dischargeWeight: row.level === 'TERTIARY' ? row.discharges || medianDischarges : 0,
  }));
}

/** Each district's centres share its bulletin volumes equally. */
function communityCentres(): Organization[] {
  const community: Organization[] = [];
  const perDistrict = communityCentresPerDistrict();
  for (const district of bulletin.dataCollectionByDistrict) {
    const count = perDistrict.get(district.name) ?? 0;
    const places = DISTRICTS.find((candidate) => candidate.name === district.name)?.places ?? [];
    if (places.length < count) throw new Error(`Not enough place names for ${count} centres in ${district.name}`);
    for (const place of places.slice(0, count)) {
      community.push({
        seed: {
          code: code('C', community.length, 3),
          name: `南京市${district.name}${place}社区卫生服务中心`,
          level: 'COMMUNITY',
          district: district.name,
          outpatientVisits: Math.round(district.outpatientVisits / count),
          discharges: Math.round(district.discharges / count),
        },
        specialty: COMMUNITY,
        visitWeight: 1,
        dischargeWeight: 0,
      });
    }
  }
  return community;
}

/** The busiest hospitals each run an internet hospital with their own specialty and weight. */
function internetHospitals(of: readonly Organization[]): Organization[] {
  const busiest = [...of].sort((a, b) => b.visitWeight - a.visitWeight).slice(0, INTERNET_HOSPITALS);
  return busiest.map((hospital, index) => ({
    seed: {
      code: code('I', index, 2),
      name: `${hospital.seed.name}互联网医院`,
      level: 'INTERNET_HOSPITAL',
      district: hospital.seed.district,
      outpatientVisits: 0,
      discharges: 0,
    },
    specialty: hospital.specialty,
    visitWeight: hospital.visitWeight,
    dischargeWeight: 0,
  }));
}

function pharmacies(): Organization[] {
  return PHARMACIES.map(([label, district], index) => ({
    seed: { code: code('P', index, 2), name: `南京医药云药房（${label}）`, level: 'PHARMACY', district, outpatientVisits: 0, discharges: 0 },
    specialty: GENERAL,
    visitWeight: 0,
    dischargeWeight: 0,
  }));
}

/** The 12320 health hotline's centre (南京市卫生信息中心 runs it): its operators' and telephony's tokens name it. */
export const HOTLINE_CENTRE_CODE = '3201-T01';
function hotlineCentre(): Organization {
  return {
    seed: { code: HOTLINE_CENTRE_CODE, name: '南京12320卫生热线', level: 'HOTLINE', district: '鼓楼区', outpatientVisits: 0, discharges: 0 },
    specialty: GENERAL,
    visitWeight: 0,
    dischargeWeight: 0,
  };
}

function buildOrganizations(): Organization[] {
  const hospitalList = hospitals();
  return [...hospitalList, ...communityCentres(), ...internetHospitals(hospitalList), ...pharmacies(), hotlineCentre()];
}

/** A city's organizations, looked up by code or level, and the weighted tables visits and referrals draw from. */
export interface OrganizationDirectory {
  all: Organization[];
  organizationOf(organizationCode: string): Organization;
  ofLevel(...levels: OrganizationLevel[]): Organization[];
  /** Hospitals by outpatient visits. */
  outpatient: WeightedTable<Organization>;
  /** Hospitals by discharges (the secondary ones report none). */
  inpatient: WeightedTable<Organization>;
  internet: WeightedTable<Organization>;
  /** General tertiary hospitals, where community centres refer residents up. */
  referralTargets: WeightedTable<Organization>;
  centresByDistrict: Map<string, Organization[]>;
}

export function organizationDirectory(): OrganizationDirectory {
  const all = buildOrganizations();
  const byCode = new Map(all.map((organization) => [organization.seed.code, organization]));
  const organizationOf = (organizationCode: string): Organization => {
    const found = byCode.get(organizationCode);
    if (!found) throw new Error(`Unknown organization ${organizationCode}`);
    return found;
  };
  const ofLevel = (...levels: OrganizationLevel[]) => all.filter((organization) => levels.includes(organization.seed.level));
  const centresByDistrict = new Map<string, Organization[]>();
  for (const centre of ofLevel('COMMUNITY')) centresByDistrict.set(centre.seed.district, [...(centresByDistrict.get(centre.seed.district) ?? []), centre]);
  return {
    all,
    organizationOf,
    ofLevel,
    outpatient: new WeightedTable(ofLevel('TERTIARY', 'SECONDARY'), (organization) => organization.visitWeight),
    inpatient: new WeightedTable(ofLevel('TERTIARY', 'SECONDARY'), (organization) => organization.dischargeWeight),
    internet: new WeightedTable(ofLevel('INTERNET_HOSPITAL'), (organization) => organization.visitWeight),
    referralTargets: new WeightedTable(
      ofLevel('TERTIARY').filter((organization) => organization.specialty === GENERAL),
      (organization) => organization.visitWeight,
    ),
    centresByDistrict,
  };
}
