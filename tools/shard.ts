/**
 * `npm run shard -- <mongos-uri> [--prefix jinling] [--zone ZONE=SHARD …]`: lays the shard plan
 * (tools/shard-plan.ts) onto a sharded cluster through its mongos. With `--dry-run` (no URI
 * needed) it prints the commands instead, one per line as `<database>: <command>`.
 */
import { mongo } from 'mongoose';
import { type AdminStep, describeStep, shardingSteps } from './shard-commands';
import { SHARD_PLAN } from './shard-plan';

interface Arguments {
  uri?: string;
  dryRun: boolean;
  dbPrefix: string;
  zoneShards: Record<string, string[]>;
}

const USAGE = 'Usage: npm run shard -- <mongos-uri> [--prefix <db prefix>] [--zone <zone>=<shard> …] [--dry-run]';

function parseArguments(argv: string[]): Arguments {
  const parsed: Arguments = { dryRun: false, dbPrefix: process.env.MONGODB_DB_PREFIX || 'jinling', zoneShards: {} };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--dry-run') parsed.dryRun = true;
    else if (argument === '--prefix') parsed.dbPrefix = argv[++index] ?? '';
    else if (argument === '--zone') {
      const [zone, shard] = (argv[++index] ?? '').split('=');
      if (!zone || !shard) throw new Error(`--zone needs <zone>=<shard>\n${USAGE}`);
      parsed.zoneShards[zone] = [...(parsed.zoneShards[zone] ?? []), shard];
    } else if (!argument.startsWith('--') && parsed.uri === undefined) parsed.uri = argument;
    else throw new Error(`Unknown argument ${argument}\n${USAGE}`);
  }
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(parsed.dbPrefix)) throw new Error(`--prefix: lowercase letters, digits and _\n${USAGE}`);
  if (!parsed.dryRun && !parsed.uri) throw new Error(USAGE);
  return parsed;
}

async function apply(uri: string, steps: AdminStep[]): Promise<void> {
  const client = new mongo.MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const hello = await client.db('admin').command({ hello: 1 });
    if (hello.msg !== 'isdbgrid') throw new Error('This is not a mongos: sharding commands go through the cluster router');
    for (const step of steps) {
      await client.db(step.database).command(step.command);
      console.log(`ok ${describeStep(step)}`);
    }
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const steps = shardingSteps(SHARD_PLAN, options);
  if (options.dryRun) {
    for (const step of steps) console.log(describeStep(step));
    return;
  }
  await apply(options.uri!, steps);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
