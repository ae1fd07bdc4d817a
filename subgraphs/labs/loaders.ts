/** Per-request loaders of the labs subgraph, and the context its resolvers receive. */
import { groupedLoader, loaderPerArguments, recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { LabReportVersionDoc, LabsModels } from './models';
import { LabsRepository, type ReportFilter } from './repository';

export function createLabsContext(models: LabsModels, base: SubgraphContext) {
  const repository = new LabsRepository(models, base.access);
  const reportsFor = loaderPerArguments((filter: ReportFilter) => residentRecordsLoader((ids) => repository.reportsOfResidents(ids, filter)));
  return {
    ...base,
    repository,
    loaders: {
      reportsFor,
      reportById: recordByIdLoader((ids) => repository.reportsById(ids)),
      versionsOf: groupedLoader<LabReportVersionDoc, 'reportId'>((ids) => repository.versionsOf(ids), 'reportId'),
    },
  };
}

export type LabsContext = ReturnType<typeof createLabsContext>;
