// The reference contender: a plain `@apollo/gateway` in Apollo Server's standalone server,
// with its defaults (default subgraph HTTP client, plugins as shipped) and no authentication,
// authorization, limits or audit of its own. Plain JavaScript run by node itself, without the
// TypeScript loader's source-map support, as a stock deployment would be. Subgraphs still need
// a viewer, so the load generator sends one ready-made internal token per subgraph
// (x-bench-internal-<subgraph>, see bench/workload.ts) and the gateway passes it on, the way
// any gateway propagates a header.
//
// Env: PORT, SUPERGRAPH_FILE.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

class ForwardingDataSource extends RemoteGraphQLDataSource {
  constructor(subgraph, url) {
    super({ url });
    this.header = `x-bench-internal-${subgraph.toLowerCase()}`;
  }

  willSendRequest({ request, context }) {
    const token = context.headers?.[this.header];
    if (typeof token === 'string') request.http.headers.set('authorization', `Bearer ${token}`);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_FILE, 'utf8'),
  buildService: ({ name, url }) => new ForwardingDataSource(name, url),
});
const server = new ApolloServer({ gateway });
await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(process.env.PORT) },
  context: async ({ req }) => ({ headers: req.headers }),
});
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
