/** Per-request loaders of the prescriptions subgraph, and the context its resolvers receive. */
import { countAccepted } from '../../monitoring/activity';
import { timePageInMemory } from '../../platform/pagination';
import { groupedLoader, loaderPerArguments, recordByIdLoader, residentPageLoader } from '../runtime/loaders';
import type { SubgraphContext } from '../runtime/subgraph-context';
import type { PrescriptionDoc, PrescriptionsModels, TransitionDoc } from './models';
import { type PrescriptionFilter, prescriptionKey } from './prescription-reads';
import { PrescriptionsRepository } from './repository';
import type { VersionedFacts } from './safety-snapshots';

/** A prescription as resolvers see it: the stored document, plus the record's facts when the gateway brought them. */
export type PrescriptionView = PrescriptionDoc & { safetyFacts?: VersionedFacts | null };

export function createPrescriptionsContext(models: PrescriptionsModels, base: SubgraphContext) {
  const repository = new PrescriptionsRepository(models, base.access, base.settings.chronicMaxDays, (entries) =>
    countAccepted(base.activity, base.logger, entries),
  );
  const prescriptionPage = loaderPerArguments(({ filter, first, after }: { filter: PrescriptionFilter; first: number; after: string | null | undefined }) =>
    residentPageLoader({
      page: (id) => repository.reads.prescriptionPage(id, filter, first, after),
      all: (ids) => repository.reads.prescriptionsOfResidents(ids, filter),
      pageOf: (prescriptions) => timePageInMemory(prescriptions, prescriptionKey, first, after),
    }),
  );
  return {
    ...base,
    repository,
    loaders: {
      prescriptionPage,
      prescriptionById: recordByIdLoader((ids) => repository.reads.prescriptionsById(ids)),
      activeOf: groupedLoader<PrescriptionDoc, 'residentId'>((ids) => repository.reads.activeOf(ids), 'residentId'),
      transitionsOf: groupedLoader<TransitionDoc, 'prescriptionId'>((ids) => repository.reads.transitionsOf(ids), 'prescriptionId'),
    },
  };
}

export type PrescriptionsContext = ReturnType<typeof createPrescriptionsContext>;
