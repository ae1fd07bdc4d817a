/** Per-request loaders of the labs subgraph, and the context its resolvers receive. */
import DataLoader from 'dataloader';
import { countAccepted } from '../../monitoring/activity';
import { timePageInMemory } from '../../platform/pagination';
import { loaderPerArguments, recordByIdLoader, residentPageLoader, residentRecordsLoader } from '../runtime/loaders';
import type { SubgraphContext } from '../runtime/subgraph-context';
import { CheckupReports } from './checkup-reports';
import { CriticalAlerts } from './critical-alerts';
import type { CheckupFindingsDoc, LabReportDoc, LabReportVersionDoc, LabsModels } from './models';
import { LabsRepository, type ReportFilter, reportKey } from './repository';

/** The arguments of one page of a resident's reports, and whether it shows result lines. */
export interface ReportPageArguments {
  filter: ReportFilter;
  first: number;
  after: string | null | undefined;
  withResults: boolean;
}

export function createLabsContext(models: LabsModels, base: SubgraphContext) {
  const countActivity = (entries: Parameters<typeof countAccepted>[2]) => countAccepted(base.activity, base.logger, entries);
  const repository: LabsRepository = new LabsRepository(models, base.access, countActivity, (reports) => criticalAlerts.raise(reports));
  const criticalAlerts = new CriticalAlerts(
    models,
    base.access,
    base.settings.criticalResultEscalationMinutes,
    (ids) => repository.reportsById(ids),
    countActivity,
  );
  const reportsFor = loaderPerArguments((filter: ReportFilter) => residentRecordsLoader((ids) => repository.reportsOfResidents(ids, filter)));
  const reportPage = loaderPerArguments(({ filter, first, after, withResults }: ReportPageArguments) =>
    residentPageLoader({
      page: (id) => repository.reportPage(id, filter, first, after, withResults),
      all: (ids) => repository.reportsOfResidents(ids, filter, withResults),
      pageOf: (reports) => timePageInMemory(reports, reportKey, first, after),
    }),
  );
  const checkupReports = new CheckupReports(models, repository);
  return {
    ...base,
    repository,
    criticalAlerts,
    checkupReports,
    loaders: {
      reportsFor,
      /** Pages of `Resident.labReports`: their documents are read for that list only (without result lines when it does not show them). */
      reportPage,
      reportById: recordByIdLoader((ids) => repository.reportsById(ids)),
      /** A report's check-up findings, keyed by the report (already decided); null for other reports. */
      checkupFindingsOf: new DataLoader<string, CheckupFindingsDoc | null>(async (ids) => {
        const found = await checkupReports.findingsOf(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
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
