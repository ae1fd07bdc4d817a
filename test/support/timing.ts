/**
 * How long the suite waits for things, from the environment. The defaults are generous on
 * purpose: a busy machine makes everything slower, and a test must fail on a wrong answer,
 * never on a slow one. Only a test that needs a deadline to be hit sets a short one, and only
 * for the server it wants to time out.
 */
function fromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer of milliseconds, got ${JSON.stringify(raw)}`);
  return value;
}

/** The gateway's timeout for every subgraph of a test stack. */
export const TEST_SUBGRAPH_TIMEOUT_MS = fromEnv('TEST_SUBGRAPH_TIMEOUT_MS', 120_000);

/** How long a test waits for a process it started to be ready. */
export const TEST_START_TIMEOUT_MS = fromEnv('TEST_START_TIMEOUT_MS', 120_000);
