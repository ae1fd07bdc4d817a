/**
 * Reads an NDJSON request body line by line, within a limit of bytes and lines. The body is
 * read as fast as the client sends it (the server's request deadline covers receiving it,
 * not the writes behind it) while the lines already read are consumed, so the first lines are
 * being written while the last are still arriving; what is held is bounded by the byte limit.
 *
 * Hand-written rather than node:readline or split2: those split at a lone CR too, drop the CR
 * the byte limit counts, cannot tell a cut-off last line, and hold a line without bound.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Config } from '../platform/config';
import { ApiError } from '../platform/errors';

export interface NdjsonLine {
  /** 1-based line number in the body (blank lines counted, though not yielded). */
  line: number;
  text: string;
  /** False for a last line that the body ended without a newline: it may have been cut off. */
  terminated: boolean;
}

/** The limits of one batch, as configured. */
export type NdjsonLimits = Pick<Config, 'UPLOAD_MAX_BYTES' | 'UPLOAD_MAX_LINES'>;

/**
 * Splits a byte stream into lines; throws PAYLOAD_TOO_LARGE (an ApiError) at the first line that would pass
 * a limit (so where a batch stops does not depend on how the network cut it into packets),
 * and the stream's own error if it breaks off.
 */
export async function* splitLines(body: AsyncIterable<Buffer | string>, limits: NdjsonLimits): AsyncGenerator<NdjsonLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let bytes = 0;
  let lineNumber = 0;
  let lines = 0;
  const overBytes = () =>
    new ApiError('PAYLOAD_TOO_LARGE', `The batch is larger than ${limits.UPLOAD_MAX_BYTES} bytes (UPLOAD_MAX_BYTES); lines after ${lineNumber} were not read`);
  const emit = (text: string, terminated: boolean): NdjsonLine | null => {
    bytes += Buffer.byteLength(text) + (terminated ? 1 : 0);
    if (bytes > limits.UPLOAD_MAX_BYTES) throw overBytes();
    lineNumber++;
    if (text.trim() === '') return null;
    if (++lines > limits.UPLOAD_MAX_LINES)
      throw new ApiError(
        'PAYLOAD_TOO_LARGE',
        `The batch has more than ${limits.UPLOAD_MAX_LINES} lines (UPLOAD_MAX_LINES); lines after ${lineNumber - 1} were not read`,
      );
    return { line: lineNumber, text: text.endsWith('\r') ? text.slice(0, -1) : text, terminated };
  };
  for await (const chunk of body) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    // Only the new text is searched, and a line arriving in many chunks is joined once, when it
    // ends: searching the whole held line again on every chunk made a long line quadratic.
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const found = emit(pending + text.slice(start, end), true);
      pending = '';
      start = end + 1;
      if (found) yield found;
    }
    pending += text.slice(start);
    // A line that never ends must not grow past the limit either.
    if (bytes + pending.length > limits.UPLOAD_MAX_BYTES) throw overBytes();
  }
  pending += decoder.end();
  const last = pending === '' ? null : emit(pending, false);
  if (last) yield last;
}

/**
 * The lines of a body, read eagerly into a queue that the consumer drains at its own pace.
 * An error of the reader (a limit, a broken-off body) reaches the consumer after the lines
 * read before it.
 */
export function eagerLines(source: AsyncIterable<NdjsonLine>): AsyncIterable<NdjsonLine> {
  const queue: NdjsonLine[] = [];
  let head = 0;
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  void (async () => {
    try {
      for await (const line of source) {
        queue.push(line);
        notify();
      }
    } catch (error) {
      failure = error;
    } finally {
      finished = true;
      notify();
    }
  })();
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (head < queue.length) {
          const line = queue[head]!;
          queue[head++] = undefined as unknown as NdjsonLine;
          if (head === queue.length) queue.length = head = 0;
          yield line;
          continue;
        }
        if (failure) throw failure;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
