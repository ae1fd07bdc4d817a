/**
 * Sensitive categories a resident may restrict, and what reveals them: ICD-10 chapters and
 * blocks, LOINC items, drugs, departments, and the codes and terms free text names. Every
 * subgraph labels its records with these at write time and again on read (see
 * `resident-access.ts`), so a record stored before a label existed is never shown unlabelled.
 */
import { z } from 'zod';
import sensitiveTerms from './sensitive-terms.json';

export const SENSITIVE_CATEGORIES = ['MENTAL_HEALTH', 'HIV_STI', 'REPRODUCTIVE', 'GENETIC'] as const;
export type SensitiveCategory = (typeof SENSITIVE_CATEGORIES)[number];

/** ICD-10 ranges (inclusive, by the three-character category) and what they reveal. */
export const ICD10_RANGES: [from: string, to: string, category: SensitiveCategory][] = [
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
export const LOINC_CATEGORIES: Readonly<Record<string, SensitiveCategory>> = {
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
export const DRUG_CATEGORIES: Readonly<Record<string, SensitiveCategory>> = Object.fromEntries([
  ...['tenofovir', 'lamivudine', 'efavirenz', 'dolutegravir', 'zidovudine', 'lopinavir', 'bictegravir'].map((inn) => [inn, 'HIV_STI']),
  ...[
    'escitalopram',
    'sertraline',
    'fluoxetine',
    'paroxetine',
    'olanzapine',
    'risperidone',
    'quetiapine',
    'aripiprazole',
    'clozapine',
    'lithium',
    'methadone',
    'buprenorphine',
  ].map((inn) => [inn, 'MENTAL_HEALTH']),
  ...['levonorgestrel', 'mifepristone', 'misoprostol', 'clomifene'].map((inn) => [inn, 'REPRODUCTIVE']),
]);

export function sensitivityOfDrug(inn: string): SensitiveCategory | null {
  return DRUG_CATEGORIES[inn.toLowerCase()] ?? null;
}

/** Departments whose name alone says what the patient is treated for. */
export const DEPARTMENT_CATEGORIES: Readonly<Record<string, SensitiveCategory>> = {
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

/**
 * Free text is matched in one folded form: NFKC (full-width letters, digits and dots become
 * ASCII), then case-folded, so "Ｆ３２．９", "f32.9" and "F32.9" read alike. Lower, upper,
 * lower: the round trip folds letters such as ẞ and ß, or ı and i, to one form.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFKC');
}

/** zhNot: phrases that hold a Chinese term without meaning it (性病变, a lesion: 占位性病变, 良性病变). */
const termsFile = z.record(
  z.enum(SENSITIVE_CATEGORIES),
  z.object({ zh: z.array(z.string().min(1)), en: z.array(z.string().min(1)), zhNot: z.array(z.string().min(1)).default([]) }).strict(),
);
const escapeRegExp = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const spacedChinese = (term: string) => [...term].map(escapeRegExp).join('\\s*');

/**
 * A category's terms as one pattern. Chinese terms match anywhere, spaces between their
 * characters allowed; English ones match as whole words (no Latin letter either side, so
 * "hiv-1" and "brca1" count, "prepare" does not), a trailing * taking any ending, and
 * spaces or hyphens between the words of a phrase optional.
 */
function termPattern(terms: { zh: string[]; en: string[] }): RegExp {
  const zh = terms.zh.map(spacedChinese);
  const en = terms.en.map((term) => {
    const stem = term.endsWith('*') ? term.slice(0, -1) : term;
    const words = stem.split(' ').map(escapeRegExp).join('[\\s\\-_]*');
    return `(?<![a-z])${words}${term.endsWith('*') ? '' : '(?![a-z])'}`;
  });
  return new RegExp([...zh, ...en].join('|'), 'u');
}

/** The term lists (data: `sensitive-terms.json`), checked once at load. */
const TEXT_TERMS: [RegExp, SensitiveCategory, RegExp | null][] = Object.entries(termsFile.parse(sensitiveTerms)).map(([category, terms]) => [
  termPattern(terms),
  category as SensitiveCategory,
  terms.zhNot.length ? new RegExp(terms.zhNot.map(spacedChinese).join('|'), 'gu') : null,
]);

/**
 * An ICD-10 code in folded text: a letter and two digits, then more digits or a dotted part
 * (f329, f32.9, f32.900x001). Not inside a word or number, nor after "mrn-" and the like (an
 * identifier). "f 32" with a space counts too, except after a, q and x, which before a number
 * are the article, "every" and "times" ("a 50 year old", "x 60 days") unless a dotted part
 * follows; for the same reason "x60" counts only with its dotted part (x60.0).
 */
const ICD10_IN_TEXT = /(?<![a-z0-9_]|[a-z0-9]-)([a-z])(\s?)(\d{2})(?:\d{1,2}|(\.\d[0-9a-z]{0,7}))?(?![0-9a-z])/g;

function codesIn(folded: string): string[] {
  return [...folded.matchAll(ICD10_IN_TEXT)]
    .filter(([, letter, space, , dotted]) => dotted !== undefined || (letter !== 'x' && !(space && (letter === 'a' || letter === 'q'))))
    .map(([, letter, , digits]) => `${letter}${digits}`);
}

/** What a free-text field reveals: the ICD-10 codes it names and the terms of the lists. */
export function sensitivitiesOfText(text: string): SensitiveCategory[] {
  const folded = foldText(text);
  const byCode = codesIn(folded).map(sensitivityOfIcd10);
  const labelled = TEXT_TERMS.map(([pattern, category, notMeant]) => (pattern.test(notMeant ? folded.replace(notMeant, ' ') : folded) ? category : null));
  return categoriesOf([...byCode, ...labelled]);
}

/** What several free-text fields of one record reveal together (absent ones skipped). */
export function sensitivitiesOfTexts(texts: readonly (string | null | undefined)[]): SensitiveCategory[] {
  return unionOf(...texts.map((text) => (text ? sensitivitiesOfText(text) : [])));
}

/**
 * What one coded diagnosis reveals: its ICD-10 code and the display it was written with, which
 * is the hospital's own text ("I10 高血压，伴抑郁状态") and labels like any free text.
 */
export function sensitivitiesOfDiagnosis(diagnosis: { code: string; display: string }): SensitiveCategory[] {
  return unionOf(categoriesOf([sensitivityOfIcd10(diagnosis.code)]), sensitivitiesOfText(diagnosis.display));
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
