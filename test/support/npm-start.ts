/**
 * `npm start` as a user runs it (the supervisor, tools/start.ts), at an address of its own:
 * free ports on that host, a data folder of its own, the embedded database, and every
 * connection off loopback refused. Resolves once the gateway is ready.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GUARD_FILE } from './loopback-only.cjs';

export const ROOT = path.resolve(__dirname, '..', '..');
const PORT_NAMES = ['GATEWAY_PORT', 'RECORDS_PORT', 'LABS_PORT', 'PRESCRIPTIONS_PORT', 'REFERRALS_PORT', 'ACCESS_PORT'];

export interface RunningStart {
  supervisor: ChildProcess;
  /** The environment it runs with (HOST, DATA_DIR, the ports, the loopback guard): what a user's terminal would hold. */
  env: NodeJS.ProcessEnv;
  gatewayUrl: string;
  /** Every line it printed, standard output and error. */
  output: string[];
  /** Ctrl-C, then its exit code. */
  stop(): Promise<number | null>;
}

async function freePort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startNpmStart(host: string, dataDir: string, extraEnv: Record<string, string> = {}): Promise<RunningStart> {
  const ports = Object.fromEntries(await Promise.all(PORT_NAMES.map(async (name) => [name, String(await freePort(host))])));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...ports,
    HOST: host,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: `--require ${GUARD_FILE}`,
    ...extraEnv,
  };
  delete env.MONGODB_URI;
  const supervisor = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/start.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: supervisor.stderr! }).on('line', (line) => output.push(line));
  const gatewayUrl = `http://${host}:${ports.GATEWAY_PORT}/graphql`;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: supervisor.stdout! }).on('line', (line) => {
      output.push(line);
      if (line === `[start] gateway ready at ${gatewayUrl}`) resolve();
    });
    supervisor.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.join('\n')}`)));
  });
  const stop = async () => {
    if (supervisor.exitCode !== null || supervisor.signalCode !== null) return supervisor.exitCode;
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
    supervisor.kill('SIGINT');
    return exited;
  };
  return { supervisor, env, gatewayUrl, output, stop };
}
