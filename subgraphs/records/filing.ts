/**
 * Filing the clinical record: a hospital system's encounters, conditions and allergies, one
 * at a time (the record mutations) or in batches (the upload mutations, through the filing
 * pipeline). Every write is decided by the policy before it writes, and lands on the survivor
 * of any merge; what is accepted is counted for the platform's monitoring.
 */
import type { z } from 'zod';
import type { CareSeen, RecordKind, SafetyChange } from '../../access-control/access-store';
import type { ResidentAccess } from '../../access-control/resident-access';
import { type CountActivity, countNothing, isResend, type RecordActivity, realtimeChange, recordEntries } from '../../monitoring/activity';
import { type AnyModel, bulkWriteFailures, idIn, oneOf, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, isDuplicateKey } from '../../platform/errors';
import { accepted, checkBatchSize, refusalOf, refused, type UploadOutcome } from '../runtime/batch-upload';
import { type FiledRecord, type Filing, fileBatch, type WriteResult } from '../runtime/filing-pipeline';
import { parseInput } from '../runtime/input';
import { activityOfAllergy, activityOfCondition, activityOfEncounter } from './activity';
import { type AllergyInput, allergyDocOf, conditionDocOf, encounterDocOf } from './clinical-documents';
import type { AllergyStatementView, ClinicalReads } from './clinical-reads';
import { conditionLabel } from './labels';
import type { AllergyDoc, ConditionDoc, EncounterDoc, RecordsModels, ResidentDoc } from './models';
import type { Organizations } from './organizations';
import { aliasesOf, type ResidentIndex } from './resident-index';
import { allergySchema, conditionSchema, encounterSchema } from './validation';

type ClinicalKind = 'encounters' | 'conditions' | 'allergies';

/** The safety change a filed condition makes, under its consent label (a pharmacist's snapshot before it is out of date). */
const conditionChange = (condition: ConditionDoc): SafetyChange => ({
  residentId: condition.residentId,
  organizationCode: condition.source.organizationCode,
  categories: conditionLabel(condition).categories,
});

/** The safety change a filed allergy makes: unlabelled, since its substance and criticality are shown whatever the label. */
const allergyChange = (allergy: AllergyDoc): SafetyChange => ({
  residentId: allergy.residentId,
  organizationCode: allergy.source.organizationCode,
  categories: [],
});

const ALLERGIES_ON_RECORD = 'Allergies are on record; they must be refuted before asserting none';

export class ClinicalFiling {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
    private readonly index: ResidentIndex,
    private readonly organizations: Organizations,
    private readonly reads: ClinicalReads,
    /** Counts accepted records at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity = countNothing,
  ) {}

  async recordEncounter(rawInput: unknown): Promise<EncounterDoc> {
    const input = parseInput(encounterSchema, rawInput);
    const { organizationCode, resident } = await this.writeTarget(input.residentId, 'encounters');
    const { saved, previous } = await fileFromSource(this.models.Encounter, encounterDocOf(input, organizationCode, resident._id), resident);
    // Referrals may attach it: they check whose it is against this note.
    await this.access.noteRecordOwner('encounter', saved._id, saved.residentId);
    await this.access.noteCare(careOf([saved], organizationCode));
    await this.countActivity(realtimeChange(organizationCode, previous, saved, activityOfEncounter));
    return saved;
  }

  async recordCondition(rawInput: unknown): Promise<ConditionDoc> {
    const input = parseInput(conditionSchema, rawInput);
    const { organizationCode, resident } = await this.writeTarget(input.residentId, 'conditions');
    const { saved, previous } = await fileFromSource(this.models.Condition, conditionDocOf(input, organizationCode, resident._id), resident);
    await this.access.noteSafetyChanges([conditionChange(saved)]);
    await this.countActivity(realtimeChange(organizationCode, previous, saved, activityOfCondition));
    return saved;
  }

  async recordAllergy(rawInput: unknown): Promise<AllergyStatementView> {
    const input = parseInput(allergySchema, rawInput);
    const { organizationCode, resident } = await this.writeTarget(input.residentId, 'allergies');
    if (input.noKnownAllergies) {
      // The guard reads every statement on the record (merged ones included), whatever the caller may read; none is returned.
      const onRecord = await this.models.Allergy.countDocuments({ residentId: oneOf(aliasesOf(resident)) }).exec();
      if (onRecord > 0) throw appError('CONFLICT', ALLERGIES_ON_RECORD);
      await this.models.Resident.updateOne({ _id: resident._id }, { $set: { allergyAssertion: 'NO_KNOWN_ALLERGIES' } }).exec();
      return { assertion: 'NO_KNOWN_ALLERGIES', items: [] };
    }
    const { saved, previous } = await fileFromSource(this.models.Allergy, allergyDocOf(input, organizationCode, resident._id), resident);
    await this.models.Resident.updateOne({ _id: resident._id }, { $set: { allergyAssertion: 'HAS_ALLERGIES' } }).exec();
    await this.access.noteSafetyChanges([allergyChange(saved)]);
    await this.countActivity(realtimeChange(organizationCode, previous, saved, activityOfAllergy));
    // The answer shows only the statements the caller may read, and the one it wrote.
    const visible = (await this.reads.allergiesOf([resident])).get(resident._id) ?? [];
    return { assertion: 'HAS_ALLERGIES', items: [...visible.filter((item) => item._id !== saved._id), saved] };
  }

  // ---- batch uploads: each item validated and decided as the single mutation does --------

  async uploadEncounters(rawInputs: unknown[]): Promise<UploadOutcome[]> {
    return (
      await this.uploadRecords(rawInputs, {
        kind: 'encounters',
        model: this.models.Encounter,
        schema: encounterSchema,
        build: encounterDocOf,
        owner: 'encounter',
        activityOf: activityOfEncounter,
        afterWrite: (written, organizationCode) => this.access.noteCare(careOf(written, organizationCode)),
      })
    ).outcomes;
  }

  async uploadConditions(rawInputs: unknown[]): Promise<UploadOutcome[]> {
    return (
      await this.uploadRecords(rawInputs, {
        kind: 'conditions',
        model: this.models.Condition,
        schema: conditionSchema,
        build: conditionDocOf,
        activityOf: activityOfCondition,
        afterWrite: (written) => this.access.noteSafetyChanges(written.map(conditionChange)),
      })
    ).outcomes;
  }

  /**
   * Allergy statements and "no known allergies" assertions in bulk. Statements are written as
   * uploadRecords writes any record. Assertions are decided as recordAllergy decides one, for
   * all their residents at once, against the record as it stood before this batch: refused
   * (CONFLICT) where a statement is on record, UNCHANGED where the record already says none,
   * otherwise CHANGED and set in one write. Lines are answered as the single mutations would
   * answer them one after another: an assertion after a statement accepted for the same
   * resident in this batch is refused; one before it is accepted, and the statement then
   * stands. An assertion counts nothing at the platform, as recordAllergy's does not.
   */
  async uploadAllergies(rawInputs: unknown[]): Promise<UploadOutcome[]> {
    checkBatchSize(rawInputs);
    const assertsNone = rawInputs.map(
      (raw) =>
        typeof raw === 'object' &&
        raw !== null &&
        (raw as { noKnownAllergies?: unknown }).noKnownAllergies === true &&
        !(raw as { substance?: unknown }).substance,
    );
    const assertions = assertsNone.includes(true) ? await this.decideAssertions(rawInputs.filter((_raw, index) => assertsNone[index])) : null;
    const statementInputs = rawInputs.filter((_raw, index) => !assertsNone[index]);
    const statements = statementInputs.length
      ? await this.uploadRecords(statementInputs, {
          kind: 'allergies',
          activityOf: activityOfAllergy,
          model: this.models.Allergy,
          schema: allergySchema,
          build: allergyDocOf,
          afterWrite: async (written) => {
            await this.models.Resident.updateMany(
              { _id: idIn(new Set(written.map((doc) => doc.residentId))) },
              { $set: { allergyAssertion: 'HAS_ALLERGIES' } },
            ).exec();
            await this.access.noteSafetyChanges(written.map(allergyChange));
          },
        })
      : { outcomes: [], filedFor: new Map<number, string>() };
    // Each resident's record as the lines so far have left it, in line order.
    const withStatements = new Set(assertions?.withStatements);
    const assertion = new Map(assertions?.assertionOf);
    const toAssert = new Set<string>();
    let statement = 0;
    let asserted = 0;
    const outcomes = assertsNone.map((none): UploadOutcome => {
      if (!none) {
        const position = statement++;
        const outcome = statements.outcomes[position]!;
        const residentId = statements.filedFor.get(position);
        if (residentId && outcome.status !== 'REJECTED') {
          // Its write already set HAS_ALLERGIES: an earlier assertion of this batch is not written over it.
          withStatements.add(residentId);
          toAssert.delete(residentId);
        }
        return outcome;
      }
      const decided = assertions!.items[asserted++]!;
      if ('status' in decided) return decided;
      if (withStatements.has(decided.residentId)) return refused('CONFLICT', ALLERGIES_ON_RECORD);
      if (assertion.get(decided.residentId) === 'NO_KNOWN_ALLERGIES') return accepted('UNCHANGED');
      assertion.set(decided.residentId, 'NO_KNOWN_ALLERGIES');
      toAssert.add(decided.residentId);
      return accepted('CHANGED');
    });
    if (toAssert.size > 0) await this.models.Resident.updateMany({ _id: idIn(toAssert) }, { $set: { allergyAssertion: 'NO_KNOWN_ALLERGIES' } }).exec();
    return outcomes;
  }

  /**
   * "No known allergies" items, each parsed with recordAllergy's schema and its write decided
   * for all residents at once: per item the survivor it is about, or its refusal; and, read in
   * one query each, which of those residents have any statement on record (merged records
   * included, whatever the caller may read) and what their records assert.
   */
  private async decideAssertions(rawInputs: unknown[]): Promise<{
    items: ({ residentId: string } | UploadOutcome)[];
    withStatements: Set<string>;
    assertionOf: Map<string, ResidentDoc['allergyAssertion']>;
  }> {
    await this.organizations.viewerOrganization();
    const outcomes: (UploadOutcome | null)[] = rawInputs.map(() => null);
    const parsed = new Map<number, AllergyInput>();
    rawInputs.forEach((raw, index) => {
      try {
        parsed.set(index, parseInput(allergySchema, raw));
      } catch (error) {
        outcomes[index] = refusalOf(error);
      }
    });
    const targets = await this.decideClinicalWrites(parsed, outcomes, 'allergies');
    const items = outcomes.map((outcome, index) => outcome ?? { residentId: targets.get(index)!._id });
    const residents = new Map([...targets.values()].map((resident) => [resident._id, resident]));
    const survivorOf = new Map([...residents.values()].flatMap((resident) => aliasesOf(resident).map((alias) => [alias, resident._id] as const)));
    const filedUnder = survivorOf.size ? ((await this.models.Allergy.distinct('residentId', { residentId: oneOf(survivorOf.keys()) }).exec()) as string[]) : [];
    return {
      items,
      withStatements: new Set(filedUnder.map((residentId) => survivorOf.get(residentId)!)),
      assertionOf: new Map([...residents.values()].map((resident) => [resident._id, resident.allergyAssertion])),
    };
  }

  /**
   * The writes of many parsed items decided at once, as writeTarget decides one: index → the
   * resident written about (the survivor, if merged); a refused item gets its outcome instead
   * (FORBIDDEN where the caller has no standing, whether or not the resident exists; NOT_FOUND
   * otherwise).
   */
  private async decideClinicalWrites(
    inputs: ReadonlyMap<number, { residentId: string }>,
    outcomes: (UploadOutcome | null)[],
    kind: ClinicalKind,
  ): Promise<Map<number, ResidentDoc>> {
    const requested = [...new Set([...inputs.values()].map((input) => input.residentId))];
    const survivors = await this.index.survivorsOf(requested);
    const decisions = await this.access.decideWrites(
      requested.map((id) => survivors.get(id)?._id ?? id),
      'record-clinical',
      kind,
    );
    const targets = new Map<number, ResidentDoc>();
    for (const [index, input] of inputs) {
      const resident = survivors.get(input.residentId);
      const decision = decisions.get(resident?._id ?? input.residentId)!;
      if ('refused' in decision) outcomes[index] = refused('FORBIDDEN', decision.refused);
      else if (!resident) outcomes[index] = refused('NOT_FOUND', 'No such resident');
      else targets.set(index, resident);
    }
    return targets;
  }

  /**
   * One batch of a hospital's records through the filing pipeline: every item parsed with the
   * single mutation's schema, the write decided for all residents at once, the stored versions
   * read in one query (by resident as well as by id: clinical collections are sharded on the
   * resident, so the query goes only to the shards of the residents written about; a record of
   * the same source filed for someone else is then not found, and its insert collides on _id),
   * and what is new or changed written in one bulk write. What was accepted counts as scheduled
   * uploads, a changed record by the difference it makes. Beside each item's outcome: the
   * resident each item the policy allowed is about (index → survivor id).
   */
  private async uploadRecords<TInput extends { residentId: string; sourceRecordId: string }, TDoc extends { _id: string; residentId: string }>(
    rawInputs: unknown[],
    spec: {
      kind: ClinicalKind;
      model: AnyModel;
      schema: z.ZodType<TInput>;
      build: (input: TInput, organizationCode: string, residentId: string) => TDoc;
      /** Noted in the access store, so that referrals can attach the records. */
      owner?: RecordKind;
      /** What a record counts at the platform (visits, revenue, …). */
      activityOf: (doc: TDoc) => RecordActivity;
      /** After the write, with the records written (as built for the survivor) and the writing organization. */
      afterWrite?: (written: TDoc[], organizationCode: string) => Promise<unknown>;
    },
  ): Promise<{ outcomes: UploadOutcome[]; filedFor: Map<number, string> }> {
    const { afterWrite } = spec;
    const { outcomes, targets } = await fileBatch(
      rawInputs,
      {
        schema: spec.schema,
        sourceIdField: 'sourceRecordId',
        organization: () => this.organizations.viewerOrganization(),
        decide: (parsed, refusals) => this.decideClinicalWrites(parsed, refusals, spec.kind),
        build: (input, organizationCode, resident) => spec.build(input, organizationCode, resident._id),
        storedVersions: async (built) =>
          new Map(
            (
              (await spec.model
                .find({
                  residentId: oneOf(new Set(built.flatMap(({ target }) => aliasesOf(target)))),
                  _id: idIn(built.map(({ doc }) => doc._id)),
                })
                .batchSize(RECORDS_BATCH_SIZE)
                .lean()
                .exec()) as TDoc[]
            ).map((doc) => [doc._id, doc] as const),
          ),
        compare: (filed, stored, resident) => {
          if (!aliasesOf(resident).includes(stored.residentId)) return refused('CONFLICT', 'This source record was uploaded for another resident');
          return isResend(stored, filed) ? accepted('UNCHANGED') : null;
        },
        write: (filings) => writeRecords(spec.model, filings),
        owner: spec.owner,
        afterWrite:
          afterWrite &&
          ((written, organizationCode) =>
            afterWrite(
              written.map(({ built }) => built),
              organizationCode,
            )),
        countOf: ({ built, previous }: FiledRecord<TDoc>, organizationCode, at) =>
          recordEntries('scheduled', organizationCode, at, previous ? spec.activityOf(previous) : null, spec.activityOf(built)),
      },
      this.access,
      this.countActivity,
    );
    return { outcomes, filedFor: new Map([...targets].map(([index, resident]) => [index, resident._id])) };
  }

  /**
   * The writing hospital (it must exist) and the resident written about (the survivor, if
   * merged), once the policy allowed the write: a resident the caller has no standing with is
   * FORBIDDEN whether or not it exists.
   */
  private async writeTarget(residentId: string, kind: ClinicalKind): Promise<{ organizationCode: string; resident: ResidentDoc }> {
    const organizationCode = await this.organizations.viewerOrganization();
    const resident = (await this.index.survivorsOf([residentId])).get(residentId);
    await this.access.requireWrite(resident?._id ?? residentId, 'record-clinical', kind);
    if (!resident) throw appError('NOT_FOUND', 'No such resident');
    return { organizationCode, resident };
  }
}

/**
 * The bulk write of a batch: a new record is inserted (the engine writes a batch of inserts at
 * once); a changed one is updated where it is filed (under a merged id, say). A write that
 * collides on _id is answered as fileFromSource answers it (a concurrent upload of the same new
 * record collides too).
 */
async function writeRecords<TDoc extends { _id: string; residentId: string }>(model: AnyModel, filings: readonly Filing<TDoc>[]): Promise<WriteResult<TDoc>[]> {
  const failed = await bulkWriteFailures(
    model,
    filings.map(({ doc, previous }) => {
      const { _id, residentId, ...content } = doc;
      return previous ? { updateOne: { filter: { _id, residentId }, update: { $set: content } } } : { insertOne: { document: doc } };
    }),
  );
  return filings.map(({ doc }, position) =>
    failed.has(position) ? refused('CONFLICT', 'This source record was uploaded for another resident') : { saved: doc },
  );
}
/** Visits that took place: a planned, cancelled or erroneous one is no care. */
const CARE_STATUSES: ReadonlySet<EncounterDoc['status']> = new Set(['IN_PROGRESS', 'FINISHED']);

/** Visits are care at the organization that recorded them: it keeps the standing its registration gave. */
function careOf(encounters: readonly EncounterDoc[], organizationCode: string): CareSeen[] {
  return encounters
    .filter((encounter) => CARE_STATUSES.has(encounter.status))
    .map((encounter) => ({ residentId: encounter.residentId, organizationCode, at: encounter.start }));
}

/**
 * Re-uploading the same source record replaces it (its id derives from organization and
 * source record id) where it is filed: under the resident or under an id merged into it (filed
 * before the merge, it stays under that id, so an unmerge gives it back). It may not move the
 * record to another resident: the upsert then collides with the existing id.
 */
async function fileFromSource<T extends { _id: string; residentId: string }>(
  model: AnyModel,
  doc: T,
  resident: ResidentDoc,
): Promise<{ saved: T; previous: T | null }> {
  const { _id, residentId, ...content } = doc;
  const filedUnder = aliasesOf(resident);
  const filter = filedUnder.length === 1 ? { _id, residentId } : { _id, residentId: oneOf(filedUnder) };
  const update = filedUnder.length === 1 ? { $set: content } : { $set: content, $setOnInsert: { residentId } };
  try {
    // The version it replaces (null for a new record) tells a change from an identical re-send, for the activity counters.
    const previous = (await model.findOneAndUpdate(filter, update, { upsert: true, returnDocument: 'before' }).lean().exec()) as T | null;
    return { saved: { ...doc, residentId: previous?.residentId ?? residentId }, previous };
  } catch (error) {
    if (isDuplicateKey(error)) throw appError('CONFLICT', 'This source record was uploaded for another resident');
    throw error;
  }
}
