/**
 * How big and how long a benchmark run is. `quick` fits a laptop and the embedded database;
 * `full` is the city-scale run, meant for a real MongoDB (MONGODB_URI). Any figure can be
 * overridden from the environment.
 */
import { LOAD_TEST_VOLUME, type VolumeProfile } from '../tools/seed/city';

export interface BenchProfile {
  name: 'quick' | 'full';
  residents: number;
  volume: VolumeProfile;
  rounds: number;
  /** Seconds of load per measurement (throughput, then latency at half of it). */
  durationSeconds: number;
  connections: number;
  /** Sequential full-record requests per contender and round, for the unloaded p50. */
  probeRequests: number;
  /** Distinct signed requests the mix cycles through. */
  poolSize: number;
  /** Referrals prepared for the booking share of the mix. */
  bookings: number;
  /** The whole run stops by itself after this long, reporting what it measured. */
  budgetMinutes: number;
}

const PROFILES: Record<BenchProfile['name'], BenchProfile> = {
  quick: {
    name: 'quick',
    residents: 100,
    volume: LOAD_TEST_VOLUME,
    rounds: 3,
    durationSeconds: 10,
    connections: 4,
    probeRequests: 9,
    poolSize: 600,
    bookings: 40,
    budgetMinutes: 40,
  },
  full: {
    name: 'full',
    residents: 20_000,
    volume: LOAD_TEST_VOLUME,
    rounds: 3,
    durationSeconds: 30,
    connections: 32,
    probeRequests: 100,
    poolSize: 4000,
    bookings: 1500,
    budgetMinutes: 85,
  },
};

export function profileFrom(argument: string | undefined, env: NodeJS.ProcessEnv): BenchProfile {
  const name = argument ?? env.BENCH_PROFILE ?? 'quick';
  if (name !== 'quick' && name !== 'full') throw new Error(`Unknown profile "${name}": use quick or full`);
  const base = PROFILES[name];
  const number = (key: string, fallback: number) => {
    const raw = env[key];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${key} must be a positive whole number`);
    return value;
  };
  return {
    ...base,
    residents: number('BENCH_RESIDENTS', base.residents),
    rounds: number('BENCH_ROUNDS', base.rounds),
    durationSeconds: number('BENCH_DURATION_SECONDS', base.durationSeconds),
    connections: number('BENCH_CONNECTIONS', base.connections),
    bookings: number('BENCH_BOOKINGS', base.bookings),
    budgetMinutes: number('BENCH_BUDGET_MINUTES', base.budgetMinutes),
  };
}
