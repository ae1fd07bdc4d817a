/**
 * The cockpit page in a real browser: served by the gateway alone (ECharts and its Chinese font
 * from npm, nothing from elsewhere), it shows only its sign-in form without a token, refuses a
 * token that is not the health commission's on the page, and, signed in, opens on the latest
 * month with figures, says where a chart has none, and shows in its tables the figures the API
 * returns for the month: seeded rollups and appointments booked through the API, and a
 * hospital's row grown by the batch its system uploads, at the page's next refresh.
 */
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ActivityStore } from '../../monitoring/activity-store';
import { ARTIFACTS_DIR, isLocal, launchBrowser, recordingPage } from '../support/browser';
import { insertHospitals, insertResidents, insertSlotPool, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(300_000);

const { stack } = useStack();
let browser: Browser;

/** The city's (Beijing) current month, the one before it and one five months back. */
const MONTH = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const monthsBefore = (months: number) => {
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 - months, 1)).toISOString().slice(0, 7);
};
const PREVIOUS = monthsBefore(1);
const EARLIER = monthsBefore(5);
const FONT_FILES = '/cockpit/fonts/5.3.1/';
const inMonth = (month: string, day: number) => new Date(`${month}-${String(day).padStart(2, '0')}T04:00:00Z`);

const commission = () => stack.token({ subject: 'hc-1', roles: ['health_commission'] });

beforeAll(async () => {
  await insertHospitals(stack);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** What a table shows: each row's key (data-key) and cell texts, header excluded. */
async function tableRows(page: Page, id: string): Promise<Record<string, string[]>> {
  return page
    .locator(`#${id} tbody tr, #${id} tfoot tr`)
    .evaluateAll((rows) =>
      Object.fromEntries(rows.map((row) => [row.getAttribute('data-key')!, [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')])),
    );
}

/** What the district-by-day chart holds: its days and each series' figures by name. */
async function districtChart(page: Page): Promise<{ days: string[]; series: Record<string, number[]> }> {
  return page.locator('#district-days-chart').evaluate((node) => {
    const option = (globalThis as unknown as { echarts: { getInstanceByDom(node: unknown): { getOption(): any } } }).echarts.getInstanceByDom(node).getOption();
    return {
      days: option.xAxis[0].data,
      series: Object.fromEntries(option.series.map((series: { name: string; data: number[] }) => [series.name, series.data])),
    };
  });
}

/** The district's days as the API answers them, in the chart's terms. */
async function districtDaysOfApi(month: string, district: string): Promise<{ days: string[]; series: Record<string, number[]> }> {
  const { body } = await stack.query(
    commission(),
    `query($month: String!, $district: String) { cockpitDays(month: $month, district: $district) { period verifiedRecords outpatientVisits emergencyVisits discharges } }`,
    { month, district },
  );
  expect(body.errors).toBeUndefined();
  const days = body.data!.cockpitDays as Record<string, number>[];
  const of = (field: string) => days.map((day) => day[field]!);
  return {
    days: of('period') as unknown as string[],
    series: {
      '门诊 Outpatient': of('outpatientVisits'),
      '急诊 Emergency': of('emergencyVisits'),
      '出院 Discharges': of('discharges'),
      '核验记录 Verified': of('verifiedRecords'),
    },
  };
}

/** The note a chart shows instead of an empty drawing, once visible. */
async function noteOf(page: Page, chart: string): Promise<string | null> {
  const note = page.locator(`#${chart}-empty`);
  await note.waitFor();
  return note.textContent();
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(new URL('/cockpit', stack.gateway.url).toString());
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it('serves the page and ECharts from the gateway under a policy that allows this origin only', async () => {
  const page = await fetch(new URL('/cockpit', stack.gateway.url));
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('content-security-policy')).toBe(
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  const html = await page.text();
  expect(html.match(/(?:src|href)="[^"]+"/g)).toEqual([
    'href="/cockpit/fonts/noto-sans-sc.css"',
    'href="/cockpit/cockpit.css"',
    'src="/cockpit/echarts.js"',
    'src="/cockpit/cockpit-charts.js"',
    'src="/cockpit/cockpit-tables.js"',
    'src="/cockpit/cockpit-views.js"',
    'src="/cockpit/cockpit-headline.js"',
    'src="/cockpit/cockpit.js"',
  ]);
  const echarts = await fetch(new URL('/cockpit/echarts.js', stack.gateway.url));
  expect([echarts.status, echarts.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  expect((await fetch(new URL('/cockpit/other.js', stack.gateway.url))).status).toBe(404);
});

it('serves its Chinese font from the npm package: the stylesheet of weights 400 and 700, and their woff2 files, cached long', async () => {
  const stylesheet = await fetch(new URL('/cockpit/fonts/noto-sans-sc.css', stack.gateway.url));
  expect([stylesheet.status, stylesheet.headers.get('content-type'), stylesheet.headers.get('cache-control')]).toEqual([
    200,
    'text/css; charset=utf-8',
    'public, max-age=86400',
  ]);
  const css = await stylesheet.text();
  const urls = [...css.matchAll(/url\(([^)]+)\)/g)].map((match) => match[1]!);
  // The package splits each weight into 101 unicode ranges; every url() is the gateway's, woff2 only.
  expect(urls.length).toBe(202);
  expect(
    urls.filter((url) => !/^\/cockpit\/fonts\/5\.3\.1\/noto-sans-sc-(\d+|latin|latin-ext|cyrillic|vietnamese)-(400|700)-normal\.woff2$/.test(url)),
  ).toEqual([]);
  expect(urls).toContain(`${FONT_FILES}noto-sans-sc-119-700-normal.woff2`);
  expect(urls).toContain(`${FONT_FILES}noto-sans-sc-latin-400-normal.woff2`);
  expect(css.match(/font-weight: (\d+);/g)?.filter((weight) => weight !== 'font-weight: 400;' && weight !== 'font-weight: 700;')).toEqual([]);

  for (const name of ['noto-sans-sc-119-400-normal.woff2', 'noto-sans-sc-latin-700-normal.woff2']) {
    const font = await fetch(new URL(`${FONT_FILES}${name}`, stack.gateway.url));
    expect([font.status, font.headers.get('content-type'), font.headers.get('cache-control')]).toEqual([
      200,
      'font/woff2',
      'public, max-age=31536000, immutable',
    ]);
    expect(
      Buffer.from(await font.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('wOF2');
  }
});

it.each([
  ['a parent folder', `${FONT_FILES}../../package.json`],
  ['an encoded parent folder', `${FONT_FILES}..%2f400.css`],
  ['an encoded absolute path', `${FONT_FILES}%2fetc%2fpasswd`],
  ['the package’s stylesheet', `${FONT_FILES}400.css`],
  ['a weight the page does not use', `${FONT_FILES}noto-sans-sc-119-100-normal.woff2`],
  ['an italic the package does not have', `${FONT_FILES}noto-sans-sc-latin-400-italic.woff2`],
  ['the woff fallback', `${FONT_FILES}noto-sans-sc-119-400-normal.woff`],
  ['a file of the pattern the package lacks', `${FONT_FILES}noto-sans-sc-999-400-normal.woff2`],
  ['another version', '/cockpit/fonts/5.3.0/noto-sans-sc-119-400-normal.woff2'],
])('refuses %s among the fonts (404, nothing served)', async (_label, requestPath) => {
  // A raw request: fetch would resolve the dots before sending.
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.get(new URL(stack.gateway.url), { path: requestPath }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
  });
  expect(answer.status).toBe(404);
  expect(answer.body).not.toMatch(/wOF2|@fontsource|font-face|root:/);
});

it('opens on the latest month with data, says where there is none, and draws its labels in its own font', async () => {
  await new ActivityStore(modelsOf(stack).activity).record([
    { organizationCode: '3201-H001', at: inMonth(EARLIER, 10), counts: { verifiedRecords: 900, outpatientVisits: 300, discharges: 4 } },
  ]);
  const requests: string[] = [];
  const page = await recordingPage(browser, requests);
  await signIn(page, commission());
  await page.locator('#status').getByText(`Figures of ${EARLIER}.`).waitFor();
  expect(await page.locator('#month').inputValue()).toBe(EARLIER);
  expect((await tableRows(page, 'hospitals'))['3201-H001']).toEqual(['江苏省中医院', '0', '0', '0/11', '300', '/', '0', '/', '4', '/']);
  expect(await page.locator('#as-of').textContent()).toMatch(/^截至 As of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(北京时间 Beijing\)$/);

  // Nothing booked, nothing in the districts (a city-level hospital is not in them): each says so.
  expect(await tableRows(page, 'appointments')).toEqual({ none: ['暂无数据 No data'] });
  for (const chart of ['channels-chart', 'platforms-chart']) {
    expect(await noteOf(page, chart)).toBe('暂无数据 No data');
  }
  expect(await noteOf(page, 'district-days-chart')).toBe('选择区 Choose a district');
  expect(await page.locator('#trend-chart-empty').isHidden()).toBe(true);

  // The font: loaded from the gateway, the subsets of the page's characters only, and the one the heading is drawn in.
  // (Page code as text: the test project's types have no DOM. A frame-by-frame check in the page, not
  // waitForFunction, whose polling the page's policy refuses as eval.)
  expect(
    await page.evaluate(`new Promise((resolve) => {
      const loaded = () => document.fonts.check('16px "Noto Sans SC"', '全民健康信息平台驾驶舱') ? resolve(true) : requestAnimationFrame(loaded);
      loaded();
    })`),
  ).toBe(true);
  const faces = await page.evaluate<string[]>(`[...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family.replace(/"/g, ''))`);
  expect(faces.length).toBeGreaterThan(0);
  expect(new Set(faces)).toEqual(new Set(['Noto Sans SC']));
  const fonts = requests.filter((url) => url.endsWith('.woff2'));
  expect(fonts.filter((url) => !url.startsWith(`${new URL(stack.gateway.url).origin}${FONT_FILES}`))).toEqual([]);
  expect(fonts.length).toBeGreaterThan(0);
  expect(fonts.length).toBeLessThan(101);
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h1' });
  await cdp.send('CSS.enable');
  const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  // The face's own name in its files is "Noto Sans SC Thin" (the package's variable-font naming), whatever the weight.
  expect(new Set(used.map((font) => [font.familyName, font.isCustomFont].join(' ')))).toEqual(new Set(['Noto Sans SC Thin true']));
  expect(requests.filter((url) => !isLocal(url))).toEqual([]);
  await page.close();
});

it('shows the sign-in form only when the tab has no token', async () => {
  const requests: string[] = [];
  const page = await recordingPage(browser, requests);
  await page.goto(new URL('/cockpit', stack.gateway.url).toString());
  await page.locator('#sign-in').waitFor();
  expect(await page.locator('#cockpit').isHidden()).toBe(true);
  expect(await page.locator('#session').isHidden()).toBe(true);
  expect(await page.locator('#message').isHidden()).toBe(true);
  // Nothing asked the API: no token, no request.
  expect(requests.filter((url) => url.endsWith('/graphql'))).toEqual([]);
  await page.close();
});

it.each([
  [
    'a doctor’s token',
    () => stack.token({ subject: 'dr-1', roles: ['doctor'], organizationCode: '3201-H001', practitionerId: 'D1' }),
    'This page is for the health commission: the token’s role is doctor. Sign in with a health_commission token.',
  ],
  [
    'a hotline operator’s token',
    () => stack.token({ subject: 'op-1', roles: ['hotline_operator'], organizationCode: '3201-T01' }),
    'This page is for the health commission: the token’s role is hotline_operator. Sign in with a health_commission token.',
  ],
  ['no JWT at all', () => 'not-a-token', 'Invalid bearer token: the bearer token is not a well-formed JWT'],
])('refuses %s on the page, keeping it out of the tab', async (_label, token, message) => {
  const page = await recordingPage(browser, []);
  await signIn(page, token());
  await page.locator('#message').getByText(message).waitFor();
  expect(await page.locator('#cockpit').isHidden()).toBe(true);
  expect(await page.locator('#sign-in').isVisible()).toBe(true);
  expect(await page.evaluate(() => sessionStorage.getItem('jinling:cockpit-token'))).toBeNull();
  await page.close();
});

describe('signed in with the health commission’s token', () => {
  beforeAll(async () => {
    const store = new ActivityStore(modelsOf(stack).activity);
    await store.record([
      {
        organizationCode: '3201-H001',
        at: inMonth(MONTH, 1),
        counts: {
          scheduledUploadRecords: 5000,
          verifiedRecords: 5100,
          realtimeRecords: 100,
          outpatientVisits: 1200,
          outpatientRevenueFen: 345678,
          emergencyVisits: 80,
          emergencyRevenueFen: 12000,
          discharges: 30,
          inpatientRevenueFen: 9876543,
        },
        realtimeForms: ['OUTPATIENT_REGISTRATION', 'OUTPATIENT_SETTLEMENT'],
      },
      {
        organizationCode: '3201-H002',
        at: inMonth(MONTH, 1),
        counts: { scheduledUploadRecords: 700, verifiedRecords: 700, outpatientVisits: 400, emergencyVisits: 20, discharges: 9 },
      },
      {
        organizationCode: '3201-H101',
        at: inMonth(MONTH, 1),
        counts: {
          scheduledUploadRecords: 250,
          verifiedRecords: 260,
          realtimeRecords: 10,
          outpatientVisits: 300,
          outpatientRevenueFen: 50000,
          emergencyVisits: 5,
          discharges: 2,
        },
        realtimeForms: ['OUTPATIENT_REGISTRATION'],
      },
      { organizationCode: '3201-H001', at: inMonth(PREVIOUS, 15), counts: { verifiedRecords: 4000, outpatientVisits: 1000, discharges: 25 } },
    ]);
    // Appointments booked through the API: two online (one on a platform), one quick, one in the clinic.
    const residents = (await insertResidents(stack, { organizationCode: '3201-H001', count: 4 })) as [string, string, string, string];
    const pool = await insertSlotPool(stack, { capacity: 10, reserved: 0 });
    const book = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;
    const resident = (residentId: string) => stack.token({ subject: `r-${residentId}`, roles: ['resident'], residentId });
    const bookings: [string, Record<string, unknown>][] = [
      [resident(residents[0]), { residentId: residents[0], channel: 'ONLINE_12320', platform: 'HEALTHY_NANJING_APP' }],
      [resident(residents[1]), { residentId: residents[1], channel: 'ONLINE_12320' }],
      // A quick booking the resident makes (an operator's booking on the phone is the hotline table's).
      [resident(residents[2]), { residentId: residents[2], channel: 'QUICK' }],
      [stack.token({ subject: 'his-h001', roles: ['hospital_system'], organizationCode: '3201-H001' }), { residentId: residents[3], channel: 'IN_CLINIC' }],
    ];
    for (const [token, input] of bookings) expect((await stack.query(token, book, { input: { ...input, poolId: pool._id } })).body.errors).toBeUndefined();
  });

  it('shows the month’s tables as the API returns them, with charts, and nothing leaves loopback', async () => {
    const requests: string[] = [];
    const page = await recordingPage(browser, requests);
    await signIn(page, commission());
    await page.locator('#hospitals tbody tr').first().waitFor();
    await page.locator('#appointments tbody tr').first().waitFor();

    const hospitals = await tableRows(page, 'hospitals');
    expect(hospitals['3201-H001']).toEqual(['江苏省中医院', '5,000', '1', '2/11', '1,200', '3,456.78', '80', '120.00', '30', '98,765.43']);
    expect(hospitals['3201-H002']).toEqual(['南京鼓楼医院', '700', '0', '0/11', '400', '/', '20', '/', '9', '/']);
    const districts = await tableRows(page, 'districts');
    expect(districts.江宁区).toEqual(['江宁区', '250', '1', '1/11', '300', '500.00', '5', '/', '2', '/']);
    expect(districts.city).toEqual(['全市 City', '5,950', '1', '2/11', '1,900', '3,956.78', '105', '120.00', '41', '98,765.43']);

    expect((await tableRows(page, 'appointments'))['3201-H001']).toEqual(['江苏省中医院', '2', '1', '1', '0', '4']);
    expect((await tableRows(page, 'platforms')).HEALTHY_NANJING_APP).toEqual(['健康南京 app', '1']);
    const trend = await tableRows(page, 'trend');
    expect(trend[PREVIOUS]).toEqual([PREVIOUS, '4,000', '1,000', '0', '25', '/', '/']);
    expect(trend[MONTH]).toEqual([MONTH, '6,060', '1,900', '105', '41', '3,956.78', '98,765.43']);
    expect(await page.locator('#forms [data-key="OUTPATIENT_REGISTRATION"] .hospitals').textContent()).toBe('医院 Hospitals 1/2');

    // The tables are the API's figures: every hospital row matches what the gateway answers.
    const { body } = await stack.query(
      commission(),
      `query($month: String!) { cockpitMonth(month: $month) { hospitals { organization { code } outpatientVisits discharges } } }`,
      { month: MONTH },
    );
    for (const row of body.data!.cockpitMonth.hospitals) {
      expect([row.organization.code, hospitals[row.organization.code]![4], hospitals[row.organization.code]![8]]).toEqual([
        row.organization.code,
        row.outpatientVisits.toLocaleString('en-US'),
        row.discharges.toLocaleString('en-US'),
      ]);
    }
    // ECharts drew its charts (a canvas each): the trend, the channels and the platforms.
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => sessionStorage.getItem('jinling:cockpit-token'))).not.toBeNull();

    // A district's days: a click on its row draws them, as the API answers cockpitDays for the district.
    await page.locator('#districts tbody tr[data-key="江宁区"]').click();
    await page.locator('#district-status').getByText(`Days of 江宁区 in ${MONTH}.`).waitFor();
    const jiangning = await districtChart(page);
    expect(jiangning).toEqual(await districtDaysOfApi(MONTH, '江宁区'));
    // 3201-H101, a secondary hospital of 江宁区, reported on the 1st; nothing else did.
    expect(jiangning.days[0]).toBe(`${MONTH}-01`);
    expect(
      Object.fromEntries(Object.entries(jiangning.series).map(([name, data]) => [name, [data[0], data.slice(1).filter((value) => value !== 0).length]])),
    ).toEqual({
      '门诊 Outpatient': [300, 0],
      '急诊 Emergency': [5, 0],
      '出院 Discharges': [2, 0],
      '核验记录 Verified': [260, 0],
    });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'cockpit.png'), fullPage: true });
    // Or through the selector: 秦淮区's only organization here is a city-level hospital, which is not in the district's figures.
    await page.locator('#district').selectOption('秦淮区');
    await page.locator('#district-status').getByText(`Days of 秦淮区 in ${MONTH}.`).waitFor();
    expect(
      Object.values((await districtDaysOfApi(MONTH, '秦淮区')).series)
        .flat()
        .filter((value) => value !== 0),
    ).toEqual([]);
    expect(await noteOf(page, 'district-days-chart')).toBe('暂无数据 No data');

    // Another month: the selector reloads the figures (nothing seeded there), the chosen district's days included.
    await page.locator('#month').fill(PREVIOUS);
    await page.locator('#month').dispatchEvent('change');
    await page.locator('#status').getByText(`Figures of ${PREVIOUS}.`).waitFor();
    expect((await tableRows(page, 'hospitals'))['3201-H001']).toEqual(['江苏省中医院', '0', '0', '0/11', '1,000', '/', '0', '/', '25', '/']);
    await page.locator('#district-status').getByText(`Days of 秦淮区 in ${PREVIOUS}.`).waitFor();
    expect(await noteOf(page, 'district-days-chart')).toBe('暂无数据 No data');
    expect(await page.locator('#district').inputValue()).toBe('秦淮区');

    expect(requests.filter((url) => !isLocal(url))).toEqual([]);
    expect(requests).toContain(`${new URL(stack.gateway.url).origin}/cockpit/echarts.js`);
    await page.close();
  });
  it('shows a hospital’s row change after its system uploads a batch, at its next refresh', async () => {
    const [resident] = (await insertResidents(stack, { organizationCode: '3201-H002', count: 1 })) as [string];
    const requests: string[] = [];
    const page = await recordingPage(browser, requests);
    // The page's clock is the test's: its refresh timer fires when the test moves the clock on, not after a wait.
    await page.clock.install();
    await signIn(page, commission());
    await page.locator('#hospitals tbody tr[data-key="3201-H002"]').waitFor();
    expect((await tableRows(page, 'hospitals'))['3201-H002']).toEqual(['南京鼓楼医院', '700', '0', '0/11', '400', '/', '20', '/', '9', '/']);

    // Two visits of today with their charges, as the hospital's nightly system sends them.
    const start = new Date().toISOString();
    const visit = (id: string) => ({
      residentId: resident,
      sourceRecordId: id,
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '内分泌科',
      start,
      diagnoses: [],
      chargesFen: 12_800,
    });
    const his = stack.token({ subject: 'his-h002', roles: ['hospital_system'], organizationCode: '3201-H002' });
    const response = await fetch(new URL('/upload/encounters', stack.gateway.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${his}`, 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify(visit('PAGE-1'))}\n${JSON.stringify(visit('PAGE-2'))}\n`,
    });
    expect(await response.json()).toMatchObject({ lines: 2, accepted: 2, rejected: 0 });

    // The page asks again every 30 s: moving its clock on 30 s refreshes the row, without a reload.
    expect(await page.evaluate('window.cockpit.refreshEveryMs')).toBe(30_000);
    const asked = requests.filter((url) => url.endsWith('/graphql')).length;
    await page.clock.runFor(30_000);
    await page.locator('#hospitals tr[data-key="3201-H002"] td:nth-child(2)').getByText('702', { exact: true }).waitFor();
    expect((await tableRows(page, 'hospitals'))['3201-H002']).toEqual(['南京鼓楼医院', '702', '0', '0/11', '402', '256.00', '20', '/', '9', '/']);
    expect(requests.filter((url) => url.endsWith('/graphql')).length).toBe(asked + 1);

    // The tab keeps its token: a reload shows the month again.
    await page.reload();
    await page.locator('#hospitals tbody tr[data-key="3201-H002"]').waitFor();
    expect((await tableRows(page, 'hospitals'))['3201-H002']).toEqual(['南京鼓楼医院', '702', '0', '0/11', '402', '256.00', '20', '/', '9', '/']);
    await page.close();
  });
  it('shows the headline counters and a settlement made through the API, net of its refund, in the first row', async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: '3201-H002', count: 1 })) as [string];
    const his = stack.token({ subject: 'his-h002', roles: ['hospital_system'], organizationCode: '3201-H002' });
    const settled = await stack.query(his, `mutation($input: SettleInput!) { settle(input: $input) { day } }`, {
      input: {
        settlementId: 'PAGE-S-1',
        residentId,
        subject: 'VISIT',
        subjectId: 'visit-PAGE-S-1',
        items: [{ name: '检查费', quantity: 1, amountFen: 12_000 }],
        totalFen: 12_000,
        insuranceFen: 8_400,
        selfPaidFen: 3_600,
        channel: 'UNIONPAY',
      },
    });
    expect(settled.body.errors).toBeUndefined();
    const refunded = await stack.query(his, `mutation($input: RefundInput!) { refundSettlement(input: $input) { id } }`, {
      input: {
        settlementId: 'PAGE-S-1-R',
        originalSettlementId: 'PAGE-S-1',
        items: [{ name: '检查费', quantity: 1, amountFen: 2_000 }],
        totalFen: 2_000,
        insuranceFen: 1_400,
        selfPaidFen: 600,
      },
    });
    expect(refunded.body.errors).toBeUndefined();
    // The month the settlement counted in (Beijing), whatever the time of day.
    const month = settled.body.data!.settle.day.slice(0, 7);
    const page = await recordingPage(browser, []);
    await signIn(page, commission());
    await page.locator('#month').fill(month);
    await page.locator('#month').dispatchEvent('change');
    await page.locator('#status').getByText(`Figures of ${month}.`).waitFor();
    const cards = await page
      .locator('#headline .card')
      .evaluateAll((nodes) =>
        nodes.map((node) => [node.querySelector('.value')!.textContent, node.querySelector('.label')!.textContent, node.getAttribute('title')]),
      );
    expect(cards.at(-1)).toEqual([
      '1 笔 · ¥100',
      '一站式结算 One-stop settlement · 医保 Insurance 70.0%',
      '1 settlements, 1 refunds; total 100 元, insurance 70 元, self-paid 30 元 (net of refunds)',
    ]);
    // The headline counters are the API's: nothing registered or looked up here; the validated records this file's uploads
    // counted (over 10,000, how many depends on the tests run before), in 万 with one decimal, exact in the title.
    const { body } = await stack.query(
      commission(),
      `query($month: String!) { bulletinHeadline(month: $month) { residentArchives masterIndexEntries archiveLookups smartReminders dataUnderManagement validatedRecords } }`,
      { month },
    );
    const headline = body.data!.bulletinHeadline;
    expect([headline.residentArchives, headline.masterIndexEntries, headline.archiveLookups, headline.smartReminders]).toEqual([0, 0, 0, 0]);
    expect([headline.validatedRecords >= 10_000, headline.dataUnderManagement]).toEqual([true, headline.validatedRecords]);
    const inWan = `${(headline.validatedRecords / 10_000).toFixed(1)} 万`;
    const exact = headline.validatedRecords.toLocaleString('en-US');
    expect(cards.slice(0, -1).map(([value, , title]) => [value, title])).toEqual([
      ['0', '0'],
      ['0', '0'],
      ['0', '0'],
      ['0', '0'],
      [inWan, exact],
      [inWan, exact],
    ]);
    expect(await page.locator('#headline').isVisible()).toBe(true);

    // An answer without the headline (null, as on an error) says so on every card, the settlement's too without the city.
    await page.route('**/graphql', async (route) => {
      const response = await route.fetch();
      const answer = await response.json();
      if (answer.data && 'bulletinHeadline' in answer.data) Object.assign(answer.data, { bulletinHeadline: null, cockpitMonth: null });
      await route.fulfill({ response, json: answer });
    });
    await page.evaluate('window.cockpit.refresh()');
    await page.locator('#headline .card .value').first().getByText('无数据 No data').waitFor();
    expect(await page.locator('#headline .card .value').allTextContents()).toEqual(Array(7).fill('无数据 No data'));
    await page.close();
  });
});
