/**
 * The access log a resident reads, through the real gateway: one entry per request, whatever
 * number of services the request reached, with what they disclosed united; privacy officers'
 * audit search keeps every service's own event.
 */

import { insertHospitals, insertResidents, modelsOf, ONE_OF_EACH } from '../../support/fixtures';
import { FULL_RECORD } from '../../support/full-record';
import { useStack } from '../../support/stack-fixture';

const { stack } = useStack();

const HOSPITAL = '3201-H001';
const STRANGER = '3201-H100';

const doctorAt = (organizationCode: string, subject = `dr-${organizationCode}`) =>
  stack.token({ subject, roles: ['doctor'], organizationCode, practitionerId: `P-${subject}` });
const self = (residentId: string) => stack.token({ subject: `citizen-${residentId}`, roles: ['resident'], residentId });
const privacyOfficer = () => stack.token({ subject: 'po-log', roles: ['privacy_officer'] });

const ENTRY = 'id at requestId organization { code } roles subject purposeOfUse dataKinds outcome alert action source sources';
const LOG = `query($id: ID!, $first: Int, $after: String) { resident(id: $id) { accessLog(first: $first, after: $after) { edges { cursor node { ${ENTRY} } } pageInfo { hasNextPage endCursor } } } }`;

type Entry = {
  id: string;
  at: string;
  requestId: string;
  organization: { code: string } | null;
  roles: string[];
  subject: string | null;
  purposeOfUse: string;
  dataKinds: string[];
  outcome: string;
  alert: boolean;
  action: string;
  source: string;
  sources: string[];
};
type Log = { edges: { cursor: string; node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** A GraphQL request at the gateway, with the request id it answers under (what the audit records). */
async function request(token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] };
  return { requestId: response.headers.get('x-request-id')!, body };
}

async function logPage(token: string, residentId: string, first: number, after: string | null = null): Promise<Log> {
  const { body } = await stack.query(token, LOG, { id: residentId, first, after });
  expect(body.errors).toBeUndefined();
  return body.data!.resident.accessLog;
}

async function newResident(): Promise<string> {
  const [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, ...ONE_OF_EACH })) as [string];
  return residentId;
}

beforeAll(async () => {
  await insertHospitals(stack);
});

describe("a resident's access log", () => {
  it('shows a full record read in one request as one entry, with the kinds of data of every service united', async () => {
    const residentId = await newResident();
    const read = await request(doctorAt(HOSPITAL), FULL_RECORD, { id: residentId });
    expect(read.body.errors).toBeUndefined();
    // Every service the request reached wrote its own event.
    const raw = await modelsOf(stack).access.AuditEvent.find({ requestId: read.requestId }).lean();
    expect([...new Set(raw.map((event) => event.subgraph))].sort()).toEqual(['access', 'labs', 'prescriptions', 'records', 'referrals']);

    const log = await logPage(self(residentId), residentId, 20);
    expect(log.pageInfo.hasNextPage).toBe(false);
    expect(log.edges.map(({ node }) => ({ ...node, id: undefined, at: undefined }))).toEqual([
      {
        id: undefined,
        at: undefined,
        requestId: read.requestId,
        organization: { code: HOSPITAL },
        roles: ['doctor'],
        subject: null,
        purposeOfUse: 'treatment',
        dataKinds: ['allergies', 'care-relationships', 'conditions', 'demographics', 'encounters', 'labs', 'prescriptions', 'referrals'],
        outcome: 'ALLOWED',
        alert: false,
        action: 'READ',
        source: expect.any(String),
        sources: ['access', 'labs', 'prescriptions', 'records', 'referrals'],
      },
    ]);
    // The entry stands at the request's newest event, under its id.
    const newest = raw.reduce((latest, event) =>
      event.at > latest.at || (event.at.getTime() === latest.at.getTime() && event._id > latest._id) ? event : latest,
    );
    expect(log.edges[0]!.node).toMatchObject({ id: newest._id, at: newest.at.toISOString(), source: newest.subgraph });
  });

  it("keeps every service's own event in privacy officers' audit search", async () => {
    const residentId = await newResident();
    const read = await request(doctorAt(HOSPITAL, 'dr-evidence'), FULL_RECORD, { id: residentId });
    expect(read.body.errors).toBeUndefined();
    const search = `query($filter: AuditEventFilter!) { auditEvents(filter: $filter, first: 100) { edges { node { requestId source sources dataKinds } } } }`;
    const { body } = await stack.query(privacyOfficer(), search, { filter: { residentId, subject: 'dr-evidence' } });
    expect(body.errors).toBeUndefined();
    const events: { requestId: string; source: string; sources: string[]; dataKinds: string[] }[] = body.data!.auditEvents.edges.map((edge: any) => edge.node);
    const raw = await modelsOf(stack).access.AuditEvent.countDocuments({ requestId: read.requestId });
    expect(events.length).toBe(raw);
    expect(events.every((event) => event.requestId === read.requestId && event.sources.length === 1 && event.sources[0] === event.source)).toBe(true);
    expect([...new Set(events.flatMap((event) => event.dataKinds))].sort()).toEqual([
      'allergies',
      'care-relationships',
      'conditions',
      'demographics',
      'encounters',
      'labs',
      'prescriptions',
      'referrals',
    ]);
  });

  it('shows two requests as two entries, newest first', async () => {
    const residentId = await newResident();
    const first = await request(doctorAt(HOSPITAL), `query($id: ID!) { resident(id: $id) { name labReports { edges { node { id } } } } }`, { id: residentId });
    const second = await request(doctorAt(HOSPITAL), `query($id: ID!) { resident(id: $id) { name prescriptions { edges { node { id } } } } }`, {
      id: residentId,
    });
    expect([first.body.errors, second.body.errors]).toEqual([undefined, undefined]);
    const log = await logPage(self(residentId), residentId, 20);
    expect(log.edges.map(({ node }) => [node.requestId, node.dataKinds, node.sources])).toEqual([
      [second.requestId, ['demographics', 'prescriptions'], ['prescriptions', 'records']],
      [first.requestId, ['demographics', 'labs'], ['labs', 'records']],
    ]);
  });

  it('pages one entry at a time across three requests: each once, in order, and then no more', async () => {
    const residentId = await newResident();
    const requestIds: string[] = [];
    for (let index = 0; index < 3; index++) {
      const read = await request(doctorAt(HOSPITAL), FULL_RECORD, { id: residentId });
      expect(read.body.errors).toBeUndefined();
      requestIds.push(read.requestId);
    }
    const pages: { ids: string[]; hasNextPage: boolean }[] = [];
    let after: string | null = null;
    do {
      const page = await logPage(privacyOfficer(), residentId, 1, after);
      pages.push({ ids: page.edges.map(({ node }) => node.requestId), hasNextPage: page.pageInfo.hasNextPage });
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after && pages.length < 10);
    // The privacy officer's own reads of the log come after the cursor, so they are not among these.
    expect(pages).toEqual([
      { ids: [requestIds[2]!], hasNextPage: true },
      { ids: [requestIds[1]!], hasNextPage: true },
      { ids: [requestIds[0]!], hasNextPage: false },
    ]);
  });

  it('shows a refused read as DENIED', async () => {
    const residentId = await newResident();
    const refused = await request(doctorAt(STRANGER), FULL_RECORD, { id: residentId });
    expect(refused.body.errors!.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const log = await logPage(self(residentId), residentId, 20);
    expect(log.edges.map(({ node }) => [node.requestId, node.organization?.code, node.outcome, node.dataKinds, node.sources])).toEqual([
      [refused.requestId, STRANGER, 'DENIED', ['demographics'], ['records']],
    ]);
  });

  it('shows an emergency read under a break-the-glass grant with its alert, after the grant itself', async () => {
    const residentId = await newResident();
    const token = doctorAt(STRANGER, 'dr-er-log');
    const grant = await request(
      token,
      `mutation($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "昏迷入院，需查既往史与过敏史") { id } }`,
      { id: residentId },
    );
    expect(grant.body.errors).toBeUndefined();
    const read = await request(token, `query($id: ID!) { resident(id: $id) { name allergies { assertion } labReports { edges { node { id } } } } }`, {
      id: residentId,
    });
    expect(read.body.errors).toBeUndefined();
    const log = await logPage(self(residentId), residentId, 20);
    expect(
      log.edges.map(({ node }) => [
        node.requestId,
        node.organization?.code,
        node.action,
        node.purposeOfUse,
        node.alert,
        node.outcome,
        node.dataKinds,
        node.sources,
      ]),
    ).toEqual([
      [read.requestId, STRANGER, 'READ', 'emergency', true, 'ALLOWED', ['allergies', 'demographics', 'labs'], ['labs', 'records']],
      [grant.requestId, STRANGER, 'WRITE', 'emergency', true, 'ALLOWED', ['break-glass'], ['access']],
    ]);
  });

  it('refuses a cursor it did not issue and shows the log to no one else', async () => {
    const residentId = await newResident();
    const { body } = await stack.query(self(residentId), LOG, { id: residentId, first: 1, after: 'not-a-cursor' });
    expect(body.errors!.map((error) => [error.extensions?.code, error.message])).toEqual([['BAD_USER_INPUT', 'Invalid cursor']]);
    const doctor = await stack.query(doctorAt(HOSPITAL), LOG, { id: residentId, first: 1 });
    expect(doctor.body.errors!.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
