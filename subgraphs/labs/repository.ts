/** Queries of lab reports. Every read returns only what the viewer may see. */
import { idIn, noneOf, oneOf, RECORDS_BATCH_SIZE } from '../kit/database';
import type { PermittedRecords } from '../kit/loaders';
import { visibleRecords, withoutRestricted, type ResidentAccess } from '../kit/resident-access';
import type { LabReportDoc, LabsModels } from './models';

/** Reports withdrawn by the lab are not shown in normal reads. */
const HIDDEN_STATUSES: LabReportDoc['status'][] = ['ENTERED_IN_ERROR'];

export class LabsRepository {
  constructor(
    private readonly models: LabsModels,
    private readonly access: ResidentAccess,
  ) {}

  async reportsOfResidents(residentIds: readonly string[]): Promise<PermittedRecords<LabReportDoc>> {
    const permitted = await this.access.permitted(residentIds, 'labs');
    if (permitted.size === 0) return { permitted, records: [] };
    const records = await this.models.LabReport.find({ residentId: oneOf(permitted), status: noneOf(HIDDEN_STATUSES) })
      .sort({ issuedAt: -1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<LabReportDoc[]>()
      .exec();
    return { permitted, records: await withoutRestricted(this.access, records, label) };
  }

  async reportsById(ids: readonly string[]): Promise<LabReportDoc[]> {
    const records = await this.models.LabReport.find({ _id: idIn(ids), status: noneOf(HIDDEN_STATUSES) }).lean<LabReportDoc[]>().exec();
    return visibleRecords(this.access, records, 'labs', label);
  }
}

/** What a report reveals and where it came from, for the resident's consent. */
const label = (report: LabReportDoc) => ({ categories: report.sensitivities ?? [], organizationCode: report.organizationCode });
