/**
 * Errors as FHIR answers them: an OperationOutcome with the HTTP status FHIR's RESTful API
 * gives each kind of failure. Messages are the API's own (already masked by the gateway):
 * never a stack, a hostname or a database error.
 */
import type { ServerResponse } from 'node:http';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { GraphQLFormattedError } from 'graphql';
import type { HttpError } from '../../platform/http-error';

type IssueCode = OperationOutcomeIssue['code'];

/** The status and issue type of each error code of the API's vocabulary. */
const BY_CODE: Readonly<Record<string, { status: number; issue: IssueCode }>> = {
  UNAUTHENTICATED: { status: 401, issue: 'login' },
  FORBIDDEN: { status: 403, issue: 'forbidden' },
  BAD_USER_INPUT: { status: 400, issue: 'invalid' },
  NOT_FOUND: { status: 404, issue: 'not-found' },
  CONFLICT: { status: 409, issue: 'conflict' },
  SUBGRAPH_UNAVAILABLE: { status: 503, issue: 'transient' },
  INTERNAL: { status: 500, issue: 'exception' },
};

/** The issue type of an error code of the API's vocabulary. */
export function issueCodeOf(code: string): IssueCode {
  return (BY_CODE[code] ?? BY_CODE.INTERNAL!).issue;
}

/** A refusal on the FHIR path, answered as an OperationOutcome. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issue: IssueCode,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new FhirError(400, 'invalid', message);
export const notFound = (message: string) => new FhirError(404, 'not-found', message);
export const notSupported = (message: string) => new FhirError(400, 'not-supported', message);

export function outcome(issues: { severity: OperationOutcomeIssue['severity']; code: IssueCode; text: string; expression?: string[] }[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map(({ severity, code, text, expression }) => ({ severity, code, details: { text }, ...(expression ? { expression } : {}) })),
  };
}

/** The FhirError a GraphQL error stands for (the code the gateway left on it decides). */
export function fromGraphQLError(error: GraphQLFormattedError): FhirError {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL';
  const mapped = BY_CODE[code] ?? BY_CODE.INTERNAL!;
  return new FhirError(mapped.status, mapped.issue, mapped === BY_CODE.INTERNAL ? 'Internal error' : error.message);
}

export function fromHttpError(error: HttpError): FhirError {
  return new FhirError(error.status, BY_CODE[error.code]?.issue ?? 'exception', error.message);
}

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function sendFhir(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', FHIR_JSON);
  response.end(JSON.stringify(body));
}

export function sendOutcome(response: ServerResponse, error: FhirError): void {
  sendFhir(response, error.status, outcome([{ severity: error.status >= 500 ? 'fatal' : 'error', code: error.issue, text: error.message }]));
}
