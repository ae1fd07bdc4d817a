/** Per-request loaders of the prescriptions subgraph, and the context its resolvers receive. */
import { countAccepted } from '../../monitoring/activity';
import { timePageInMemory } from '../../platform/pagination';
import { groupedLoader, loaderPerArguments, recordByIdLoader, residentPageLoader } from '../runtime/loaders';
import type { SubgraphContext } from '../runtime/subgraph-context';
import type { PrescriptionDoc, PrescriptionsModels, TransitionDoc } from './models';
import type { SafetyFacts } from './prescription-rules';
import { type PrescriptionFilter, PrescriptionsRepository, prescriptionKey } from './repository';

/** A prescription as resolvers see it: the stored document, plus the record's facts when the gateway brought them. */
export type PrescriptionView = PrescriptionDoc & { safetyFacts?: SafetyFacts | null };

export function createPrescriptionsContext(models: PrescriptionsModels, base: SubgraphContext) {
  const repository = new PrescriptionsRepository(models, base.access, base.settings.chronicMaxDays, (entries) =>
    countAccepted(base.activity, base.logger, entries),
  );
  const prescriptionPage = loaderPerArguments(({ filter, first, after }: { filter: PrescriptionFilter; first: number; after: string | null | undefined }) =>
    residentPageLoader({
      page: (id) => repository.prescriptionPage(id, filter, first, after),
      all: (ids) => repository.prescriptionsOfResidents(ids, filter),
      pageOf: (prescriptions) => timePageInMemory(prescriptions, prescriptionKey, first, after),
    }),
  );
  return {
    ...base,
    repository,
    loaders: {
      prescriptionPage,
      prescriptionById: recordByIdLoader((ids) => repository.prescriptionsById(ids)),
      activeOf: groupedLoader<PrescriptionDoc, 'residentId'>((ids) => repository.activeOf(ids), 'residentId'),
      transitionsOf: groupedLoader<TransitionDoc, 'prescriptionId'>((ids) => repository.transitionsOf(ids), 'prescriptionId'),
    },
  };
}

export type PrescriptionsContext = ReturnType<typeof createPrescriptionsContext>;
