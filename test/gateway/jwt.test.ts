/**
 * Client tokens at the gateway: everything but a well-formed, unexpired RS256 token from the
 * configured issuer, for this audience, signed by a key the issuer publishes, is refused with
 * 401 before any resolver runs.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { REFUSAL_DESCRIPTIONS, type TokenRefusal } from '../../gateway/client-auth';
import { modelsOf } from '../support/fixtures';
import { TEST_AUDIENCE, TEST_ISSUER } from '../support/stack';
import { useStack } from '../support/stack-fixture';

const QUERY = `{ organization(code: "3201-H001") { code } }`;
const claims = { roles: ['doctor'], org: '3201-H001' };

const logLines: string[] = [];
const { stack } = useStack({ logLines });

const sign = (payload: object, options: jwt.SignOptions = {}, key: KeyObject | string = stack.keys.issuer.privateKey) =>
  jwt.sign(payload, key, { algorithm: 'RS256', issuer: TEST_ISSUER, audience: TEST_AUDIENCE, subject: 'dr-jwt', expiresIn: 300, ...options });

function unsigned(payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

const now = () => Math.floor(Date.now() / 1000);

const refused: [string, () => string, TokenRefusal][] = [
  ['alg none', () => unsigned({ ...claims, sub: 'dr-jwt', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now() + 300 }), 'signature'],
  [
    'HS256 signed with the RS256 public key',
    () =>
      jwt.sign({ ...claims, sub: 'dr-jwt' }, stack.keys.issuer.publicKey.export({ type: 'spki', format: 'pem' }).toString(), {
        algorithm: 'HS256',
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        expiresIn: 300,
      }),
    'algorithm',
  ],
  [
    'an expired token',
    () =>
      jwt.sign({ ...claims, sub: 'dr-jwt', iat: now() - 3600, exp: now() - 600 }, stack.keys.issuer.privateKey, {
        algorithm: 'RS256',
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
      }),
    'expired',
  ],
  ['a token not yet valid', () => sign(claims, { notBefore: 3600 }), 'not-yet-valid'],
  ['the wrong issuer', () => sign(claims, { issuer: 'https://idp.elsewhere.example' }), 'issuer'],
  ['the wrong audience', () => sign(claims, { audience: 'another-api' }), 'audience'],
  [
    'no expiry',
    () => jwt.sign({ ...claims, sub: 'dr-jwt' }, stack.keys.issuer.privateKey, { algorithm: 'RS256', issuer: TEST_ISSUER, audience: TEST_AUDIENCE }),
    'claims',
  ],
  [
    'a tampered payload',
    () => {
      const [header, , signature] = sign(claims).split('.');
      const payload = Buffer.from(
        JSON.stringify({ ...claims, roles: ['privacy_officer'], sub: 'dr-jwt', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now() + 300 }),
      ).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    'signature',
  ],
  ['a key the issuer never published', () => sign(claims, {}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), 'signature'],
  ['an oversized token', () => sign({ ...claims, padding: 'x'.repeat(9000) }), 'malformed'],
  ['garbage', () => 'not-a-jwt', 'malformed'],
  ['characters a bearer token cannot have', () => 'ab cd', 'malformed'],
  ['an unknown role', () => sign({ ...claims, roles: ['superuser'] }), 'claims'],
  ['a lifetime over 12 hours (exp - iat = 43201 s)', () => sign({ ...claims, iat: now() }, { expiresIn: 43_201 }), 'lifetime'],
  ['an issue time 120 s in the future', () => sign({ ...claims, iat: now() + 120 }, { expiresIn: 300 }), 'issued-at'],
  ['no issue time while a lifetime limit applies', () => sign(claims, { noTimestamp: true }), 'issued-at'],
];

describe('the gateway refuses', () => {
  it.each(refused)('%s with 401 saying why, before any resolver runs', async (_label, token, reason) => {
    const audits = await modelsOf(stack).access.AuditEvent.countDocuments();
    const logged = logLines.length;
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
      body: JSON.stringify({ query: QUERY }),
    });
    const description = REFUSAL_DESCRIPTIONS[reason];
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="jinling-hie", error="invalid_token", error_description="${description}"`);
    expect(await response.json()).toEqual({ errors: [{ message: `Invalid bearer token: ${description}`, extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await modelsOf(stack).access.AuditEvent.countDocuments()).toBe(audits);
    const refusals = logLines
      .slice(logged)
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'client token refused');
    expect(refusals.map((entry) => entry.reason)).toEqual([reason]);
  });

  it('asks for a token, without an error code, when none is sent', async () => {
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="jinling-hie"');
    expect(await response.json()).toEqual({
      errors: [{ message: 'A bearer token is required (Authorization: Bearer <JWT>)', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it.each([
    ['a lifetime of exactly 12 hours', () => sign({ ...claims, iat: now() }, { expiresIn: 43_200 })],
    ['an issue time 10 s ahead (within the clock skew)', () => sign({ ...claims, iat: now() + 10 }, { expiresIn: 300 })],
  ])('accepts %s', async (_label, token) => {
    const { status, body } = await stack.query(token(), QUERY);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('accepts the same claims signed properly (the cases above fail for their flaw alone)', async () => {
    const { status, body } = await stack.query(sign(claims), QUERY);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });
});

describe('keys from the identity provider’s JWKS', () => {
  const published: { kid: string; key: KeyObject }[] = [];
  let jwks: http.Server;

  beforeAll(async () => {
    jwks = http.createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: published.map(({ kid, key }) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' })) }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    published.push({ kid: 'key-2026-01', key: pair.publicKey });
    first = pair.privateKey;
  });
  const { stack: jwksStack } = useStack(() => ({ jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` }));
  afterAll(async () => {
    await new Promise((resolve) => jwks.close(resolve));
  });
  let first: KeyObject;

  const signWith = (key: KeyObject, kid: string) =>
    jwt.sign({ ...claims, sub: 'dr-jwks' }, key, { algorithm: 'RS256', keyid: kid, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, expiresIn: 300 });

  it('accepts a token signed with a published key', async () => {
    expect((await jwksStack.query(signWith(first, 'key-2026-01'), QUERY)).status).toBe(200);
  });

  it('refuses an unknown kid, then accepts it once the issuer publishes it, without a restart', async () => {
    const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signWith(rotated.privateKey, 'key-2026-07');
    expect((await jwksStack.query(token, QUERY)).status).toBe(401);

    published.push({ kid: 'key-2026-07', key: rotated.publicKey });
    expect((await jwksStack.query(token, QUERY)).status).toBe(200);
    expect((await jwksStack.query(signWith(first, 'key-2026-01'), QUERY)).status).toBe(200);
  });

  it('refuses a token with no kid', async () => {
    const token = jwt.sign({ ...claims, sub: 'dr-jwks' }, first, { algorithm: 'RS256', issuer: TEST_ISSUER, audience: TEST_AUDIENCE, expiresIn: 300 });
    expect((await jwksStack.query(token, QUERY)).status).toBe(401);
  });
});
