import { pageSize, recordIdOf } from '../../runtime/ids';
import type {
  MutationResolvers,
  NursingOrderResolvers,
  NursingTransitionResolvers,
  NursingVisitResolvers,
  QueryResolvers,
} from '../__generated__/resolver-types';
import { effectiveNursingStatus, nursingServiceOf } from '../nursing-rules';

export const NursingOrder: NursingOrderResolvers = {
  id: (order) => order._id,
  resident: (order) => ({ id: order.residentId }),
  organization: (order) => ({ code: order.organizationCode }),
  orderer: (order) => (order.ordererOrganizationCode ? { code: order.ordererOrganizationCode } : null),
  service: (order) => nursingServiceOf(order.serviceCode)!,
  status: (order) => effectiveNursingStatus(order),
  orderedAt: (order) => order.orderedAt.toISOString(),
  expiresAt: (order) => order.expiresAt.toISOString(),
  transitions: (order, _args, { loaders }) => loaders.nursingTransitionsOf.load(order._id),
};

export const NursingVisit: NursingVisitResolvers = {
  at: (visit) => new Date(visit.at).toISOString(),
};

export const NursingTransition: NursingTransitionResolvers = {
  organization: (transition) => (transition.organizationCode ? { code: transition.organizationCode } : null),
  at: (transition) => transition.at.toISOString(),
};

export const nursingQueries: Pick<QueryResolvers, 'nursingServices' | 'nursingOrder' | 'nursingInbox'> = {
  nursingServices: (_root, _args, { repository }) => [...repository.nursing.services()],
  nursingOrder: (_root, { id }, { loaders }) => loaders.nursingOrderById.load(recordIdOf(id, 'NursingOrder')),
  nursingInbox: (_root, { status, first, after }, { repository }) => repository.nursing.inbox(status, pageSize(first), after),
};

export const nursingMutations: Pick<
  MutationResolvers,
  'orderNursing' | 'acceptNursingOrder' | 'refuseNursingOrder' | 'recordNursingVisit' | 'completeNursingOrder' | 'cancelNursingOrder'
> = {
  orderNursing: (_root, { input }, { repository }) => repository.nursing.order(input),
  acceptNursingOrder: (_root, { id, nurseId }, { repository }) => repository.nursing.accept(id, nurseId),
  refuseNursingOrder: (_root, { id, reason }, { repository }) => repository.nursing.refuse(id, reason),
  recordNursingVisit: (_root, { id, input }, { repository }) => repository.nursing.recordVisit(id, input),
  completeNursingOrder: (_root, { id }, { repository }) => repository.nursing.complete(id),
  cancelNursingOrder: (_root, { id, reason }, { repository }) => repository.nursing.cancel(id, reason),
};
