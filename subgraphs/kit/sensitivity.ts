/**
 * Sensitive categories a resident may restrict, and what reveals them: ICD-10 chapters and
 * blocks, LOINC items, drugs, departments, and the codes and terms free text names. Every
 * subgraph labels its records with these at write time and again on read (see
 * `resident-access.ts`), so a record stored before a label existed is never shown unlabelled.
 */
export const SENSITIVE_CATEGORIES = ['MENTAL_HEALTH', 'HIV_STI', 'REPRODUCTIVE', 'GENETIC'] as const;
export type SensitiveCategory = (typeof SENSITIVE_CATEGORIES)[number];

/** ICD-10 ranges (inclusive, by the three-character category) and what they reveal. */
const ICD10_RANGES: [from: string, to: string, category: SensitiveCategory][] = [
  ['F00', 'F99', 'MENTAL_HEALTH'],
  ['X60', 'X84', 'MENTAL_HEALTH'], // intentional self-harm
  ['B20', 'B24', 'HIV_STI'],
  ['Z21', 'Z21', 'HIV_STI'],
  ['A50', 'A64', 'HIV_STI'],
  ['O00', 'O08', 'REPRODUCTIVE'], // pregnancy with abortive outcome
  ['N96', 'N98', 'REPRODUCTIVE'], // infertility, assisted reproduction
  ['Z30', 'Z31', 'REPRODUCTIVE'],
  ['Q90', 'Q99', 'GENETIC'],
];

export function sensitivityOfIcd10(code: string): SensitiveCategory | null {
  const category = code.slice(0, 3).toUpperCase();
  const match = ICD10_RANGES.find(([from, to]) => category >= from && category <= to);
  return match ? match[2] : null;
}

/** LOINC items whose mere presence reveals a sensitive condition. */
const LOINC_CATEGORIES: Readonly<Record<string, SensitiveCategory>> = {
  '7917-8': 'HIV_STI', // HIV 1 Ab
  '7918-6': 'HIV_STI', // HIV 1+2 Ab
  '56888-1': 'HIV_STI', // HIV 1+2 Ab + HIV1 p24 Ag
  '75622-1': 'HIV_STI', // HIV 1+2 Ab + HIV1 p24 Ag (immunoassay)
  '20447-9': 'HIV_STI', // HIV 1 RNA (viral load)
  '22461-8': 'HIV_STI', // Treponema pallidum Ab (syphilis)
  '2106-3': 'REPRODUCTIVE', // hCG (pregnancy)
  '2118-8': 'REPRODUCTIVE', // hCG qualitative
  '19080-1': 'REPRODUCTIVE', // hCG
  '21636-6': 'GENETIC', // BRCA1 gene analysis
  '38404-0': 'GENETIC', // BRCA2 gene analysis
};

export function sensitivityOfLoinc(code: string): SensitiveCategory | null {
  return LOINC_CATEGORIES[code] ?? null;
}

/** Drugs (by international non-proprietary name) that reveal what they treat. */
const DRUG_CATEGORIES: Readonly<Record<string, SensitiveCategory>> = Object.fromEntries([
  ...['tenofovir', 'lamivudine', 'efavirenz', 'dolutegravir', 'zidovudine', 'lopinavir', 'bictegravir'].map((inn) => [inn, 'HIV_STI']),
  ...['escitalopram', 'sertraline', 'fluoxetine', 'paroxetine', 'olanzapine', 'risperidone', 'quetiapine', 'aripiprazole', 'clozapine', 'lithium', 'methadone', 'buprenorphine'].map((inn) => [inn, 'MENTAL_HEALTH']),
  ...['levonorgestrel', 'mifepristone', 'misoprostol', 'clomifene'].map((inn) => [inn, 'REPRODUCTIVE']),
]);

export function sensitivityOfDrug(inn: string): SensitiveCategory | null {
  return DRUG_CATEGORIES[inn.toLowerCase()] ?? null;
}

/** Departments whose name alone says what the patient is treated for. */
const DEPARTMENT_CATEGORIES: Readonly<Record<string, SensitiveCategory>> = {
  精神科: 'MENTAL_HEALTH',
  精神心理科: 'MENTAL_HEALTH',
  心理科: 'MENTAL_HEALTH',
  心理咨询科: 'MENTAL_HEALTH',
  睡眠心理科: 'MENTAL_HEALTH',
  成瘾医学科: 'MENTAL_HEALTH',
  性病科: 'HIV_STI',
  艾滋病门诊: 'HIV_STI',
  生殖医学科: 'REPRODUCTIVE',
  生殖中心: 'REPRODUCTIVE',
  计划生育科: 'REPRODUCTIVE',
  医学遗传科: 'GENETIC',
  遗传咨询门诊: 'GENETIC',
};

export function sensitivityOfDepartment(department: string): SensitiveCategory | null {
  return DEPARTMENT_CATEGORIES[department.trim()] ?? null;
}

/** Terms that, written in a referral's reason or a note, reveal a category. */
const TEXT_TERMS: [RegExp, SensitiveCategory][] = [
  [/抑郁|焦虑|精神|心理|双相|躁狂|自杀|自伤|成瘾|戒毒|美沙酮|depress|anxiety|psychi|suicid|bipolar|schizo/i, 'MENTAL_HEALTH'],
  [/艾滋|HIV|梅毒|淋病|性病|syphilis|gonorrh/i, 'HIV_STI'],
  [/流产|人流|不孕|不育|试管|辅助生殖|避孕|abortion|infertil|IVF/i, 'REPRODUCTIVE'],
  [/基因|遗传|染色体|BRCA|genetic|chromosom/i, 'GENETIC'],
];
const ICD10_IN_TEXT = /(?<![A-Za-z0-9])[A-Z]\d{2}(?:\.\d{1,4})?(?![0-9])/g;

/** What a free-text field reveals: the ICD-10 codes it names and the terms above. */
export function sensitivitiesOfText(text: string): SensitiveCategory[] {
  const codes = (text.match(ICD10_IN_TEXT) ?? []).map(sensitivityOfIcd10);
  return categoriesOf([...codes, ...TEXT_TERMS.map(([pattern, category]) => (pattern.test(text) ? category : null))]);
}

/** What a list of ICD-10 diagnoses reveals. */
export function sensitivitiesOfDiagnoses(codes: string[]): SensitiveCategory[] {
  return categoriesOf(codes.map(sensitivityOfIcd10));
}

/** The distinct categories a set of labels reveals. */
export function categoriesOf(labels: (SensitiveCategory | null)[]): SensitiveCategory[] {
  return [...new Set(labels.filter((label): label is SensitiveCategory => label !== null))];
}

/** The union of labels (a stored one and one computed on read, say). */
export function unionOf(...labels: (readonly SensitiveCategory[] | null | undefined)[]): SensitiveCategory[] {
  return categoriesOf(labels.flatMap((label) => label ?? []));
}
