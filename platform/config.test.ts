import { loadConfig } from './config';

it('applies the documented defaults', () => {
  const config = loadConfig({});
  expect(config.GATEWAY_PORT).toBe(4000);
  expect(config.subgraphUrls.access).toBe('http://127.0.0.1:4005/graphql');
  expect(config.SUBGRAPH_TIMEOUT_MS).toBe(2000);
  expect(config.AUDIT_FAIL_CLOSED).toBe(true);
  expect(config.JWT_MAX_LIFETIME_SECONDS).toBe(43200);
});

it('takes a client token lifetime in whole seconds, 0 for no limit', () => {
  expect(loadConfig({ JWT_MAX_LIFETIME_SECONDS: '3600' }).JWT_MAX_LIFETIME_SECONDS).toBe(3600);
  expect(loadConfig({ JWT_MAX_LIFETIME_SECONDS: '0' }).JWT_MAX_LIFETIME_SECONDS).toBe(0);
  expect(() => loadConfig({ JWT_MAX_LIFETIME_SECONDS: '-1' })).toThrow(/JWT_MAX_LIFETIME_SECONDS: /);
  expect(() => loadConfig({ JWT_MAX_LIFETIME_SECONDS: '12h' })).toThrow(/JWT_MAX_LIFETIME_SECONDS: /);
});

it('reaches the subgraphs at the address the services bind to', () => {
  expect(loadConfig({ HOST: '127.0.0.9' }).subgraphUrls).toEqual({
    records: 'http://127.0.0.9:4001/graphql',
    labs: 'http://127.0.0.9:4002/graphql',
    prescriptions: 'http://127.0.0.9:4003/graphql',
    referrals: 'http://127.0.0.9:4004/graphql',
    access: 'http://127.0.0.9:4005/graphql',
  });
  expect(loadConfig({ HOST: '0.0.0.0' }).subgraphUrls.labs).toBe('http://127.0.0.1:4002/graphql');
  expect(loadConfig({ HOST: '::1', LABS_URL: 'http://labs.internal:8080/graphql' }).subgraphUrls).toMatchObject({
    records: 'http://[::1]:4001/graphql',
    labs: 'http://labs.internal:8080/graphql',
  });
});

it('refuses a subgraph on any free port when the gateway is not told where it is', () => {
  expect(() => loadConfig({ LABS_PORT: '0' })).toThrow(
    'Invalid configuration:\n  LABS_PORT: 0 (any free port) needs LABS_URL, or the gateway cannot reach labs',
  );
  expect(loadConfig({ LABS_PORT: '0', LABS_URL: 'http://127.0.0.1:5002/graphql' }).subgraphUrls.labs).toBe('http://127.0.0.1:5002/graphql');
});

it('names every invalid variable in one message', () => {
  const load = () => loadConfig({ GATEWAY_PORT: 'eighty', MONGODB_URI: 'postgres://x' });
  expect(load).toThrow(/^Invalid configuration:\n/);
  expect(load).toThrow(/GATEWAY_PORT: /);
  expect(load).toThrow(/MONGODB_URI: must start with mongodb:\/\/ or mongodb\+srv:\/\//);
});

it('takes the reserved share of slot pools in whole percent and the release in whole hours before the session', () => {
  expect(loadConfig({}).slots).toEqual({ reservedSharePercent: 30, releaseHoursBefore: 24 });
  expect(loadConfig({ RESERVED_SHARE_PERCENT: '45', SLOT_RELEASE_HOURS: '48' }).slots).toEqual({ reservedSharePercent: 45, releaseHoursBefore: 48 });
  expect(() => loadConfig({ RESERVED_SHARE_PERCENT: '101' })).toThrow(/RESERVED_SHARE_PERCENT: /);
  expect(() => loadConfig({ RESERVED_SHARE_PERCENT: '0.3' })).toThrow(/RESERVED_SHARE_PERCENT: /);
  expect(() => loadConfig({ SLOT_RELEASE_HOURS: '-1' })).toThrow(/SLOT_RELEASE_HOURS: /);
});

it('drains for 25 s, sheds beyond 1000 in flight and limits no rate unless told otherwise', () => {
  const config = loadConfig({});
  expect([
    config.SHUTDOWN_DRAIN_MS,
    config.MAX_IN_FLIGHT,
    config.RATE_LIMIT_PER_SUBJECT,
    config.RATE_LIMIT_PER_ORGANIZATION,
    config.RATE_LIMIT_BURST_SECONDS,
  ]).toEqual([25_000, 1000, 0, 0, 60]);
  expect(loadConfig({ RATE_LIMIT_PER_SUBJECT: '120', RATE_LIMIT_PER_ORGANIZATION: '6000' })).toMatchObject({
    RATE_LIMIT_PER_SUBJECT: 120,
    RATE_LIMIT_PER_ORGANIZATION: 6000,
  });
  expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: '0' })).toThrow(/SHUTDOWN_DRAIN_MS: /);
  expect(() => loadConfig({ MAX_IN_FLIGHT: '0' })).toThrow(/MAX_IN_FLIGHT: /);
  expect(() => loadConfig({ RATE_LIMIT_PER_SUBJECT: '-1' })).toThrow(/RATE_LIMIT_PER_SUBJECT: /);
  expect(() => loadConfig({ RATE_LIMIT_BURST_SECONDS: '0' })).toThrow(/RATE_LIMIT_BURST_SECONDS: /);
});

it('bounds batch uploads at 200,000 lines and 64 MiB, sends 200 lines per chunk and lists 100 errors unless told otherwise', () => {
  expect(loadConfig({})).toMatchObject({ UPLOAD_MAX_LINES: 200_000, UPLOAD_MAX_BYTES: 67_108_864, UPLOAD_CHUNK_LINES: 200, UPLOAD_MAX_ERRORS: 100 });
  expect(loadConfig({ UPLOAD_MAX_LINES: '5000', UPLOAD_CHUNK_LINES: '1000', UPLOAD_MAX_ERRORS: '0' })).toMatchObject({
    UPLOAD_MAX_LINES: 5000,
    UPLOAD_CHUNK_LINES: 1000,
    UPLOAD_MAX_ERRORS: 0,
  });
  // A chunk is one batch mutation, which takes at most 1,000 inputs.
  expect(() => loadConfig({ UPLOAD_CHUNK_LINES: '1001' })).toThrow(/UPLOAD_CHUNK_LINES: /);
  expect(() => loadConfig({ UPLOAD_MAX_BYTES: '0' })).toThrow(/UPLOAD_MAX_BYTES: /);
});
