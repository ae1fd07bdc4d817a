/** The guard that keeps the suite on this host: it refuses and records connections off loopback. */
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isLoopback } from './loopback-only.cjs';

it('tells loopback addresses from the rest', () => {
  expect(['localhost', '127.0.0.1', '127.0.0.9', '::1', '[::1]', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true, true, true]);
  expect(['10.0.0.1', '192.168.1.1', '203.0.113.7', 'fastdl.mongodb.org', '::', '0.0.0.0', '128.0.0.1'].map(isLoopback)).toEqual([
    false,
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
});

it('refuses a connection off loopback before anything is sent, and records it', async () => {
  // Installed for every test process by jest's setupFiles: if not, nothing below may run.
  expect(net.Socket.prototype.connect.name).toBe('guardedConnect');
  const suiteLog = process.env.JINLING_OFF_LOOPBACK_LOG;
  const ownLog = path.join(mkdtempSync(path.join(os.tmpdir(), 'jinling-guard-')), 'attempts.log');
  process.env.JINLING_OFF_LOOPBACK_LOG = ownLog;
  try {
    const socket = net.connect({ host: '203.0.113.7', port: 9 });
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toBe('connection to 203.0.113.7:9 refused: nothing leaves this host in tests');
    expect(readFileSync(ownLog, 'utf8')).toMatch(/^203\.0\.113\.7:9 \(pid \d+, /);
  } finally {
    process.env.JINLING_OFF_LOOPBACK_LOG = suiteLog;
  }
});
