/** What the batch-upload tests send and expect: NDJSON bodies, a POST to /upload/<kind>, and its summary. */
import type { TestStack } from './stack';

/** Lines as NDJSON: objects as JSON, strings as they stand (bad lines on purpose). */
export const ndjson = (lines: unknown[]) => `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`;

/** POST /upload/<kind> through the gateway, as a hospital's system sends it. */
export async function postBatch(stack: TestStack, token: string | null, kind: string, body: string, contentType = 'application/x-ndjson') {
  const response = await fetch(stack.gateway.url.replace(/\/graphql$/, `/upload/${kind}`), {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, body: (await response.json()) as any, requestId: response.headers.get('x-request-id') };
}

/** The answer of a batch read to its end, with the counts given and the errors listed. */
export const uploadSummary = (kind: string, counts: { lines: number; accepted?: number; unchanged?: number; rejected?: number }, errors: unknown[] = []) => ({
  kind,
  lines: counts.lines,
  accepted: counts.accepted ?? 0,
  unchanged: counts.unchanged ?? 0,
  rejected: counts.rejected ?? 0,
  failed: 0,
  errors,
  complete: true,
});
