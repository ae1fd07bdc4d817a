/**
 * Subgraphs trust only the gateway: a call without a valid internal token for that very
 * subgraph is refused with 401 before it is parsed, whatever it asks for.
 */
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { INTERNAL_ISSUER, mintInternalToken } from '../subgraphs/kit/internal-token';
import type { Viewer } from '../subgraphs/kit/viewer';
import { TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const viewer: Viewer = { subject: 'dr-zhou', roles: ['doctor'], organizationCode: '3201-H001', purposeOfUse: 'treatment' };
const claims = { viewer, requestId: 'isolation-test-1' };

const OPERATIONS = {
  'a root query': `{ organization(code: "3201-H001") { name } }`,
  '_service': `{ _service { sdl } }`,
  '_entities': `{ _entities(representations: [{ __typename: "Resident", id: "0123456789abcdef01234567" }]) { ... on Resident { id } } }`,
};

type TokenKind = 'none' | 'garbage' | 'expired' | 'another subgraph' | 'another key' | 'valid';

function tokenFor(kind: TokenKind): string | null {
  const key = stack.keys.internal.privateKey;
  switch (kind) {
    case 'none':
      return null;
    case 'garbage':
      return 'abc.def.ghi';
    case 'expired':
      return jwt.sign({ viewer, rid: claims.requestId, iat: Math.floor(Date.now() / 1000) - 120 }, key, {
        algorithm: 'ES256',
        issuer: INTERNAL_ISSUER,
        audience: 'records',
        expiresIn: 30,
      });
    case 'another subgraph':
      return mintInternalToken(claims, 'labs', key);
    case 'another key':
      return mintInternalToken(claims, 'records', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    case 'valid':
      return mintInternalToken(claims, 'records', key);
  }
}

describe.each(Object.entries(OPERATIONS))('calling the records subgraph directly with %s', (_label, query) => {
  it.each<TokenKind>(['none', 'garbage', 'expired', 'another subgraph', 'another key'])('refuses a request with %s token', async (kind) => {
    const { status, body } = await stack.query(tokenFor(kind), query, undefined, stack.subgraphs.records.url);
    expect(status).toBe(401);
    expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });

  it('executes with a valid internal token', async () => {
    const { status, body } = await stack.query(tokenFor('valid'), query, undefined, stack.subgraphs.records.url);
    expect(status).toBe(200);
    expect(body.data).toBeDefined();
  });
});

it('refuses a client token at a subgraph: only the gateway may call it', async () => {
  const clientToken = stack.token({ subject: 'dr-zhou', roles: ['doctor'], organizationCode: '3201-H001' });
  const { status } = await stack.query(clientToken, OPERATIONS['_service'], undefined, stack.subgraphs.labs.url);
  expect(status).toBe(401);
});

it('refuses an _entities call carrying more representations than the cap', async () => {
  const representations = Array.from({ length: 501 }, (_, index) => ({ __typename: 'Resident', id: index.toString(16).padStart(24, '0') }));
  const { body } = await stack.query(
    mintInternalToken(claims, 'labs', stack.keys.internal.privateKey),
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id } } }`,
    { r: representations },
    stack.subgraphs.labs.url,
  );
  expect(body.data?._entities ?? null).toBeNull();
  expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
});

it('rejects an _entities representation with a malformed id before any query', async () => {
  const { body } = await stack.query(
    mintInternalToken(claims, 'labs', stack.keys.internal.privateKey),
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id labReports { id } } } }`,
    { r: [{ __typename: 'Resident', id: { $gt: '' } }] },
    stack.subgraphs.labs.url,
  );
  expect(body.data?._entities ?? null).toBeNull();
  expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
});
