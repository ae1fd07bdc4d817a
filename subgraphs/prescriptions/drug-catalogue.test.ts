import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sensitivityOfDrug } from '../../access-control/sensitivity';
import { ALLERGY_GROUPS, allergyConflicts, DRUGS, type Drug, drugByCode, isDuplicateTherapy, renewalSupported } from './drug-catalogue';

const drugs = [...DRUGS.values()];

function drug(code: string): Drug {
  const found = drugByCode(code);
  if (!found) throw new Error(`no drug ${code}`);
  return found;
}

// city.ts keeps its drug and treatment tables private: read them from the source text.
const citySource = readFileSync(path.join(__dirname, '../../tools/seed/city.ts'), 'utf8');

function block(name: string): string {
  const start = citySource.indexOf(`const ${name}`);
  if (start < 0) throw new Error(`${name} not found in city.ts`);
  const end = citySource.indexOf('\n];', start);
  return citySource.slice(start, end);
}

interface SeedDrug {
  key: string;
  code: string;
  display: string;
  dose: string;
}
const seedDrugs: SeedDrug[] = [...block('DRUG_ROWS').matchAll(/\['(\w+)', '([^']+)', '([^']+)', '([^']+)', '([^']+)'\]/g)].map(
  ([, key = '', code = '', display = '', dose = '']) => ({ key, code, display, dose }),
);
const seedByKey = new Map(seedDrugs.map((seed) => [seed.key, seed]));

interface SeedTreatment {
  diagnosis: string;
  keys: string[];
  maxDays: number;
}
const keysOf = (list: string): string[] => [...list.matchAll(/'(\w+)'/g)].map((match) => match[1] ?? '');
const seedTreatments: SeedTreatment[] = [...block('TREATMENT_ROWS').matchAll(/\['([^']+)', \[([^\]]*)\], \[([^\]]*)\], (\d+), (\d+)\]/g)].map(
  ([, diagnosis = '', adults = '', children = '', , maxDays = '0']) => ({
    diagnosis,
    keys: [...keysOf(adults), ...keysOf(children)],
    maxDays: Number(maxDays),
  }),
);

it('parses the seeder tables', () => {
  expect(seedDrugs.length).toBeGreaterThanOrEqual(60);
  expect(seedTreatments.length).toBeGreaterThanOrEqual(30);
});

it('holds every drug the seeder prescribes under the same code and name', () => {
  for (const seed of seedDrugs) {
    const entry = drugByCode(seed.code);
    expect({ key: seed.key, code: entry?.code, name: entry?.name }).toEqual({ key: seed.key, code: seed.code, name: seed.display });
  }
});

it('uses the seeder dose units', () => {
  for (const seed of seedDrugs) {
    const unit = /^[\d.]+ (\S+)$/.exec(seed.dose)?.[1];
    if (unit) expect({ key: seed.key, unit: drug(seed.code).doseUnit }).toEqual({ key: seed.key, unit });
  }
});

it('allows as many days as the seeder prescribes, and renews chronic drugs for the diagnoses the seeder treats', () => {
  for (const treatment of seedTreatments) {
    for (const key of treatment.keys) {
      const seed = seedByKey.get(key);
      if (!seed) throw new Error(`treatment ${treatment.diagnosis} uses unknown drug ${key}`);
      const entry = drug(seed.code);
      expect({ key, diagnosis: treatment.diagnosis, enough: entry.maxDays >= treatment.maxDays }).toEqual({
        key,
        diagnosis: treatment.diagnosis,
        enough: true,
      });
      if (entry.chronic) expect({ key, renewable: renewalSupported(entry, [treatment.diagnosis]) }).toEqual({ key, renewable: true });
    }
  }
});

it('holds at least 55 drugs keyed by unique, well-formed NMPA codes', () => {
  expect(DRUGS.size).toBeGreaterThanOrEqual(55);
  for (const [code, entry] of DRUGS) {
    expect(entry.code).toBe(code);
    expect(code).toMatch(/^[HZS]\d{8}$/);
  }
  expect(new Set(drugs.map((entry) => entry.code)).size).toBe(drugs.length);
  expect(drugByCode('H00000000')).toBeUndefined();
});

it('fills every field', () => {
  for (const entry of drugs) {
    expect(entry.name).not.toBe('');
    expect(entry.inn).toBe(entry.inn.toLowerCase());
    expect(entry.strength).not.toBe('');
    expect(entry.doseUnit).not.toBe('');
    expect(entry.routes.length).toBeGreaterThan(0);
    expect(entry.therapeuticGroup).toMatch(/^[A-Z0-9_]+$/);
    expect(Number.isInteger(entry.maxDays) && entry.maxDays >= 1 && entry.maxDays <= 28).toBe(true);
  }
});

it('gives chronic drugs renewal diagnoses and acute drugs none', () => {
  for (const entry of drugs) {
    if (entry.chronic) {
      expect(entry.renewalDiagnoses.length).toBeGreaterThan(0);
      for (const prefix of entry.renewalDiagnoses) expect(prefix).toMatch(/^[A-Z]\d{2}/);
    } else {
      expect(entry.renewalDiagnoses).toEqual([]);
    }
  }
  expect(drug('H20093454').renewalDiagnoses).toEqual(expect.arrayContaining(['I10', 'I11', 'I12', 'I13', 'I15']));
  expect(drug('H20023370').renewalDiagnoses).toEqual(expect.arrayContaining(['E11', 'E10', 'E14']));
  expect(drug('H19990258').renewalDiagnoses).toEqual(expect.arrayContaining(['E78', 'I25', 'I63']));
  expect(drug('H20060454').renewalDiagnoses).toEqual(expect.arrayContaining(['J44', 'J45']));
  expect(renewalSupported(drug('H20093454'), ['i10.x00'])).toBe(true);
  expect(renewalSupported(drug('H20093454'), ['E11.9'])).toBe(false);
  expect(renewalSupported(drug('H20003263'), ['J20.9'])).toBe(false);
});

it('names only known allergy groups, and flags the classic conflicts', () => {
  for (const entry of drugs) {
    for (const conflict of entry.allergyGroups) expect(ALLERGY_GROUPS).toContain(conflict.group);
    expect(new Set(entry.allergyGroups.map((conflict) => conflict.group)).size).toBe(entry.allergyGroups.length);
  }
  expect(drug('H20003263').allergyGroups).toEqual([{ group: 'penicillins', severity: 'HIGH' }]);
  expect(drug('H20052453').allergyGroups).toEqual([
    { group: 'cephalosporins', severity: 'HIGH' },
    { group: 'penicillins', severity: 'MODERATE' },
  ]);
  expect(drug('H20013062').allergyGroups).toEqual([{ group: 'nsaids', severity: 'HIGH' }]);
  expect(drug('H20040410').allergyGroups).toEqual([{ group: 'fluoroquinolones', severity: 'HIGH' }]);
  expect(drug('H10960112').allergyGroups).toEqual([{ group: 'macrolides', severity: 'HIGH' }]);
  const sulfonamide = drugs.find((entry) => entry.inn.startsWith('sulfamethoxazole'));
  expect(sulfonamide?.allergyGroups).toEqual([{ group: 'sulfonamides', severity: 'HIGH' }]);
  expect(allergyConflicts(drug('H20073856'), ['penicillins', 'cephalosporins']).map((conflict) => conflict.severity)).toEqual(['HIGH', 'MODERATE']);
  expect(allergyConflicts(drug('H20093454'), ['penicillins'])).toEqual([]);
});

it('labels the sensitive drugs as the sensitivity kit does', () => {
  for (const entry of drugs) expect({ inn: entry.inn, sensitivity: entry.sensitivity }).toEqual({ inn: entry.inn, sensitivity: sensitivityOfDrug(entry.inn) });
  const byClass = (drugClass: Drug['drugClass']) => drugs.filter((entry) => entry.drugClass === drugClass);
  expect(byClass('ANTIRETROVIRAL').length).toBeGreaterThanOrEqual(2);
  for (const entry of byClass('ANTIRETROVIRAL')) expect(entry.sensitivity).toBe('HIV_STI');
  for (const drugClass of ['ANTIDEPRESSANT', 'ANTIPSYCHOTIC', 'OPIOID_SUBSTITUTION'] as const) {
    expect(byClass(drugClass).length).toBeGreaterThan(0);
    for (const entry of byClass(drugClass)) expect(entry.sensitivity).toBe('MENTAL_HEALTH');
  }
  expect(drug('H20010510').sensitivity).toBe('MENTAL_HEALTH'); // escitalopram
  expect(drug('H10950129').sensitivity).toBe('MENTAL_HEALTH'); // sertraline
  expect(drugs.find((entry) => entry.inn === 'levonorgestrel')?.sensitivity).toBe('REPRODUCTIVE');
  expect(drug('H20093454').sensitivity).toBeNull();
});

it('treats same-group drugs as duplicates and regimen partners as not', () => {
  expect(isDuplicateTherapy(drug('H20093454'), drug('H20103231'))).toBe(true); // amlodipine + nifedipine
  expect(isDuplicateTherapy(drug('H20040217'), drug('H20203398'))).toBe(true); // valsartan + sacubitril/valsartan
  expect(isDuplicateTherapy(drug('H11020687'), drug('H20063845'))).toBe(true); // paracetamol + paediatric cold granules
  expect(isDuplicateTherapy(drug('H32023366'), drug('H20000542'))).toBe(false); // aspirin + clopidogrel
  expect(isDuplicateTherapy(drug('H20093454'), drug('H20040217'))).toBe(false); // amlodipine + valsartan
  const arv = drugs.filter((entry) => entry.drugClass === 'ANTIRETROVIRAL');
  expect(new Set(arv.map((entry) => entry.therapeuticGroup)).size).toBe(arv.length);
});
