/**
 * Subgraphs trust only the gateway: a call without a valid internal token for that very
 * subgraph is refused with 401 before it is parsed, whatever it asks for.
 */
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { INTERNAL_ISSUER, mintInternalToken } from '../../access-control/internal-token';
import type { Viewer } from '../../access-control/viewer';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../platform/config';
import { useStack } from '../support/stack-fixture';

const { stack } = useStack();

const viewer: Viewer = { subject: 'po-zhou', roles: ['privacy_officer', 'doctor'], organizationCode: '3201-H001', purposeOfUse: 'treatment' };
const claims = { viewer, requestId: 'isolation-test-1' };

const ENTITIES = `{ _entities(representations: [{ __typename: "Resident", id: "0123456789abcdef01234567" }]) { ... on Resident { id } } }`;
const SERVICE = `{ _service { sdl } }`;
const OPERATIONS: Record<SubgraphName, Record<string, string>> = {
  records: { 'a root query': `{ organization(code: "3201-H001") { name } }`, _service: SERVICE, _entities: ENTITIES },
  labs: { _service: SERVICE, _entities: ENTITIES },
  prescriptions: { _service: SERVICE, _entities: ENTITIES },
  referrals: { _service: SERVICE, _entities: ENTITIES },
  access: { 'a root query': `{ breakGlassReviews { pageInfo { hasNextPage } } }`, _service: SERVICE, _entities: ENTITIES },
};
const CASES = SUBGRAPH_NAMES.flatMap((subgraph) => Object.entries(OPERATIONS[subgraph]).map(([label, query]) => [subgraph, label, query] as const));

type TokenKind = 'none' | 'garbage' | 'expired' | 'another subgraph' | 'another key' | 'valid';

function tokenFor(kind: TokenKind, audience: SubgraphName): string | null {
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
        audience,
        expiresIn: 30,
      });
    case 'another subgraph':
      return mintInternalToken(claims, audience === 'labs' ? 'records' : 'labs', key);
    case 'another key':
      return mintInternalToken(claims, audience, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    case 'valid':
      return mintInternalToken(claims, audience, key);
  }
}

describe.each(CASES)('calling %s directly with %s', (subgraph, _label, query) => {
  it.each<TokenKind>(['none', 'garbage', 'expired', 'another subgraph', 'another key'])('refuses a request with %s token', async (kind) => {
    const { status, body } = await stack.query(tokenFor(kind, subgraph), query, undefined, stack.subgraphs[subgraph].url);
    expect(status).toBe(401);
    expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });

  it('executes with a valid internal token', async () => {
    const { status, body } = await stack.query(tokenFor('valid', subgraph), query, undefined, stack.subgraphs[subgraph].url);
    expect(status).toBe(200);
    expect(body.data).toBeDefined();
  });
});

it('refuses a client token at a subgraph: only the gateway may call it', async () => {
  const clientToken = stack.token({ subject: 'dr-zhou', roles: ['doctor'], organizationCode: '3201-H001' });
  const { status } = await stack.query(clientToken, SERVICE, undefined, stack.subgraphs.labs.url);
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
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id labReports { edges { node { id } } } } } }`,
    { r: [{ __typename: 'Resident', id: { $gt: '' } }] },
    stack.subgraphs.labs.url,
  );
  expect(body.data?._entities ?? null).toBeNull();
  expect(body.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
});
