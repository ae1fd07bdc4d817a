/**
 * A body that stalls is dropped by the server after REQUEST_TIMEOUT_MS, on the gateway and on
 * the subgraphs (the same listener), so half-sent requests hold no connections; a client that goes away is logged at
 * info, without a stack. The test waits for the server to close each connection (no sleeps).
 */
import net from 'node:net';
import { TestStack } from '../support/stack';

jest.setTimeout(300_000);

let stack: TestStack;
const logLines: string[] = [];
let logged: () => void = () => {};
// Each line the services log wakes the test waiting for one.
logLines.push = (...lines: string[]) => {
  const length = Array.prototype.push.apply(logLines, lines);
  logged();
  return length;
};

beforeAll(async () => {
  stack = await TestStack.start({ serviceConfig: { REQUEST_TIMEOUT_MS: 1000 }, logLines });
});
afterAll(() => stack?.stop());

/** Sends the headers and half a body of a POST to /graphql, then nothing; resolves with what the server answered once it closed the connection. */
function stallBody(url: string, token: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":"{ __typen`,
      );
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

it('drops 20 half-sent bodies at the gateway with a 408', async () => {
  const token = stack.token({ subject: 'dr-slow', roles: ['doctor'], organizationCode: '3201-H001', practitionerId: 'D1' });
  const answers = await Promise.all(Array.from({ length: 20 }, () => stallBody(stack.gateway.url, token)));
  expect(answers.map((answer) => answer.split('\r\n')[0])).toEqual(Array(20).fill('HTTP/1.1 408 Request Timeout'));
});

it('logs a client that went away mid-body at info, without a stack', async () => {
  const { hostname, port } = new URL(stack.gateway.url);
  const token = stack.token({ subject: 'dr-slow', roles: ['doctor'], organizationCode: '3201-H001', practitionerId: 'D1' });
  await new Promise<void>((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":"{ __typen`,
        () => socket.destroy(),
      );
    });
    socket.on('close', () => resolve());
  });
  const disconnected = () => logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'client disconnected before the request was read');
  while (disconnected().length === 0) await new Promise<void>((resolve) => (logged = resolve));
  const [entry] = disconnected();
  expect(entry.level).toBe(30);
  expect(JSON.stringify(entry)).not.toContain('    at ');
  expect(logLines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request failed')).toEqual([]);
});
