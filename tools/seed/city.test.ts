import { isValidIdNumber } from '../../access-control/id-number';
import { sensitivityOfIcd10 } from '../../access-control/sensitivity';
import { catalogueItem } from '../../subgraphs/labs/catalogue';
import { checkOrderItem } from '../../subgraphs/labs/lab-rules';
import {
  type City,
  type EncounterSeed,
  generateCity,
  type LabReportSeed,
  LOAD_TEST_VOLUME,
  type ObservationSeed,
  type OrganizationLevel,
  REGION_CODES,
} from './city';
import { type DemoFacts, pickDemoFacts } from './demo-facts';
import { DEMO_LAB_CHECKS, type DemoStory, demoStoryOf, RESTRICTED_DIAGNOSIS, UNRESTRICTED_CATEGORY, UNRESTRICTED_DIAGNOSIS } from './demo-story';
import { labsOf } from './labs-seed';
import bulletin from './nanjing-2024-09.json';
import { slotPoolHospitalCodes } from './referrals-seed';
import { DEMO_RESIDENTS, DEMO_SEED } from './seed';

const NOW = new Date('2024-10-25T04:00:00.000Z');
const HEX24 = /^[0-9a-f]{24}$/;
const CHRONIC = new Set(['I10', 'E11.9', 'J44.9', 'E78.5', 'I25.1']);

let city: City;
beforeAll(() => {
  city = generateCity({ seed: 20240925, residents: 5000, now: NOW });
});

const organizationsByCode = () => new Map(city.organizations.map((organization) => [organization.code, organization]));
const ofLevel = (level: OrganizationLevel) => city.organizations.filter((organization) => organization.level === level);
const isIso = (value: string) => new Date(value).toISOString() === value;
/** The ids of the records that break a rule: per-record `expect` calls would make this suite slow. */
const violations = <T extends { id: string }>(records: readonly T[], ok: (record: T) => boolean): string[] =>
  records.filter((record) => !ok(record)).map((record) => record.id);

describe('generateCity', () => {
  it('is deterministic for the same seed, size and now', () => {
    const options = { seed: 7, residents: 400, now: NOW };
    expect(generateCity(options)).toEqual(generateCity(options));
    expect(generateCity({ ...options, seed: 8 }).residents).not.toEqual(generateCity(options).residents);
  });

  it('generates the residents asked for', () => {
    expect(city.residents).toHaveLength(5000);
  });

  it('gives a load-test city a heavy tail: a median near 50 records, and 1% of residents with 1,000 to 2,000', () => {
    const loaded = generateCity({ seed: 3, residents: 1000, now: NOW, volume: LOAD_TEST_VOLUME });
    const counts = new Map<string, number>();
    for (const item of [...loaded.encounters, ...loaded.labReports, ...loaded.prescriptions, ...loaded.referrals])
      counts.set(item.residentId, (counts.get(item.residentId) ?? 0) + 1);
    const sorted = loaded.residents.map((resident) => counts.get(resident.id) ?? 0).sort((a, b) => a - b);
    expect(sorted[500]).toBeGreaterThanOrEqual(40);
    expect(sorted[500]).toBeLessThanOrEqual(60);
    const heavy = sorted.filter((records) => records >= 1000);
    expect(heavy).toHaveLength(10);
    expect(Math.max(...heavy)).toBeLessThanOrEqual(2000);
  });

  it('has every kind of organization of the bulletin', () => {
    expect(ofLevel('TERTIARY')).toHaveLength(39);
    // The bulletin's 21: the 10 of its appointment table and 11 demo names (3201-H050 to H060).
    expect(ofLevel('SECONDARY')).toHaveLength(21);
    expect(ofLevel('COMMUNITY')).toHaveLength(131);
    expect(ofLevel('INTERNET_HOSPITAL')).toHaveLength(23);
    expect(ofLevel('PHARMACY')).toHaveLength(13);
    // The 12320 hotline's centre, whose operators' tokens name it.
    expect(ofLevel('HOTLINE')).toEqual([expect.objectContaining({ code: '3201-T01', name: '南京12320卫生热线' })]);
    expect(new Set(city.organizations.map((organization) => organization.code)).size).toBe(city.organizations.length);
    for (const organization of city.organizations) expect(organization.code).toMatch(/^3201-(H\d{3}|C\d{3}|I\d{2}|P\d{2}|T\d{2})$/);
    expect(city.organizations[0]).toMatchObject({ code: '3201-H001', name: '江苏省中医院', level: 'TERTIARY', outpatientVisits: 581997, discharges: 6236 });
    expect(city.organizations.find((organization) => organization.name === '南京鼓楼医院江北国际医院')).toMatchObject({
      level: 'SECONDARY',
      district: '江北新区',
      outpatientVisits: 2044 * 20,
    });
    expect(city.organizations.find((organization) => organization.name === '南京市高淳人民医院')?.district).toBe('高淳区');
    expect(city.organizations.find((organization) => organization.name === '南京市栖霞区医院')).toEqual({
      code: '3201-H055',
      name: '南京市栖霞区医院',
      level: 'SECONDARY',
      district: '栖霞区',
      outpatientVisits: 0,
      discharges: 0,
    });
    expect(city.organizations.find((organization) => organization.name === '泰康仙林鼓楼医院')?.district).toBe('栖霞区');
  });

  it('spreads community centres over the 12 districts, at least 3 each, more where visits are higher', () => {
    const districts = bulletin.dataCollectionByDistrict.map((district) => district.name);
    const counts = new Map(districts.map((district) => [district, ofLevel('COMMUNITY').filter((centre) => centre.district === district).length]));
    for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(3);
    expect(counts.get('江宁区')).toBeGreaterThan(counts.get('玄武区') ?? Infinity);
    expect(counts.get('秦淮区')).toBeGreaterThan(3);
    for (const centre of ofLevel('COMMUNITY')) expect(centre.name).toMatch(new RegExp(`^南京市${centre.district}.+社区卫生服务中心$`));
    expect(new Set(ofLevel('COMMUNITY').map((centre) => centre.name)).size).toBe(131);
  });

  it('names internet hospitals after hospitals in the same district', () => {
    const hospitals = [...ofLevel('TERTIARY'), ...ofLevel('SECONDARY')];
    for (const internet of ofLevel('INTERNET_HOSPITAL')) {
      const parent = hospitals.find((hospital) => `${hospital.name}互联网医院` === internet.name);
      expect(parent?.district).toBe(internet.district);
    }
    expect(ofLevel('INTERNET_HOSPITAL').map((internet) => internet.name)).toContain('江苏省中医院互联网医院');
  });

  it('gives every resident a valid, unique ID number matching gender, birth date and district', () => {
    const { residents } = city;
    expect(violations(residents, (resident) => HEX24.test(resident.id))).toEqual([]);
    expect(violations(residents, (resident) => isValidIdNumber(resident.idNumber))).toEqual([]);
    expect(violations(residents, (resident) => resident.idNumber.slice(0, 6) === REGION_CODES[resident.district])).toEqual([]);
    expect(violations(residents, (resident) => resident.idNumber.slice(6, 14) === resident.birthDate.replaceAll('-', ''))).toEqual([]);
    expect(violations(residents, (resident) => Number(resident.idNumber.charAt(16)) % 2 === (resident.gender === 'MALE' ? 1 : 0))).toEqual([]);
    expect(violations(residents, (resident) => /^1[3-9]\d{9}$/.test(resident.phone))).toEqual([]);
    expect(violations(residents, (resident) => /^\p{Script=Han}{2,3}$/u.test(resident.name))).toEqual([]);
    expect(new Set(residents.map((resident) => resident.idNumber)).size).toBe(residents.length);
    expect(new Set(residents.map((resident) => resident.id)).size).toBe(residents.length);
  });

  it('has a plausible age and gender mix', () => {
    const ages = city.residents.map((resident) => (NOW.getTime() - Date.parse(resident.birthDate)) / (365.2425 * 86_400_000));
    const share = (test: (age: number) => boolean) => ages.filter(test).length / ages.length;
    expect(share((age) => age >= 60)).toBeGreaterThan(0.16);
    expect(share((age) => age >= 60)).toBeLessThan(0.25);
    expect(share((age) => age < 18)).toBeGreaterThan(0.12);
    expect(Math.max(...ages)).toBeLessThan(96);
    const men = city.residents.filter((resident) => resident.gender === 'MALE').length / city.residents.length;
    expect(men).toBeGreaterThan(0.45);
    expect(men).toBeLessThan(0.55);
  });

  it('gives every resident 1-12 encounters that refer to real residents and organizations', () => {
    const organizations = organizationsByCode();
    const residents = new Set(city.residents.map((resident) => resident.id));
    const { encounters } = city;
    const level = (code: string) => organizations.get(code)?.level;
    expect(violations(encounters, (encounter) => residents.has(encounter.residentId))).toEqual([]);
    expect(violations(encounters, (encounter) => level(encounter.organizationCode) !== undefined && level(encounter.organizationCode) !== 'PHARMACY')).toEqual(
      [],
    );
    expect(
      violations(encounters, (encounter) => (encounter.encounterClass === 'VIRTUAL') === (level(encounter.organizationCode) === 'INTERNET_HOSPITAL')),
    ).toEqual([]);
    expect(violations(encounters, (encounter) => isIso(encounter.start) && isIso(encounter.end) && encounter.start < encounter.end)).toEqual([]);
    expect(
      violations(encounters, (encounter) => Date.parse(encounter.end) <= NOW.getTime() && Date.parse(encounter.start) > NOW.getTime() - 3 * 366 * 86_400_000),
    ).toEqual([]);
    expect(violations(encounters, (encounter) => encounter.diagnoses.length >= 1 && encounter.diagnoses.length <= 3)).toEqual([]);
    expect(
      violations(encounters, (encounter) => encounter.diagnoses.every((diagnosis) => diagnosis.system === 'ICD-10' && diagnosis.display.length > 0)),
    ).toEqual([]);
    expect(
      violations(encounters, (encounter) => level(encounter.organizationCode) !== 'COMMUNITY' || ['全科医学科', '儿童保健科'].includes(encounter.department)),
    ).toEqual([]);
    expect(violations(encounters, (encounter) => (encounter.encounterClass === 'EMERGENCY') === (encounter.department === '急诊科'))).toEqual([]);
    const perResident = new Map<string, number>();
    for (const encounter of encounters) perResident.set(encounter.residentId, (perResident.get(encounter.residentId) ?? 0) + 1);
    expect(perResident.size).toBe(city.residents.length);
    const counts = [...perResident.values()];
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(12);
    expect(counts.filter((count) => count <= 3).length / counts.length).toBeGreaterThan(0.6);
    const share = (test: (encounterClass: string) => boolean) =>
      city.encounters.filter((encounter) => test(encounter.encounterClass)).length / city.encounters.length;
    expect(share((encounterClass) => encounterClass === 'VIRTUAL')).toBeGreaterThan(0.015);
    expect(share((encounterClass) => encounterClass === 'VIRTUAL')).toBeLessThan(0.05);
  });

  it('sends children to paediatrics and keeps chronic diagnoses with the resident', () => {
    const birth = new Map(city.residents.map((resident) => [resident.id, Date.parse(resident.birthDate)]));
    const gender = new Map(city.residents.map((resident) => [resident.id, resident.gender]));
    const ageAt = (encounter: EncounterSeed) => (Date.parse(encounter.start) - (birth.get(encounter.residentId) ?? 0)) / (365.2425 * 86_400_000);
    expect(violations(city.encounters, (encounter) => ageAt(encounter) < 18 || !/^(儿科|小儿|儿童保健科)/.test(encounter.department))).toEqual([]);
    expect(violations(city.encounters, (encounter) => encounter.department !== '妇产科' || gender.get(encounter.residentId) === 'FEMALE')).toEqual([]);
    expect(
      violations(city.encounters, (encounter) =>
        encounter.diagnoses.every(
          (diagnosis) =>
            !['O80.0', 'Z34.9', 'N40'].includes(diagnosis.code) || gender.get(encounter.residentId) === (diagnosis.code === 'N40' ? 'MALE' : 'FEMALE'),
        ),
      ),
    ).toEqual([]);
    expect(
      violations(
        city.encounters,
        (encounter) => !(ageAt(encounter) < 14 && encounter.organizationCode.includes('-H') && /^(心血管|呼吸|消化|神经)内科$/.test(encounter.department)),
      ),
    ).toEqual([]);
    const diabetics = new Set(
      city.encounters.filter((encounter) => encounter.diagnoses.some((diagnosis) => diagnosis.code === 'E11.9')).map((encounter) => encounter.residentId),
    );
    const visits = city.encounters.filter((encounter) => diabetics.has(encounter.residentId));
    expect(diabetics.size).toBeGreaterThan(150);
    expect(visits.filter((encounter) => encounter.diagnoses.some((diagnosis) => diagnosis.code === 'E11.9')).length / visits.length).toBeGreaterThan(0.3);
  });

  it('sends more patients to busier tertiary hospitals', () => {
    const tertiary = ofLevel('TERTIARY').filter((hospital) => hospital.outpatientVisits > 0);
    const encounters = new Map<string, number>();
    for (const encounter of city.encounters)
      if (encounter.encounterClass !== 'INPATIENT') encounters.set(encounter.organizationCode, (encounters.get(encounter.organizationCode) ?? 0) + 1);
    const busiest = tertiary.reduce((best, hospital) => (hospital.outpatientVisits > best.outpatientVisits ? hospital : best));
    const tenth = tertiary
      .filter((hospital) => hospital.outpatientVisits <= busiest.outpatientVisits / 10)
      .reduce((best, hospital) => (hospital.outpatientVisits > best.outpatientVisits ? hospital : best));
    expect(encounters.get(busiest.code) ?? 0).toBeGreaterThan(3 * (encounters.get(tenth.code) ?? 0));

    const general = tertiary.filter((hospital) => !/儿童|妇幼|口腔|眼科|脑科|胸科|肿瘤|皮肤病/.test(hospital.name));
    const rank = (values: number[]) => values.map((value) => values.filter((other) => other < value).length);
    const volumeRanks = rank(general.map((hospital) => hospital.outpatientVisits));
    const encounterRanks = rank(general.map((hospital) => encounters.get(hospital.code) ?? 0));
    const n = general.length;
    const spearman = 1 - (6 * volumeRanks.reduce((sum, r, i) => sum + (r - (encounterRanks[i] ?? 0)) ** 2, 0)) / (n * (n * n - 1));
    expect(spearman).toBeGreaterThan(0.8);
  });

  it('files lab reports where the resident was seen, with flags that match values and ranges', () => {
    const seenAt = new Set(city.encounters.map((encounter) => `${encounter.residentId}@${encounter.organizationCode}`));
    const reports = city.labReports;
    expect(violations(reports, (report) => seenAt.has(`${report.residentId}@${report.organizationCode}`))).toEqual([]);
    expect(violations(reports, (report) => isIso(report.issuedAt) && Date.parse(report.issuedAt) <= NOW.getTime())).toEqual([]);
    expect(
      violations(reports, (report) => report.code.system === 'http://loinc.org' && report.results.every((result) => result.code.system === 'http://loinc.org')),
    ).toEqual([]);
    expect(violations(reports, (report) => (report.category === 'IMAGING') === (report.results.length === 0))).toEqual([]);
    const flagOf = ({ value, referenceLow: low, referenceHigh: high }: ObservationSeed) =>
      high !== null && value > high ? 'H' : low !== null && value < low ? 'L' : 'N';
    expect(violations(reports, (report) => report.results.every((result) => result.abnormalFlag === flagOf(result)))).toEqual([]);
    const referenceText = /^(\d+(\.\d+)?-\d+(\.\d+)?|<\d+(\.\d+)?|>\d+(\.\d+)?)$/;
    expect(violations(reports, (report) => report.results.every((result) => referenceText.test(result.referenceText)))).toEqual([]);
    const results = reports.flatMap((report) => report.results);
    const abnormal = results.filter((result) => result.abnormalFlag !== 'N').length / results.length;
    const perResident = new Map<string, number>();
    for (const report of city.labReports) perResident.set(report.residentId, (perResident.get(report.residentId) ?? 0) + 1);
    expect(Math.max(...perResident.values())).toBeLessThanOrEqual(6);
    expect(abnormal).toBeGreaterThan(0.12);
    expect(abnormal).toBeLessThan(0.32);
    expect(city.labReports.filter((report) => report.status === 'FINAL').length / city.labReports.length).toBeGreaterThan(0.9);
    expect(new Set(city.labReports.map((report) => report.status))).toEqual(new Set(['FINAL', 'PRELIMINARY', 'AMENDED']));
  });

  it('uses sex-specific reference ranges', () => {
    const gender = new Map(city.residents.map((resident) => [resident.id, resident.gender]));
    const hemoglobinRange = (report: LabReportSeed) => report.results.find((result) => result.code.code === '718-7')?.referenceText;
    const cbc = city.labReports.filter((report) => report.code.code === '58410-2');
    expect(cbc.length).toBeGreaterThan(100);
    expect(violations(cbc, (report) => hemoglobinRange(report) === (gender.get(report.residentId) === 'MALE' ? '130-175' : '115-150'))).toEqual([]);
  });

  it('finds more high glucose in residents with diabetes', () => {
    const diabetics = new Set(
      city.encounters.filter((encounter) => encounter.diagnoses.some((diagnosis) => diagnosis.code === 'E11.9')).map((encounter) => encounter.residentId),
    );
    const highShare = (test: (residentId: string) => boolean) => {
      const glucose = city.labReports
        .filter((report) => test(report.residentId))
        .flatMap((report) => report.results)
        .filter((result) => result.code.code === '14749-6' || result.code.code === '4548-4');
      return glucose.filter((result) => result.abnormalFlag === 'H').length / glucose.length;
    };
    expect(highShare((id) => diabetics.has(id))).toBeGreaterThan(0.5);
    expect(highShare((id) => !diabetics.has(id))).toBeLessThan(0.25);
  });

  it('writes prescriptions at hospitals, and at internet hospitals only for chronic patients', () => {
    const organizations = organizationsByCode();
    const residents = new Set(city.residents.map((resident) => resident.id));
    const chronic = new Set(
      city.encounters.filter((encounter) => encounter.diagnoses.some((diagnosis) => CHRONIC.has(diagnosis.code))).map((encounter) => encounter.residentId),
    );
    const { prescriptions } = city;
    const level = (code: string) => organizations.get(code)?.level;
    expect(violations(prescriptions, (prescription) => residents.has(prescription.residentId) && isIso(prescription.issuedAt))).toEqual([]);
    expect(
      violations(prescriptions, (prescription) => ['TERTIARY', 'SECONDARY', 'INTERNET_HOSPITAL'].includes(level(prescription.organizationCode) ?? '')),
    ).toEqual([]);
    expect(
      violations(prescriptions, (prescription) => level(prescription.organizationCode) !== 'INTERNET_HOSPITAL' || chronic.has(prescription.residentId)),
    ).toEqual([]);
    expect(
      violations(
        prescriptions,
        (prescription) => prescription.items.length > 0 && prescription.items.every((item) => item.drug.system === 'NMPA' && item.days >= 3 && item.days <= 28),
      ),
    ).toEqual([]);
    const displays = new Map<string, Set<string>>();
    for (const item of prescriptions.flatMap((prescription) => prescription.items))
      displays.set(item.drug.code, (displays.get(item.drug.code) ?? new Set()).add(item.drug.display));
    expect([...displays.values()].filter((names) => names.size > 1)).toEqual([]);
    const perResident = new Map<string, number>();
    for (const prescription of city.prescriptions) perResident.set(prescription.residentId, (perResident.get(prescription.residentId) ?? 0) + 1);
    expect(Math.max(...perResident.values())).toBeLessThanOrEqual(4);
    expect(ofLevel('INTERNET_HOSPITAL').some((internet) => city.prescriptions.some((prescription) => prescription.organizationCode === internet.code))).toBe(
      true,
    );
  });

  it('refers about a tenth of residents between community centres and hospitals', () => {
    const organizations = organizationsByCode();
    const district = new Map(city.residents.map((resident) => [resident.id, resident.district]));
    for (const referral of city.referrals) {
      const from = organizations.get(referral.fromOrganizationCode);
      const to = organizations.get(referral.toOrganizationCode);
      expect(district.has(referral.residentId)).toBe(true);
      expect(isIso(referral.requestedAt)).toBe(true);
      if (from?.level === 'COMMUNITY') {
        expect(to?.level).toBe('TERTIARY');
        expect(from.district).toBe(district.get(referral.residentId));
      } else {
        expect(from?.level).toBe('TERTIARY');
        expect(to?.level).toBe('COMMUNITY');
        expect(to?.district).toBe(district.get(referral.residentId));
      }
    }
    const share = new Set(city.referrals.map((referral) => referral.residentId)).size / city.residents.length;
    expect(share).toBeGreaterThan(0.06);
    expect(share).toBeLessThan(0.13);
    expect(city.referrals.some((referral) => organizations.get(referral.fromOrganizationCode)?.level === 'TERTIARY')).toBe(true);
    expect(new Set(city.referrals.map((referral) => referral.status)).size).toBeGreaterThanOrEqual(3);
  });

  it('gives every record a unique 24-hex id', () => {
    const kinds: (readonly { id: string }[])[] = [city.encounters, city.labReports, city.prescriptions, city.referrals];
    for (const records of kinds) {
      expect(violations(records, (record) => HEX24.test(record.id))).toEqual([]);
      expect(new Set(records.map((record) => record.id)).size).toBe(records.length);
    }
  });
});

describe('the demo resident', () => {
  const DEMO_NOW = new Date('2026-11-30T04:00:00.000Z');
  let demoCity: City;
  let facts: DemoFacts;
  let story: DemoStory;
  beforeAll(() => {
    demoCity = generateCity({ seed: DEMO_SEED, residents: DEMO_RESIDENTS, now: DEMO_NOW });
    facts = pickDemoFacts(demoCity, DEMO_NOW, slotPoolHospitalCodes(demoCity));
    story = demoStoryOf(demoCity, facts, DEMO_NOW);
  });
  const levelOf = (code: string) => demoCity.organizations.find((organization) => organization.code === code)?.level;
  const mine = <T extends { residentId: string }>(items: readonly T[]) => items.filter((item) => item.residentId === facts.residentId);

  it('is cared for at a tertiary hospital that reserves referral places, and was referred by a community centre', () => {
    expect(levelOf(facts.doctorOrganizationCode)).toBe('TERTIARY');
    expect(slotPoolHospitalCodes(demoCity).has(facts.doctorOrganizationCode)).toBe(true);
    expect(facts.referralDepartment).toBe('心血管内科');
    expect(levelOf(facts.familyDoctorOrganizationCode!)).toBe('COMMUNITY');
  });

  it('has lab reports with result lines, a prescription and a referral', () => {
    const reports = [...mine(demoCity.labReports), ...story.labReports];
    expect(reports.some((report) => report.results.length > 0)).toBe(true);
    expect(mine(demoCity.prescriptions).length).toBeGreaterThan(0);
    expect(mine(demoCity.referrals).length).toBeGreaterThan(0);
  });

  it('keeps one item private: a mental-health diagnosis from another hospital, under a consent restricting that category', () => {
    expect(['TERTIARY', 'SECONDARY']).toContain(levelOf(facts.otherHospitalCode));
    expect(facts.otherHospitalCode).not.toBe(facts.doctorOrganizationCode);
    const restricted = story.encounters.filter((encounter) => encounter.diagnoses.some((diagnosis) => diagnosis.code === RESTRICTED_DIAGNOSIS.code));
    expect(restricted).toEqual([expect.objectContaining({ residentId: facts.residentId, organizationCode: facts.otherHospitalCode, department: '精神科' })]);
    expect(sensitivityOfIcd10(RESTRICTED_DIAGNOSIS.code)).toBe('MENTAL_HEALTH');
    expect(story.consent).toMatchObject({ _id: facts.residentId, restrictedCategories: ['MENTAL_HEALTH'], blockedOrganizations: [] });
  });

  it('has one sensitive visit in a category not restricted yet, from another hospital, for the consent example to restrict', () => {
    const open = story.encounters.filter((encounter) => encounter.diagnoses.some((diagnosis) => diagnosis.code === UNRESTRICTED_DIAGNOSIS.code));
    expect(open).toEqual([expect.objectContaining({ residentId: facts.residentId, organizationCode: facts.otherHospitalCode, department: '皮肤科' })]);
    expect(sensitivityOfIcd10(UNRESTRICTED_DIAGNOSIS.code)).toBe('HIV_STI');
    expect(UNRESTRICTED_CATEGORY).toBe('HIV_STI');
    expect(story.consent.restrictedCategories).not.toContain('HIV_STI');
  });

  it('gets each answer of the duplicate-test reminder at the demo hospital: REUSE, CONSIDER and ORDER', () => {
    const merged = { ...demoCity, encounters: [...demoCity.encounters, ...story.encounters], labReports: [...demoCity.labReports, ...story.labReports] };
    const labs = labsOf(merged, DEMO_NOW, new Set(story.labReports.map((report) => report.id)));
    const reports = mine(labs.reports).sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
    const laboratories = new Map(labs.laboratories.map((laboratory) => [laboratory._id, laboratory]));
    const answers = DEMO_LAB_CHECKS.map((check) => {
      const view = checkOrderItem(catalogueItem(check.code)!, reports, laboratories, DEMO_NOW);
      return [check.code, view.recommendation, view.ageDays, view.reason];
    });
    expect(answers).toEqual([
      ['4548-4', 'REUSE', 30, 'recognised result, valid until 2027-01-29'],
      ['14647-2', 'CONSIDER', 10, 'the performing lab is not certified for mutual recognition'],
      ['3016-3', 'ORDER', 200, 'older than its 90-day validity'],
    ]);
  });

  it('had an online visit at an internet hospital (its registration), and two cloud pharmacies have demo pharmacists', () => {
    expect(levelOf(facts.internetHospitalCode)).toBe('INTERNET_HOSPITAL');
    expect(story.encounters).toContainEqual(
      expect.objectContaining({ residentId: facts.residentId, organizationCode: facts.internetHospitalCode, encounterClass: 'VIRTUAL' }),
    );
    expect(facts.pharmacyCodes).toHaveLength(2);
    for (const code of facts.pharmacyCodes) expect(levelOf(code)).toBe('PHARMACY');
  });
});
