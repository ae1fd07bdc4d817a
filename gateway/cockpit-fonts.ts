/**
 * The cockpit's Chinese font, Noto Sans SC from its npm package (@fontsource), served by the
 * gateway so that a host without Chinese fonts still shows the labels and nothing comes from a
 * CDN. The package splits each weight into woff2 files by unicode range; the stylesheet names
 * them all and the browser fetches only the few the page's characters fall in. Only the weights
 * the page uses are served, and only file names of the package's own pattern that it holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { packageFile, sendAsset } from './static-assets';

const PACKAGE = '@fontsource/noto-sans-sc';
const WEIGHTS = ['400', '700'];
const { version } = JSON.parse(readFileSync(packageFile(PACKAGE, 'package.json'), 'utf8')) as { version: string };

/** The stylesheet the page links (a day's cache: a new package version renames the files it names). */
export const FONT_STYLESHEET_PATH = '/cockpit/fonts/noto-sans-sc.css';
/** The font files, under the package's version: what a URL names never changes, so browsers keep it a year. */
const FILES_PREFIX = `/cockpit/fonts/${version}/`;
// A subset is numbered (the CJK ranges) or named (latin, latin-ext, cyrillic, vietnamese).
const FONT_FILE_NAME = new RegExp(`^noto-sans-sc-[a-z0-9]+(?:-ext)?-(?:${WEIGHTS.join('|')})-normal\\.woff2$`);
const FILES_DIR = packageFile(PACKAGE, 'files');

/** The package's stylesheets of the served weights, each url() pointing at the gateway and woff2 only (every browser the page runs in reads it). */
function fontStylesheet(): string {
  const css = WEIGHTS.map((weight) => readFileSync(packageFile(PACKAGE, `${weight}.css`), 'utf8'))
    .join('\n')
    .replace(
      /url\(\.\/files\/([\w-]+\.woff2)\) format\('woff2'\)(?:, url\(\.\/files\/[\w-]+\.woff\) format\('woff'\))?/g,
      `url(${FILES_PREFIX}$1) format('woff2')`,
    );
  // A package whose stylesheet no longer has this shape would send the browser elsewhere: refuse to start.
  if (css.includes('./files/')) throw new Error(`${PACKAGE} ${version}: its stylesheets name files in an unexpected form`);
  return css;
}

export function fontServer() {
  const stylesheet = fontStylesheet();
  const files = new Set(readdirSync(FILES_DIR).filter((name) => FONT_FILE_NAME.test(name)));
  const loaded = new Map<string, Buffer>();
  return (request: IncomingMessage, response: ServerResponse, pathname: string): boolean => {
    if (request.method !== 'GET') return false;
    if (pathname === FONT_STYLESHEET_PATH) return sendAsset(response, stylesheet, 'text/css; charset=utf-8', 'public, max-age=86400');
    if (!pathname.startsWith(FILES_PREFIX)) return false;
    // Only a name the package holds: nothing of the request reaches the file system otherwise.
    const name = pathname.slice(FILES_PREFIX.length);
    if (!files.has(name)) return false;
    const body = loaded.get(name) ?? readFileSync(path.join(FILES_DIR, name));
    loaded.set(name, body);
    return sendAsset(response, body, 'font/woff2', 'public, max-age=31536000, immutable');
  };
}
