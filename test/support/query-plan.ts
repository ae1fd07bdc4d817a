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
