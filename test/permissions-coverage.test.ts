/**
 * graphql-shield denies by default; this walk proves nothing relies on that by accident:
 * every field that has a resolver (root fields, `_entities`, `_service`, reverse fields such
 * as Resident.labReports) has an explicit rule, and every rule names a real field.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { isObjectType } from 'graphql';
import { SUBGRAPH_NAMES } from '../platform/config';
import { SUBGRAPHS } from '../subgraphs';
import { subgraphTypeDefs } from '../subgraphs/runtime/subgraph-server';

describe.each(SUBGRAPH_NAMES)('the %s subgraph', (name) => {
  const definition = SUBGRAPHS[name];
  const schema = buildSubgraphSchema({ typeDefs: subgraphTypeDefs(name), resolvers: definition.resolvers as never });
  const rules = definition.permissions as Record<string, Record<string, unknown>>;

  const resolvedFields = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) =>
      Object.values((type as import('graphql').GraphQLObjectType).getFields())
        .filter((field) => field.resolve)
        .map((field) => `${type.name}.${field.name}`),
    );

  it('has an explicit rule on every field with a resolver', () => {
    const missing = resolvedFields.filter((path) => {
      const [type, field] = path.split('.') as [string, string];
      return rules[type]?.[field] === undefined;
    });
    expect(missing).toEqual([]);
    expect(resolvedFields).toEqual(expect.arrayContaining(['Query._entities', 'Query._service']));
  });

  it('has no rule for a field that does not exist', () => {
    const ruled = Object.entries(rules).flatMap(([type, fields]) => Object.keys(fields).map((field) => `${type}.${field}`));
    const unknown = ruled.filter((path) => {
      const [type, field] = path.split('.') as [string, string];
      const graphqlType = schema.getType(type);
      return !isObjectType(graphqlType) || graphqlType.getFields()[field] === undefined;
    });
    expect(unknown).toEqual([]);
  });
});
