/**
 * `npm run docs:config`: writes the variables table of docs/operations/configuration.md from
 * the configuration schema (platform/config.ts), between its marker comments, so the page
 * and the code cannot disagree (test/docs-config.test.ts holds them together).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configurationReference } from '../platform/config';

export const CONFIGURATION_PAGE = path.resolve(__dirname, '../docs/operations/configuration.md');
const START = '<!-- configuration-table:start (npm run docs:config writes this table from platform/config.ts) -->';
const END = '<!-- configuration-table:end -->';

/** The table, one row per variable, as the schema describes it. */
export function configurationTable(): string {
  const rows = configurationReference().map(({ variable, shownDefault, meaning }) => `| \`${variable}\` | ${shownDefault} | ${meaning} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The page with its table replaced by the generated one. */
export function withGeneratedTable(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${CONFIGURATION_PAGE} has no ${START} … ${END} markers`);
  return `${page.slice(0, start + START.length)}\n${configurationTable()}\n${page.slice(end)}`;
}

if (require.main === module) {
  writeFileSync(CONFIGURATION_PAGE, withGeneratedTable(readFileSync(CONFIGURATION_PAGE, 'utf8')));
  console.log(`wrote the configuration table of ${path.relative(process.cwd(), CONFIGURATION_PAGE)}`);
}
