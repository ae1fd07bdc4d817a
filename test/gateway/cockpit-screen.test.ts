/**
 * The cockpit on a wall screen: at 1920×1080, with the demo city's fullest month (September
 * 2024, the bulletin's), every panel fits on one screen without page scrolling, no panel cuts
 * its content or scrolls sideways, long tables show their top rows and the rest on demand.
 * Leaves a screenshot in test/artifacts/.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS_DIR, isLocal, launchBrowser, recordingPage } from '../support/browser';
import { commissionToken, useSeededCity } from '../support/seeded-city';

jest.setTimeout(300_000);

const { stack } = useSeededCity();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Each panel's and the page's box against its content (page code as text: the test project's types have no DOM). */
interface Fit {
  page: { scrollWidth: number; scrollHeight: number };
  /** Tables wider than their panel (none may scroll sideways). */
  wideTables: string[];
  overflowing: { panel: string; scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number }[];
}
const measure = (page: Page) =>
  page.evaluate<Fit>(`({
    page: { scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight },
    wideTables: [...document.querySelectorAll('.panel table')]
      .filter((table) => table.getBoundingClientRect().width > table.closest('.panel').clientWidth)
      .map((table) => table.id),
    overflowing: [...document.querySelectorAll('.panel')]
      .map((panel) => ({
        panel: panel.querySelector('h2').textContent,
        scrollWidth: panel.scrollWidth,
        clientWidth: panel.clientWidth,
        scrollHeight: panel.scrollHeight,
        clientHeight: panel.clientHeight,
      }))
      .filter((box) => box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight),
  })`);

it('fits September 2024 on one 1920×1080 screen, the long tables’ rest on demand', async () => {
  const requests: string[] = [];
  const page = await recordingPage(browser, requests, { width: 1920, height: 1080 });
  await page.goto(new URL('/cockpit', stack.gateway.url).toString());
  await page.locator('#token').fill(commissionToken(stack));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .locator('#status')
    .getByText(/^Figures of \d{4}-\d\d\.$/)
    .waitFor();
  await page.locator('#month').fill('2024-09');
  await page.locator('#month').dispatchEvent('change');
  await page.locator('#status').getByText('Figures of 2024-09.').waitFor();
  // The font changes every text's size: measure once it is in.
  expect(
    await page.evaluate(`new Promise((resolve) => {
      const loaded = () => document.fonts.status === 'loaded' && document.fonts.check('16px "Noto Sans SC"', '全民健康信息平台驾驶舱') ? resolve(true) : requestAnimationFrame(loaded);
      loaded();
    })`),
  ).toBe(true);

  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'cockpit-1920x1080.png') });
  const fit = await measure(page);
  expect(fit.overflowing).toEqual([]);
  expect(fit.wideTables).toEqual([]);
  expect(fit.page.scrollHeight).toBeLessThanOrEqual(1080);
  expect(fit.page.scrollWidth).toBeLessThanOrEqual(1920);

  // The bulletin's 39 city-level hospitals: the ten busiest shown, all of them on demand, over the page.
  expect(await page.locator('#hospitals tbody tr:visible').count()).toBe(10);
  const all = page.locator('#hospitals-panel button.all');
  expect(await all.textContent()).toBe('全部 All (39)');
  await all.click();
  expect(await page.locator('#hospitals tbody tr:visible').count()).toBe(39);
  expect(await all.textContent()).toBe('收起 Close');
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'cockpit-1920x1080-hospitals.png') });
  const opened = await measure(page);
  expect([opened.page.scrollHeight <= 1080, opened.wideTables]).toEqual([true, []]);
  await all.click();
  expect(await page.locator('#hospitals tbody tr:visible').count()).toBe(10);
  // The districts' table is whole: 12 districts and the city.
  expect(await page.locator('#districts tbody tr:visible, #districts tfoot tr:visible').count()).toBe(13);

  expect(requests.filter((url) => !isLocal(url))).toEqual([]);
  await page.close();
});
