/** The organization registry (reference data any caller reads) and the writing organization of a request. */
import type { ResidentAccess } from '../../access-control/resident-access';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { badUserInput } from '../../platform/errors';
import { decodeCursor, encodeCursor, type Page, pageOf } from '../../platform/pagination';
import { ORGANIZATION_LEVELS, type OrganizationDoc, type RecordsModels } from './models';
import { districtNamed } from './validation';

export interface OrganizationFilter {
  level?: readonly OrganizationDoc['level'][] | null;
  district?: string | null;
  search?: string | null;
}

export class Organizations {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
  ) {}

  organizationsByCode(codes: readonly string[]): Promise<OrganizationDoc[]> {
    return this.models.Organization.find({ _id: idIn(codes) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<OrganizationDoc[]>()
      .exec();
  }

  /** Every organization of one level, by code (reference data: the cockpit's list of city-level hospitals). */
  organizationsAtLevel(level: OrganizationDoc['level']): Promise<OrganizationDoc[]> {
    return this.models.Organization.find({ level }).sort({ _id: 1 }).batchSize(RECORDS_BATCH_SIZE).lean<OrganizationDoc[]>().exec();
  }

  /** Every organization of a district, whatever its level (reference data: the cockpit's district days). */
  organizationsInDistrict(district: string): Promise<OrganizationDoc[]> {
    return this.models.Organization.find({ level: oneOf(ORGANIZATION_LEVELS), district })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<OrganizationDoc[]>()
      .exec();
  }

  /** The city's organizations by code (reference data, any caller): one query per page. */
  async organizations(filter: OrganizationFilter, first: number, after: string | null | undefined): Promise<Page<OrganizationDoc>> {
    const levels = filter.level?.length ? filter.level : ORGANIZATION_LEVELS;
    const query: Record<string, unknown> = { level: oneOf(levels) };
    if (filter.district) query.district = districtNamed(filter.district);
    if (filter.search !== null && filter.search !== undefined) {
      const search = filter.search.trim();
      if (search.length < 1 || search.length > 30) throw badUserInput('search must be 1-30 characters');
      query.name = operator({ $regex: search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' });
    }
    if (after) query._id = operator({ $gt: String(decodeCursor(after)[1]) });
    const rows = await this.models.Organization.find(query)
      .sort({ _id: 1 })
      .limit(first + 1)
      .lean<OrganizationDoc[]>()
      .exec();
    return pageOf(rows, first, (row) => encodeCursor(0, row._id));
  }

  /** The caller's organization, which every write names: it must be in the registry. */
  async viewerOrganization(): Promise<string> {
    const code = this.access.viewer.organizationCode;
    if (!code || (await this.organizationsByCode([code])).length === 0)
      throw badUserInput('Unknown organization: the caller’s organization is not in the registry');
    return code;
  }
}
