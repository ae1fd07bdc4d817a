/**
 * The HTTP front of every service (gateway and subgraphs): Apollo Server on plain node:http.
 * It authenticates from the headers before reading the body, so an unauthenticated request
 * never reaches the GraphQL parser; it caps the body, refuses batched requests, and serves
 * /health (process up) and /ready (dependencies reachable).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { ApiError, asApiError } from './errors';
import { errorDetails, type Logger } from './logger';
import type { RequestGate } from './request-gate';

/** Probes and scrapes: never shed or refused while draining, so the orchestrator sees the truth. */
const UNGATED_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

export interface HttpServiceOptions<TContext extends BaseContext, TAuth> {
  apollo: ApolloServer<TContext>;
  logger: Logger;
  maxBodyBytes: number;
  /** Decides from the headers alone; throws ApiError (UNAUTHENTICATED) to refuse. */
  authenticate(request: IncomingMessage): Promise<TAuth> | TAuth;
  context(auth: TAuth, request: IncomingMessage): Promise<TContext> | TContext;
  /** Serves a page or file that needs no token (the gateway's API console); false when the request is not for one. */
  serveStatic?(request: IncomingMessage, response: ServerResponse, pathname: string): boolean;
  /** What this service is still waiting for (its database, a subgraph); empty when ready. */
  waitingFor(): Promise<string[]>;
  /** Authenticated endpoints beside /graphql (the gateway's uploads and FHIR API), by path prefix. */
  routes?: HttpRoute<TAuth>[];
  /** Sheds load beyond the in-flight bound and refuses new work while draining (request-gate.ts). */
  gate?: RequestGate;
  /** Decides from the verified caller, before the body is read, whether it is over its rate; throws ApiError (RATE_LIMITED) to refuse. */
  limitRate?(auth: TAuth): void;
}

/** An endpoint that is not GraphQL: reached only after the same authentication as /graphql. */
export interface HttpRoute<TAuth> {
  /** Requests whose path starts with this (for example `/fhir/R4/`) come here. */
  prefix: string;
  handle(request: IncomingMessage, response: ServerResponse, url: URL, auth: TAuth): Promise<void>;
  /** How this endpoint writes a refusal (a 401, a 413); the GraphQL error shape otherwise. */
  sendError?(response: ServerResponse, error: ApiError): void;
}

export interface RunningHttpService {
  server: http.Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export function createHttpHandler<TContext extends BaseContext, TAuth>(options: HttpServiceOptions<TContext, TAuth>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Health data: no browser, proxy or CDN may keep a copy of any answer.
    response.setHeader('cache-control', 'no-store');
    let route: HttpRoute<TAuth> | undefined;
    try {
      const url = new URL(request.url ?? '/', 'http://service');
      if (request.method === 'GET' && url.pathname === '/health') return sendJson(response, 200, { status: 'ok' });
      if (request.method === 'GET' && url.pathname === '/ready') {
        // A draining service must leave the load balancer's rotation while it finishes its work.
        if (options.gate?.draining) return sendJson(response, 503, { status: 'draining' });
        const waitingFor = await options.waitingFor();
        return waitingFor.length === 0 ? sendJson(response, 200, { status: 'ready' }) : sendJson(response, 503, { status: 'not ready', waitingFor });
      }
      const refusal = UNGATED_PATHS.has(url.pathname) ? null : options.gate?.admit(response);
      if (refusal) throw refusal;
      if (options.serveStatic?.(request, response, url.pathname)) return;
      const authenticate = async () => {
        const auth = await options.authenticate(request);
        options.limitRate?.(auth);
        return auth;
      };
      route = options.routes?.find((candidate) => url.pathname.startsWith(candidate.prefix));
      if (route) return await route.handle(request, response, url, await authenticate());
      if (url.pathname !== '/graphql') throw new ApiError('NOT_FOUND', 'Not found');
      if (request.method !== 'POST') throw new ApiError('METHOD_NOT_ALLOWED', 'Use POST with a JSON body');

      const auth = await authenticate();
      const body = await readJsonBody(request, options.maxBodyBytes);
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const result = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: url.search, body },
        context: async () => options.context(auth, request),
      });
      for (const [key, value] of result.headers) if (key !== 'cache-control') response.setHeader(key, value);
      response.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        response.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) response.write(chunk);
        response.end();
      }
    } catch (error) {
      if (clientLeft(request, error)) {
        // The client's own doing (it went away mid-request): nothing to fix on the service.
        options.logger.info({ code: (error as NodeJS.ErrnoException).code ?? 'aborted' }, 'client disconnected before the request was read');
        return;
      }
      if (error instanceof ApiError) {
        for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
        if (route?.sendError) return route.sendError(response, error);
        return sendHttpError(response, error);
      }
      options.logger.error({ error: errorDetails(error) }, 'request failed');
      // Masked, in the route's own error shape (a FHIR client gets an OperationOutcome).
      if (!response.headersSent) (route?.sendError ?? sendHttpError)(response, asApiError(error));
      else response.destroy();
    }
  };
}

/**
 * A request whose headers and body have not all arrived within `requestTimeoutMs` is dropped
 * (Node answers 408 and closes the connection), so a stalled body holds no connection; the
 * check runs at a tenth of that time (at most each second) rather than Node's 30 s.
 */
export async function listen(handler: http.RequestListener, host: string, port: number, requestTimeoutMs: number): Promise<RunningHttpService> {
  const server = http.createServer(
    {
      keepAliveTimeout: 65_000,
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(requestTimeoutMs / 10))),
    },
    handler,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port: address.port,
    url: `http://${displayHost}:${address.port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** Whether a request failed because its client closed the connection before sending it whole. */
function clientLeft(request: IncomingMessage, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || (error as Error | null)?.message === 'aborted' || (request.destroyed && !request.complete);
}

/** What an operator can act on when a service cannot listen. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE')
    return new Error(
      `Cannot listen on ${host}:${port}: the port is in use (choose another with GATEWAY_PORT or the subgraph's *_PORT, or stop what listens there)`,
    );
  if (error.code === 'EADDRNOTAVAIL') return new Error(`Cannot listen on ${host}:${port}: ${host} is not an address of this machine (HOST)`);
  if (error.code === 'EACCES') return new Error(`Cannot listen on ${host}:${port}: not permitted (ports below 1024 need privileges)`);
  return error;
}

/** Errors are GraphQL responses (GraphQL over HTTP), so clients parse and show them. */
const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';

/** The HTTP edge: a refusal before GraphQL runs, as its status and a GraphQL error body (an internal fault masked). */
export function sendHttpError(response: ServerResponse, error: ApiError): void {
  sendJson(response, error.status, { errors: [{ message: error.clientMessage, extensions: { code: error.code } }] }, GRAPHQL_RESPONSE);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  response.statusCode = status;
  response.setHeader('content-type', type);
  response.end(JSON.stringify(body));
}

async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new ApiError('PAYLOAD_TOO_LARGE', 'Request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ApiError('PAYLOAD_TOO_LARGE', 'Request body too large');
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('BAD_USER_INPUT', 'Body is not valid JSON');
  }
  if (Array.isArray(body)) throw new ApiError('BAD_USER_INPUT', 'Batched requests are not supported');
  return body;
}

export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  return match ? match[1]! : null;
}
