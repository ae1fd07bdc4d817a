/**
 * Sensitive categories a resident may restrict, labelled at write time from the codes:
 * ICD-10 chapters and blocks here (LOINC items and drug classes join as their subgraphs do).
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

/** The distinct categories a set of labels reveals. */
export function categoriesOf(labels: (SensitiveCategory | null)[]): SensitiveCategory[] {
  return [...new Set(labels.filter((label): label is SensitiveCategory => label !== null))];
}
