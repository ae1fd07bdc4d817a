import { pageSize } from '../../runtime/ids';
import type { MutationResolvers, QueryResolvers } from '../__generated__/resolver-types';
import { DEPARTMENTS } from '../referral-rules';
import { nursingMutations, nursingQueries } from './NursingOrder';

export const Query: QueryResolvers = {
  departments: () => [...DEPARTMENTS],
  availableSlots: (_root, { organizationCode, department, from, to, kind }, { repository }) =>
    repository.slotPools.availableSlots(organizationCode, department, from, to, kind ?? 'SPECIALIST'),
  referralInbox: (_root, { status, first, after }, { repository }) => repository.referralReads.inbox(status, pageSize(first), after),
  referralOutbox: (_root, { status, first, after }, { repository }) => repository.referralReads.outbox(status, pageSize(first), after),
  myAppointments: (_root, _args, { repository }) => repository.appointments.myAppointments(),
  ...nursingQueries,
  hospitalBookings: (_root, { kind, first, after }, { repository }) => repository.hospitalBookings.list(kind, pageSize(first), after),
  mySettlements: (_root, _args, { repository }) => repository.settlements.mySettlements(),
  institutionSettlements: (_root, { day }, { repository }) => repository.settlements.institutionSettlements(day),
  settlementReconciliation: (_root, { day, lines }, { repository }) => repository.settlements.reconcile(day, lines),
  settlementDays: (_root, { month }, { repository }) => repository.settlements.settlementDays(month),
  checkupAvailability: (_root, { packageId, from, to }, { repository }) => repository.checkups.availability(packageId, from, to),
  myCheckups: (_root, _args, { repository }) => repository.checkups.myCheckups(),
};

export const Mutation: MutationResolvers = {
  signContract: (_root, { residentId, servicePackage, until }, { repository }) => repository.contracts.signContract(residentId, servicePackage, until),
  acceptContract: (_root, { id }, { repository }) => repository.contracts.acceptContract(id),
  renewContract: (_root, { id, until }, { repository }) => repository.contracts.renewContract(id, until),
  terminateContract: (_root, { id, reason }, { repository }) => repository.contracts.terminateContract(id, reason),
  requestReferral: (_root, { input }, { repository }) => repository.referrals.request(input),
  bookReferralSlot: (_root, { referralId, poolId, clientRequestId }, { repository }) => repository.referrals.bookSlot(referralId, poolId, clientRequestId),
  acceptReferral: (_root, { id }, { repository }) => repository.referrals.accept(id),
  rejectReferral: (_root, { id, reason }, { repository }) => repository.referrals.reject(id, reason),
  markArrived: (_root, { id }, { repository }) => repository.referrals.markArrived(id),
  completeReferral: (_root, { id }, { repository }) => repository.referrals.complete(id),
  cancelReferral: (_root, { id, reason }, { repository }) => repository.referrals.cancel(id, reason),
  publishSlotPools: (_root, { pools }, { repository }) => repository.slotPools.publishSlotPools(pools),
  bookAppointment: (_root, { input }, { repository }) => repository.appointments.bookAppointment(input),
  cancelAppointment: (_root, { id, reason }, { repository }) => repository.appointments.cancelAppointment(id, reason),
  ...nursingMutations,
  bookHospitalResource: (_root, { input }, { repository }) => repository.hospitalBookings.book(input),
  cancelHospitalBooking: (_root, { id, reason }, { repository }) => repository.hospitalBookings.cancel(id, reason),
  fileHospitalResult: (_root, { input }, { repository }) => repository.hospitalBookings.fileResult(input),
  settle: (_root, { input }, { repository }) => repository.settlements.settle(input),
  refundSettlement: (_root, { input }, { repository }) => repository.settlements.refund(input),
  publishCheckupPackages: (_root, { packages }, { repository }) => repository.checkups.publishPackages(packages),
  bookCheckup: (_root, { input }, { repository }) => repository.checkups.book(input),
  payCheckup: (_root, { id, channel }, { repository }) => repository.checkups.pay(id, channel),
  cancelCheckup: (_root, { id, reason }, { repository }) => repository.checkups.cancel(id, reason),
};
