/**
 * The error vocabulary clients see. Anything else is an internal fault: it is logged with
 * its detail and reaches the client only as INTERNAL with a generic message.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'SUBGRAPH_UNAVAILABLE',
  /** 429: the caller (token subject) or its organization spent its allowance; retry after Retry-After. */
  'RATE_LIMITED',
  /** 503: the service is at its in-flight bound or shutting down; retry after Retry-After (another replica may take it). */
  'OVERLOADED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function appError(code: ErrorCode, message: string, path?: readonly (string | number)[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code }, path });
}

export const badUserInput = (message: string) => appError('BAD_USER_INPUT', message);
export const forbidden = (message = 'Not permitted') => appError('FORBIDDEN', message);

/** Codes Apollo Server itself uses for malformed operations; they are the client's fault. */
const OPERATION_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Reduces an outgoing error to the vocabulary: known codes keep their message, malformed
 * operations become BAD_USER_INPUT, and everything else is masked as INTERNAL.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const path = formatted.path;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) && code !== 'INTERNAL') {
    return { message: formatted.message, path, extensions: { code } };
  }
  if (typeof code === 'string' && OPERATION_ERROR_CODES.has(code)) {
    return { message: formatted.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  return { message: 'Internal error', path, extensions: { code: 'INTERNAL' } };
}

/** True when an error is one we raised on purpose (not a fault worth logging as such). */
export function isExpectedError(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return typeof code === 'string' && code !== 'INTERNAL' && code !== 'INTERNAL_SERVER_ERROR';
}

/** A unique-index violation. Some engines report one on update without code 11000, so the message counts too. */
export function isDuplicateKey(error: unknown): boolean {
  const candidate = error as { code?: number; writeErrors?: { code?: number }[]; message?: string } | null;
  return (
    candidate?.code === 11000 ||
    candidate?.writeErrors?.some((writeError) => writeError.code === 11000) === true ||
    /duplicate key/i.test(candidate?.message ?? '')
  );
}
