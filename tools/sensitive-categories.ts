/**
 * The "what each category covers" section of docs/sensitive-text.md, written from the data
 * the labelling uses (the tables of access-control/sensitivity.ts and sensitive-terms.json),
 * so the page cannot drift from the code: `npm run docs:sensitive` rewrites it, and
 * tools/sensitive-categories.test.ts fails when the page differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sensitiveTerms from '../access-control/sensitive-terms.json';
import {
  DEPARTMENT_CATEGORIES,
  DRUG_CATEGORIES,
  ICD10_RANGES,
  LOINC_CATEGORIES,
  SENSITIVE_CATEGORIES,
  type SensitiveCategory,
} from '../access-control/sensitivity';

export const PAGE = path.resolve(__dirname, '..', 'docs', 'sensitive-text.md');
export const BEGIN = '<!-- generated from access-control/sensitivity.ts and sensitive-terms.json by `npm run docs:sensitive`: do not edit -->';
export const END = '<!-- end of the generated part -->';

const code = (text: string) => `\`${text}\``;
const keysOf = (table: Readonly<Record<string, SensitiveCategory>>, category: SensitiveCategory) =>
  Object.entries(table)
    .filter(([, of]) => of === category)
    .map(([key]) => key);
const listed = (items: string[]) => (items.length > 0 ? items.map(code).join(', ') : 'none');

/** One list per category: the codes, drugs and departments that label a record, then the terms free text is matched against. */
export function categoriesSection(): string {
  const terms = sensitiveTerms as Record<SensitiveCategory, { zh: string[]; en: string[]; zhNot?: string[] }>;
  const blocks = SENSITIVE_CATEGORIES.map((category) => {
    const ranges = ICD10_RANGES.filter(([, , of]) => of === category).map(([from, to]) => (from === to ? from : `${from}–${to}`));
    return [
      `### ${category}`,
      '',
      `- ICD-10 (by the three-character category, inclusive): ${listed(ranges)}`,
      `- LOINC items: ${listed(keysOf(LOINC_CATEGORIES, category))}`,
      `- Drugs (international non-proprietary name): ${listed(keysOf(DRUG_CATEGORIES, category))}`,
      `- Departments: ${listed(keysOf(DEPARTMENT_CATEGORIES, category))}`,
      `- Chinese terms: ${listed(terms[category].zh)}`,
      `- English terms: ${listed(terms[category].en)}`,
      ...(terms[category].zhNot?.length ? [`- Chinese phrases that hold a term without meaning it: ${listed(terms[category].zhNot)}`] : []),
    ].join('\n');
  });
  return [BEGIN, '', ...blocks.flatMap((block) => [block, '']), END].join('\n');
}

/** The page with its generated part replaced by the current one. */
export function pageWithSection(page: string): string {
  const from = page.indexOf(BEGIN);
  const to = page.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${path.relative(process.cwd(), PAGE)} has no generated part (${BEGIN} … ${END})`);
  return page.slice(0, from) + categoriesSection() + page.slice(to + END.length);
}

if (require.main === module) {
  writeFileSync(PAGE, pageWithSection(readFileSync(PAGE, 'utf8')));
  console.log(`rewrote the generated part of ${path.relative(process.cwd(), PAGE)}`);
}
