/**
 * The error vocabulary clients see, and its one error type. Every refusal is an ApiError of
 * one failure kind; the table below gives each kind the code clients read, its HTTP status
 * and its FHIR issue type, and each edge (GraphQL here, HTTP in http-server.ts, FHIR in
 * gateway/fhir/operation-outcome.ts) formats from it. Anything else is an internal fault: it
 * is logged with its detail and reaches the client only as INTERNAL with a generic message.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
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

type FhirIssueType = OperationOutcomeIssue['code'];

/**
 * Each kind of failure: the code clients see (several HTTP refusals share BAD_USER_INPUT, as
 * the API documents), the HTTP status outside a GraphQL response, and the FHIR issue type.
 */
export const FAILURES = {
  BAD_USER_INPUT: { code: 'BAD_USER_INPUT', status: 400, issue: 'invalid' },
  UNAUTHENTICATED: { code: 'UNAUTHENTICATED', status: 401, issue: 'login' },
  FORBIDDEN: { code: 'FORBIDDEN', status: 403, issue: 'forbidden' },
  NOT_FOUND: { code: 'NOT_FOUND', status: 404, issue: 'not-found' },
  METHOD_NOT_ALLOWED: { code: 'BAD_USER_INPUT', status: 405, issue: 'not-supported' },
  NOT_ACCEPTABLE: { code: 'BAD_USER_INPUT', status: 406, issue: 'not-supported' },
  CONFLICT: { code: 'CONFLICT', status: 409, issue: 'conflict' },
  PAYLOAD_TOO_LARGE: { code: 'BAD_USER_INPUT', status: 413, issue: 'too-long' },
  UNSUPPORTED_MEDIA_TYPE: { code: 'BAD_USER_INPUT', status: 415, issue: 'not-supported' },
  RATE_LIMITED: { code: 'RATE_LIMITED', status: 429, issue: 'exception' },
  INTERNAL: { code: 'INTERNAL', status: 500, issue: 'exception' },
  SUBGRAPH_UNAVAILABLE: { code: 'SUBGRAPH_UNAVAILABLE', status: 503, issue: 'transient' },
  OVERLOADED: { code: 'OVERLOADED', status: 503, issue: 'exception' },
} as const satisfies Record<string, { code: ErrorCode; status: number; issue: FhirIssueType }>;
export type FailureKind = keyof typeof FAILURES;

/** What a client is told of an internal fault, whatever it was. */
export const INTERNAL_MESSAGE = 'Internal error';

/** A failure the API answers on purpose: its kind decides code, status and FHIR issue; headers go with an HTTP answer. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly kind: FailureKind,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = FAILURES[kind].code;
    this.status = FAILURES[kind].status;
    this.headers = options.headers ?? {};
  }

  /** The FHIR issue type of this failure. */
  get issue(): FhirIssueType {
    return FAILURES[this.kind].issue;
  }

  /** The message a client may read: an internal fault's detail never leaves. */
  get clientMessage(): string {
    return this.kind === 'INTERNAL' ? INTERNAL_MESSAGE : this.message;
  }
}

/** Any thrown value as an ApiError: anything that is not one is an internal fault. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('INTERNAL', INTERNAL_MESSAGE, { cause: error });
}

/** The GraphQL edge: the error a resolver throws, with the code in `extensions.code`. */
export function toGraphQLError(error: ApiError, path?: readonly (string | number)[]): GraphQLError {
  return new GraphQLError(error.clientMessage, { extensions: { code: error.code }, path });
}

export function appError(code: ErrorCode, message: string, path?: readonly (string | number)[]): GraphQLError {
  return toGraphQLError(new ApiError(code, message), path);
}

export const badUserInput = (message: string) => appError('BAD_USER_INPUT', message);
export const forbidden = (message = 'Not permitted') => appError('FORBIDDEN', message);

/** The ApiError a GraphQL error in a response stands for (the code the gateway left on it decides); unknown codes are internal. */
export function fromGraphQLError(error: GraphQLFormattedError): ApiError {
  const code = error.extensions?.code;
  return isErrorCode(code) && code !== 'INTERNAL' ? new ApiError(code, error.message) : new ApiError('INTERNAL', INTERNAL_MESSAGE);
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** Codes Apollo Server itself uses for malformed operations; they are the client's fault. */
const OPERATION_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo's formatError: reduces an outgoing error to the vocabulary. An ApiError a resolver
 * threw keeps its code and message, known codes keep their message, malformed operations
 * become BAD_USER_INPUT, and everything else is masked as INTERNAL.
 */
export function maskError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const path = formatted.path;
  const thrown = error instanceof GraphQLError ? error.originalError : error;
  if (thrown instanceof ApiError) return { message: thrown.clientMessage, path, extensions: { code: thrown.code } };
  const code = formatted.extensions?.code;
  if (isErrorCode(code) && code !== 'INTERNAL') return { message: formatted.message, path, extensions: { code } };
  if (typeof code === 'string' && OPERATION_ERROR_CODES.has(code)) {
    return { message: formatted.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  return { message: INTERNAL_MESSAGE, path, extensions: { code: 'INTERNAL' } };
}

/** True when an error is one we raised on purpose (not a fault worth logging as such). */
export function isExpectedError(formatted: GraphQLFormattedError, error?: unknown): boolean {
  const thrown = error instanceof GraphQLError ? error.originalError : error;
  if (thrown instanceof ApiError) return thrown.kind !== 'INTERNAL';
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
