/**
 * The entry points of the supergraph, read from schema/supergraph.graphql: every root query,
 * every mutation, and `_entities` for every entity type in every subgraph that resolves it.
 * The authorization matrices count their cells against this, not against themselves.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, type ConstDirectiveNode, isObjectType, Kind } from 'graphql';
import { SUPERGRAPH_PATH } from '../../tools/compose';

export interface EntryPoints {
  queries: string[];
  mutations: string[];
  /** `<subgraph> <Type>` for each entity type a subgraph resolves. */
  entities: string[];
}

export function entryPoints(): EntryPoints {
  const schema = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });
  const fieldsOf = (name: string) => {
    const type = schema.getType(name);
    return isObjectType(type) ? Object.keys(type.getFields()).sort() : [];
  };
  const entities: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const directive of type.astNode?.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const graph = argument(directive, 'graph');
      if (argument(directive, 'key') !== undefined && argument(directive, 'resolvable') !== 'false' && graph)
        entities.push(`${graph.toLowerCase()} ${type.name}`);
    }
  }
  return { queries: fieldsOf('Query'), mutations: fieldsOf('Mutation'), entities: entities.sort() };
}

function argument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.STRING || value.kind === Kind.ENUM) return value.value;
  if (value.kind === Kind.BOOLEAN) return String(value.value);
  return undefined;
}
