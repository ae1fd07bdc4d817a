import { loadConfig } from './config';

it('applies the documented defaults', () => {
  const config = loadConfig({});
  expect(config.GATEWAY_PORT).toBe(4000);
  expect(config.subgraphUrls.access).toBe('http://127.0.0.1:4005/graphql');
  expect(config.SUBGRAPH_TIMEOUT_MS).toBe(2000);
  expect(config.AUDIT_FAIL_CLOSED).toBe(true);
});

it('names every invalid variable in one message', () => {
  const load = () => loadConfig({ GATEWAY_PORT: 'eighty', MONGODB_URI: 'postgres://x' });
  expect(load).toThrow(/^Invalid configuration:\n/);
  expect(load).toThrow(/GATEWAY_PORT: /);
  expect(load).toThrow(/MONGODB_URI: must start with mongodb:\/\/ or mongodb\+srv:\/\//);
});
