/**
 * The cockpit page in a real browser: served by the gateway alone (ECharts from npm, nothing
 * from elsewhere), it shows only its sign-in form without a token, refuses a token that is not
 * the health commission's on the page, and, signed in, shows in its tables the figures the API
 * returns for the month: seeded rollups and appointments booked through the API, and a
 * hospital's row grown by the batch its system uploads.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ActivityStore } from '../../monitoring/activity-store';
import { ARTIFACTS_DIR, isLocal, launchBrowser, recordingPage } from '../support/browser';
import { insertHospitals, insertResidents, insertSlotPool, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(300_000);

const { stack } = useStack();
let browser: Browser;

/** The city's (Beijing) current month and the one before it. */
const MONTH = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const PREVIOUS = (() => {
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 7);
})();
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
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  const html = await page.text();
  expect(html.match(/(?:src|href)="[^"]+"/g)).toEqual(['href="/cockpit/cockpit.css"', 'src="/cockpit/echarts.js"', 'src="/cockpit/cockpit.js"']);
  const echarts = await fetch(new URL('/cockpit/echarts.js', stack.gateway.url));
  expect([echarts.status, echarts.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  expect((await fetch(new URL('/cockpit/other.js', stack.gateway.url))).status).toBe(404);
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
      [
        stack.token({ subject: 'op-1', roles: ['hotline_operator'], organizationCode: '3201-T01', practitionerId: 'OP1' }),
        { residentId: residents[2], channel: 'QUICK' },
      ],
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
    // ECharts drew its charts (a canvas each).
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(4);
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
    const qinhuai = await districtChart(page);
    expect(qinhuai).toEqual(await districtDaysOfApi(MONTH, '秦淮区'));
    expect(
      Object.values(qinhuai.series)
        .flat()
        .filter((value) => value !== 0),
    ).toEqual([]);

    // Another month: the selector reloads the figures (nothing seeded there), the chosen district's days included.
    await page.locator('#month').fill(PREVIOUS);
    await page.locator('#month').dispatchEvent('change');
    await page.locator('#status').getByText(`Figures of ${PREVIOUS}.`).waitFor();
    expect((await tableRows(page, 'hospitals'))['3201-H001']).toEqual(['江苏省中医院', '0', '0', '0/11', '1,000', '/', '0', '/', '25', '/']);
    await page.locator('#district-status').getByText(`Days of 秦淮区 in ${PREVIOUS}.`).waitFor();
    expect(await districtChart(page)).toEqual(await districtDaysOfApi(PREVIOUS, '秦淮区'));
    expect(await page.locator('#district').inputValue()).toBe('秦淮区');

    expect(requests.filter((url) => !isLocal(url))).toEqual([]);
    expect(requests).toContain(`${new URL(stack.gateway.url).origin}/cockpit/echarts.js`);
    await page.close();
  });
  it('shows a hospital’s row change after its system uploads a batch', async () => {
    const [resident] = (await insertResidents(stack, { organizationCode: '3201-H002', count: 1 })) as [string];
    const page = await recordingPage(browser, []);
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

    // The tab keeps its token: a reload shows the month again.
    await page.reload();
    await page.locator('#hospitals tbody tr[data-key="3201-H002"]').waitFor();
    expect((await tableRows(page, 'hospitals'))['3201-H002']).toEqual(['南京鼓楼医院', '702', '0', '0/11', '402', '256.00', '20', '/', '9', '/']);
    await page.close();
  });
});
