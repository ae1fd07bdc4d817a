import { ApiError } from '../../platform/errors';
import { issueCodeOf, toOperationOutcome } from './operation-outcome';

it('answers a refusal as an OperationOutcome: error severity below 500, the kind issue type, the message', () => {
  expect(toOperationOutcome(new ApiError('PAYLOAD_TOO_LARGE', 'The batch is larger than 10 bytes (UPLOAD_MAX_BYTES); nothing was read'))).toEqual({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'too-long', details: { text: 'The batch is larger than 10 bytes (UPLOAD_MAX_BYTES); nothing was read' } }],
  });
  expect(toOperationOutcome(new ApiError('METHOD_NOT_ALLOWED', 'Use GET for /fhir/R4/metadata'))).toEqual({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'not-supported', details: { text: 'Use GET for /fhir/R4/metadata' } }],
  });
});

it('is fatal from 500 up, and masks an internal fault', () => {
  expect(toOperationOutcome(new ApiError('OVERLOADED', 'The service is at capacity; retry'))).toEqual({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'fatal', code: 'exception', details: { text: 'The service is at capacity; retry' } }],
  });
  expect(toOperationOutcome(new ApiError('INTERNAL', 'MongoServerError at db-2.internal'))).toEqual({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'fatal', code: 'exception', details: { text: 'Internal error' } }],
  });
});

it('gives a rejected line the issue type of its code, and exception to a code it does not know', () => {
  expect(['BAD_USER_INPUT', 'FORBIDDEN', 'CONFLICT', 'SUBGRAPH_UNAVAILABLE', 'SOMETHING_ELSE'].map(issueCodeOf)).toEqual([
    'invalid',
    'forbidden',
    'conflict',
    'transient',
    'exception',
  ]);
});
