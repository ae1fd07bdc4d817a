/** Per-request loaders of the labs subgraph, and the context its resolvers receive. */
import DataLoader from 'dataloader';
import { recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { LabReportDoc, LabReportVersionDoc, LabsModels } from './models';
import { LabsRepository, type ReportFilter } from './repository';

export function createLabsContext(models: LabsModels, base: SubgraphContext) {
  const repository = new LabsRepository(models, base.access);
  // One loader per distinct filter: the same filter for many residents is one query.
  const byFilter = new Map<string, DataLoader<string, LabReportDoc[] | null>>();
  const reportsFor = (filter: ReportFilter) => {
    const key = JSON.stringify(filter);
    let loader = byFilter.get(key);
    if (!loader) {
      loader = residentRecordsLoader((ids) => repository.reportsOfResidents(ids, filter));
      byFilter.set(key, loader);
    }
    return loader;
  };
  return {
    ...base,
    repository,
    loaders: {
      reportsFor,
      reportById: recordByIdLoader((ids) => repository.reportsById(ids)),
      versionsOf: new DataLoader<string, LabReportVersionDoc[]>(async (reportIds) => {
        const versions = await repository.versionsOf(reportIds);
        return reportIds.map((id) => versions.filter((version) => version.reportId === id));
      }),
    },
  };
}

export type LabsContext = ReturnType<typeof createLabsContext>;
