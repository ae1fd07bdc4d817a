/**
 * Every write about a resident is audited: each mutation request leaves one event per
 * subgraph that wrote, marked as a write, keyed by the gateway's request id (a client's own
 * x-request-id is only a correlation field).
 */
import { type ConsentScenario, identities, plantCanaries } from '../support/consent-scenario';
import { modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(120_000);

const { stack } = useStack();
let scenario: ConsentScenario;
beforeAll(async () => {
  scenario = await plantCanaries(stack);
});

it('audits each mutation of the scenario as a write, by who wrote it and where', async () => {
  const events = await modelsOf(stack).access.AuditEvent.find({ residentId: scenario.residentId, action: 'write' }).lean();
  const counts: Record<string, number> = {};
  for (const event of events) counts[`${event.subject} ${event.subgraph}`] = (counts[`${event.subject} ${event.subgraph}`] ?? 0) + 1;
  expect(counts).toEqual({
    // registerResident at three desks; two encounters, a condition and an allergy at the source.
    'his-canary-3201-H001 records': 5,
    // A dispensed prescription filed by upload.
    'his-canary-3201-H001 prescriptions': 1,
    'his-canary-3201-H002 records': 1,
    'his-canary-3201-H103 records': 1,
    // Three uploads (one a correction).
    'lis-canary-3201-H001 labs': 3,
    // Three prescriptions issued and signed; four referrals requested.
    'dr-canary-3201-H001 prescriptions': 6,
    'dr-canary-3201-H001 referrals': 4,
    // One prescription issued and signed.
    'dr-canary-3201-H002 prescriptions': 2,
    // Four referrals accepted.
    'dr-canary-3201-H100 referrals': 4,
    'citizen-canary access': 1,
    'dr-canary-3201-H102 access': 1,
  });
  expect(new Set(events.map((event) => event.requestId)).size).toBe(events.length);
  // A write that succeeded is not recorded as a refused read (hospital systems may not read encounters).
  expect([...new Set(events.map((event) => event.outcome))]).toEqual(['allowed']);
  expect(
    events
      .filter((event) => event.subject === 'his-canary-3201-H001')
      .map((event) => event.dataKinds)
      .sort(),
  ).toEqual([['allergies'], ['conditions'], ['encounters'], ['encounters'], ['identity', 'registration'], ['prescriptions']]);
});

it('keeps a client’s x-request-id as the correlation of a write, never as its request id', async () => {
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${stack.token(identities.self(scenario.residentId))}`,
      'x-request-id': 'client-write-0001',
    },
    body: JSON.stringify({
      query: `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH, HIV_STI], blockedOrganizations: []) { updatedAt } }`,
      variables: { id: scenario.residentId },
    }),
  });
  expect(response.status).toBe(200);
  const events = await modelsOf(stack).access.AuditEvent.find({ correlationId: 'client-write-0001' }).lean();
  expect(events.map(({ subgraph, action, dataKinds, outcome }) => ({ subgraph, action, dataKinds, outcome }))).toEqual([
    { subgraph: 'access', action: 'write', dataKinds: ['consent'], outcome: 'allowed' },
  ]);
  expect(events[0]!.requestId).not.toBe('client-write-0001');
});
