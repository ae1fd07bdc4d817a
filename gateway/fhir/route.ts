/**
 * The FHIR R4 API at /fhir/R4: authenticated like /graphql (the HTTP server does that before
 * this runs), every answer application/fhir+json, every refusal an OperationOutcome: reads and
 * searches, $import, and transaction and batch Bundles posted to the base.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../platform/errors';
import type { HttpRoute } from '../../platform/http-server';
import type { GatewayContext } from '../gateway-context';
import type { RunOperation } from '../operations';
import type { UploadConfig, Uploader } from '../uploads';
import { asker } from './api';
import { capabilityStatement } from './capability-statement';
import { everything } from './everything';
import { importResources } from './import';
import { observationSearch } from './observation-search';
import { badRequest, sendFhir, sendOutcome } from './operation-outcome';
import { readPatient, searchPatients } from './patient-read';
import { type PatientSearchType, patientSearch } from './patient-search';
import { summary } from './summary';
import { transactionOrBatch } from './transaction';

export const FHIR_PREFIX = '/fhir/R4';

/** The base URL clients follow links from: the host they reached this gateway by. */
function baseUrl(request: IncomingMessage): string {
  const host = request.headers.host ?? 'localhost';
  return `http://${host}${FHIR_PREFIX}`;
}

const ID = '([A-Za-z0-9\\-.]{1,64})';
type Answer = (match: RegExpMatchArray, ask: ReturnType<typeof asker>, base: string, params: URLSearchParams) => Promise<unknown>;
/** Each read: its path, the parameters it takes (null: it checks its own) and how it answers. */
const READS: [RegExp, readonly string[] | null, Answer][] = [
  [/^\/metadata$/, [], async (_match, _ask, base) => capabilityStatement(base)],
  [new RegExp(`^/Patient/${ID}$`), [], (match, ask) => readPatient(ask, match[1]!)],
  [/^\/Patient$/, null, (_match, ask, base, params) => searchPatients(ask, base, params)],
  [new RegExp(`^/Patient/${ID}/\\$everything$`), ['_count', '_cursor'], (match, ask, base, params) => everything(ask, base, match[1]!, params)],
  [new RegExp(`^/Patient/${ID}/\\$summary$`), [], (match, ask, base) => summary(ask, base, match[1]!)],
  [/^\/Observation$/, null, (_match, ask, base, params) => observationSearch(ask, base, params)],
  [
    /^\/(Encounter|Condition|AllergyIntolerance|DiagnosticReport|MedicationRequest)$/,
    null,
    (match, ask, base, params) => patientSearch(ask, base, match[1] as PatientSearchType, params),
  ],
];

/** The path as its characters: a malformed escape is the client's error, not the server's. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw badRequest('The path is not valid percent-encoded UTF-8');
  }
}

/** A parameter a read does not take is refused, not ignored: an unfiltered answer never passes for a filtered one. */
function checkParameters(params: URLSearchParams, allowed: readonly string[]): void {
  for (const name of params.keys()) if (name !== '_format' && !allowed.includes(name)) throw badRequest(`This endpoint does not support the parameter ${name}`);
}

export function fhirRoute(runOperation: RunOperation, uploads: { uploader: Uploader; config: UploadConfig }): HttpRoute<GatewayContext> {
  return {
    // The base itself too: a transaction is posted to it, and anything else under it is answered in FHIR's shape.
    prefix: FHIR_PREFIX,
    async handle(request: IncomingMessage, response: ServerResponse, url: URL, context: GatewayContext) {
      response.setHeader('x-request-id', context.requestId);
      try {
        const format = url.searchParams.get('_format');
        if (format !== null && !['json', 'application/json', 'application/fhir+json'].includes(format))
          throw new ApiError('NOT_ACCEPTABLE', 'Only application/fhir+json is served');
        const path = decodedPath(url.pathname.slice(FHIR_PREFIX.length));
        if (path !== '' && !path.startsWith('/')) throw new ApiError('NOT_FOUND', `No FHIR endpoint at ${url.pathname}`);
        if (path === '' || path === '/') {
          if (request.method !== 'POST') throw new ApiError('METHOD_NOT_ALLOWED', `Use POST with a transaction or batch Bundle for ${FHIR_PREFIX}`);
          const { status, bundle } = await transactionOrBatch(request, context, uploads.uploader, uploads.config, asker(runOperation, context));
          return sendFhir(response, status, bundle);
        }
        if (path === '/$import') {
          if (request.method !== 'POST') throw new ApiError('METHOD_NOT_ALLOWED', `Use POST with an NDJSON body for ${FHIR_PREFIX}/$import`);
          const { status, bundle } = await importResources(request, context, uploads.uploader, uploads.config, asker(runOperation, context));
          return sendFhir(response, status, bundle);
        }
        const read = READS.map(([pattern, allowed, answer]) => [path.match(pattern), allowed, answer] as const).find(([match]) => match);
        if (!read) throw new ApiError('NOT_FOUND', `No FHIR endpoint at ${FHIR_PREFIX}${path}`);
        if (request.method !== 'GET') throw new ApiError('METHOD_NOT_ALLOWED', `Use GET for ${FHIR_PREFIX}${path}`);
        const [match, allowed, answer] = read;
        if (allowed) checkParameters(url.searchParams, allowed);
        sendFhir(response, 200, await answer(match!, asker(runOperation, context), baseUrl(request), url.searchParams));
      } catch (error) {
        if (error instanceof ApiError) return sendOutcome(response, error);
        throw error;
      }
    },
    sendError: sendOutcome,
  };
}
