/** Queries of residents and organizations. Residents are returned only where the viewer may see them. */
import { oneOf, RECORDS_BATCH_SIZE } from '../kit/database';
import { forbidden } from '../kit/errors';
import type { ResidentAccess } from '../kit/resident-access';
import type { OrganizationDoc, RecordsModels, ResidentDoc } from './models';

export class RecordsRepository {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
  ) {}

  /** Refuses, before any lookup, a viewer with no right to this resident's record. */
  async assertMayRead(residentId: string): Promise<void> {
    if (!(await this.access.isPermitted(residentId, 'demographics'))) {
      throw forbidden('No care relationship with this resident');
    }
  }

  async residentsById(ids: readonly string[]): Promise<ResidentDoc[]> {
    const permitted = await this.access.permitted(ids, 'demographics');
    if (permitted.size === 0) return [];
    return this.models.Resident.find({ _id: oneOf(permitted) }).batchSize(RECORDS_BATCH_SIZE).lean<ResidentDoc[]>().exec();
  }

  /** Organizations are public directory data: no policy applies. */
  organizationsByCode(codes: readonly string[]): Promise<OrganizationDoc[]> {
    return this.models.Organization.find({ _id: oneOf(codes) }).batchSize(RECORDS_BATCH_SIZE).lean<OrganizationDoc[]>().exec();
  }
}
