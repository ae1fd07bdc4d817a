/** A starting service waits for a database that is not answering yet, instead of giving up after one try. */
import net from 'node:net';
import { connectDatabase } from './database';

it('keeps trying while the database is not up, and connects once it is', async () => {
  // A free port where the database "starts" (a forwarder to the suite's) only after the first try failed.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const real = new URL(process.env.MONGODB_URI!);
  const forwarder = net.createServer((client) => {
    const upstream = net.connect(Number(real.port), real.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  const failedTries: number[] = [];
  try {
    const connection = await connectDatabase({
      uri: `mongodb://127.0.0.1:${port}/`,
      dbName: 'startup_wait',
      onUnreachable: async (attempt) => {
        failedTries.push(attempt);
        if (attempt === 1) await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', resolve));
      },
    });
    expect(failedTries).toEqual([1]);
    expect(await connection.db!.command({ ping: 1 })).toMatchObject({ ok: 1 });
    await connection.close();
  } finally {
    if (forwarder.listening) await new Promise((resolve) => forwarder.close(resolve));
  }
});
