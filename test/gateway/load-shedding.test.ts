/**
 * Load shedding at the gateway: with MAX_IN_FLIGHT=2 and two requests held open (their
 * subgraph answers only when the test releases it), a third gets 503 OVERLOADED with
 * Retry-After at once instead of waiting in a queue; probes still answer; once the two are
 * released, requests pass again.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mintInternalToken } from '../../access-control/internal-token';
import { SUBGRAPHS } from '../../subgraphs';
import { createSubgraphServer } from '../../subgraphs/runtime/subgraph-server';
import { holdRequest } from '../support/held-request';
import { HeldSubgraph } from '../support/held-subgraph';
import { testConfig } from '../support/stack';
import { useStack } from '../support/stack-fixture';

const VIEWER_QUERY = '{ viewer { subject } }';
let held: HeldSubgraph;
beforeAll(async () => {
  held = await HeldSubgraph.start({ data: { viewer: { subject: 'dr-held' } } });
});
const { stack } = useStack(() => ({ gatewayConfig: { MAX_IN_FLIGHT: 2 }, subgraphUrlOverrides: { access: held.url } }));
afterAll(async () => {
  await held.stop();
});

it('answers 503 OVERLOADED beyond two requests in flight, and serves again once they finish', async () => {
  const token = stack.token({ subject: 'dr-held', roles: ['doctor'], organizationCode: '3201-H003' });
  const first = stack.query(token, VIEWER_QUERY);
  const second = stack.query(token, VIEWER_QUERY);
  await held.holding(2);

  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: VIEWER_QUERY }),
  });
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('1');
  expect(await response.json()).toEqual({ errors: [{ message: 'The service is at capacity; retry', extensions: { code: 'OVERLOADED' } }] });
  // Refused, not queued: the subgraph still holds only the first two.
  expect(held.heldCount).toBe(2);
  expect((await fetch(new URL('/health', stack.gateway.url))).status).toBe(200);
  expect((await fetch(new URL('/ready', stack.gateway.url))).status).toBe(200);

  held.release();
  for (const answer of await Promise.all([first, second])) expect(answer).toMatchObject({ status: 200, body: { data: { viewer: { subject: 'dr-held' } } } });

  const again = stack.query(token, VIEWER_QUERY);
  await held.holding(1);
  held.release();
  expect(await again).toMatchObject({ status: 200, body: { data: { viewer: { subject: 'dr-held' } } } });
});

it('sheds at a subgraph too: beyond its bound a call gets 503 OVERLOADED, and passes again once the held one finishes', async () => {
  const internal = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const access = await createSubgraphServer(SUBGRAPHS.access, {
    config: testConfig(`${stack.dbPrefix}shed`, { MAX_IN_FLIGHT: 1 }),
    mongoUri: stack.uri,
    internalPublicKey: internal.publicKey,
  });
  try {
    const token = () =>
      mintInternalToken(
        { viewer: { subject: 'dr-held', roles: ['doctor'], organizationCode: '3201-H003', purposeOfUse: 'treatment' }, requestId: randomUUID() },
        'access',
        internal.privateKey,
      );
    const held = await holdRequest(access.url, token(), VIEWER_QUERY);

    const refused = await stack.query(token(), VIEWER_QUERY, undefined, access.url);
    expect(refused).toMatchObject({ status: 503, body: { errors: [{ message: 'The service is at capacity; retry', extensions: { code: 'OVERLOADED' } }] } });

    held.finish();
    expect(await held.answered).toEqual({ status: 200, body: { data: { viewer: { subject: 'dr-held' } } } });
    expect(await stack.query(token(), VIEWER_QUERY, undefined, access.url)).toMatchObject({ status: 200, body: { data: { viewer: { subject: 'dr-held' } } } });
  } finally {
    // As TestStack does: a real MongoDB keeps what a test leaves; the embedded one goes with the suite.
    if (!process.env.JINLING_TEST_EMBEDDED) await access.connection.dropDatabase();
    await access.stop();
  }
});
