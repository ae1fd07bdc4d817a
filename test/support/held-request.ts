/**
 * A GraphQL request held in flight by its client: everything is sent but the last byte of
 * the body, until the test calls `finish`. `Expect: 100-continue` makes a Node server start
 * the request (and count it in flight) in the same step that answers "100 Continue", so once
 * this resolves the server is working on it: no sleep, no guess.
 */
import http from 'node:http';

export interface HeldRequest {
  /** The response, once the body is finished and the server answers. */
  answered: Promise<{ status: number; body: unknown }>;
  finish(): void;
}

export async function holdRequest(url: string, bearerToken: string, query: string): Promise<HeldRequest> {
  const body = Buffer.from(JSON.stringify({ query }));
  const request = http.request(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${bearerToken}`, expect: '100-continue' },
  });
  const answered = jsonAnswerOf(request);
  await new Promise<void>((resolve) => request.once('continue', resolve));
  request.write(body.subarray(0, body.length - 1));
  return { answered, finish: () => request.end(body.subarray(body.length - 1)) };
}

/** The status and JSON body a client request is answered with. */
export function jsonAnswerOf(request: http.ClientRequest): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    request.once('error', reject);
  });
}
