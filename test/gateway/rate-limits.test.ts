/**
 * Rate limits at the gateway, per token subject and per organization: the caller over its
 * allowance gets 429 RATE_LIMITED with Retry-After before anything reads its body or reaches
 * a subgraph, while other callers pass. The gateway's clock is fixed here, so every
 * Retry-After is exact; moving it on refills the bucket.
 */
import { useStack } from '../support/stack-fixture';

const VIEWER_QUERY = '{ viewer { subject } }';
const START = Date.parse('2026-03-02T08:00:00Z');
let now = START;
const { stack } = useStack({
  gatewayConfig: { RATE_LIMIT_PER_SUBJECT: 3, RATE_LIMIT_PER_ORGANIZATION: 5, RATE_LIMIT_BURST_SECONDS: 60 },
  clock: () => now,
});

const doctor = (subject: string, organizationCode: string) => stack.token({ subject, roles: ['doctor'], organizationCode, practitionerId: subject });

async function viewerAs(token: string) {
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: VIEWER_QUERY }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

it('refuses the fourth request a minute of one subject with 429 and Retry-After, and lets another organization’s subject through', async () => {
  const drA = doctor('dr-a', '3201-H001');
  for (let request = 0; request < 3; request++) {
    expect(await viewerAs(drA)).toEqual({ status: 200, retryAfter: null, body: { data: { viewer: { subject: 'dr-a' } } } });
  }

  expect(await viewerAs(drA)).toEqual({
    status: 429,
    retryAfter: '20',
    body: { errors: [{ message: 'Too many requests from this caller (at most 3 a minute); retry in 20 s', extensions: { code: 'RATE_LIMITED' } }] },
  });
  expect(await viewerAs(doctor('dr-b', '3201-H002'))).toEqual({ status: 200, retryAfter: null, body: { data: { viewer: { subject: 'dr-b' } } } });

  // 20 s later one request's worth has come back: one passes, the next waits again.
  now = START + 20_000;
  expect((await viewerAs(drA)).status).toBe(200);
  expect((await viewerAs(drA)).retryAfter).toBe('20');
});

it('refuses before reading the body, so nothing reaches a subgraph', async () => {
  const token = doctor('dr-c', '3201-H003');
  for (let request = 0; request < 3; request++) expect((await viewerAs(token)).status).toBe(200);

  let status = 0;
  const reached = await stack.subgraphRequestsDuring(async () => {
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{ not json',
    });
    status = response.status;
    await response.arrayBuffer();
  });

  // 429, not the 400 an unparsable body gets: the limit came first.
  expect(status).toBe(429);
  expect(reached).toEqual([]);
});

it('counts every subject of one organization together', async () => {
  for (const subject of ['dr-d1', 'dr-d2', 'dr-d3', 'dr-d4', 'dr-d5']) {
    expect((await viewerAs(doctor(subject, '3201-H009'))).status).toBe(200);
  }

  expect(await viewerAs(doctor('dr-d6', '3201-H009'))).toEqual({
    status: 429,
    retryAfter: '12',
    body: { errors: [{ message: 'Too many requests from this organization (at most 5 a minute); retry in 12 s', extensions: { code: 'RATE_LIMITED' } }] },
  });
  expect((await viewerAs(doctor('dr-e1', '3201-H010'))).status).toBe(200);
});

it('never limits the health and readiness probes', async () => {
  const probes = await Promise.all(
    ['/health', '/ready', '/ready', '/ready', '/ready'].map(async (path) => (await fetch(new URL(path, stack.gateway.url))).status),
  );
  expect(probes).toEqual([200, 200, 200, 200, 200]);
});
