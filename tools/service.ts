/**
 * Entry point of one service process: `tsx tools/service.ts <gateway|records|labs|…>`.
 * Needs MONGODB_URI for subgraphs; stops gracefully on SIGTERM or SIGINT.
 */
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/kit/config';
import { startGateway, startSubgraph } from './services';

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const config = loadConfig();
  let stop: () => Promise<void>;
  if (name === 'gateway') {
    stop = (await startGateway(config)).stop;
  } else if ((SUBGRAPH_NAMES as readonly string[]).includes(name)) {
    if (!config.MONGODB_URI) throw new Error('MONGODB_URI is required to run a subgraph on its own');
    stop = (await startSubgraph(name as SubgraphName, config, config.MONGODB_URI)).stop;
  } else {
    throw new Error(`Usage: tsx tools/service.ts <gateway|${SUBGRAPH_NAMES.join('|')}>`);
  }
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
