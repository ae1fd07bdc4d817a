/**
 * What an operation costs the exchange, counted before it is planned: every field costs 1 each
 * time it is resolved, and a list multiplies what is selected under it by how many items it
 * may return: `first` (as asked, or the field's default) for paged fields, the number of keys
 * asked for a list fetched by keys (`ids`, `codes`), LIST_ITEMS for any other list (a
 * connection's `edges` are already counted by its `first`). Introspection
 * and `__typename` are free. An operation over the limit is refused with a 400 that says the
 * cost, the limit and the fields that cost most, so a client knows what to ask for less of.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromAST,
} from 'graphql';

/** Items assumed for a list field that takes no `first` (lab result lines, prescription items). */
export const LIST_ITEMS = 10;

export interface OperationCost {
  total: number;
  /** Every list field, with what it and everything under it cost, costliest first. */
  lists: { path: string; cost: number }[];
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  lists: OperationCost['lists'];
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationCost {
  const fragments = Object.fromEntries(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const walk: Walk = { schema, fragments, variables, lists: [] };
  const total = root ? selectionCost(walk, operation.selectionSet, root, 1, '') : 0;
  return { total, lists: walk.lists.sort((a, b) => b.cost - a.cost) };
}

function selectionCost(walk: Walk, selectionSet: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, path: string): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, selection, parent, multiplier, path);
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments[selection.name.value] : selection;
      if (!fragment) continue;
      const type = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : parent;
      if (type) total += selectionCost(walk, fragment.selectionSet, type, multiplier, path);
    }
  }
  return total;
}

function fieldCost(walk: Walk, node: FieldNode, parent: GraphQLNamedType, multiplier: number, path: string): number {
  const name = node.name.value;
  const field = name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent)) ? undefined : parent.getFields()[name];
  if (!field) return 0;
  if (!node.selectionSet) return multiplier;
  const items = itemsOf(walk, field, node);
  const here = `${path}${path ? '.' : ''}${node.alias?.value ?? name}`;
  const cost = multiplier + selectionCost(walk, node.selectionSet, getNamedType(field.type), multiplier * items, here);
  if (items > 1) walk.lists.push({ path: here, cost });
  return cost;
}

/** How many items a field may return: `first` where it pages, LIST_ITEMS for another list, else 1. */
function itemsOf(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const first = field.args.find((arg) => arg.name === 'first');
  if (first) {
    const given = node.arguments?.find((arg) => arg.name.value === 'first');
    const value = given ? valueFromAST(given.value, first.type, walk.variables) : first.defaultValue;
    return typeof value === 'number' && value > 0 ? value : LIST_ITEMS;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  if (field.name === 'edges') return 1;
  // A list asked for by a list of keys (`residents(ids: …)`, `latestResults(codes: …)`) has as many items as keys.
  for (const given of node.arguments ?? []) {
    const arg = field.args.find((candidate) => candidate.name === given.name.value);
    const value = arg && isListType(getNullableType(arg.type)) ? valueFromAST(given.value, arg.type, walk.variables) : undefined;
    if (Array.isArray(value)) return Math.max(1, value.length);
  }
  return LIST_ITEMS;
}

/** Refuses an operation that costs more than `limit`, before the query planner sees it. */
export function operationCostLimit(limit: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const { total, lists } = operationCost(schema, document, operation, request.variables ?? {});
          if (total <= limit) return;
          const costliest = lists
            .slice(0, 3)
            .map((list) => `${list.path} (${list.cost})`)
            .join(', ');
          throw new GraphQLError(
            `The operation costs ${total}, over the limit of ${limit}${costliest ? `; costliest lists: ${costliest}` : ''}. Ask for fewer items (first) or fewer fields.`,
            {
              extensions: { code: 'BAD_USER_INPUT', cost: total, limit, http: { status: 400 } },
            },
          );
        },
      };
    },
  };
}
