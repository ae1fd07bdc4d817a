/** Every subgraph definition, by name. */

import { access } from './access';
import type { SubgraphName } from './kit/config';
import type { SubgraphContext } from './kit/subgraph-context';
import type { SubgraphDefinition } from './kit/subgraph-server';
import { labs } from './labs';
import { prescriptions } from './prescriptions';
import { records } from './records';
import { referrals } from './referrals';

// Each definition is generic in its own models and context; callers only start them.
export const SUBGRAPHS = { records, labs, prescriptions, referrals, access } as unknown as Record<SubgraphName, SubgraphDefinition<unknown, SubgraphContext>>;
