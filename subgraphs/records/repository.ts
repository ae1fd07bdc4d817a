/**
 * The records subgraph's queries and rules, one section a file: the master patient index
 * (`resident-index.ts`, `resident-merges.ts`), the organization registry
 * (`organizations.ts`), clinical reads (`clinical-reads.ts`), filing the clinical record
 * (`filing.ts`) and the 12320 hotline's calls and work orders (`hotline.ts`). This puts them together for one request.
 */
import type { ResidentAccess } from '../../access-control/resident-access';
import { type CountActivity, countNothing } from '../../monitoring/activity';
import type { MatchSettings } from '../../platform/config';
import { allergyStatement, ClinicalReads, encounterFilter, safetyFacts, summarize } from './clinical-reads';
import { ClinicalFiling } from './filing';
import { Hotline } from './hotline';
import type { RecordsModels } from './models';
import { Organizations } from './organizations';
import { ResidentIndex } from './resident-index';
import { ResidentMerges } from './resident-merges';

export type { AllergyStatementView, ClinicalSummaryView } from './clinical-reads';
export type { OrganizationFilter } from './organizations';
export type { MatchReviewView, RegistrationResult } from './resident-index';

export class RecordsRepository {
  static readonly encounterFilter = encounterFilter;
  static readonly summarize = summarize;
  static readonly safetyFacts = safetyFacts;
  static readonly allergyStatement = allergyStatement;

  readonly organizations: Organizations;
  readonly residents: ResidentIndex;
  readonly merges: ResidentMerges;
  readonly clinical: ClinicalReads;
  readonly filing: ClinicalFiling;
  readonly hotline: Hotline;

  constructor(
    models: RecordsModels,
    access: ResidentAccess,
    matching: MatchSettings,
    /** Counts accepted records at the platform (monitoring rollups). */
    countActivity: CountActivity = countNothing,
  ) {
    this.organizations = new Organizations(models, access);
    this.residents = new ResidentIndex(models, access, matching, this.organizations, countActivity);
    this.merges = new ResidentMerges(models, access, this.residents);
    this.clinical = new ClinicalReads(models, access, countActivity);
    this.filing = new ClinicalFiling(models, access, this.residents, this.organizations, this.clinical, countActivity);
    this.hotline = new Hotline(models, access, this.organizations, countActivity);
  }
}
