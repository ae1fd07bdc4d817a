/**
 * The clinical record as a viewer reads it: conditions, allergies and encounters of many
 * residents at once (records filed under a merged id included), each narrowed to what the
 * viewer may see; and the pure views built from them (the summary, the allergy statement,
 * a prescription's safety facts).
 */
import type { DataKind } from '../../access-control/policy';
import { type ResidentAccess, visibleRecords } from '../../access-control/resident-access';
import { hasRole } from '../../access-control/viewer';
import { type CountActivity, countNothing } from '../../monitoring/activity';
import { idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { dayOrTimeOf } from '../runtime/input';
import { type AllergyView, allergyLabel, conditionLabel, encounterLabel, withoutText } from './labels';
import { type AllergyDoc, type ConditionDoc, type EncounterDoc, HIDDEN_ENCOUNTER_STATUS, type RecordsModels, type ResidentDoc } from './models';
import { aliasesOf } from './resident-index';

export interface AllergyStatementView {
  assertion: ResidentDoc['allergyAssertion'];
  items: AllergyView[];
}

export interface ClinicalSummaryView {
  activeProblems: ConditionDoc[];
  allergies: AllergyStatementView;
  lastEncounters: EncounterDoc[];
}

const ACTIVE_CONDITION_STATUSES = new Set(['ACTIVE', 'RECURRENCE', 'RELAPSE']);

export class ClinicalReads {
  /** Residents whose record this request looked up already: a look-up counts once per request. */
  private readonly lookedUp = new Set<string>();

  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
    /** Counts clinicians' record look-ups (the bulletin's 健康档案调阅). */
    private readonly countActivity: CountActivity = countNothing,
  ) {}

  /** A clinician's organization looked up these residents' records: each counts once per request. */
  private async countLookups(residentIds: readonly string[]): Promise<void> {
    const { viewer } = this.access;
    if (!viewer.organizationCode || !hasRole(viewer, 'doctor', 'family_doctor')) return;
    const fresh = residentIds.filter((id) => !this.lookedUp.has(id));
    for (const id of fresh) this.lookedUp.add(id);
    if (fresh.length > 0) await this.countActivity([{ organizationCode: viewer.organizationCode, at: new Date(), counts: { archiveLookups: fresh.length } }]);
  }

  /** Clinical records of many residents (merged records included), one query per kind. */
  conditionsOf(residents: readonly ResidentDoc[]): Promise<Map<string, ConditionDoc[]>> {
    return this.recordsOfResidents(
      'conditions',
      residents,
      (ids) =>
        this.models.Condition.find({ residentId: oneOf(ids) })
          .sort({ _id: 1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<ConditionDoc[]>()
          .exec(),
      (residentId, rows) => this.access.visibleItems(residentId, rows, conditionLabel),
    );
  }

  /** Every allergy stays (the warnings need it); a restricted one's reactions are withheld. */
  allergiesOf(residents: readonly ResidentDoc[]): Promise<Map<string, AllergyView[]>> {
    return this.recordsOfResidents(
      'allergies',
      residents,
      (ids) =>
        this.models.Allergy.find({ residentId: oneOf(ids) })
          .sort({ _id: 1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<AllergyDoc[]>()
          .exec(),
      (residentId, rows) => this.access.withTextWithheld(residentId, rows, allergyLabel, withoutText),
    );
  }

  encountersOf(residents: readonly ResidentDoc[]): Promise<Map<string, EncounterDoc[]>> {
    return this.recordsOfResidents(
      'encounters',
      residents,
      (ids) =>
        this.models.Encounter.find({ residentId: oneOf(ids), status: operator({ $ne: HIDDEN_ENCOUNTER_STATUS }) })
          .sort({ start: -1, _id: -1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<EncounterDoc[]>()
          .exec(),
      (residentId, rows) => this.access.visibleItems(residentId, rows, encounterLabel),
    );
  }

  /**
   * Survivor id → its rows (filed under it or under a record merged into it), as `consented`
   * leaves them for the viewer; absent when not permitted.
   */
  private async recordsOfResidents<Row extends { residentId: string }, Shown = Row>(
    kind: DataKind,
    residents: readonly ResidentDoc[],
    fetch: (residentIds: string[]) => Promise<Row[]>,
    consented: (residentId: string, rows: Row[]) => Promise<Shown[]>,
  ): Promise<Map<string, Shown[]>> {
    const permitted = await this.access.permitted(
      residents.map((resident) => resident._id),
      kind,
    );
    const visible = residents.filter((resident) => permitted.has(resident._id));
    const ownerOf = new Map(visible.flatMap((resident) => aliasesOf(resident).map((alias) => [alias, resident._id] as const)));
    const fetched = new Map<string, Row[]>(visible.map((resident) => [resident._id, []]));
    const result = new Map<string, Shown[]>();
    if (visible.length === 0) return result;
    await this.countLookups(visible.map((resident) => resident._id));
    for (const row of await fetch([...ownerOf.keys()])) fetched.get(ownerOf.get(row.residentId)!)?.push(row);
    for (const [residentId, rows] of fetched) result.set(residentId, await consented(residentId, rows));
    return result;
  }

  /** Encounters by id (entity references): only those whose resident and category the viewer may see. */
  async encountersById(ids: readonly string[]): Promise<EncounterDoc[]> {
    const rows = await this.models.Encounter.find({ _id: idIn(ids), status: operator({ $ne: HIDDEN_ENCOUNTER_STATUS }) })
      .lean<EncounterDoc[]>()
      .exec();
    return visibleRecords(this.access, rows, 'encounters', encounterLabel);
  }
}

/**
 * The list's filter as a test of one encounter. Parsed before anything is read, so that a filter
 * the calendar refuses is refused before the read is counted as a look-up.
 */
export function encounterFilter(
  filter: { organizationCode?: string | null; class?: string | null; since?: string | null } | null | undefined,
): (encounter: EncounterDoc) => boolean {
  const since = filter?.since ? dayOrTimeOf(filter.since, 'filter.since').getTime() : null;
  return (encounter) =>
    (!filter?.organizationCode || encounter.organizationCode === filter.organizationCode) &&
    (!filter?.class || encounter.encounterClass === filter.class) &&
    (since === null || encounter.start.getTime() >= since);
}

export function summarize(resident: ResidentDoc, conditions: ConditionDoc[], allergies: AllergyView[], encounters: EncounterDoc[]): ClinicalSummaryView {
  const lastByOrganization = new Map<string, EncounterDoc>();
  for (const encounter of encounters) if (!lastByOrganization.has(encounter.organizationCode)) lastByOrganization.set(encounter.organizationCode, encounter);
  return {
    activeProblems: conditions.filter(
      (condition) =>
        ACTIVE_CONDITION_STATUSES.has(condition.clinicalStatus) &&
        condition.verificationStatus !== 'REFUTED' &&
        condition.verificationStatus !== 'ENTERED_IN_ERROR',
    ),
    allergies: allergyStatement(resident, allergies),
    lastEncounters: [...lastByOrganization.values()],
  };
}

/** What a prescription's safety checks need: allergy groups and the problem list's active diagnoses. */
export function safetyFacts(allergies: readonly AllergyView[], conditions: ConditionDoc[]) {
  const diagnosisCodes = new Set(
    conditions.filter((condition) => ACTIVE_CONDITION_STATUSES.has(condition.clinicalStatus)).map((condition) => condition.code.code),
  );
  return {
    allergyGroups: allergies.map((allergy) => ({ group: allergy.substance.code, criticality: allergy.criticality })),
    diagnosisCodes: [...diagnosisCodes].sort(),
  };
}

export function allergyStatement(resident: ResidentDoc, allergies: AllergyView[]): AllergyStatementView {
  return { assertion: allergies.length > 0 ? 'HAS_ALLERGIES' : resident.allergyAssertion, items: allergies };
}
