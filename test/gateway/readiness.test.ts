/**
 * Readiness as a load balancer sees it: the gateway is ready only while every subgraph is,
 * and says which one it is waiting for; liveness stays independent of the subgraphs.
 */
import { useStack } from '../support/stack-fixture';

const { stack } = useStack();

const probe = async (path: string) => {
  const response = await fetch(new URL(path, stack.gateway.url));
  return { status: response.status, body: await response.json() };
};

it('is ready while every subgraph is, and names the subgraph it waits for when one stops', async () => {
  expect(await probe('/ready')).toEqual({ status: 200, body: { status: 'ready' } });

  const labs = stack.subgraphs.labs.server;
  await new Promise<void>((resolve) => {
    labs.close(() => resolve());
    labs.closeAllConnections();
  });

  expect(await probe('/ready')).toEqual({ status: 503, body: { status: 'not ready', waitingFor: ['labs'] } });
  expect(await probe('/health')).toEqual({ status: 200, body: { status: 'ok' } });
});
