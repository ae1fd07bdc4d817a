/**
 * The cockpit on a wall screen: at 1920×1080, with the demo city's fullest month (September
 * 2024, the bulletin's), every panel fits on one screen without page scrolling, no panel cuts
 * its content or scrolls sideways, long tables show their top rows and the rest on demand.
 * Its cards, district tiles, ranking and charts show the API's figures; a district's tile opens
 * its days, a hospital's ranking row its month and days over the page; a live upload shows at
 * the next refresh. Leaves screenshots in test/artifacts/.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS_DIR, isLocal, launchBrowser, recordingPage } from '../support/browser';
import { insertResidents } from '../support/fixtures';
import { commissionToken, hospitalSystemToken, useSeededCity } from '../support/seeded-city';

jest.setTimeout(300_000);

const { stack, codeOf } = useSeededCity();
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

let page: Page;
const requests: string[] = [];

/** The API's answer, asked as the health commission. */
async function api(query: string, variables: Record<string, unknown>) {
  const { body } = await stack.query(commissionToken(stack), query, variables);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/** What a chart holds: its categories (or slices' names) and each series' figures by name. */
function chartOf(id: string): Promise<{ labels: string[]; series: Record<string, number[]> }> {
  return page.locator(`#${id}`).evaluate((node) => {
    const option = (globalThis as unknown as { echarts: { getInstanceByDom(node: unknown): { getOption(): any } } }).echarts.getInstanceByDom(node).getOption();
    if (option.series[0].type === 'pie') {
      const data = option.series[0].data as { name: string; value: number }[];
      return { labels: data.map((slice) => slice.name), series: { slices: data.map((slice) => slice.value) } };
    }
    return {
      labels: option.xAxis[0].data,
      series: Object.fromEntries(option.series.map((series: { name: string; data: number[] }) => [series.name, series.data])),
    };
  });
}
const texts = (selector: string) => page.locator(selector).allTextContents();
const visitsOf = (rows: { outpatientVisits: number; emergencyVisits: number }[]) => rows.map((row) => row.outpatientVisits + row.emergencyVisits);

it('fits September 2024 on one 1920×1080 screen, the long tables’ rest on demand', async () => {
  page = await recordingPage(browser, requests, { width: 1920, height: 1080 });
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
});

it('shows the API’s figures in its cards, district tiles, ranking and charts', async () => {
  const month = await api(
    `query { cockpitMonth(month: "2024-09") { city { inpatientsAtEnd admissions discharges averageStayDays outpatientRevenuePerVisitFen inpatientRevenuePerDischargeFen seeded } }
      cockpitRanking(month: "2024-09", indicator: OUTPATIENT_EMERGENCY_VISITS) { districts { rank value row { district } } hospitals { rank value row { organization { name } } } }
      cockpitTrend(from: "2023-10", to: "2024-09") { period outpatientVisits emergencyVisits admissions discharges }
      appointmentsByChannel(month: "2024-09") { hospitalsTotal { online12320 quick inClinic thirdParty } platforms { name appointments } } }`,
    {},
  );
  // The bulletin's month: its visits; admissions and discharges equal (derived); the label says so.
  expect(month.cockpitMonth.city).toMatchObject({ admissions: 85529, discharges: 85529, seeded: 'BULLETIN' });
  const card = (label: string) => page.locator(`#summary .card[data-key="${label}"] .value`).textContent();
  expect(await card('门急诊人次 Outpatient and emergency visits')).toBe('6,160,582');
  expect(await card('入院人次 Admissions')).toBe('85,529');
  expect(await card('出院人次 Discharges')).toBe('85,529');
  expect(await card('在院人数 In hospital (month end)')).toBe(month.cockpitMonth.city.inpatientsAtEnd.toLocaleString('en-US'));
  expect(await card('平均住院日 Average stay')).toBe(`${month.cockpitMonth.city.averageStayDays.toFixed(1)} 天`);
  expect(await card('门急诊次均费用(元) Revenue per visit')).toBe((month.cockpitMonth.city.outpatientRevenuePerVisitFen / 100).toFixed(2));
  // The first row: the bulletin's headline counters through September 2024, in 万 and 亿, the exact figure in the title.
  const { bulletinHeadline } = await api(
    `query { bulletinHeadline(month: "2024-09") { residentArchives masterIndexEntries archiveLookups smartReminders dataUnderManagement validatedRecords } }`,
    {},
  );
  expect(bulletinHeadline).toEqual({
    residentArchives: 8680000,
    masterIndexEntries: 28150000,
    archiveLookups: 4410000,
    smartReminders: 8920000,
    dataUnderManagement: 17800000000,
    validatedRecords: 27508000000,
  });
  const headline = await page
    .locator('#headline .card')
    .evaluateAll((nodes) =>
      nodes.map((node) => [node.querySelector('.value')!.textContent, node.querySelector('.label')!.textContent, node.getAttribute('title')]),
    );
  expect(headline).toEqual([
    ['868.0 万', '居民健康档案 Resident archives', '8,680,000'],
    ['2815.0 万', '主索引 Master index entries', '28,150,000'],
    ['441.0 万', '档案调阅 Archive look-ups', '4,410,000'],
    ['892.0 万', '智能提示 Smart reminders', '8,920,000'],
    ['178 亿', '数据汇聚 Data under management', '17,800,000,000'],
    ['275.08 亿', '累计校验入库 Validated records', '27,508,000,000'],
    // The bulletin's month settled nothing through the platform.
    ['0 笔 · ¥0', '一站式结算 One-stop settlement · 医保 Insurance /', '0 settlements, 0 refunds; total 0 元, insurance 0 元, self-paid 0 元 (net of refunds)'],
  ]);
  expect(await page.locator('#seeded').textContent()).toBe('示范城市 Demo city: the bulletin’s figures of 2024-09 (admissions and stays derived)');

  // The district tiles, in the registry's order, each its value and rank; 江宁区 the busiest.
  const ranking = month.cockpitRanking;
  const tileOf = new Map(ranking.districts.map((entry: { rank: number; value: number; row: { district: string } }) => [entry.row.district, entry]));
  const tiles = await page
    .locator('#district-tiles .tile')
    .evaluateAll((nodes) =>
      nodes.map((node) => [node.getAttribute('data-key'), node.querySelector('.value')!.textContent, node.querySelector('.rank')!.textContent]),
    );
  expect(tiles).toHaveLength(12);
  for (const [district, value, rank] of tiles) {
    const entry = tileOf.get(district!) as { rank: number; value: number };
    expect([value, rank]).toEqual([entry.value.toLocaleString('en-US'), `#${entry.rank}`]);
  }
  expect(tiles.find(([district]) => district === '江宁区')).toEqual(['江宁区', '454,680', '#1']);

  // The ranking's top ten, as the API ranks them.
  expect(await page.locator('#ranking tbody tr:visible').count()).toBe(10);
  const rows = await page.locator('#ranking tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  expect(rows).toEqual(
    ranking.hospitals.map((entry: { rank: number; value: number; row: { organization: { name: string } } }) => [
      String(entry.rank),
      entry.row.organization.name,
      entry.value.toLocaleString('en-US'),
    ]),
  );
  expect(rows[0]).toEqual(['1', '江苏省中医院', '581,997']);

  // The trend: twelve months with a shape; the channels and platforms charts.
  const trend = month.cockpitTrend;
  expect(await chartOf('trend-chart')).toEqual({
    labels: trend.map((row: { period: string }) => row.period),
    series: {
      '门急诊 Visits': visitsOf(trend),
      '入院 Admissions': trend.map((row: { admissions: number }) => row.admissions),
      '出院 Discharges': trend.map((row: { discharges: number }) => row.discharges),
    },
  });
  expect((await chartOf('trend-chart')).labels).toEqual([
    '2023-10',
    '2023-11',
    '2023-12',
    '2024-01',
    '2024-02',
    '2024-03',
    '2024-04',
    '2024-05',
    '2024-06',
    '2024-07',
    '2024-08',
    '2024-09',
  ]);
  const total = month.appointmentsByChannel.hospitalsTotal;
  expect(await chartOf('channels-chart')).toEqual({
    labels: ['12320', '快速预约 Quick', '诊间 In clinic', '第三方 Third party'].filter(
      (_, index) => [total.online12320, total.quick, total.inClinic, total.thirdParty][index] > 0,
    ),
    series: { slices: [total.online12320, total.quick, total.inClinic, total.thirdParty].filter((value) => value > 0) },
  });
  expect(await chartOf('platforms-chart')).toEqual({
    labels: month.appointmentsByChannel.platforms.map((row: { name: string }) => row.name),
    series: { slices: month.appointmentsByChannel.platforms.map((row: { appointments: number }) => row.appointments) },
  });
});

it('ranks by the indicator chosen, opens a district’s days from its tile and a hospital’s month and days from its row', async () => {
  await page.locator('#indicator').selectOption('DISCHARGES');
  await page.locator('#ranking-indicator').getByText('出院人次 Discharges').waitFor();
  await page.locator('#status').getByText('Figures of 2024-09.').waitFor();
  // 南京鼓楼医院 discharged the most in the bulletin's month (15,982).
  expect(await texts('#ranking tbody tr:first-child td')).toEqual(['1', '南京鼓楼医院', '15,982']);
  expect(await page.locator('#district-tiles .tile[data-key="江宁区"] .value').textContent()).toBe('6,105');

  await page.locator('#district-tiles .tile[data-key="浦口区"]').click();
  await page.locator('#district-status').getByText('Days of 浦口区 in 2024-09.').waitFor();
  const { cockpitDays: districtDays } = await api(
    `query { cockpitDays(month: "2024-09", district: "浦口区") { period verifiedRecords outpatientVisits emergencyVisits discharges } }`,
    {},
  );
  expect(await chartOf('district-days-chart')).toEqual({
    labels: districtDays.map((day: { period: string }) => day.period),
    series: {
      '门诊 Outpatient': districtDays.map((day: { outpatientVisits: number }) => day.outpatientVisits),
      '急诊 Emergency': districtDays.map((day: { emergencyVisits: number }) => day.emergencyVisits),
      '出院 Discharges': districtDays.map((day: { discharges: number }) => day.discharges),
      '核验记录 Verified': districtDays.map((day: { verifiedRecords: number }) => day.verifiedRecords),
    },
  });
  expect(await page.locator('#district-tiles .tile.selected').getAttribute('data-key')).toBe('浦口区');

  await page.locator('#ranking tbody tr:first-child').click();
  await page.locator('#hospital-title').getByText('南京鼓楼医院 · 2024-09', { exact: true }).waitFor();
  const code = codeOf.get('南京鼓楼医院')!;
  const hospital = await api(
    `query($code: ID!) { cockpitDays(month: "2024-09", organizationCode: $code) { period outpatientVisits emergencyVisits admissions discharges } }`,
    { code },
  );
  expect(await chartOf('hospital-days-chart')).toEqual({
    labels: hospital.cockpitDays.map((day: { period: string }) => day.period),
    series: {
      '门急诊 Visits': visitsOf(hospital.cockpitDays),
      '入院 Admissions': hospital.cockpitDays.map((day: { admissions: number }) => day.admissions),
      '出院 Discharges': hospital.cockpitDays.map((day: { discharges: number }) => day.discharges),
    },
  });
  const figures = Object.fromEntries(
    await page.locator('#hospital-month tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key'), tr.querySelectorAll('td')[1]!.textContent])),
  );
  expect(figures).toMatchObject({
    '门急诊人次 Outpatient and emergency visits': '556,208',
    '入院人次 Admissions': '15,982',
    '出院人次 Discharges': '15,982',
    '平均住院日 Average stay': '7.5 天',
    '出院者次均费用(元) Revenue per discharge': '25,132.48',
    '实时上传天数 Real-time days': '30',
  });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'cockpit-1920x1080-hospital.png') });
  await page.locator('#hospital-close').click();
  expect(await page.locator('#hospital-panel').isHidden()).toBe(true);
});

it('shows a live upload at its next refresh', async () => {
  // 南京鼓楼医院's system sends a late stay of the bulletin's month: admitted 10 September, discharged the 14th.
  const code = codeOf.get('南京鼓楼医院')!;
  const [residentId] = (await insertResidents(stack, { organizationCode: code, count: 1 })) as [string];
  const { body } = await stack.query(hospitalSystemToken(stack, code), `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, {
    input: {
      residentId,
      sourceRecordId: 'S-SCREEN-1',
      class: 'INPATIENT',
      status: 'FINISHED',
      department: '心血管内科',
      start: '2024-09-10T02:00:00.000Z',
      end: '2024-09-14T02:00:00.000Z',
      diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
    },
  });
  expect(body.errors).toBeUndefined();
  await page.evaluate('window.cockpit.refresh()');
  await page.locator('#summary .card[data-key="入院人次 Admissions"] .value').getByText('85,530', { exact: true }).waitFor();
  expect(await page.locator('#summary .card[data-key="出院人次 Discharges"] .value').textContent()).toBe('85,530');
  expect(await texts('#ranking tbody tr:first-child td')).toEqual(['1', '南京鼓楼医院', '15,983']);
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'cockpit-1920x1080-live.png') });
  expect(requests.filter((url) => !isLocal(url))).toEqual([]);
  await page.close();
});
