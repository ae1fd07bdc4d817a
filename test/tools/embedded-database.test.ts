/**
 * The embedded PostgreSQL's lifetime and isolation: it never outlives the process that
 * started it, even one killed with SIGKILL, nor its launcher; run by root it runs as nobody; two stacks on
 * one machine get their own ports and data directories.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { startEmbeddedDatabase } from '../../tools/embedded-database';
import { isRunning } from '../support/processes';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'jinling-embedded-'));
  chmodSync(scratch, 0o755); // PostgreSQL runs as nobody when root runs the tests
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

async function untilGone(pids: number[]): Promise<void> {
  while (pids.some(isRunning)) await new Promise((resolve) => setTimeout(resolve, 50));
}

it('stops PostgreSQL and FerretDB when the Node process that started them is killed with SIGKILL', async () => {
  const starter = `
    const { startEmbeddedDatabase } = require(${JSON.stringify(path.join(__dirname, '../../tools/embedded-database.ts'))});
    startEmbeddedDatabase({ dataDir: ${JSON.stringify(path.join(scratch, 'killed'))}, durable: false, quiet: true })
      .then((db) => console.log(JSON.stringify({ launcher: db.pid, postgres: db.postgresPid })));`;
  const node = spawn(process.execPath, ['--import', 'tsx', '-e', starter], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = await new Promise<{ launcher: number; postgres: number }>((resolve) =>
    createInterface({ input: node.stdout! }).once('line', (line) => resolve(JSON.parse(line))),
  );
  expect(isRunning(pids.launcher)).toBe(true);
  expect(isRunning(pids.postgres)).toBe(true);
  expect(uidOf(pids.postgres)).toBe(process.getuid!() === 0 ? 65534 : process.getuid!());

  node.kill('SIGKILL');

  await untilGone([pids.launcher, pids.postgres]); // the test's own deadline bounds this
  expect([pids.launcher, pids.postgres].filter(isRunning)).toEqual([]);
});

it('stops PostgreSQL when the launcher itself is killed with SIGKILL (the parent-death signal)', async () => {
  const database = await startEmbeddedDatabase({ dataDir: path.join(scratch, 'orphaned'), durable: false, quiet: true });
  expect(isRunning(database.postgresPid!)).toBe(true);

  process.kill(database.pid!, 'SIGKILL');

  await untilGone([database.postgresPid!]);
  expect(isRunning(database.postgresPid!)).toBe(false);
  await database.stop();
});

it('gives two databases on one machine their own ports and data directories', async () => {
  const [first, second] = await Promise.all(
    ['first', 'second'].map((name) => startEmbeddedDatabase({ dataDir: path.join(scratch, name), durable: false, quiet: true })),
  );
  try {
    expect(first!.uri).not.toBe(second!.uri);
    expect(first!.postgresUrl).not.toBe(second!.postgresUrl);
    expect(first!.dataDir).not.toBe(second!.dataDir);
    const connections = await Promise.all([first!, second!].map((db) => mongoose.createConnection(db.uri, { dbName: 'isolation' }).asPromise()));
    await connections[0]!.collection('marks').insertOne({ _id: 'only-in-first' } as never);
    expect(await connections[0]!.collection('marks').countDocuments()).toBe(1);
    expect(await connections[1]!.collection('marks').countDocuments()).toBe(0);
    await Promise.all(connections.map((connection) => connection.close()));
  } finally {
    await Promise.all([first!, second!].map((db) => db.stop()));
  }
  expect([first!.pid!, first!.postgresPid!, second!.pid!, second!.postgresPid!].filter(isRunning)).toEqual([]);
});
