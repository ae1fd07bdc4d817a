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
import type { ErrorCode } from '../../platform/errors';
import type { GatewayContext } from '../gateway-context';
import { BodyLimitExceeded, eagerLines, splitLines } from '../ndjson';
import { type UploadError, type Uploader, type UploadItem, type UploadKind, UploadRefused, type UploadSettings } from '../uploads';
import { IMPORT_KINDS, mapResource } from './import-mapping';
import { FhirError, issueCodeOf } from './operation-outcome';

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

export async function importResources(request: IncomingMessage, context: GatewayContext, uploader: Uploader, settings: UploadSettings): Promise<ImportAnswer> {
  const type = request.headers['content-type'] ?? '';
  if (!NDJSON_TYPES.some((accepted) => type.startsWith(accepted)))
    throw new FhirError(415, 'not-supported', `Content-Type must be ${NDJSON_TYPES.join(' or ')} (one FHIR resource per line)`);
  if (Number(request.headers['content-length'] ?? 0) > settings.maxBytes)
    throw new FhirError(413, 'too-long', `The batch is larger than ${settings.maxBytes} bytes (UPLOAD_MAX_BYTES); nothing was read`);
  const organizationCode = context.viewer.organizationCode;
  if (!organizationCode) throw new FhirError(403, 'forbidden', '$import files records as an organization: the token names none');

  const counts = new Map<string, Counts>();
  const countOf = (resourceType: string) => entryOf(counts, resourceType, () => ({ lines: 0, accepted: 0, unchanged: 0, rejected: 0, failed: 0 }));
  const errors: UploadError[] = [];
  const reject = (resourceType: string, line: number, code: ErrorCode, message: string) => {
    countOf(resourceType).rejected++;
    errors.push({ line, code, message });
  };

  // Lines are mapped as they arrive and grouped by kind: the upload path files one kind per batch.
  const byKind = new Map<UploadKind, UploadItem[]>();
  let stopped: { status: number; message: string } | null = null;
  try {
    for await (const { line, text, terminated } of eagerLines(splitLines(request, settings))) {
      let resource: unknown;
      try {
        resource = JSON.parse(text);
      } catch {
        reject('unknown', line, 'BAD_USER_INPUT', terminated ? 'Not valid JSON' : 'The last line is not complete JSON: the batch was cut off');
        countOf('unknown').lines++;
        continue;
      }
      const resourceType =
        typeof (resource as { resourceType?: unknown })?.resourceType === 'string' &&
        Object.hasOwn(IMPORT_KINDS, (resource as { resourceType: string }).resourceType)
          ? (resource as { resourceType: string }).resourceType
          : 'unknown';
      countOf(resourceType).lines++;
      const mapped = mapResource(resource, organizationCode);
      if ('problem' in mapped) {
        reject(resourceType, line, 'BAD_USER_INPUT', mapped.problem);
        continue;
      }
      const items = entryOf(byKind, mapped.kind, () => []);
      items.push({ line, value: mapped.value });
    }
  } catch (error) {
    // The lines read before the batch stopped are still filed, as the upload path does.
    stopped =
      error instanceof BodyLimitExceeded
        ? { status: 413, message: error.message }
        : { status: 400, message: 'The body broke off (the client aborted or the connection failed): the lines before it were filed' };
  }

  let refusals = 0;
  for (const [kind, items] of byKind) {
    const resourceType = TYPE_OF_KIND[kind];
    try {
      const summary = await uploader.uploadLines(
        context,
        kind,
        (async function* () {
          yield* items;
        })(),
      );
      const count = countOf(resourceType);
      count.accepted += summary.accepted;
      count.unchanged += summary.unchanged;
      count.rejected += summary.rejected;
      count.failed += summary.failed;
      errors.push(...summary.errors);
      // A chunk that failed at the service twice: the kinds after it are still filed (another subgraph may hold them).
      if (summary.stopped?.reason === 'failed') stopped = { status: 502, message: `${resourceType}: ${summary.stopped.message}` };
    } catch (error) {
      if (!(error instanceof UploadRefused)) throw error;
      refusals++;
      for (const item of items) reject(resourceType, item.line, error.code, error.message);
    }
  }
  if (refusals > 0 && refusals === byKind.size && [...counts.values()].every((count) => count.accepted === 0 && count.unchanged === 0)) {
    throw new FhirError(403, 'forbidden', errors.find((error) => error.code === 'FORBIDDEN')?.message ?? 'Not permitted');
  }

  errors.sort((a, b) => a.line - b.line);
  const outcomes: OperationOutcome[] = errors.slice(0, settings.maxErrors).map((error) => ({
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
