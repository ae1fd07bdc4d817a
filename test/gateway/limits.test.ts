/**
 * Operation limits at the gateway: at each limit an operation passes, one over it fails with
 * a 400 before any subgraph is called; production turns introspection off; no response
 * carries a stack trace, an internal address, a database message or a field suggestion.
 */
import { QUERY_LIMITS } from '../../gateway/query-limits';
import { FULL_RECORD_FIELDS } from '../support/full-record';
import type { GraphQLResponse } from '../support/stack';
import { useStack } from '../support/stack-fixture';

const { stack } = useStack();
const { stack: production } = useStack({ gatewayConfig: { NODE_ENV: 'production' } });

const doctor = () => stack.token({ subject: 'dr-limits', roles: ['doctor'], organizationCode: '3201-H001' });
const refusedForLimit = (response: GraphQLResponse) =>
  response.status === 400 && response.body.errors?.some((error) => /limit|more that \d+ tokens/i.test(error.message)) === true;

/** `__type` nests as deep as asked: the classic shape of a depth attack. */
function ofDepth(depth: number): string {
  let selection = 'name';
  for (let level = 4; level <= depth; level++) selection = `ofType { ${selection} }`;
  return `{ __type(name: "Resident") { fields { ${depth >= 2 ? selection.replace(/^ofType/, 'type') : 'name'} } } }`;
}

const withAliases = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `o${index}: organization(code: "3201-H001") { code }`).join(' ')} }`;
const withDirectives = (count: number) => `{ organization(code: "3201-H001") { ${Array.from({ length: count }, () => 'code @include(if: true)').join(' ')} } }`;
/** A long argument list: 12 tokens of punctuation and names around count − 12 list items. */
const withTokens = (count: number) => `{ residents(ids: [${Array.from({ length: count - 12 }, () => '"a"').join(' ')}]) { id } }`;

describe.each([
  ['depth', QUERY_LIMITS.maxDepth, ofDepth],
  ['aliases', QUERY_LIMITS.maxAliases, withAliases],
  ['directives', QUERY_LIMITS.maxDirectives, withDirectives],
  ['tokens', QUERY_LIMITS.maxTokens, withTokens],
] as const)('the %s limit', (_name, limit, build) => {
  it(`passes an operation at the limit (${limit})`, async () => {
    const response = await stack.query(doctor(), build(limit));
    expect(refusedForLimit(response)).toBe(false);
    expect(response.status).toBe(200);
  });

  it('refuses one over the limit with a 400', async () => {
    const response = await stack.query(doctor(), build(limit + 1));
    expect(refusedForLimit(response)).toBe(true);
    expect(response.body.data).toBeUndefined();
  });
});

it('refuses an operation whose cost is over the limit, saying the cost, the limit and the costliest lists', async () => {
  const twice = `query($id: ID!) { a: resident(id: $id) { ${FULL_RECORD_FIELDS} } b: resident(id: $id) { ${FULL_RECORD_FIELDS} } }`;
  const response = await stack.query(doctor(), twice, { id: '0123456789abcdef01234567' });
  expect(response.status).toBe(400);
  expect(response.body.errors).toEqual([
    {
      message:
        'The operation costs 9234, over the limit of 8000; costliest lists: a.labReports (2161), b.labReports (2161), a.labReports.edges.node.results (2020). Ask for fewer items (first) or fewer fields.',
      extensions: { code: 'BAD_USER_INPUT' },
    },
  ]);
});

it('counts lists by the items asked for: twice the full record passes with first: 5', async () => {
  const fewer = `query($id: ID!) { a: resident(id: $id) { ${FULL_RECORD_FIELDS.replaceAll('first: 20', 'first: 5')} } b: resident(id: $id) { ${FULL_RECORD_FIELDS.replaceAll('first: 20', 'first: 5')} } }`;
  const response = await stack.query(doctor(), fewer, { id: '0123456789abcdef01234567' });
  expect(refusedForLimit(response)).toBe(false);
});

it('passes the doctor’s full record with every field a workstation shows', async () => {
  const workstation = `query($id: ID!) { resident(id: $id) { ${FULL_RECORD_FIELDS} latestResults(codes: ["14749-6", "4548-4", "2823-3"]) { observation { value unit interpretation } organization { name } } } }`;
  const response = await stack.query(doctor(), workstation, { id: '0123456789abcdef01234567' });
  expect(refusedForLimit(response)).toBe(false);
  expect(response.body.errors!.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
});

it('refuses batched requests', async () => {
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${doctor()}` },
    body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
  });
  expect(response.status).toBe(400);
});

describe("operations the gateway cannot run are the client's mistake (400), not a 500", () => {
  const send = async (body: Record<string, unknown>) => {
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${doctor()}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const twoOperations = 'query A { a: __typename } query B { b: __typename }';

  it.each([
    ['several operations without operationName', { query: twoOperations }, 'The document has several operations: say which to run with operationName'],
    ['an operationName the document does not have', { query: twoOperations, operationName: 'C' }, 'No operation named "C" in the document'],
    ['a subscription', { query: 'subscription { __typename }' }, 'Subscriptions are not supported: use a query'],
  ])('refuses %s', async (_label, body, message) => {
    expect(await send(body)).toEqual({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] } });
  });

  it('runs the operation operationName names', async () => {
    expect(await send({ query: twoOperations, operationName: 'A' })).toEqual({ status: 200, body: { data: { a: 'Query' } } });
  });
});

it('refuses a body over the size limit with 413', async () => {
  const response = await stack.query(doctor(), `{ __typename } # ${'x'.repeat(120_000)}`);
  expect(response.status).toBe(413);
});

it('turns introspection off in production', async () => {
  const token = production.token({ subject: 'dr-limits', roles: ['doctor'], organizationCode: '3201-H001' });
  const response = await production.query(token, '{ __schema { types { name } } }');
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.text).toContain('BAD_USER_INPUT');
});

it('leaks no internals in any error', async () => {
  const responses = await Promise.all([
    stack.query(doctor(), '{ resident(id: "0123456789abcdef01234567") { nam } }'),
    stack.query(doctor(), '{ organization(code: "bad code") { name } }'),
    stack.query(doctor(), '{ resident(id: 1) { name } }'),
    stack.query(doctor(), 'query { ...'),
    stack.query(doctor(), withAliases(QUERY_LIMITS.maxAliases + 1)),
  ]);
  for (const { text } of responses) {
    expect(text).not.toMatch(/did you mean|127\.0\.0\.1|localhost|mongo|ferret|stack|at [\w.]+ \(|node_modules|\.ts:\d+/i);
  }
});
