/**
 * Nothing leaves this host in tests: every TCP connection a test process (or a service it
 * starts with this file in NODE_OPTIONS=--require) opens to an address off loopback is refused
 * and written to the file named by JINLING_OFF_LOOPBACK_LOG, which the suite's teardown reads.
 * Plain CommonJS so that any Node process can preload it without a TypeScript loader.
 */
const fs = require('node:fs');
const net = require('node:net');

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|::ffff:127\.\d+\.\d+\.\d+)$/;

function isLoopback(host) {
  return LOOPBACK.test(String(host));
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  // net.connect hands over [options, callback] already normalized; direct calls pass (options) or (port, host).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : 'localhost' };
  const host = options.host ?? 'localhost';
  if (options.path === undefined && !isLoopback(host)) {
    const target = `${host}:${options.port}`;
    if (process.env.JINLING_OFF_LOOPBACK_LOG)
      fs.appendFileSync(process.env.JINLING_OFF_LOOPBACK_LOG, `${target} (pid ${process.pid}, ${process.argv.slice(1).join(' ')})\n`);
    process.nextTick(() => this.destroy(new Error(`connection to ${target} refused: nothing leaves this host in tests`)));
    return this;
  }
  return connect.apply(this, args);
};

/** Starts a record for the suite (called by the global setup); returns its file. */
function startRecording(file) {
  fs.writeFileSync(file, '');
  process.env.JINLING_OFF_LOOPBACK_LOG = file;
  return file;
}

/** The connections off loopback that anything in the suite attempted. */
function offLoopbackAttempts() {
  const file = process.env.JINLING_OFF_LOOPBACK_LOG;
  if (!file || !fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

module.exports = { isLoopback, startRecording, offLoopbackAttempts, GUARD_FILE: __filename };
