/**
 * POST /fhir/R4 with a transaction or batch Bundle: each entry mapped as $import maps a line
 * (import-mapping.ts, references resolved by import-references.ts) and filed through the same
 * upload mutations, with their policy, audit and idempotency on the hospital's record ids.
 * A transaction is checked whole before anything is written: one bad entry refuses the Bundle
 * with an OperationOutcome. A batch files entry by entry. Re-sending either is safe.
 */
import type { IncomingMessage } from 'node:http';
import type { Bundle, BundleEntry, OperationOutcome } from '@medplum/fhirtypes';
import { ApiError, type ErrorCode, FAILURES } from '../../platform/errors';
import type { GatewayContext } from '../gateway-context';
import type { UploadConfig, Uploader, UploadItem, UploadKind } from '../uploads';
import { isUploadRefusal } from '../uploads';
import type { Ask } from './api';
import { mapResource } from './import-mapping';
import { resolveReferences } from './import-references';
import { issueCodeOf, outcome } from './operation-outcome';

const JSON_TYPES = ['application/fhir+json', 'application/json'];
/** The order kinds are filed in: a dispensed prescription may name the visit it was written at. */
const FILING_ORDER: readonly UploadKind[] = ['encounters', 'conditions', 'allergies', 'lab-reports', 'prescriptions'];

interface EntryProblem {
  code: ErrorCode;
  message: string;
}

async function readBundle(request: IncomingMessage, config: UploadConfig): Promise<Bundle> {
  const type = request.headers['content-type'] ?? '';
  if (!JSON_TYPES.some((accepted) => type.startsWith(accepted)))
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/fhir+json (a transaction or batch Bundle)');
  const tooLarge = () => new ApiError('PAYLOAD_TOO_LARGE', `The Bundle is larger than ${config.UPLOAD_MAX_BYTES} bytes (UPLOAD_MAX_BYTES); nothing was filed`);
  if (Number(request.headers['content-length'] ?? 0) > config.UPLOAD_MAX_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > config.UPLOAD_MAX_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  let bundle: Bundle;
  try {
    bundle = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('BAD_USER_INPUT', 'The body is not valid JSON');
  }
  if (bundle?.resourceType !== 'Bundle' || (bundle.type !== 'transaction' && bundle.type !== 'batch'))
    throw new ApiError('BAD_USER_INPUT', 'POST a Bundle of type transaction or batch');
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) throw new ApiError('BAD_USER_INPUT', 'The Bundle has no entries');
  // Every entry's outcome is answered: no more entries than an upload lists outcomes for.
  const most = Math.max(1, config.UPLOAD_MAX_ERRORS);
  if (bundle.entry.length > most) throw new ApiError('BAD_USER_INPUT', `A Bundle holds at most ${most} entries (UPLOAD_MAX_ERRORS); send more in $import`);
  return bundle;
}

const statusOf = (code: ErrorCode) => (Object.hasOwn(FAILURES, code) ? FAILURES[code as keyof typeof FAILURES].status : 500);

function problemOutcome(problems: ReadonlyMap<number, EntryProblem>): OperationOutcome {
  return outcome(
    [...problems].map(([index, problem]) => ({
      severity: 'error' as const,
      code: issueCodeOf(problem.code),
      text: problem.message,
      expression: [`Bundle.entry[${index}]`],
    })),
  );
}

export async function transactionOrBatch(
  request: IncomingMessage,
  context: GatewayContext,
  uploader: Uploader,
  config: UploadConfig,
  ask: Ask,
): Promise<{ status: number; bundle: Bundle | OperationOutcome }> {
  const bundle = await readBundle(request, config);
  const organizationCode = context.viewer.organizationCode;
  if (!organizationCode) throw new ApiError('FORBIDDEN', 'A transaction files records as an organization: the token names none');
  const entries = bundle.entry!;
  const transaction = bundle.type === 'transaction';

  // Every entry checked before anything is written: its request, its references, its mapping and the mutation's input type.
  const problems = new Map<number, EntryProblem>();
  const invalid = (index: number, message: string) => problems.set(index, { code: 'BAD_USER_INPUT', message });
  for (const [index, entry] of entries.entries())
    if (!entry?.resource || !['POST', 'PUT'].includes(entry.request?.method ?? ''))
      invalid(index, 'Each entry needs a resource and request.method POST or PUT (records are filed, idempotent on your record ids)');
  const resolutions = await resolveReferences(
    entries.map((entry, index) => ({ position: index, fullUrl: entry?.fullUrl, resource: entry?.resource })),
    ask,
  );
  const byKind = new Map<UploadKind, UploadItem[]>();
  for (const resolution of resolutions) {
    const index = resolution.position;
    if (problems.has(index) || 'partOf' in resolution) continue;
    if ('problem' in resolution) {
      invalid(index, resolution.problem);
      continue;
    }
    const mapped = mapResource(resolution.file, organizationCode);
    const problem = 'problem' in mapped ? mapped.problem : uploader.check(mapped.kind, mapped.value);
    if (problem !== null) invalid(index, problem);
    else if (!('problem' in mapped)) byKind.set(mapped.kind, [...(byKind.get(mapped.kind) ?? []), { line: index + 1, value: mapped.value }]);
  }
  if (transaction && problems.size > 0) return { status: 400, bundle: problemOutcome(problems) };

  for (const kind of FILING_ORDER) {
    const items = byKind.get(kind);
    if (!items) continue;
    try {
      const summary = await uploader.uploadLines(context, kind, items);
      for (const error of summary.errors) problems.set(error.line - 1, { code: error.code, message: error.message });
    } catch (error) {
      if (!isUploadRefusal(error)) throw error;
      for (const item of items) problems.set(item.line - 1, { code: error.code, message: error.message });
    }
    // A transaction goes no further than its first refused entry.
    if (transaction && problems.size > 0) break;
  }
  if (transaction && problems.size > 0) {
    // The service refused an entry the gateway's checks passed (no standing, say): kinds filed before it stay filed, idempotently.
    const refused = problemOutcome(problems);
    refused.issue.push({
      severity: 'information',
      code: 'informational',
      details: {
        text: 'Entries not listed may have been filed: correct the refused ones and send the whole Bundle again (re-sending is safe: filed entries come back unchanged)',
      },
    });
    return { status: Math.max(...[...problems.values()].map((problem) => statusOf(problem.code))), bundle: refused };
  }

  const responses: BundleEntry[] = entries.map((_entry, index) => {
    const problem = problems.get(index);
    if (!problem) return { response: { status: '200 OK' } };
    return { response: { status: String(statusOf(problem.code)), outcome: problemOutcome(new Map([[index, problem]])) } };
  });
  return { status: 200, bundle: { resourceType: 'Bundle', type: transaction ? 'transaction-response' : 'batch-response', entry: responses } };
}
