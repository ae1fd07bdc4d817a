/**
 * The offline API console, in a real browser: the page loads from the gateway alone, takes a
 * bearer token in its header editor and runs a query through the same authenticated endpoint.
 */

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS_DIR, isLocal, launchBrowser, recordingPage } from '../support/browser';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(180_000);

const { stack } = useStack();
const { stack: production } = useStack({ gatewayConfig: { NODE_ENV: 'production' } });
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it('runs a query with the token from the header editor, and nothing leaves loopback', async () => {
  const token = stack.token({ subject: 'console-user', roles: ['doctor'], organizationCode: '3201-H001', practitionerId: 'D0001' });
  const requests: string[] = [];
  const page = await recordingPage(browser, requests);
  // What a person types into the editors, kept by the console between visits.
  await page.addInitScript(
    (headers) => {
      localStorage.setItem('graphiql:headers', headers);
      localStorage.setItem('graphiql:query', '{ viewerProbe: __typename }');
    },
    JSON.stringify({ authorization: `Bearer ${token}` }),
  );
  await page.goto(stack.gateway.url);
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.result-window').getByText('"viewerProbe": "Query"').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'api-console.png') });

  expect(requests.filter((url) => !isLocal(url))).toEqual([]);
  expect(requests).toContain(`${new URL(stack.gateway.url).origin}/console/graphiql.js`);
  await page.close();
});

it('shows the refusal when the header editor has no valid token', async () => {
  const page = await recordingPage(browser, []);
  await page.addInitScript(() => localStorage.setItem('graphiql:query', '{ anonymousProbe: __typename }'));
  await page.goto(stack.gateway.url);
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.result-window').getByText('Invalid bearer token: the bearer token is not a well-formed JWT').waitFor();
  await page.close();
});

it('is not served in production unless enabled, and API clients still get API errors at GET /graphql', async () => {
  const asBrowser = { accept: 'text/html,application/xhtml+xml' };
  const productionPage = await fetch(production.gateway.url, { headers: asBrowser });
  expect(productionPage.status).toBe(405);
  const asset = await fetch(new URL('/console/graphiql.js', production.gateway.url));
  expect(asset.status).toBe(404);

  const apiClient = await fetch(stack.gateway.url, { headers: { accept: 'application/json' } });
  expect(apiClient.status).toBe(405);
  const page = await fetch(stack.gateway.url, { headers: asBrowser });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
});
