/** What a field's GraphQL selection asks for, so a list view reads only the fields it shows. */
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the selection of the field being resolved reaches `path` (say `['edges', 'node',
 * 'results']`), through inline fragments and fragment spreads. Directives are ignored: a
 * field under `@skip` counts as asked for, which only ever reads more.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const [index, name] of path.entries()) {
    const fields = sets.flatMap((set) => fieldsNamed(set, name, info));
    if (index === path.length - 1) return fields.length > 0;
    sets = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return true;
}

function fieldsNamed(set: SelectionSetNode, name: string, info: GraphQLResolveInfo) {
  return set.selections.flatMap((selection): { selectionSet?: SelectionSetNode }[] => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === name ? [selection] : [];
      case Kind.INLINE_FRAGMENT:
        return fieldsNamed(selection.selectionSet, name, info);
      case Kind.FRAGMENT_SPREAD: {
        const fragment = info.fragments[selection.name.value];
        return fragment ? fieldsNamed(fragment.selectionSet, name, info) : [];
      }
      default:
        return [];
    }
  });
}
