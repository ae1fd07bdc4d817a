/**
 * Debian's Chromium driven by playwright-core (no browser download), for tests that look at
 * a page as a person would. Records every request the page makes, so a test can assert that
 * nothing left loopback.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`);
  // Root (as in CI) cannot use Chromium's sandbox.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}

/** A new page whose every request URL is appended to `requests` (a laptop's screen unless told). */
export async function recordingPage(browser: Browser, requests: string[], viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  // A loaded machine renders slowly: waits are bounded by the suite's timeout, not by speed.
  page.setDefaultTimeout(150_000);
  page.on('request', (request) => void requests.push(request.url()));
  return page;
}

/** Where screenshots for people to look at go (ignored by git). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '../artifacts');

/** True when a URL stays on this machine (or is inline data). */
export function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}
