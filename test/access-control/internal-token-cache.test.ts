/**
 * Internal tokens are signed once and verified once per process: the gateway reuses a token for
 * every call that would carry the same one (same subgraph, viewer and request), and a subgraph
 * keeps what it verified until the token's exp by its clock, never a refused token. The clock
 * of the gateway and the subgraphs is fixed here, so expiry is exact.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mintInternalToken } from '../../access-control/internal-token';
import type { Viewer } from '../../access-control/viewer';
import { insertHospitals, insertResidents } from '../support/fixtures';
import { movedDuring } from '../support/scrapes';
import { useStack } from '../support/stack-fixture';

const HOSPITAL = '3201-H001';
const START = Date.parse('2026-03-02T08:00:00Z');
let now = START;
const { stack } = useStack({ clock: () => now, metrics: true }, async () => {
  await insertHospitals(stack);
  await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, allergiesEach: 1, prescriptionsEach: 1 });
});

const SIGNED = 'jinling_internal_tokens_signed_total';
const CHECKS = 'jinling_internal_token_checks_total';
// The internet hospital's prescriptions, their residents from records, then their warnings from
// prescriptions again (they need the allergies first): prescriptions is called twice.
const PRESCRIPTIONS = '{ organizationPrescriptions(first: 5) { edges { node { id resident { name } warnings { code } } } } }';
const internetHospital = () => stack.token({ subject: 'ih-tokens', roles: ['internet_hospital'], organizationCode: HOSPITAL });
const viewer: Viewer = { subject: 'dr-tokens', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D-tokens', purposeOfUse: 'treatment' };

async function askRecords(token: string) {
  const response = await fetch(stack.subgraphs.records.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return response.status;
}

const tokenChecks = (action: () => Promise<unknown>) =>
  movedDuring(stack, action, {
    verified: ['records', CHECKS, { outcome: 'verified' }],
    cached: ['records', CHECKS, { outcome: 'cached' }],
    refused: ['records', CHECKS, { outcome: 'refused' }],
  });

it('signs one token per subgraph of a request, and the subgraph checks its signature once', async () => {
  const moved = await movedDuring(
    stack,
    async () => {
      const { body } = await stack.query(internetHospital(), PRESCRIPTIONS);
      expect(body.errors).toBeUndefined();
      expect(body.data!.organizationPrescriptions.edges).toHaveLength(1);
    },
    {
      signedPrescriptions: ['gateway', SIGNED, { subgraph: 'prescriptions' }],
      signedRecords: ['gateway', SIGNED, { subgraph: 'records' }],
      signedOthers: ['gateway', SIGNED],
      verified: ['prescriptions', CHECKS, { outcome: 'verified' }],
      cached: ['prescriptions', CHECKS, { outcome: 'cached' }],
      calls: ['gateway', 'jinling_subgraph_fetches_total', { subgraph: 'prescriptions' }],
    },
  );
  expect(moved).toEqual({ signedPrescriptions: 1, signedRecords: 1, signedOthers: 2, verified: 1, cached: 1, calls: 2 });
});

it('signs anew for the same viewer’s next request: the request id, the audit key, is in the token', async () => {
  const token = internetHospital();
  await stack.query(token, PRESCRIPTIONS);
  const moved = await movedDuring(stack, () => stack.query(token, PRESCRIPTIONS), { signed: ['gateway', SIGNED] });
  expect(moved).toEqual({ signed: 2 });
});

it('serves a verified token from the cache until its exp, then refuses it though it was cached', async () => {
  const token = mintInternalToken({ viewer, requestId: randomUUID() }, 'records', stack.keys.internal.privateKey, now);

  expect(await tokenChecks(async () => expect([await askRecords(token), await askRecords(token)]).toEqual([200, 200]))).toEqual({
    verified: 1,
    cached: 1,
    refused: 0,
  });
  // 36 s on: past the 30 s of life and jwt's 5 s of clock tolerance.
  now = START + 36_000;
  try {
    expect(await tokenChecks(async () => expect(await askRecords(token)).toBe(401))).toEqual({ verified: 0, cached: 0, refused: 1 });
  } finally {
    now = START;
  }
});

it('never caches a refused token: each use is checked and refused again', async () => {
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const forged = mintInternalToken({ viewer, requestId: randomUUID() }, 'records', otherKey, now);

  expect(await tokenChecks(async () => expect([await askRecords(forged), await askRecords(forged)]).toEqual([401, 401]))).toEqual({
    verified: 0,
    cached: 0,
    refused: 2,
  });
});
