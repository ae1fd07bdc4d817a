/**
 * One subgraph hanging degrades the response instead of failing it: the gateway gives up
 * after its timeout, returns what the other subgraphs answered, and says which part is
 * missing without revealing where the service lives.
 */
import net from 'node:net';
import { insertResidents } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';
import { TEST_SUBGRAPH_TIMEOUT_MS } from '../support/timing';

// Only the hung server gets a short deadline: the real subgraphs keep the suite's generous one, so load cannot flag them.
const HUNG_TIMEOUT_MS = 300;
let hung: net.Server;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  // Accepts connections and never answers: a subgraph stuck on a slow database, say.
  hung = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
});
const { stack } = useStack(() => ({
  subgraphUrlOverrides: { labs: `http://127.0.0.1:${(hung.address() as net.AddressInfo).port}/graphql` },
  subgraphTimeoutMs: { labs: HUNG_TIMEOUT_MS },
}));
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hung.close(resolve));
});

it('returns the other subgraphs’ data and SUBGRAPH_UNAVAILABLE for the hung one', async () => {
  const [residentId] = await insertResidents(stack, { organizationCode: '3201-H003', count: 1, reportsEach: 2, prescriptionsEach: 1 });
  const token = stack.token({ subject: 'dr-qian', roles: ['doctor'], organizationCode: '3201-H003' });

  const started = Date.now();
  const { status, body, text } = await stack.query(
    token,
    `query($id: ID!) { resident(id: $id) { id prescriptions { edges { node { id } } } labReports { edges { node { id } } } } }`,
    { id: residentId },
  );

  expect(status).toBe(200);
  // Cut by the hung server's own deadline, not by the suite's (which would mean the gateway waited it out).
  expect(Date.now() - started).toBeLessThan(TEST_SUBGRAPH_TIMEOUT_MS);
  expect(body.data!.resident.id).toBe(residentId);
  expect(body.data!.resident.prescriptions.edges).toHaveLength(1);
  expect(body.data!.resident.labReports).toBeNull();
  expect(body.errors).toEqual([
    {
      message: 'The labs service is unavailable: resident.labReports is missing',
      path: ['resident', 'labReports'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    },
  ]);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:|stack|Error:|at \w+ \(/);
});

it('names a root field the hung subgraph owns as the missing path', async () => {
  const token = stack.token({ subject: 'dr-qian', roles: ['doctor'], organizationCode: '3201-H003' });
  const { status, body } = await stack.query(token, `{ report: labReport(id: "0123456789abcdef01234567") { id } organization(code: "3201-H003") { code } }`);
  expect(status).toBe(200);
  expect(body.data).toEqual({ report: null, organization: null });
  expect(body.errors).toEqual([
    { message: 'The labs service is unavailable: report is missing', path: ['report'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
  ]);
});
