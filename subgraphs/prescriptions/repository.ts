/** Queries of prescriptions. Every read returns only what the viewer may see. */
import { idIn, oneOf, RECORDS_BATCH_SIZE } from '../kit/database';
import type { PermittedRecords } from '../kit/loaders';
import { visibleRecords, withoutRestricted, type ResidentAccess } from '../kit/resident-access';
import type { PrescriptionDoc, PrescriptionsModels } from './models';

export class PrescriptionsRepository {
  constructor(
    private readonly models: PrescriptionsModels,
    private readonly access: ResidentAccess,
  ) {}

  async prescriptionsOfResidents(residentIds: readonly string[]): Promise<PermittedRecords<PrescriptionDoc>> {
    const permitted = await this.access.permitted(residentIds, 'prescriptions');
    if (permitted.size === 0) return { permitted, records: [] };
    const records = await this.models.Prescription.find({ residentId: oneOf(permitted) })
      .sort({ issuedAt: -1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<PrescriptionDoc[]>()
      .exec();
    return { permitted, records: await withoutRestricted(this.access, records, label) };
  }

  async prescriptionsById(ids: readonly string[]): Promise<PrescriptionDoc[]> {
    const records = await this.models.Prescription.find({ _id: idIn(ids) }).lean<PrescriptionDoc[]>().exec();
    return visibleRecords(this.access, records, 'prescriptions', label);
  }
}

/** What a prescription reveals and where it came from, for the resident's consent. */
const label = (prescription: PrescriptionDoc) => ({ categories: prescription.sensitivities ?? [], organizationCode: prescription.organizationCode });
