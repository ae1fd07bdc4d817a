/**
 * Client tokens at the gateway: everything but a well-formed, unexpired RS256 token from the
 * configured issuer, for this audience, signed by a key the issuer publishes, is refused with
 * 401 before any resolver runs.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { modelsOf } from './support/fixtures';
import { TEST_AUDIENCE, TEST_ISSUER, TestStack } from './support/stack';

const QUERY = `{ organization(code: "3201-H001") { code } }`;
const claims = { roles: ['doctor'], org: '3201-H001' };

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const sign = (payload: object, options: jwt.SignOptions = {}, key: KeyObject | string = stack.keys.issuer.privateKey) =>
  jwt.sign(payload, key, { algorithm: 'RS256', issuer: TEST_ISSUER, audience: TEST_AUDIENCE, subject: 'dr-jwt', expiresIn: 300, ...options });

function unsigned(payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

const now = () => Math.floor(Date.now() / 1000);

const refused: [string, () => string][] = [
  ['alg none', () => unsigned({ ...claims, sub: 'dr-jwt', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now() + 300 })],
  ['HS256 signed with the RS256 public key', () => jwt.sign({ ...claims, sub: 'dr-jwt' }, stack.keys.issuer.publicKey.export({ type: 'spki', format: 'pem' }).toString(), { algorithm: 'HS256', issuer: TEST_ISSUER, audience: TEST_AUDIENCE, expiresIn: 300 })],
  ['an expired token', () => jwt.sign({ ...claims, sub: 'dr-jwt', iat: now() - 3600, exp: now() - 600 }, stack.keys.issuer.privateKey, { algorithm: 'RS256', issuer: TEST_ISSUER, audience: TEST_AUDIENCE })],
  ['a token not yet valid', () => sign(claims, { notBefore: 3600 })],
  ['the wrong issuer', () => sign(claims, { issuer: 'https://idp.elsewhere.example' })],
  ['the wrong audience', () => sign(claims, { audience: 'another-api' })],
  ['no expiry', () => jwt.sign({ ...claims, sub: 'dr-jwt' }, stack.keys.issuer.privateKey, { algorithm: 'RS256', issuer: TEST_ISSUER, audience: TEST_AUDIENCE })],
  ['a tampered payload', () => {
    const [header, , signature] = sign(claims).split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, roles: ['privacy_officer'], sub: 'dr-jwt', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now() + 300 })).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }],
  ['a key the issuer never published', () => sign(claims, {}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
  ['an oversized token', () => sign({ ...claims, padding: 'x'.repeat(9000) })],
  ['an unknown role', () => sign({ ...claims, roles: ['superuser'] })],
  ['a lifetime over 12 hours (exp - iat = 43201 s)', () => sign({ ...claims, iat: now() }, { expiresIn: 43_201 })],
  ['an issue time 120 s in the future', () => sign({ ...claims, iat: now() + 120 }, { expiresIn: 300 })],
  ['no issue time while a lifetime limit applies', () => sign(claims, { noTimestamp: true })],
];

describe('the gateway refuses', () => {
  it.each(refused)('%s with 401, before any resolver runs', async (_label, token) => {
    const audits = await modelsOf(stack).access.AuditEvent.countDocuments();
    const { status, body } = await stack.query(token(), QUERY);
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await modelsOf(stack).access.AuditEvent.countDocuments()).toBe(audits);
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
  let jwksStack: TestStack;

  beforeAll(async () => {
    jwks = http.createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: published.map(({ kid, key }) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' })) }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    published.push({ kid: 'key-2026-01', key: pair.publicKey });
    jwksStack = await TestStack.start({ jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` });
    first = pair.privateKey;
  });
  afterAll(async () => {
    await jwksStack?.stop();
    await new Promise((resolve) => jwks.close(resolve));
  });
  let first: KeyObject;

  const signWith = (key: KeyObject, kid: string) => jwt.sign({ ...claims, sub: 'dr-jwks' }, key, { algorithm: 'RS256', keyid: kid, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, expiresIn: 300 });

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
