/** Per-request loaders of the referrals subgraph, and the context its resolvers receive. */

import DataLoader from 'dataloader';
import { countAccepted } from '../../monitoring/activity';
import { timePageInMemory } from '../../platform/pagination';
import { groupedLoader, loaderPerArguments, recordByIdLoader, residentPageLoader } from '../runtime/loaders';
import type { SubgraphContext } from '../runtime/subgraph-context';
import type { CheckupPackageDoc, ContractDoc, NursingOrderDoc, NursingTransitionDoc, ReferralStatus, ReferralsModels, ReferralTransitionDoc } from './models';
import { referralKey } from './referral-reads';
import { ReferralsRepository } from './repository';
import type { ReferralServicesView } from './slot-pools';

export function createReferralsContext(models: ReferralsModels, base: SubgraphContext) {
  const repository = new ReferralsRepository(
    models,
    base.access,
    base.settings.bookingHorizonDays,
    base.settings.policy.referralWindowDays,
    base.settings.slots,
    (entries) => countAccepted(base.activity, base.logger, entries),
    base.activity,
  );
  const referralPage = loaderPerArguments(
    ({ status, first, after }: { status: ReferralStatus | null | undefined; first: number; after: string | null | undefined }) =>
      residentPageLoader({
        page: (id) => repository.referralReads.referralPage(id, status, first, after),
        all: (ids) => repository.referralReads.referralsOfResidents(ids, status),
        pageOf: (referrals) => timePageInMemory(referrals, referralKey, first, after),
      }),
  );
  return {
    ...base,
    repository,
    loaders: {
      referralPage,
      referralById: recordByIdLoader((ids) => repository.referralReads.referralsById(ids)),
      hospitalBookingById: recordByIdLoader((ids) => repository.hospitalBookings.byIds(ids)),
      contractOf: new DataLoader<string, ContractDoc | null>(async (ids) => {
        const found = await repository.contracts.contractsOf(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      referralServicesOf: new DataLoader<string, ReferralServicesView>(async (codes) => {
        const found = await repository.slotPools.referralServices(codes);
        return codes.map((code) => found.get(code)!);
      }),
      checkupPackagesOf: new DataLoader<string, CheckupPackageDoc[]>(async (codes) => {
        const found = await repository.checkups.packagesOf(codes);
        return codes.map((code) => found.get(code) ?? []);
      }),
      checkupPackageById: recordByIdLoader((ids) => repository.checkups.packagesById(ids)),
      transitionsOf: groupedLoader<ReferralTransitionDoc, 'referralId'>((ids) => repository.referralReads.transitionsOf(ids), 'referralId'),
      nursingOrderById: recordByIdLoader((ids) => repository.nursing.ordersById(ids)),
      nursingOrdersOf: new DataLoader<string, NursingOrderDoc[] | null>(async (ids) => {
        const { permitted, owners, records } = await repository.nursing.ordersOfResidents(ids);
        const byResident = new Map<string, NursingOrderDoc[]>();
        for (const row of records) for (const owner of owners?.get(row.residentId) ?? []) byResident.set(owner, [...(byResident.get(owner) ?? []), row]);
        return ids.map((id) => (permitted.has(id) ? (byResident.get(id) ?? []) : null));
      }),
      nursingTransitionsOf: groupedLoader<NursingTransitionDoc, 'orderId'>((ids) => repository.nursing.transitionsOf(ids), 'orderId'),
    },
  };
}

export type ReferralsContext = ReturnType<typeof createReferralsContext>;
