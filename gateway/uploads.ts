/**
 * Batch uploads: a hospital system posts NDJSON, one record per line, to /upload/<kind>. Each
 * line is checked against the GraphQL input type of the matching mutation (exactly the
 * errors a GraphQL client would get for that input), and the valid lines go to the owning
 * subgraph in chunks through the batch mutation (uploadEncounters, …), which validates,
 * authorizes, audits and files each item as the single mutation does. Nothing reaches the
 * data any other way: every chunk runs through the gateway's own pipeline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildSchema, coerceInputValue, type GraphQLInputType, GraphQLNonNull, type GraphQLSchema, isInputObjectType } from 'graphql';
import type { Config } from '../platform/config';
import { ApiError, type ErrorCode } from '../platform/errors';
import { type HttpRoute, sendJson } from '../platform/http-server';
import type { Logger } from '../platform/logger';
import type { UploadOutcomeFieldsFragment } from './__generated__/operations';
import type { GatewayContext } from './gateway-context';
import { eagerLines, splitLines } from './ndjson';
import type { RunOperation } from './operations';

/** Each endpoint, the batch mutation behind it and the input type its lines are. */
export const UPLOAD_KINDS = {
  encounters: { field: 'uploadEncounters', inputType: 'RecordEncounterInput' },
  conditions: { field: 'uploadConditions', inputType: 'RecordConditionInput' },
  allergies: { field: 'uploadAllergies', inputType: 'RecordAllergyInput' },
  'lab-reports': { field: 'uploadLabReports', inputType: 'SubmitLabReportInput' },
  prescriptions: { field: 'uploadPrescriptions', inputType: 'FilePrescriptionInput' },
} as const;
export type UploadKind = keyof typeof UPLOAD_KINDS;

/** What the batch mutation answers for each line (its type is generated: `UploadOutcomeFieldsFragment`). */
export const UPLOAD_OUTCOME_FIELDS = 'status code message';
/** The schema's `code` is a String; its values are the error vocabulary. */
type LineOutcome = Omit<UploadOutcomeFieldsFragment, 'code'> & { code: ErrorCode | null };

/** What batch uploads read of the configuration: their limits, and the request limit each chunk stays below (MAX_REQUEST_BYTES). */
export type UploadConfig = Pick<Config, 'UPLOAD_MAX_LINES' | 'UPLOAD_MAX_BYTES' | 'UPLOAD_CHUNK_LINES' | 'UPLOAD_MAX_ERRORS' | 'MAX_REQUEST_BYTES'>;

/** A line of a batch: raw text from the body, or a value already parsed (FHIR $import maps resources to these). */
export type UploadItem = { line: number; text: string; terminated?: boolean } | { line: number; value: unknown };

export interface UploadError {
  line: number;
  code: ErrorCode;
  message: string;
}

export interface UploadSummary {
  kind: UploadKind;
  /** Lines read (blank lines are not counted). */
  lines: number;
  /** Written: new, or replacing other content. */
  accepted: number;
  /** Already on record with the same content: nothing written. */
  unchanged: number;
  rejected: number;
  /** Sent in a chunk that failed at the service twice (a subgraph down, an internal error): not known whether written. */
  failed: number;
  /** The first rejected or failed lines (UPLOAD_MAX_ERRORS of them), by line number. */
  errors: UploadError[];
  /** False when the batch was not read to its end (a limit, a body that broke off, a failed chunk): the lines counted above were handled, later ones not. */
  complete: boolean;
  /** Why an incomplete batch stopped: over UPLOAD_MAX_LINES or UPLOAD_MAX_BYTES, the body broke off, or a chunk failed. */
  stopped?: { reason: 'limit' | 'broken-off' | 'failed'; message: string };
}

/** The per-line answer for a line of a chunk that failed twice. */
export const FAILED_LINE = 'Not known whether written: re-send the batch, re-sending is safe';

/**
 * What the whole of a batch mutation may answer with that holds for every line (bad input,
 * such as an organization the registry does not know): its lines are rejected. Refusals of the
 * caller stop the batch (isUploadRefusal); any other whole-call error is a failure, retried once.
 */
const WHOLE_CHUNK_ANSWERS: readonly ErrorCode[] = ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'];

/** The whole batch was refused (the caller may not upload this kind): nothing was written. */
export function isUploadRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.kind === 'FORBIDDEN' || error.kind === 'UNAUTHENTICATED');
}

interface Pending {
  line: number;
  value: unknown;
}

/** Room left in a subgraph request for the operation text and the JSON around the inputs. */
const ENVELOPE_BYTES = 2_000;

export interface Uploader {
  /** Runs a batch to its end (or its first request-level refusal, thrown as an ApiError, isUploadRefusal) and counts what happened to each line. */
  uploadLines(context: GatewayContext, kind: UploadKind, items: AsyncIterable<UploadItem> | Iterable<UploadItem>): Promise<UploadSummary>;
  /** What is wrong with a line as the mutation's input (GraphQL's own wording), or null: the check uploadLines makes, without writing. */
  check(kind: UploadKind, value: unknown): string | null;
}

/**
 * The upload path, reusable by any endpoint that turns its input into lines. MAX_REQUEST_BYTES
 * is the subgraphs' request limit too: a chunk stays below it whatever its lines weigh.
 */
export function createUploader(runOperation: RunOperation, supergraphSdl: string, config: UploadConfig): Uploader {
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  const chunkBytes = Math.max(1, config.MAX_REQUEST_BYTES - ENVELOPE_BYTES);
  return {
    check(kind, value) {
      const checked = checkLine({ line: 0, value }, new GraphQLNonNull(inputTypeOf(schema, UPLOAD_KINDS[kind].inputType)));
      return 'problem' in checked ? checked.problem : null;
    },
    async uploadLines(context, kind, items) {
      const { field, inputType } = UPLOAD_KINDS[kind];
      const type = new GraphQLNonNull(inputTypeOf(schema, inputType));
      const operation = `mutation Upload($inputs: [${inputType}!]!) { ${field}(inputs: $inputs) { ${UPLOAD_OUTCOME_FIELDS} } }`;
      const summary: UploadSummary = { kind, lines: 0, accepted: 0, unchanged: 0, rejected: 0, failed: 0, errors: [], complete: true };
      const listError = (line: number, code: ErrorCode, message: string) => {
        // A chunk's refusals arrive after later lines' own problems: keep the first ones by line number.
        summary.errors.push({ line, code, message });
        summary.errors.sort((a, b) => a.line - b.line);
        if (summary.errors.length > config.UPLOAD_MAX_ERRORS) summary.errors.pop();
      };
      const reject = (line: number, code: ErrorCode, message: string) => {
        summary.rejected++;
        listError(line, code, message);
      };
      let pending: Pending[] = [];
      let pendingBytes = 0;

      type ChunkAnswer = { outcomes: LineOutcome[] } | { code: ErrorCode; message: string };
      const send = async (chunk: Pending[]): Promise<ChunkAnswer> => {
        const { data, errors } = await runOperation<Record<string, LineOutcome[] | null>>(context, operation, { inputs: chunk.map((item) => item.value) });
        const outcomes = data?.[field];
        if (outcomes && outcomes.length === chunk.length) return { outcomes };
        return { code: (errors?.[0]?.extensions?.code as ErrorCode | undefined) ?? 'INTERNAL', message: errors?.[0]?.message ?? 'Internal error' };
      };
      const isFailure = (answer: ChunkAnswer) =>
        'code' in answer && !WHOLE_CHUNK_ANSWERS.includes(answer.code) && answer.code !== 'FORBIDDEN' && answer.code !== 'UNAUTHENTICATED';

      /** Sends the pending lines; false when their chunk failed (the batch then stops: later chunks would fail the same way). */
      const flush = async (): Promise<boolean> => {
        if (pending.length === 0) return true;
        const chunk = pending;
        pending = [];
        pendingBytes = 0;
        let answer = await send(chunk);
        // Some of its lines may have been written before it failed: re-sending is safe (the same source ids come back UNCHANGED).
        if (isFailure(answer)) answer = await send(chunk);
        if ('code' in answer) {
          if (answer.code === 'FORBIDDEN' || answer.code === 'UNAUTHENTICATED') throw new ApiError(answer.code, answer.message);
          if (isFailure(answer)) {
            for (const item of chunk) listError(item.line, 'INTERNAL', FAILED_LINE);
            summary.failed += chunk.length;
            summary.complete = false;
            summary.stopped = {
              reason: 'failed',
              message: `Lines ${chunk[0]!.line} to ${chunk.at(-1)!.line} failed twice at the service (${answer.message}): not known whether written, and no later line was read. Re-send the batch; re-sending is safe`,
            };
            return false;
          }
          for (const item of chunk) reject(item.line, answer.code, answer.message);
          return true;
        }
        answer.outcomes.forEach((outcome, index) => {
          if (outcome.status === 'REJECTED') reject(chunk[index]!.line, outcome.code ?? 'BAD_USER_INPUT', outcome.message ?? 'Rejected');
          else if (outcome.status === 'UNCHANGED') summary.unchanged++;
          else summary.accepted++;
        });
        return true;
      };

      try {
        for await (const item of items) {
          summary.lines++;
          const checked = checkLine(item, type);
          if ('problem' in checked) {
            reject(item.line, 'BAD_USER_INPUT', checked.problem);
            continue;
          }
          const bytes = JSON.stringify(checked.value).length;
          if (pending.length > 0 && pendingBytes + bytes > chunkBytes && !(await flush())) {
            // This line was read but not sent: it is left out of the count, like the lines after it.
            summary.lines--;
            break;
          }
          pending.push({ line: item.line, value: checked.value });
          pendingBytes += bytes + 1;
          if (pending.length >= config.UPLOAD_CHUNK_LINES && !(await flush())) break;
        }
      } catch (error) {
        if (isUploadRefusal(error)) throw error;
        // The lines read before the batch stopped are complete and valid: they are kept.
        summary.complete = false;
        summary.stopped =
          error instanceof ApiError && error.kind === 'PAYLOAD_TOO_LARGE'
            ? { reason: 'limit', message: error.message }
            : { reason: 'broken-off', message: `The body broke off after ${summary.lines} lines (the client aborted or the connection failed)` };
      }
      await flush();
      return summary;
    },
  };
}

function inputTypeOf(schema: GraphQLSchema, name: string): GraphQLInputType {
  const type = schema.getType(name);
  if (!isInputObjectType(type)) throw new Error(`The supergraph has no input type ${name}`);
  return type;
}

/** One line as the matching mutation's input, or what is wrong with it (GraphQL's own wording for the input type's rules). */
function checkLine(item: UploadItem, type: GraphQLInputType): { value: unknown } | { problem: string } {
  let value: unknown;
  if ('text' in item) {
    try {
      value = JSON.parse(item.text);
    } catch {
      return { problem: item.terminated === false ? 'The last line is not complete JSON: the batch was cut off' : 'Not valid JSON' };
    }
  } else {
    value = item.value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'Each line must be one JSON object' };
  const problems: string[] = [];
  coerceInputValue(value, type, (path, _invalid, error) => {
    problems.push(path.length > 0 ? `${path.join('.')}: ${error.message}` : error.message);
  });
  return problems.length > 0 ? { problem: problems.join('; ') } : { value };
}

/** The answer's HTTP status by why the batch stopped: 502 when a chunk failed at the service (the batch itself was fine). */
const STATUS_OF_STOP: Record<NonNullable<UploadSummary['stopped']>['reason'] | 'none', number> = { none: 200, limit: 413, 'broken-off': 400, failed: 502 };

/** POST /upload/<kind> with an NDJSON body: the summary as JSON, and one log line with the counts. */
export function uploadRoute(uploader: Uploader, config: UploadConfig, logger: Logger): HttpRoute<GatewayContext> {
  return {
    prefix: '/upload/',
    async handle(request: IncomingMessage, response: ServerResponse, url: URL, context: GatewayContext) {
      const kind = url.pathname.slice('/upload/'.length);
      if (!Object.hasOwn(UPLOAD_KINDS, kind))
        throw new ApiError(
          'NOT_FOUND',
          `No such upload endpoint; use ${Object.keys(UPLOAD_KINDS)
            .map((name) => `/upload/${name}`)
            .join(', ')}`,
        );
      if (request.method !== 'POST') throw new ApiError('METHOD_NOT_ALLOWED', 'Use POST with an NDJSON body');
      if (!(request.headers['content-type'] ?? '').startsWith('application/x-ndjson'))
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/x-ndjson (one JSON object per line)');
      if (Number(request.headers['content-length'] ?? 0) > config.UPLOAD_MAX_BYTES)
        throw new ApiError('PAYLOAD_TOO_LARGE', `The batch is larger than ${config.UPLOAD_MAX_BYTES} bytes (UPLOAD_MAX_BYTES); nothing was read`);
      response.setHeader('x-request-id', context.requestId);
      let summary: UploadSummary;
      try {
        summary = await uploader.uploadLines(context, kind as UploadKind, eagerLines(splitLines(request, config)));
      } catch (error) {
        if (isUploadRefusal(error)) logger.info({ kind, requestId: context.requestId, code: error.code }, 'batch upload refused');
        throw error;
      }
      // Counts only: no line's content reaches the log.
      const { lines, accepted, unchanged, rejected, failed, complete, stopped } = summary;
      logger.info({ kind, requestId: context.requestId, lines, accepted, unchanged, rejected, failed, complete, stopped: stopped?.reason }, 'batch upload');
      sendJson(response, STATUS_OF_STOP[summary.stopped?.reason ?? 'none'], summary);
    },
  };
}
