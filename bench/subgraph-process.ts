/**
 * One subgraph for the benchmark: the production subgraph, configured from the environment
 * like `bin/service.ts`, that also counts the requests it serves and the database commands
 * it sends, for the parent to read between runs.
 */

import { startSubgraph } from '../bin/services';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config';
import { onDatabaseCommand, onDatabaseReply } from '../platform/database';
import { answerCounters } from './processes';

async function main(): Promise<void> {
  const name = process.argv[2] as SubgraphName;
  if (!SUBGRAPH_NAMES.includes(name)) throw new Error(`Usage: subgraph-process.ts <${SUBGRAPH_NAMES.join('|')}>`);
  const config = loadConfig();
  const counters = { requests: 0, commands: 0, documents: 0 };
  onDatabaseCommand(() => counters.commands++);
  onDatabaseReply((reply) => (counters.documents += reply.documents.length));
  const subgraph = await startSubgraph(name, config, config.MONGODB_URI!, { monitorCommands: true });
  subgraph.server.on('request', (request) => {
    if (request.url?.startsWith('/graphql')) counters.requests++;
  });
  answerCounters(() => counters);
  process.once('SIGTERM', () => void subgraph.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
