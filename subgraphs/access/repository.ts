/** Queries of the audit log and of care relationships, about residents the viewer may see them for. */
import type { PermittedRecords } from '../kit/loaders';
import type { CareRelationshipFact } from '../kit/policy';
import type { ResidentAccess } from '../kit/resident-access';
import { hasRole } from '../kit/viewer';
import type { AccessModels, AuditEventDoc } from './models';

export class AccessRepository {
  constructor(
    private readonly models: AccessModels,
    private readonly access: ResidentAccess,
  ) {}

  /**
   * The newest audit events about one resident, or null when the viewer may not see them.
   * One bounded query per resident: an audit log grows without limit, so it is never
   * fetched whole for a batch of residents.
   */
  async accessLog(residentId: string, limit: number): Promise<AuditEventDoc[] | null> {
    if (!(await this.access.isPermitted(residentId, 'access-log'))) return null;
    return this.models.AuditEvent.find({ residentId }).sort({ at: -1 }).limit(limit).lean<AuditEventDoc[]>().exec();
  }

  /** Clinicians see their own organization's relationships; residents and privacy officers see all. */
  async careRelationshipsOfResidents(residentIds: readonly string[]): Promise<PermittedRecords<CareRelationshipFact>> {
    const permitted = await this.access.permitted(residentIds, 'care-relationships');
    if (permitted.size === 0) return { permitted, records: [] };
    const { viewer } = this.access;
    const seesAll = hasRole(viewer, 'resident', 'privacy_officer');
    const facts = await this.access.accessStore.relationshipsOf([...permitted], seesAll ? undefined : viewer.organizationCode);
    return { permitted, records: facts.sort((a, b) => a.since.getTime() - b.since.getTime()) };
  }
}
