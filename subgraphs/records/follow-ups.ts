/**
 * Overdue follow-up of the residents contracted to the caller's centre: a hypertension on the
 * problem list with no visit anywhere in the last 90 days. Contracts come from the shared access
 * store; the conditions and visits are read through the policy (audited), so a resident the centre
 * may not see, a condition the resident restricted, or a visit withheld from the centre never
 * counts: a withheld visit makes the follow-up look overdue, never the other way round.
 */
import { isActive } from '../../access-control/policy';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import { type CountActivity, countNothing } from '../../monitoring/activity';
import { noneOf, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { type Page, pageInMemory } from '../../platform/pagination';
import { conditionLabel, encounterLabel } from './labels';
import { type ConditionDoc, type EncounterDoc, HIDDEN_ENCOUNTER_STATUS, type RecordsModels } from './models';

const DAY_MS = 86_400_000;
/** Hypertension (ICD-10 I10–I15) wants a visit at least every three months. */
export const HYPERTENSION_VISIT_DAYS = 90;
const HYPERTENSION = /^I1[0-5]/;
const ACTIVE: ConditionDoc['clinicalStatus'][] = ['ACTIVE', 'RECURRENCE', 'RELAPSE'];

export interface OverdueFollowUpView {
  /** The condition's id: one follow-up per condition. */
  _id: string;
  residentId: string;
  condition: ConditionDoc;
  rule: 'HYPERTENSION_VISIT';
}

export class FollowUps {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
    /** Counts the follow-ups shown, as reminders served at the centre. */
    private readonly countActivity: CountActivity = countNothing,
  ) {}

  /** The centre's overdue follow-ups, by condition id; a constant number of queries however many residents. */
  async overdue(first: number, after: string | null | undefined): Promise<Page<OverdueFollowUpView>> {
    const viewer = this.access.viewer;
    requireEntry(viewer, 'overdue-follow-ups');
    const now = new Date();
    const contracts = (await this.access.accessStore.contractsWith(viewer.organizationCode!)).filter((fact) => isActive(fact, now, this.access.settings));
    const residentIds = [...new Set(contracts.map((fact) => fact.residentId))];
    const conditions = await this.access.read(
      'conditions',
      residentIds,
      (filedUnder) =>
        this.models.Condition.find({ residentId: oneOf(filedUnder), clinicalStatus: oneOf(ACTIVE) })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<ConditionDoc[]>()
          .exec(),
      conditionLabel,
    );
    const ownerOf = (filedUnder: string) => conditions.owners?.get(filedUnder)?.[0] ?? filedUnder;
    const hypertensive = conditions.records.filter((condition) => HYPERTENSION.test(condition.code.code));
    const since = new Date(now.getTime() - HYPERTENSION_VISIT_DAYS * DAY_MS);
    const visits = await this.access.read(
      'encounters',
      [...new Set(hypertensive.map((condition) => ownerOf(condition.residentId)))],
      (filedUnder) =>
        this.models.Encounter.find({
          residentId: oneOf(filedUnder),
          start: operator({ $gte: since, $lte: now }),
          status: noneOf([HIDDEN_ENCOUNTER_STATUS]),
        })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<EncounterDoc[]>()
          .exec(),
      encounterLabel,
    );
    const seen = new Set(visits.records.map((visit) => visits.owners?.get(visit.residentId)?.[0] ?? visit.residentId));
    const overdue = hypertensive
      .filter((condition) => !seen.has(ownerOf(condition.residentId)))
      .map((condition): OverdueFollowUpView => ({ _id: condition._id, residentId: ownerOf(condition.residentId), condition, rule: 'HYPERTENSION_VISIT' }))
      .sort((a, b) => a._id.localeCompare(b._id));
    const page = pageInMemory(overdue, first, after);
    if (page.edges.length > 0)
      await this.countActivity([{ organizationCode: viewer.organizationCode!, at: now, counts: { overdueFollowUpReminders: page.edges.length } }]);
    return page;
  }
}
