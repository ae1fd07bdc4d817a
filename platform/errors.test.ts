import { GraphQLError } from 'graphql';
import { ApiError, appError, asApiError, FAILURES, type FailureKind, fromGraphQLError, maskError, toGraphQLError } from './errors';

/** Each kind as the three edges answer it: the code clients see, the HTTP status, the FHIR issue type. */
const EXPECTED: Record<FailureKind, [code: string, status: number, issue: string]> = {
  BAD_USER_INPUT: ['BAD_USER_INPUT', 400, 'invalid'],
  UNAUTHENTICATED: ['UNAUTHENTICATED', 401, 'login'],
  FORBIDDEN: ['FORBIDDEN', 403, 'forbidden'],
  NOT_FOUND: ['NOT_FOUND', 404, 'not-found'],
  METHOD_NOT_ALLOWED: ['BAD_USER_INPUT', 405, 'not-supported'],
  NOT_ACCEPTABLE: ['BAD_USER_INPUT', 406, 'not-supported'],
  CONFLICT: ['CONFLICT', 409, 'conflict'],
  PAYLOAD_TOO_LARGE: ['BAD_USER_INPUT', 413, 'too-long'],
  UNSUPPORTED_MEDIA_TYPE: ['BAD_USER_INPUT', 415, 'not-supported'],
  RATE_LIMITED: ['RATE_LIMITED', 429, 'exception'],
  INTERNAL: ['INTERNAL', 500, 'exception'],
  SUBGRAPH_UNAVAILABLE: ['SUBGRAPH_UNAVAILABLE', 503, 'transient'],
  OVERLOADED: ['OVERLOADED', 503, 'exception'],
};

it('gives every kind its code, HTTP status and FHIR issue type from one table', () => {
  expect(Object.keys(FAILURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  for (const [kind, [code, status, issue]] of Object.entries(EXPECTED)) {
    const error = new ApiError(kind as FailureKind, 'the message');
    expect({ kind, code: error.code, status: error.status, issue: error.issue, message: error.clientMessage }).toEqual({
      kind,
      code,
      status,
      issue,
      message: kind === 'INTERNAL' ? 'Internal error' : 'the message',
    });
  }
});

it('masks an internal fault at every edge: anything not an ApiError becomes INTERNAL with a generic message', () => {
  const fault = asApiError(new Error('connect ECONNREFUSED 10.0.0.7:27017'));
  expect({ kind: fault.kind, status: fault.status, message: fault.clientMessage }).toEqual({ kind: 'INTERNAL', status: 500, message: 'Internal error' });
  expect(toGraphQLError(new ApiError('INTERNAL', 'stack and host')).toJSON()).toEqual({ message: 'Internal error', extensions: { code: 'INTERNAL' } });
  expect(maskError({ message: 'E11000 duplicate key in jinling_records', extensions: { code: 'INTERNAL_SERVER_ERROR' } })).toEqual({
    message: 'Internal error',
    extensions: { code: 'INTERNAL' },
  });
});

it('formats for GraphQL with the code in extensions.code, as the helpers always did', () => {
  expect(appError('CONFLICT', 'Already dispensed', ['dispense']).toJSON()).toEqual({
    message: 'Already dispensed',
    path: ['dispense'],
    extensions: { code: 'CONFLICT' },
  });
  // An ApiError thrown in a resolver reaches Apollo wrapped; formatError unwraps it.
  const wrapped = new GraphQLError('Not permitted', { originalError: new ApiError('FORBIDDEN', 'Not permitted'), path: ['resident'] });
  expect(maskError({ message: 'Not permitted', path: ['resident'] }, wrapped)).toEqual({
    message: 'Not permitted',
    path: ['resident'],
    extensions: { code: 'FORBIDDEN' },
  });
  expect(maskError({ message: 'Syntax Error: Unexpected Name', extensions: { code: 'GRAPHQL_PARSE_FAILED' } })).toEqual({
    message: 'Syntax Error: Unexpected Name',
    extensions: { code: 'BAD_USER_INPUT' },
  });
});

it('reads a GraphQL error of a response back as the ApiError it stands for; an unknown code is internal', () => {
  const notFound = fromGraphQLError({ message: 'Resident not found', extensions: { code: 'NOT_FOUND' } });
  expect({ status: notFound.status, issue: notFound.issue, message: notFound.clientMessage }).toEqual({
    status: 404,
    issue: 'not-found',
    message: 'Resident not found',
  });
  const unknown = fromGraphQLError({ message: 'socket hang up', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } });
  expect({ status: unknown.status, issue: unknown.issue, message: unknown.clientMessage }).toEqual({
    status: 500,
    issue: 'exception',
    message: 'Internal error',
  });
});
