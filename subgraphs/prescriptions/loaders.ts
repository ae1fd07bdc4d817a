/** Per-request loaders of the prescriptions subgraph, and the context its resolvers receive. */
import DataLoader from 'dataloader';
import { recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { PrescriptionDoc, PrescriptionsModels, TransitionDoc } from './models';
import type { SafetyFacts } from './prescription-rules';
import { PrescriptionsRepository, type PrescriptionFilter } from './repository';

/** A prescription as resolvers see it: the stored document, plus the record's facts when the gateway brought them. */
export type PrescriptionView = PrescriptionDoc & { safetyFacts?: SafetyFacts | null };

export function createPrescriptionsContext(models: PrescriptionsModels, base: SubgraphContext) {
  const repository = new PrescriptionsRepository(models, base.access, base.settings.chronicMaxDays);
  // One loader per distinct filter: the same filter for many residents is one query.
  const byFilter = new Map<string, DataLoader<string, PrescriptionDoc[] | null>>();
  const prescriptionsFor = (filter: PrescriptionFilter) => {
    const key = JSON.stringify(filter);
    let loader = byFilter.get(key);
    if (!loader) {
      loader = residentRecordsLoader((ids) => repository.prescriptionsOfResidents(ids, filter));
      byFilter.set(key, loader);
    }
    return loader;
  };
  const grouped = <V extends Record<K, string>, K extends keyof V>(fetch: (keys: readonly string[]) => Promise<V[]>, key: K) =>
    new DataLoader<string, V[]>(async (keys) => {
      const rows = await fetch(keys);
      return keys.map((value) => rows.filter((row) => row[key] === value));
    });
  return {
    ...base,
    repository,
    loaders: {
      prescriptionsFor,
      prescriptionById: recordByIdLoader((ids) => repository.prescriptionsById(ids)),
      activeOf: grouped<PrescriptionDoc, 'residentId'>((ids) => repository.activeOf(ids), 'residentId'),
      transitionsOf: grouped<TransitionDoc, 'prescriptionId'>((ids) => repository.transitionsOf(ids), 'prescriptionId'),
    },
  };
}

export type PrescriptionsContext = ReturnType<typeof createPrescriptionsContext>;
