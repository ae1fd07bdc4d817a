/**
 * graphql-shield, the gate in front of the data path: deny by default, an explicit rule on
 * every field that has a resolver. Rules here are coarse (who may call this at all); which
 * residents a caller may see is decided in the repositories by the policy module.
 */
import type { GraphQLSchema } from 'graphql';
import { applyMiddlewareToDeclaredResolvers } from 'graphql-middleware';
import { allow, deny, type IRules, rule, shield } from 'graphql-shield';
import { type FieldTable, type Reach, rolesOf } from '../../access-control/field-access';
import type { Role } from '../../access-control/viewer';
import { forbidden } from '../../platform/errors';
import type { SubgraphContext } from './subgraph-context';

export { allow, deny };
export type PermissionMap = IRules;

/** The most representations one `_entities` call may carry. */
export const MAX_REPRESENTATIONS = 500;

export const isAuthenticated = rule({ cache: 'contextual' })((_parent, _args, context: SubgraphContext) => context.viewer !== undefined);

const roleRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();
/** Allows callers holding any of the roles. */
export function hasAnyRole(...roles: Role[]) {
  const key = roles.slice().sort().join(',');
  let cached = roleRules.get(key);
  if (!cached) {
    cached = rule(`hasAnyRole(${key})`, { cache: 'contextual' })((_parent, _args, context: SubgraphContext) =>
      context.viewer.roles.some((role) => roles.includes(role)),
    );
    roleRules.set(key, cached);
  }
  return cached;
}

/** `_entities` is reached only by the gateway; what each entity reveals is decided per entity. */
export const entitiesWithinLimit = rule('entitiesWithinLimit', { cache: 'no_cache' })(
  (_parent, args: { representations?: unknown[] }) => Array.isArray(args.representations) && args.representations.length <= MAX_REPRESENTATIONS,
);

/** The shield rule of one field's reach: roles from the policy's tables, checked on the token alone. */
function ruleOf(reach: Reach) {
  if (reach === 'signed-in') return isAuthenticated;
  if (reach === 'gateway') return entitiesWithinLimit;
  return hasAnyRole(...rolesOf(reach));
}

/** A subgraph's rule map, built from its part of the field table (field-access.ts). */
export function shieldRulesOf(table: FieldTable): PermissionMap {
  return Object.fromEntries(
    Object.entries(table).map(([type, fields]) => [type, Object.fromEntries(Object.entries(fields).map(([field, reach]) => [field, ruleOf(reach)]))]),
  );
}

export function applyPermissions(schema: GraphQLSchema, permissions: PermissionMap): GraphQLSchema {
  const gate = shield(permissions, {
    fallbackRule: deny,
    allowExternalErrors: true,
    // Says what the caller lacks (the role), never anything about the data asked for.
    fallbackError: (_thrown, _parent, _args, context, info) => {
      const roles = (context as unknown as SubgraphContext).viewer?.roles ?? [];
      return forbidden(
        `Not permitted: ${info.parentType.name}.${info.fieldName} is not open to the ${roles.join(', ') || 'anonymous'} role${roles.length === 1 ? '' : 's'}`,
      );
    },
  });
  return applyMiddlewareToDeclaredResolvers(schema, gate);
}
