/** Every subgraph definition, by name. */

import type { SubgraphName } from '../platform/config';
import { access } from './access';
import { labs } from './labs';
import { prescriptions } from './prescriptions';
import { records } from './records';
import { referrals } from './referrals';
import type { SubgraphContext } from './runtime/subgraph-context';
import type { SubgraphDefinition } from './runtime/subgraph-server';

// Each definition is generic in its own models and context; callers only start them.
export const SUBGRAPHS = { records, labs, prescriptions, referrals, access } as unknown as Record<SubgraphName, SubgraphDefinition<unknown, SubgraphContext>>;
