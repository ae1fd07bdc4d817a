import { maskIdNumber } from '../../../access-control/id-number';
import { mayUnmaskIdentifiers } from '../../../access-control/policy';
import type { IdentifierResolvers, MergeEventResolvers } from '../resolver-types';

export const Identifier: IdentifierResolvers = {
  value: (identifier, _args, { viewer }) =>
    identifier.system === 'RESIDENT_ID_CARD' && !mayUnmaskIdentifiers(viewer, identifier.residentId) ? maskIdNumber(identifier.value) : identifier.value,
  assigner: (identifier, _args, { loaders }) => (identifier.assignerCode ? loaders.organizationByCode.load(identifier.assignerCode) : null),
};

export const MergeEvent: MergeEventResolvers = {
  at: (event) => event.at.toISOString(),
};
