/** docs/sensitive-text.md lists exactly what the labelling uses, and every entry of that data. */
import { readFileSync } from 'node:fs';
import sensitiveTerms from '../access-control/sensitive-terms.json';
import { DEPARTMENT_CATEGORIES, DRUG_CATEGORIES, LOINC_CATEGORIES } from '../access-control/sensitivity';
import { BEGIN, END, PAGE, pageWithSection } from './sensitive-categories';

const page = readFileSync(PAGE, 'utf8');
const generated = page.slice(page.indexOf(BEGIN), page.indexOf(END));

it('holds the generated part as the data gives it today (npm run docs:sensitive rewrites it)', () => {
  expect(page).toBe(pageWithSection(page));
});

it('names every code, drug, department and term of the data, under its category', () => {
  const sectionOf = (category: string) => generated.slice(generated.indexOf(`### ${category}`)).split('\n### ')[0]!;
  const missing: string[] = [];
  const expectIn = (category: string, entry: string) => {
    if (!sectionOf(category).includes(`\`${entry}\``)) missing.push(`${category}: ${entry}`);
  };
  for (const table of [LOINC_CATEGORIES, DRUG_CATEGORIES, DEPARTMENT_CATEGORIES])
    for (const [entry, category] of Object.entries(table)) expectIn(category, entry);
  for (const [category, terms] of Object.entries(sensitiveTerms)) for (const term of [...terms.zh, ...terms.en]) expectIn(category, term);
  expect(missing).toEqual([]);
  // Written out: the ICD-10 ranges a reader looks for first.
  expect(sectionOf('MENTAL_HEALTH')).toContain('- ICD-10 (by the three-character category, inclusive): `F00–F99`, `X60–X84`');
  expect(sectionOf('HIV_STI')).toContain('- ICD-10 (by the three-character category, inclusive): `B20–B24`, `Z21`, `A50–A64`');
  expect(sectionOf('GENETIC')).toContain('- LOINC items: `21636-6`, `38404-0`');
});
