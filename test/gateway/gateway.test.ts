/**
 * The exchange end to end: a doctor workstation reads a resident's record from all five
 * subgraphs in one request through the real gateway, and every disclosure is audited.
 */

import type { DemoFacts } from '../../tools/seed/demo-facts';
import { seedDemoCity } from '../../tools/seed/seed';
import { modelsOf } from '../support/fixtures';
import { TestStack } from '../support/stack';
import { useStack } from '../support/stack-fixture';

const FULL_RECORD = /* GraphQL */ `
  query FullRecord($id: ID!) {
    resident(id: $id) {
      id
      name
      gender
      birthDate
      idNumber
      phone
      district
      labReports(first: 5) { edges { node {
        id
        category
        status
        issuedAt
        code { system code display }
        organization { code name level }
        results { code { code display } value unit referenceRange { low high text } interpretation critical }
      } } }
      prescriptions(first: 5) { edges { node {
        id
        status
        prescriber { code name }
        items { drug { code display } dose doseUnit frequency days }
      } } }
      referrals { edges { node {
        id
        status
        reason
        toDepartment
        fromOrganization { name level }
        toOrganization { name level }
      } } }
      careRelationships { kind since organization { code name } }
    }
  }
`;

const { stack } = useStack();
let facts: DemoFacts;

beforeAll(async () => {
  const seeded = await seedDemoCity({ uri: stack.uri, dbPrefix: stack.dbPrefix, residents: 300 });
  facts = seeded.facts!;
});

const doctor = () => stack.token({ subject: 'dr-wang', roles: ['doctor'], organizationCode: facts.doctorOrganizationCode, practitionerId: 'D1' });

describe('a doctor reads a resident cared for at their hospital', () => {
  it('gets the record from all five subgraphs in one request, with identifiers masked', async () => {
    const { status, body } = await stack.query(doctor(), FULL_RECORD, { id: facts.residentId });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const resident = body.data!.resident;
    expect(resident.id).toBe(facts.residentId);
    expect(resident.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
    expect(resident.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(resident.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(resident.labReports.edges.length).toBeGreaterThan(0);
    expect(resident.labReports.edges[0].node.organization.name).toEqual(expect.any(String));
    expect(resident.prescriptions.edges.length).toBeGreaterThan(0);
    expect(resident.prescriptions.edges[0].node.items[0].drug.display).toEqual(expect.any(String));
    expect(resident.referrals.edges.length).toBeGreaterThan(0);
    expect(resident.referrals.edges[0].node.toOrganization.name).toEqual(expect.any(String));
    // The access subgraph explains why this doctor may see the record: their hospital only.
    expect(resident.careRelationships.length).toBeGreaterThan(0);
    for (const relationship of resident.careRelationships) expect(relationship.organization.code).toBe(facts.doctorOrganizationCode);
  });

  it('writes one audit event per subgraph that disclosed data, before the response', async () => {
    const correlationId = 'audit-check-0001';
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${doctor()}`, 'x-request-id': correlationId },
      body: JSON.stringify({ query: FULL_RECORD, variables: { id: facts.residentId } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');

    const events = await modelsOf(stack).access.AuditEvent.find({ correlationId }).lean();
    expect(events.map((event) => event.subgraph).sort()).toEqual(['access', 'labs', 'prescriptions', 'records', 'referrals']);
    // The request id is the gateway's own, the same in every subgraph, and told to the client; its own id is only a correlation.
    expect(new Set(events.map((event) => event.requestId)).size).toBe(1);
    expect(response.headers.get('x-request-id')).toBe(events[0]!.requestId);
    expect(events[0]!.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await modelsOf(stack).access.AuditEvent.countDocuments({ requestId: correlationId })).toBe(0);
    for (const event of events) {
      expect(event).toMatchObject({
        residentId: facts.residentId,
        subject: 'dr-wang',
        organizationCode: facts.doctorOrganizationCode,
        outcome: 'allowed',
        purposeOfUse: 'treatment',
      });
    }
    expect(events.find((event) => event.subgraph === 'labs')!.dataKinds).toEqual(['labs']);
  });

  it('shows the resident their own record unmasked, and who looked at it', async () => {
    const resident = stack.token({ subject: 'citizen-1', roles: ['resident'], residentId: facts.residentId });
    const { body } = await stack.query(
      resident,
      `query($id: ID!) { resident(id: $id) { idNumber phone accessLog(first: 50) { edges { node { organization { code } roles subject outcome } } } } }`,
      { id: facts.residentId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.resident.idNumber).toMatch(/^\d{17}[\dX]$/);
    const log = body.data!.resident.accessLog.edges.map((edge: { node: unknown }) => edge.node);
    expect(log).toContainEqual({ organization: { code: facts.doctorOrganizationCode }, roles: ['doctor'], subject: null, outcome: 'ALLOWED' });
  });
});

describe('a doctor without a care relationship', () => {
  it('is refused with FORBIDDEN, sees nothing of the record, and the refusal is audited', async () => {
    const stranger = stack.token({ subject: 'dr-li', roles: ['doctor'], organizationCode: '3201-H999', practitionerId: 'D2' });
    const { status, body, text } = await stack.query(stranger, FULL_RECORD, { id: facts.residentId });

    expect(status).toBe(200);
    expect(body.data!.resident).toBeNull();
    expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const realName = (await modelsOf(stack).records.Resident.findById(facts.residentId).lean())!.name;
    expect(text).not.toContain(realName);

    const denied = await modelsOf(stack).access.AuditEvent.find({ residentId: facts.residentId, subject: 'dr-li' }).lean();
    expect(denied).toEqual([expect.objectContaining({ outcome: 'denied', subgraph: 'records', dataKinds: ['demographics'] })]);
  });
});

describe('authentication at the gateway', () => {
  const ping = `{ organization(code: "3201-H001") { name } }`;

  it('answers a valid token', async () => {
    const { status, body } = await stack.query(doctor(), ping);
    expect(status).toBe(200);
    expect(body.data!.organization.name).toEqual(expect.any(String));
  });

  it.each([
    ['no token', null, 'A bearer token is required (Authorization: Bearer <JWT>)'],
    ['a malformed token', 'not-a-jwt', 'Invalid bearer token: the bearer token is not a well-formed JWT'],
    ['an expired token', 'expired', 'Invalid bearer token: the token has expired'],
    ['a token from another issuer key', 'foreign', 'Invalid bearer token: the token signature does not verify with the identity provider keys'],
  ])('refuses %s with 401, says why, and gives no data', async (_label, kind, message) => {
    let token: string | null = kind;
    if (kind === 'expired') token = stack.token({ subject: 'x', roles: ['doctor'], organizationCode: '3201-H001' }, -60);
    if (kind === 'foreign') {
      const other = await TestStack.start();
      token = other.token({ subject: 'x', roles: ['doctor'], organizationCode: '3201-H001' });
      await other.stop();
    }
    const { status, body } = await stack.query(token, ping);
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
  });
});

describe('refusals say what the caller lacks', () => {
  it('names the field and the role the gate refused, the same whether or not the resident exists', async () => {
    const pharmacist = stack.token({ subject: 'ph-1', roles: ['pharmacist'], organizationCode: '3201-P01', practitionerId: 'P0001' });
    const existing = await stack.query(pharmacist, `query($id: ID!) { resident(id: $id) { encounters { edges { node { id } } } } }`, { id: facts.residentId });
    const unknown = await stack.query(pharmacist, `query($id: ID!) { resident(id: $id) { encounters { edges { node { id } } } } }`, {
      id: '0123456789abcdef01234567',
    });
    expect(existing.body.errors).toEqual([
      { message: 'Not permitted: Query.resident is not open to the pharmacist role', path: ['resident'], extensions: { code: 'FORBIDDEN' } },
    ]);
    expect(unknown.body.errors).toEqual(existing.body.errors);
  });
});

describe('bad input', () => {
  it('rejects a malformed resident id with BAD_USER_INPUT and writes no audit event', async () => {
    const before = await modelsOf(stack).access.AuditEvent.countDocuments();
    const { body } = await stack.query(doctor(), `{ resident(id: "../../etc") { name } }`);
    expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(await modelsOf(stack).access.AuditEvent.countDocuments()).toBe(before);
  });

  it('rejects more than 100 ids in a ward list', async () => {
    const ids = Array.from({ length: 101 }, (_, index) => index.toString(16).padStart(24, '0'));
    const { body } = await stack.query(doctor(), `query($ids: [ID!]!) { residents(ids: $ids) { id } }`, { ids });
    expect(body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message).toBe('At most 100 residents per request');
  });

  it('answers an unknown field without suggesting field names', async () => {
    const { status, text } = await stack.query(doctor(), `{ resident(id: "${facts.residentId}") { nam } }`);
    expect(status).toBe(400);
    expect(text).toContain('BAD_USER_INPUT');
    expect(text).not.toMatch(/did you mean/i);
  });
});
