/**
 * A stand-in subgraph for tests that need requests in flight: it answers /ready at once and
 * holds every GraphQL call until the test releases it, then answers them all with one fixed
 * result. Deterministic where a sleep would only be likely.
 */
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class HeldSubgraph {
  private readonly held: ServerResponse[] = [];
  private readonly waiting: { count: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly result: unknown,
  ) {}

  /** `result` is what every call gets once released (a GraphQL response body). */
  static async start(result: unknown): Promise<HeldSubgraph> {
    let subgraph: HeldSubgraph | undefined;
    const server = http.createServer((request, response) => subgraph!.receive(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    subgraph = new HeldSubgraph(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, result);
    return subgraph;
  }

  /** Resolves once `count` calls are being held. */
  holding(count: number): Promise<void> {
    if (this.held.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Answers every call held so far. */
  release(): void {
    for (const response of this.held.splice(0)) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(this.result));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private receive(request: http.IncomingMessage, response: ServerResponse): void {
    if (request.url === '/ready') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ready"}');
      return;
    }
    request.resume();
    request.once('end', () => {
      this.held.push(response);
      for (const waiter of this.waiting.filter(({ count }) => this.held.length >= count)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }
}
