/**
 * The FHIR edge: an ApiError answered as an OperationOutcome, with the HTTP status and issue
 * type the error table (platform/errors.ts) gives its kind. Messages are the API's own
 * (already masked by the gateway): never a stack, a hostname or a database error.
 */
import type { ServerResponse } from 'node:http';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { ApiError, FAILURES } from '../../platform/errors';
import { finishedFhir } from './narrative';

type IssueCode = OperationOutcomeIssue['code'];

/** The issue type of an error code of the API's vocabulary (a code it does not know is an exception). */
export function issueCodeOf(code: string): IssueCode {
  return Object.hasOwn(FAILURES, code) ? FAILURES[code as keyof typeof FAILURES].issue : FAILURES.INTERNAL.issue;
}

export const badRequest = (message: string) => new ApiError('BAD_USER_INPUT', message);
export const notFound = (message: string) => new ApiError('NOT_FOUND', message);

export function outcome(issues: { severity: OperationOutcomeIssue['severity']; code: IssueCode; text: string; expression?: string[] }[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map(({ severity, code, text, expression }) => ({ severity, code, details: { text }, ...(expression ? { expression } : {}) })),
  };
}

/** The OperationOutcome of a refusal: fatal for a server-side failure, an internal fault masked. */
export function toOperationOutcome(error: ApiError): OperationOutcome {
  return outcome([{ severity: error.status >= 500 ? 'fatal' : 'error', code: error.issue, text: error.clientMessage }]);
}

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Every FHIR answer leaves through here: with its narratives, without empty values. */
export function sendFhir(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', FHIR_JSON);
  response.end(JSON.stringify(finishedFhir(body)));
}

export function sendOutcome(response: ServerResponse, error: ApiError): void {
  sendFhir(response, error.status, toOperationOutcome(error));
}
