/**
 * POST /fhir/R4/$import: NDJSON FHIR resources (Encounter, Condition, AllergyIntolerance,
 * DiagnosticReport, MedicationDispense) filed through the batch upload path of /upload/<kind>, with its
 * validation, idempotency on the hospital's record id, write policy, audit and counts. The
 * answer is a Bundle: a Parameters of counts per resource type, then one OperationOutcome per
 * rejected or failed line (the first ones, by line number). Bulk data's asynchronous kick-off and
 * polling is not offered: the answer comes when the batch is filed.
 */
import type { IncomingMessage } from 'node:http';
import type { Bundle, OperationOutcome, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { ApiError, type ErrorCode } from '../../platform/errors';
import type { GatewayContext } from '../gateway-context';
import { eagerLines, splitLines } from '../ndjson';
import { isUploadRefusal, type UploadConfig, type UploadError, type Uploader, type UploadItem, type UploadKind } from '../uploads';
import type { Ask } from './api';
import { IMPORT_KINDS, mapResource } from './import-mapping';
import { REFERENCED_TYPES, resolveReferences, type Submitted } from './import-references';
import { issueCodeOf } from './operation-outcome';

const NDJSON_TYPES = ['application/fhir+ndjson', 'application/x-ndjson', 'application/ndjson'];
const TYPE_OF_KIND = Object.fromEntries(Object.entries(IMPORT_KINDS).map(([type, kind]) => [kind, type])) as Record<UploadKind, string>;

interface Counts {
  lines: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  failed: number;
}

export interface ImportAnswer {
  status: number;
  bundle: Bundle;
}

/** The resource type a line is counted under: one $import files or reads as a reference, else unknown. */
function resourceTypeOf(resource: unknown): string {
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  return typeof type === 'string' && (Object.hasOwn(IMPORT_KINDS, type) || REFERENCED_TYPES.includes(type)) ? type : 'unknown';
}

export async function importResources(
  request: IncomingMessage,
  context: GatewayContext,
  uploader: Uploader,
  config: UploadConfig,
  ask: Ask,
): Promise<ImportAnswer> {
  const type = request.headers['content-type'] ?? '';
  if (!NDJSON_TYPES.some((accepted) => type.startsWith(accepted)))
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${NDJSON_TYPES.join(' or ')} (one FHIR resource per line)`);
  if (Number(request.headers['content-length'] ?? 0) > config.UPLOAD_MAX_BYTES)
    throw new ApiError('PAYLOAD_TOO_LARGE', `The batch is larger than ${config.UPLOAD_MAX_BYTES} bytes (UPLOAD_MAX_BYTES); nothing was read`);
  const organizationCode = context.viewer.organizationCode;
  if (!organizationCode) throw new ApiError('FORBIDDEN', '$import files records as an organization: the token names none');

  const counts = new Map<string, Counts>();
  const countOf = (resourceType: string) => entryOf(counts, resourceType, () => ({ lines: 0, accepted: 0, unchanged: 0, rejected: 0, failed: 0 }));
  const errors: UploadError[] = [];
  const reject = (resourceType: string, line: number, code: ErrorCode, message: string) => {
    countOf(resourceType).rejected++;
    errors.push({ line, code, message });
  };

  // The whole file is read before anything is mapped: a line may reference one after it (a Patient, a report's Observations).
  const submitted: Submitted[] = [];
  let stopped: { status: number; message: string } | null = null;
  try {
    for await (const { line, text, terminated } of eagerLines(splitLines(request, config))) {
      try {
        submitted.push({ position: line, resource: JSON.parse(text) });
      } catch {
        reject('unknown', line, 'BAD_USER_INPUT', terminated ? 'Not valid JSON' : 'The last line is not complete JSON: the batch was cut off');
        countOf('unknown').lines++;
      }
    }
  } catch (error) {
    // The lines read before the batch stopped are still filed, as the upload path does.
    stopped =
      error instanceof ApiError && error.kind === 'PAYLOAD_TOO_LARGE'
        ? { status: error.status, message: error.message }
        : { status: 400, message: 'The body broke off (the client aborted or the connection failed): the lines before it were filed' };
  }

  const byKind = new Map<UploadKind, UploadItem[]>();
  const sent = new Map(submitted.map((item) => [item.position, item.resource]));
  for (const resolution of await resolveReferences(submitted, ask)) {
    const line = resolution.position;
    const resource = 'file' in resolution ? resolution.file : sent.get(line);
    const resourceType = resourceTypeOf(resource);
    countOf(resourceType).lines++;
    // A Patient matched in the index or an Observation filed with its report is counted as read, nothing more.
    if ('partOf' in resolution) continue;
    if ('problem' in resolution) {
      reject(resourceType, line, 'BAD_USER_INPUT', resolution.problem);
      continue;
    }
    const mapped = mapResource(resource, organizationCode);
    if ('problem' in mapped) {
      reject(resourceType, line, 'BAD_USER_INPUT', mapped.problem);
      continue;
    }
    entryOf(byKind, mapped.kind, () => []).push({ line, value: mapped.value });
  }

  let refusals = 0;
  for (const [kind, items] of byKind) {
    const resourceType = TYPE_OF_KIND[kind];
    try {
      const summary = await uploader.uploadLines(context, kind, items);
      const count = countOf(resourceType);
      count.accepted += summary.accepted;
      count.unchanged += summary.unchanged;
      count.rejected += summary.rejected;
      count.failed += summary.failed;
      errors.push(...summary.errors);
      // A chunk that failed at the service twice: the kinds after it are still filed (another subgraph may hold them).
      if (summary.stopped?.reason === 'failed') stopped = { status: 502, message: `${resourceType}: ${summary.stopped.message}` };
    } catch (error) {
      if (!isUploadRefusal(error)) throw error;
      refusals++;
      for (const item of items) reject(resourceType, item.line, error.code, error.message);
    }
  }
  if (refusals > 0 && refusals === byKind.size && [...counts.values()].every((count) => count.accepted === 0 && count.unchanged === 0)) {
    throw new ApiError('FORBIDDEN', errors.find((error) => error.code === 'FORBIDDEN')?.message ?? 'Not permitted');
  }

  errors.sort((a, b) => a.line - b.line);
  const outcomes: OperationOutcome[] = errors.slice(0, config.UPLOAD_MAX_ERRORS).map((error) => ({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: issueCodeOf(error.code), details: { text: error.message }, diagnostics: `line ${error.line}` }],
  }));
  const parameter = (name: string, count: Counts): ParametersParameter => ({
    name,
    part: (['lines', 'accepted', 'unchanged', 'rejected', 'failed'] as const).map((field) => ({ name: field, valueInteger: count[field] })),
  });
  const total = [...counts.values()].reduce(
    (sum, count) => ({
      lines: sum.lines + count.lines,
      accepted: sum.accepted + count.accepted,
      unchanged: sum.unchanged + count.unchanged,
      rejected: sum.rejected + count.rejected,
      failed: sum.failed + count.failed,
    }),
    { lines: 0, accepted: 0, unchanged: 0, rejected: 0, failed: 0 },
  );
  const summary: Parameters = {
    resourceType: 'Parameters',
    parameter: [
      parameter('total', total),
      ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([resourceType, count]) => parameter(resourceType, count)),
      { name: 'complete', valueBoolean: stopped === null },
      ...(stopped ? [{ name: 'stopped', valueString: stopped.message }] : []),
    ],
  };
  return {
    status: stopped?.status ?? 200,
    bundle: { resourceType: 'Bundle', type: 'collection', entry: [summary, ...outcomes].map((resource) => ({ resource })) },
  };
}

/** The map's entry for key, made and kept the first time it is asked for. */
function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
