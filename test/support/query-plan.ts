/**
 * The gateway's query plan for an operation, built by the planner the gateway itself runs
 * (@apollo/query-planner over the committed supergraph, planned against its API schema as
 * @apollo/gateway does), and the subgraph fetches that plan calls for.
 */
import { readFileSync } from 'node:fs';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { type PlanNode, type QueryPlan, QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import { SUPERGRAPH_FILE } from '../../bin/services';

let planning: { supergraph: Supergraph; planner: QueryPlanner } | undefined;

export function queryPlanOf(operation: string): QueryPlan {
  planning ??= (() => {
    const supergraph = Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8'));
    return { supergraph, planner: new QueryPlanner(supergraph) };
  })();
  return planning.planner.buildQueryPlan(operationFromDocument(planning.supergraph.apiSchema(), parse(operation)));
}

/**
 * The subgraph of every fetch node the gateway executes for these variables: conditions
 * (@skip/@include on a variable) take the branch the variable picks; defers run every part.
 */
export function fetchesOf(plan: QueryPlan, variables: Record<string, unknown> = {}): string[] {
  const fetches: string[] = [];
  const visit = (node: PlanNode | undefined): void => {
    if (!node) return;
    switch (node.kind) {
      case 'Fetch':
        fetches.push(node.serviceName);
        break;
      case 'Sequence':
      case 'Parallel':
        node.nodes.forEach(visit);
        break;
      case 'Flatten':
        visit(node.node);
        break;
      case 'Condition':
        visit(variables[node.condition] ? node.ifClause : node.elseClause);
        break;
      case 'Defer':
        visit(node.primary.node);
        for (const deferred of node.deferred) visit(deferred.node);
        break;
    }
  };
  if (plan.node?.kind === 'Subscription') throw new Error('Subscriptions are not planned here');
  visit(plan.node);
  return fetches.sort();
}

/** How many stages of fetches run one after another: a sequence adds its steps, a parallel block counts as its longest branch. */
export function sequentialStages(plan: QueryPlan): number {
  const stages = (node: PlanNode | undefined): number => {
    if (!node) return 0;
    switch (node.kind) {
      case 'Fetch':
        return 1;
      case 'Sequence':
        return node.nodes.reduce((sum, step) => sum + stages(step), 0);
      case 'Parallel':
        return Math.max(0, ...node.nodes.map(stages));
      case 'Flatten':
        return stages(node.node);
      default:
        throw new Error(`No stage count for a ${node.kind} node`);
    }
  };
  if (plan.node?.kind === 'Subscription') throw new Error('Subscriptions are not planned here');
  return stages(plan.node);
}
