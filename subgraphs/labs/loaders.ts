/** Per-request loaders of the labs subgraph, and the context its resolvers receive. */
import DataLoader from 'dataloader';
import { countAccepted } from '../kit/activity';
import { loaderPerArguments, recordByIdLoader, residentRecordsLoader } from '../kit/loaders';
import type { SubgraphContext } from '../kit/subgraph-context';
import type { LabReportDoc, LabReportVersionDoc, LabsModels } from './models';
import { LabsRepository, type ReportFilter } from './repository';

export function createLabsContext(models: LabsModels, base: SubgraphContext) {
  const repository = new LabsRepository(models, base.access, (entries) => countAccepted(base.activity, base.logger, entries));
  const reportsFor = loaderPerArguments((filter: ReportFilter) => residentRecordsLoader((ids) => repository.reportsOfResidents(ids, filter)));
  return {
    ...base,
    repository,
    loaders: {
      reportsFor,
      reportById: recordByIdLoader((ids) => repository.reportsById(ids)),
      /** A report's earlier versions the viewer may see, keyed by the report (already decided). */
      historyOf: new DataLoader<LabReportDoc, LabReportVersionDoc[], string>(
        async (reports) => {
          const history = await repository.historyOf(reports);
          return reports.map((report) => history.get(report._id)!);
        },
        { cacheKeyFn: (report) => report._id },
      ),
    },
  };
}

export type LabsContext = ReturnType<typeof createLabsContext>;
