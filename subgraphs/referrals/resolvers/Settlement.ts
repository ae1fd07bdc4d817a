import type { SettlementResolvers } from '../__generated__/resolver-types';

export const Settlement: SettlementResolvers = {
  id: (settlement) => settlement.institutionSettlementId,
  organization: (settlement) => ({ code: settlement.organizationCode }),
  settledAt: (settlement) => settlement.settledAt.toISOString(),
};
