/**
 * The refusal every HTTP layer answers with before GraphQL runs: its own module so that the
 * server and what it consults (the request gate, rate limits) share it without a cycle.
 */
import type { ErrorCode } from './errors';

/** A refusal before GraphQL runs, answered with its status, in the API's error vocabulary. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
