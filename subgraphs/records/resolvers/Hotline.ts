import type { HotlineCallResolvers, WorkOrderResolvers, WorkOrderStepResolvers } from '../__generated__/resolver-types';

export const HotlineCall: HotlineCallResolvers = {
  id: (call) => call._id,
  organization: (call, _args, { loaders }) => loaders.knownOrganization(call.organizationCode),
  receivedAt: (call) => call.receivedAt.toISOString(),
};

export const WorkOrder: WorkOrderResolvers = {
  id: (order) => order._id,
  receivedAt: (order) => order.receivedAt.toISOString(),
};

export const WorkOrderStep: WorkOrderStepResolvers = {
  at: (step) => new Date(step.at).toISOString(),
};
