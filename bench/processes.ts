/**
 * The benchmark's processes: starting them, waiting until they answer, asking the ones that
 * count for their counters, and reading every process's CPU time and peak memory from the
 * kernel's own accounting (/proc), children included (Hive Gateway forks its workers).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { stopChild } from '../tools/stop-child';

const CLOCK_TICKS_PER_SECOND = 100;
const READY_TIMEOUT_MS = 120_000;

export interface Counters {
  /** GraphQL requests this process served. */
  requests: number;
  /** Database commands this process sent. */
  commands: number;
  /** Documents the database returned to this process. */
  documents: number;
}

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  /** The counters of a process started with IPC (the subgraphs and the baseline); null for others. */
  counters(): Promise<Counters | null>;
  stop(): Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], env: Record<string, string>, log: (line: string) => void): BenchProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stopping = false;
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim()) log(`[${name}] ${line}`);
    });
  }
  child.once('exit', (code, signal) => {
    if (!stopping) log(`[${name}] exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  return {
    name,
    child,
    counters: () =>
      new Promise((resolve) => {
        if (!child.connected) return resolve(null);
        const timer = setTimeout(() => resolve(null), 2_000);
        child.once('message', (message) => {
          clearTimeout(timer);
          resolve(message as Counters);
        });
        child.send('counters');
      }),
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

/** For a process started by `startProcess`: answer the parent's 'counters' messages. */
export function answerCounters(counters: () => Counters): void {
  process.on('message', (message) => {
    if (message === 'counters') process.send?.(counters());
  });
}

export async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited before it was ready`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${READY_TIMEOUT_MS / 1000} s`);
}

export interface Usage {
  cpuMs: number;
  /** Peak resident memory (VmHWM), summed over the process and its children. */
  peakRssMb: number;
}

/** CPU time and peak memory of a process and all its descendants, as the kernel counts them. */
export function usageOf(pid: number): Usage {
  let ticks = 0;
  let peakKb = 0;
  for (const id of [pid, ...descendantsOf(pid)]) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th,
      // then cutime and cstime: children that ended and were reaped (PostgreSQL's backends, say) still count.
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${id}/status`, 'utf8'));
      peakKb += Number(hwm?.[1] ?? 0);
    } catch {
      // the process ended between listing and reading
    }
  }
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, peakRssMb: peakKb / 1024 };
}

function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ').filter(Boolean).map(Number)) found.push(child, ...descendantsOf(child));
  }
  return found;
}
