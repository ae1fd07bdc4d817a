/**
 * Every service's Prometheus metrics, scraped from its own metrics listener while real
 * requests go through the gateway: each counter moves by exactly what the requests did, and
 * no label carries a resident id, a subject or a token. /metrics is not on the public port.
 */
import net from 'node:net';
import { makeIdNumber } from '../../access-control/id-number';
import { SUBGRAPH_NAMES } from '../../platform/config';
import { insertHospitals, modelsOf } from '../support/fixtures';
import { movedDuring, sampleSum, scrapeAll } from '../support/scrapes';
import { useStack } from '../support/stack-fixture';

const HOME = '3201-H001'; // registered the resident and recorded the psychiatric condition
const OTHER = '3201-H002'; // registered the resident too: sees the record, not the restricted condition
const STRANGER = '3201-H100'; // no relationship: breaks the glass
const HUNG_TIMEOUT_MS = 300; // the hung labs server's own deadline, not the real subgraphs'

let hung: net.Server;
const sockets = new Set<net.Socket>();
let residentId: string;
const subjects = ['his-metrics-home', 'his-metrics-other', 'dr-metrics-other', 'dr-metrics-er', 'citizen-metrics'];

const hospitalSystem = (organizationCode: string, subject: string) => stack.token({ subject, roles: ['hospital_system'], organizationCode });
const doctor = (organizationCode: string, subject: string) => stack.token({ subject, roles: ['doctor'], organizationCode, practitionerId: `P-${subject}` });

beforeAll(async () => {
  // Accepts connections and never answers: the labs subgraph stuck, for the timeout counter.
  hung = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
});
const { stack, ok } = useStack(() => ({
  metrics: true,
  subgraphUrlOverrides: { labs: `http://127.0.0.1:${(hung.address() as net.AddressInfo).port}/graphql` },
  subgraphTimeoutMs: { labs: HUNG_TIMEOUT_MS },
}));

beforeAll(async () => {
  await insertHospitals(stack);

  const register = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`;
  const person = {
    name: '钱晓梅',
    gender: 'FEMALE',
    birthDate: '1979-06-21',
    idNumber: makeIdNumber('320105', '1979-06-21', 64),
    phone: '13770002222',
    district: '建邺区',
  };
  const home = hospitalSystem(HOME, subjects[0]!);
  residentId = (await ok(home, register, { input: { ...person, identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-M-1' } } })).registerResident.resident
    .id;
  await ok(hospitalSystem(OTHER, subjects[1]!), register, { input: { ...person, identifier: { system: 'MEDICAL_RECORD_NUMBER', value: 'MRN-M-2' } } });
  await ok(home, `mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, {
    input: { residentId, sourceRecordId: 'P-M-PSY', code: 'F32.9', display: '抑郁发作', clinicalStatus: 'ACTIVE', verificationStatus: 'CONFIRMED' },
  });
  const self = stack.token({ subject: subjects[4]!, roles: ['resident'], residentId });
  await ok(self, `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`, {
    id: residentId,
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hung?.close(resolve));
});

const CONDITIONS = `query ReadConditions($id: ID!) { resident(id: $id) { conditions { edges { node { code { code } } } } } }`;

it('counts an operation, its subgraph fetch, its database commands and a consent omission', async () => {
  const token = doctor(OTHER, subjects[2]!);
  let commands = 0;
  const moved = await movedDuring(
    stack,
    async () => {
      const sent = await stack.commandsDuring(async () => {
        const { body } = await stack.query(token, CONDITIONS, { id: residentId });
        expect(body.errors).toBeUndefined();
        // The restricted condition is left out, the audit says so.
        expect(body.data!.resident.conditions.edges).toEqual([]);
      });
      commands = sent.length;
    },
    {
      requests: ['gateway', 'jinling_graphql_requests_total', { operation: 'ReadConditions', outcome: 'ok' }],
      timed: ['gateway', 'jinling_graphql_request_duration_seconds_count', { operation: 'ReadConditions' }],
      fetches: ['gateway', 'jinling_subgraph_fetches_total', { subgraph: 'records', outcome: 'ok' }],
      fetchesTimed: ['gateway', 'jinling_subgraph_fetch_duration_seconds_count', { subgraph: 'records' }],
      otherFetches: ['gateway', 'jinling_subgraph_fetches_total'],
      http: ['gateway', 'jinling_http_requests_total', { route: '/graphql', status: '200' }],
      subgraphRequests: ['records', 'jinling_graphql_requests_total', { outcome: 'ok' }],
      omissions: ['records', 'jinling_consent_omissions_total'],
      audited: ['records', 'jinling_audit_events_written_total', { action: 'read', outcome: 'omitted' }],
      auditFailures: ['records', 'jinling_audit_write_failures_total'],
    },
  );
  expect(moved).toEqual({
    requests: 1,
    timed: 1,
    fetches: 1,
    fetchesTimed: 1,
    otherFetches: 1,
    http: 1,
    subgraphRequests: 1,
    omissions: 1,
    audited: 1,
    auditFailures: 0,
  });

  // Every command the subgraphs sent is timed once, by the subgraph that sent it.
  expect(commands).toBeGreaterThan(0);
  const before = await scrapeAll(stack);
  const sent = await stack.commandsDuring(() => stack.query(token, CONDITIONS, { id: residentId }));
  const after = await scrapeAll(stack);
  const timed = SUBGRAPH_NAMES.reduce(
    (sum, name) =>
      sum +
      sampleSum(after[name]!, 'jinling_database_command_duration_seconds_count') -
      sampleSum(before[name]!, 'jinling_database_command_duration_seconds_count'),
    0,
  );
  expect(timed).toBe(sent.length);
});

it('counts refused client tokens by reason', async () => {
  const expired = stack.token({ subject: 'dr-metrics-expired', roles: ['doctor'], organizationCode: OTHER }, -3600);
  const moved = await movedDuring(
    stack,
    async () => {
      expect((await stack.query(null, CONDITIONS, { id: residentId })).status).toBe(401);
      expect((await stack.query('not-a-jwt', CONDITIONS, { id: residentId })).status).toBe(401);
      expect((await stack.query(expired, CONDITIONS, { id: residentId })).status).toBe(401);
      expect((await stack.query(expired, CONDITIONS, { id: residentId })).status).toBe(401);
    },
    {
      missing: ['gateway', 'jinling_client_token_refusals_total', { reason: 'missing' }],
      malformed: ['gateway', 'jinling_client_token_refusals_total', { reason: 'malformed' }],
      expired: ['gateway', 'jinling_client_token_refusals_total', { reason: 'expired' }],
      unauthorized: ['gateway', 'jinling_http_requests_total', { route: '/graphql', status: '401' }],
      operations: ['gateway', 'jinling_graphql_requests_total'],
    },
  );
  // Refused before GraphQL runs: no operation is counted.
  expect(moved).toEqual({ missing: 1, malformed: 1, expired: 2, unauthorized: 4, operations: 0 });
});

it('counts a break-the-glass grant and its alert', async () => {
  const moved = await movedDuring(
    stack,
    () =>
      ok(
        doctor(STRANGER, subjects[3]!),
        `mutation Emergency($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "昏迷入院，需查既往史") { id } }`,
        { id: residentId },
      ),
    {
      grants: ['access', 'jinling_break_glass_grants_total'],
      alerts: ['access', 'jinling_audit_alerts_total'],
      writes: ['access', 'jinling_audit_events_written_total', { action: 'write', outcome: 'allowed' }],
      operation: ['gateway', 'jinling_graphql_requests_total', { operation: 'Emergency', outcome: 'ok' }],
    },
  );
  expect(moved).toEqual({ grants: 1, alerts: 1, writes: 1, operation: 1 });
});

it('counts a subgraph timeout, and the error code in the response', async () => {
  const token = doctor(OTHER, subjects[2]!);
  const moved = await movedDuring(
    stack,
    async () => {
      const { body } = await stack.query(token, `query Report { labReport(id: "0123456789abcdef01234567") { id } }`);
      expect(body.errors!.map((error) => error.extensions!.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    },
    {
      timeouts: ['gateway', 'jinling_subgraph_timeouts_total', { subgraph: 'labs' }],
      fetches: ['gateway', 'jinling_subgraph_fetches_total', { subgraph: 'labs', outcome: 'timeout' }],
      errors: ['gateway', 'jinling_graphql_errors_total', { operation: 'Report', code: 'SUBGRAPH_UNAVAILABLE' }],
      failed: ['gateway', 'jinling_graphql_requests_total', { operation: 'Report', outcome: 'error' }],
    },
  );
  expect(moved).toEqual({ timeouts: 1, fetches: 1, errors: 1, failed: 1 });
});

it('bounds client-chosen operation names: anonymous, id-like and unresolved operations get fixed labels', async () => {
  const token = doctor(OTHER, subjects[2]!);
  const moved = await movedDuring(
    stack,
    async () => {
      await stack.query(token, `query($id: ID!) { resident(id: $id) { id } }`, { id: residentId });
      await stack.query(token, `query Resident_${residentId}($id: ID!) { resident(id: $id) { id } }`, { id: residentId });
      await stack.query(token, `query Broken { resident(`);
    },
    {
      anonymous: ['gateway', 'jinling_graphql_requests_total', { operation: 'anonymous' }],
      other: ['gateway', 'jinling_graphql_requests_total', { operation: 'other' }],
      unresolved: ['gateway', 'jinling_graphql_requests_total', { operation: 'unresolved', outcome: 'error' }],
    },
  );
  expect(moved).toEqual({ anonymous: 1, other: 1, unresolved: 1 });
});

it('reports process metrics and no personal data in any label', async () => {
  const texts = await scrapeAll(stack);
  for (const [service, text] of Object.entries(texts)) {
    expect(sampleSum(text, 'jinling_nodejs_eventloop_lag_seconds', { service })).toBeGreaterThanOrEqual(0);
    expect(text).toContain(`jinling_process_resident_memory_bytes{service="${service}"}`);
    expect(text).not.toContain(residentId);
    for (const subject of subjects) expect(text).not.toContain(subject);
    expect(text).not.toContain('钱晓梅');
  }
});

it('does not serve /metrics on the public listeners', async () => {
  for (const service of [stack.gateway, ...Object.values(stack.subgraphs)]) {
    const response = await fetch(new URL('/metrics', service.url));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('jinling_');
  }
});

// Last: it leaves the audit store refusing every later event of the records subgraph.
it('counts audit events that could not be written', async () => {
  // A real failure of the audit store, as in audit-fail-closed.test.ts: a second event for the same client correlation id breaks a unique index.
  const auditEvents = modelsOf(stack).access.AuditEvent;
  // Events already written share a null correlation id: out of the index's way first.
  await auditEvents.deleteMany({});
  await auditEvents.collection.createIndex({ correlationId: 1, subgraph: 1 }, { unique: true });
  const ask = () =>
    fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${doctor(OTHER, subjects[2]!)}`, 'x-request-id': 'replayed-metrics-1' },
      body: JSON.stringify({ query: CONDITIONS, variables: { id: residentId } }),
    }).then((response) => response.json() as Promise<{ errors?: { extensions: { code: string } }[] }>);
  expect((await ask()).errors).toBeUndefined();

  const moved = await movedDuring(stack, async () => expect((await ask()).errors!.map((error) => error.extensions.code)).toEqual(['SUBGRAPH_UNAVAILABLE']), {
    failures: ['records', 'jinling_audit_write_failures_total'],
    written: ['records', 'jinling_audit_events_written_total'],
  });
  expect(moved).toEqual({ failures: 1, written: 0 });
});
