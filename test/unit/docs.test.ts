/**
 * The documentation holds together: the README stays a small landing page, every relative
 * link and anchor in it and in the pages of docs/ resolves, every page is reachable from an
 * index, and the README's folder table names every top-level folder of the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const DOCS = path.join(ROOT, 'docs');
const README_LIMIT_BYTES = 12_000;

/** Every markdown file under a folder, as absolute paths. */
function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

const PAGES = markdownFiles(DOCS);
/** The files whose links must resolve: the README, every page of docs/, and the anatomy of a subgraph. */
const CHECKED = [README, path.join(ROOT, 'subgraphs', 'README.md'), ...PAGES];
/** An index is a README: the repository's, or one in a folder. */
const INDEXES = CHECKED.filter((file) => path.basename(file) === 'README.md');

/** The lines of a markdown file outside fenced code blocks. */
function proseLines(file: string): string[] {
  let fenced = false;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => {
      if (line.startsWith('```')) fenced = !fenced;
      return !fenced && !line.startsWith('```');
    });
}

interface Link {
  from: string;
  target: string;
  /** The file it points at (absolute), or the linking file itself for `#anchor`. */
  file: string;
  anchor: string | null;
}

/** The relative links of a file: inline code is not markdown, and URLs with a scheme are not files. */
function relativeLinks(file: string): Link[] {
  const text = proseLines(file)
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => {
      const [filePart, anchor] = target.split('#', 2) as [string, string | undefined];
      return { from: file, target, file: filePart ? path.resolve(path.dirname(file), filePart) : file, anchor: anchor ?? null };
    });
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(file)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const relative = (file: string) => path.relative(ROOT, file);

it(`README.md is at most ${README_LIMIT_BYTES} bytes`, () => {
  expect(statSync(README).size).toBeLessThanOrEqual(README_LIMIT_BYTES);
});

it('every relative link of the README and the docs points at a file that exists, and at a heading it has', () => {
  const broken = CHECKED.flatMap((file) => relativeLinks(file))
    .filter((link) => !existsSync(link.file) || (link.anchor !== null && (!link.file.endsWith('.md') || !anchorsOf(link.file).has(link.anchor))))
    .map((link) => `${relative(link.from)}: (${link.target})`);
  expect(broken).toEqual([]);
});

it('every page of docs/ is linked from the README or from an index of docs/', () => {
  const linked = new Set(
    INDEXES.flatMap((index) =>
      relativeLinks(index)
        .filter((link) => link.file !== index)
        .map((link) => link.file),
    ),
  );
  expect(PAGES.filter((page) => !linked.has(page)).map(relative)).toEqual([]);
});

/** The top-level folders named in the first column of the README's folder table (`gateway/`, `subgraphs/<name>/` → subgraphs). */
function foldersInTable(): Set<string> {
  const lines = proseLines(README);
  const start = lines.indexOf('## Folders');
  if (start < 0) throw new Error('README.md has no "## Folders" section');
  const section = lines.slice(start + 1);
  const end = section.findIndex((line) => line.startsWith('## '));
  const rows = section
    .slice(0, end < 0 ? undefined : end)
    .filter((line) => line.startsWith('|'))
    .slice(2);
  return new Set(rows.map((row) => /^\|\s*`([^`/]+)\//.exec(row)?.[1]).filter((folder): folder is string => folder !== undefined));
}

/** Top-level folders git ignores (`node_modules/`, `data/`, …): they are not the repository's. */
function ignoredFolders(): Set<string> {
  const patterns = readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim());
  return new Set(patterns.filter((pattern) => /^\/?[^/*#!]+\/$/.test(pattern)).map((pattern) => pattern.replace(/^\//, '').replace(/\/$/, '')));
}

it("the README's folder table names every top-level folder of the repository, and no folder that is not there", () => {
  const ignored = ignoredFolders();
  const folders = readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== '.git' && !ignored.has(entry.name))
    .map((entry) => entry.name);
  const named = foldersInTable();
  expect(folders.filter((folder) => !named.has(folder))).toEqual([]);
  expect([...named].filter((folder) => !folders.includes(folder) && !ignored.has(folder))).toEqual([]);
});

/** The commands of the README's fenced `sh` blocks, one block per entry. */
function shellBlocks(file: string): string[][] {
  return [...readFileSync(file, 'utf8').matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!.trim().split('\n'));
}

it('the quick start is two commands, the tests one, and CI runs that one', () => {
  expect(shellBlocks(README)).toEqual([['npm install', 'npm start'], ['npm test']]);
  const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')
    .trim()
    .split('\n');
  expect(ci.at(-1)).toBe('npm test');
});
