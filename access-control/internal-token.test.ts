import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { INTERNAL_ISSUER, mintInternalToken, verifyInternalToken } from './internal-token';
import type { Viewer } from './viewer';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const viewer: Viewer = { subject: 'dr-1', roles: ['doctor'], organizationCode: '3201-H001', purposeOfUse: 'treatment' };

it('round-trips the viewer and request id for the audience it was minted for', () => {
  const issuedAt = Date.parse('2026-03-02T08:00:00Z');
  const token = mintInternalToken({ viewer, requestId: 'req-12345678' }, 'labs', privateKey, issuedAt);
  expect(verifyInternalToken(token, 'labs', publicKey, issuedAt)).toEqual({
    viewer,
    requestId: 'req-12345678',
    correlationId: null,
    expiresAtMs: Date.parse('2026-03-02T08:00:30Z'),
  });
  expect(verifyInternalToken(token, 'records', publicKey)).toBeNull();
});

it('carries the client’s correlation id beside the request id', () => {
  const token = mintInternalToken({ viewer, requestId: 'req-12345678', correlationId: 'client-abc-123' }, 'labs', privateKey);
  expect(verifyInternalToken(token, 'labs', publicKey)).toMatchObject({ viewer, requestId: 'req-12345678', correlationId: 'client-abc-123' });
});

it('carries when the client token expires, for the viewer query', () => {
  const withExpiry: Viewer = { ...viewer, tokenExpiresAt: 1_893_456_000 };
  const token = mintInternalToken({ viewer: withExpiry, requestId: 'req-12345678' }, 'access', privateKey);
  expect(verifyInternalToken(token, 'access', publicKey)?.viewer.tokenExpiresAt).toBe(1_893_456_000);
});

it('refuses a token that would live longer than 60 s', () => {
  const token = jwt.sign({ viewer, rid: 'req-12345678' }, privateKey, { algorithm: 'ES256', issuer: INTERNAL_ISSUER, audience: 'labs', expiresIn: 3600 });
  expect(verifyInternalToken(token, 'labs', publicKey)).toBeNull();
});

it('refuses a token whose viewer claims an unknown role', () => {
  const token = jwt.sign({ viewer: { ...viewer, roles: ['root'] }, rid: 'req-12345678' }, privateKey, {
    algorithm: 'ES256',
    issuer: INTERNAL_ISSUER,
    audience: 'labs',
    expiresIn: 30,
  });
  expect(verifyInternalToken(token, 'labs', publicKey)).toBeNull();
});

it('refuses an unsigned token', () => {
  const token = jwt.sign({ viewer, rid: 'req-12345678' }, '', { algorithm: 'none', issuer: INTERNAL_ISSUER, audience: 'labs', expiresIn: 30 });
  expect(verifyInternalToken(token, 'labs', publicKey)).toBeNull();
});

it('refuses a token past its expiry by the verifying clock, beyond the 5 s tolerance', () => {
  const issuedAt = Date.parse('2026-03-02T08:00:00Z');
  const token = mintInternalToken({ viewer, requestId: 'req-12345678' }, 'labs', privateKey, issuedAt);
  expect(verifyInternalToken(token, 'labs', publicKey, Date.parse('2026-03-02T08:00:34Z'))).not.toBeNull();
  expect(verifyInternalToken(token, 'labs', publicKey, Date.parse('2026-03-02T08:00:36Z'))).toBeNull();
});
