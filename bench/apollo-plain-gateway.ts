/**
 * The reference contender: a plain `@apollo/gateway` in Apollo Server's standalone server,
 * with its defaults (default subgraph HTTP client, cache-control and query-plan cache as
 * shipped) and no authentication, authorization, limits or audit of its own. Subgraphs still
 * need a viewer, so the load generator sends one ready-made internal token per subgraph and
 * the gateway passes it on, the way any gateway propagates a header.
 *
 * Env: PORT, SUPERGRAPH_FILE.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { forwardedTokenHeader } from './workload';

interface Context {
  headers: IncomingHttpHeaders;
}

class ForwardingDataSource extends RemoteGraphQLDataSource<Context> {
  constructor(private readonly subgraph: string, url: string) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
    const token = (context as Context).headers?.[forwardedTokenHeader(this.subgraph)];
    if (typeof token === 'string') request.http!.headers.set('authorization', `Bearer ${token}`);
  }
}

async function main(): Promise<void> {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8'),
    buildService: ({ name, url }) => new ForwardingDataSource(name, url!),
  });
  const server = new ApolloServer<Context>({ gateway });
  await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: Number(process.env.PORT) },
    context: async ({ req }) => ({ headers: req.headers }),
  });
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
