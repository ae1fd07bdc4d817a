import { pageSize } from '../../runtime/ids';
import { DEPARTMENTS } from '../referral-rules';
import type { MutationResolvers, QueryResolvers } from '../resolver-types';

export const Query: QueryResolvers = {
  departments: () => [...DEPARTMENTS],
  availableSlots: (_root, { organizationCode, department, from, to, kind }, { repository }) =>
    repository.availableSlots(organizationCode, department, from, to, kind ?? 'SPECIALIST'),
  referralInbox: (_root, { status, first, after }, { repository }) => repository.inbox(status, pageSize(first), after),
  referralOutbox: (_root, { status, first, after }, { repository }) => repository.outbox(status, pageSize(first), after),
  myAppointments: (_root, _args, { repository }) => repository.myAppointments(),
};

export const Mutation: MutationResolvers = {
  signContract: (_root, { residentId, servicePackage, until }, { repository }) => repository.signContract(residentId, servicePackage, until),
  acceptContract: (_root, { id }, { repository }) => repository.acceptContract(id),
  renewContract: (_root, { id, until }, { repository }) => repository.renewContract(id, until),
  terminateContract: (_root, { id, reason }, { repository }) => repository.terminateContract(id, reason),
  requestReferral: (_root, { input }, { repository }) => repository.request(input),
  bookReferralSlot: (_root, { referralId, poolId, clientRequestId }, { repository }) => repository.bookSlot(referralId, poolId, clientRequestId),
  acceptReferral: (_root, { id }, { repository }) => repository.accept(id),
  rejectReferral: (_root, { id, reason }, { repository }) => repository.reject(id, reason),
  markArrived: (_root, { id }, { repository }) => repository.markArrived(id),
  completeReferral: (_root, { id }, { repository }) => repository.complete(id),
  cancelReferral: (_root, { id, reason }, { repository }) => repository.cancel(id, reason),
  publishSlotPools: (_root, { pools }, { repository }) => repository.publishSlotPools(pools),
  bookAppointment: (_root, { input }, { repository }) => repository.bookAppointment(input),
  cancelAppointment: (_root, { id, reason }, { repository }) => repository.cancelAppointment(id, reason),
};
