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
