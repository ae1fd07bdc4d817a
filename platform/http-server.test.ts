/** Starting a service where it cannot listen says why, in terms an operator can act on. */
import net from 'node:net';
import { listen } from './http-server';

it('names the address and the setting when the port is taken', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as net.AddressInfo;
  try {
    await expect(listen(() => {}, '127.0.0.1', port, 30_000)).rejects.toThrow(
      `Cannot listen on 127.0.0.1:${port}: the port is in use (choose another with GATEWAY_PORT or the subgraph's *_PORT, or stop what listens there)`,
    );
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});

it('says when HOST is not an address of this machine', async () => {
  await expect(listen(() => {}, '192.0.2.1', 0, 30_000)).rejects.toThrow('Cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine (HOST)');
});
