/**
 * Queries and rules of the records subgraph: the master patient index (matching, merging,
 * identifier lookups, search) and the clinical record. Reads return only what the viewer
 * may see; writes validate everything before they write anything.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { CareSeen, RecordKind } from '../../access-control/access-store';
import type { DataKind } from '../../access-control/policy';
import { type ResidentAccess, visibleRecords } from '../../access-control/resident-access';
import { sensitivityOfIcd10 } from '../../access-control/sensitivity';
import { actorOf } from '../../access-control/viewer';
import { type CountActivity, countNothing, isResend, type RecordActivity, realtimeChange, recordEntries } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import type { MatchSettings } from '../../platform/config';
import { type AnyModel, bulkWriteFailures, idIn, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, badUserInput, forbidden, isDuplicateKey } from '../../platform/errors';
import { decodeCursor, encodeCursor, type Page, pageOf, timePage } from '../../platform/pagination';
import { accepted, checkBatchSize, parseBatch, refusalOf, refused, type UploadOutcome } from '../runtime/batch-upload';
import { sourceRecordKey } from '../runtime/ids';
import { parseInput } from '../runtime/input';
import { activityOfAllergy, activityOfCondition, activityOfEncounter } from './activity';
import {
  type AllergyView,
  allergyLabel,
  allergySensitivities,
  conditionLabel,
  conditionSensitivities,
  encounterLabel,
  encounterSensitivities,
  withoutText,
} from './labels';
import { blockingKeys, classify, scoreCandidate } from './matching';
import type {
  AllergyDoc,
  ConditionDoc,
  EncounterDoc,
  MatchReviewDoc,
  MergeEventDoc,
  OrganizationDoc,
  RecordsModels,
  ResidentDoc,
  ResidentIdentifierDoc,
} from './models';
import { allergySchema, conditionSchema, districtNamed, encounterSchema, type RegistrationInput, registrationSchema, searchSchema } from './validation';

type EncounterInput = z.infer<typeof encounterSchema>;
type ConditionInput = z.infer<typeof conditionSchema>;
type AllergyInput = z.infer<typeof allergySchema>;

import { HIDDEN_ENCOUNTER_STATUS, ORGANIZATION_LEVELS } from './models';

export interface OrganizationFilter {
  level?: readonly OrganizationDoc['level'][] | null;
  district?: string | null;
  search?: string | null;
}

export interface AllergyStatementView {
  assertion: ResidentDoc['allergyAssertion'];
  items: AllergyView[];
}

export interface ClinicalSummaryView {
  activeProblems: ConditionDoc[];
  allergies: AllergyStatementView;
  lastEncounters: EncounterDoc[];
}

export interface RegistrationResult {
  resident: ResidentDoc;
  outcome: 'MATCHED' | 'CREATED_POSSIBLE_DUPLICATE' | 'CREATED';
  review: MatchReviewView | null;
  /** How many residents the blocking step handed to scoring (0 when an identifier decided). */
  candidatesScored: number;
}

/** A review with both records it compares, as a reviewer sees it. */
export interface MatchReviewView {
  review: MatchReviewDoc;
  registered: ResidentDoc;
  candidate: ResidentDoc;
}

/** What proved a registration: the record's own ID number, or a record the desk created. */
const OWN_ID_NUMBER = 'its own ID number';
const NEW_RECORD = 'a new record';
const ACTIVE_CONDITION_STATUSES = new Set(['ACTIVE', 'RECURRENCE', 'RELAPSE']);
const SEARCH_LIMIT = 50;
const ALLERGIES_ON_RECORD = 'Allergies are on record; they must be refuted before asserting none';

export class RecordsRepository {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
    private readonly matching: MatchSettings,
    /** Counts accepted real-time records at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity = countNothing,
  ) {}

  // ---- residents: lookup through merges, and the policy -------------------------------

  /** Requested id → the record that stands for it now (the survivor of any merge), unfiltered. */
  private async survivorsOf(ids: readonly string[]): Promise<Map<string, ResidentDoc>> {
    const found = new Map((await this.findResidents(ids)).map((doc) => [doc._id, doc]));
    const survivorIds = [...found.values()].flatMap((doc) => (doc.mergedInto && !found.has(doc.mergedInto) ? [doc.mergedInto] : []));
    for (const doc of await this.findResidents(survivorIds)) found.set(doc._id, doc);
    const result = new Map<string, ResidentDoc>();
    for (const id of ids) {
      const doc = found.get(id);
      const survivor = doc?.mergedInto ? found.get(doc.mergedInto) : doc;
      if (survivor) result.set(id, survivor);
    }
    return result;
  }

  private findResidents(ids: readonly string[]): Promise<ResidentDoc[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.models.Resident.find({ _id: idIn(ids) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ResidentDoc[]>()
      .exec();
  }

  /** Requested id → survivor, for the residents whose `kind` data the viewer may see. */
  async residentsById(ids: readonly string[], kind: DataKind = 'demographics'): Promise<Map<string, ResidentDoc>> {
    const survivors = await this.survivorsOf(ids);
    const permitted = await this.access.permitted([...new Set([...survivors.values()].map((doc) => doc._id))], kind);
    return new Map([...survivors].filter(([, doc]) => permitted.has(doc._id)));
  }

  /** One resident for a root query: FORBIDDEN without a right to the record, null when unknown. */
  async readableResident(id: string): Promise<ResidentDoc | null> {
    const survivor = (await this.survivorsOf([id])).get(id);
    if (!(await this.access.isPermitted(survivor?._id ?? id, 'demographics'))) throw forbidden('No care relationship with this resident');
    return survivor ?? null;
  }

  identifiersOf(residents: readonly ResidentDoc[]): Promise<ResidentIdentifierDoc[]> {
    const ids = residents.flatMap(aliasesOf);
    return this.models.ResidentIdentifier.find({ residentId: oneOf(ids) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ResidentIdentifierDoc[]>()
      .exec();
  }

  /** Medical record numbers are looked up among the viewer's own hospital's only. */
  async residentByIdentifier(system: ResidentIdentifierDoc['system'], value: string): Promise<ResidentDoc | null> {
    const assigner = system === 'MEDICAL_RECORD_NUMBER' ? (this.access.viewer.organizationCode ?? null) : null;
    const identifier = await this.models.ResidentIdentifier.findById(identifierKey(system, assigner, value))
      .lean<ResidentIdentifierDoc>()
      .exec();
    if (!identifier) return null;
    return (await this.residentsById([identifier.residentId])).get(identifier.residentId) ?? null;
  }

  async searchResidents(criteria: unknown, first: number, after: string | null | undefined): Promise<Page<ResidentDoc>> {
    const search = parseInput(searchSchema, criteria);
    const filter: Record<string, unknown> =
      search.name && search.birthDate ? { name: search.name, birthDate: search.birthDate } : { district: search.district, idLast4: search.idNumberLast4 };
    if (search.gender) filter.gender = search.gender;
    filter.active = true;
    const matches = await this.models.Resident.find(filter).sort({ _id: 1 }).limit(SEARCH_LIMIT).lean<ResidentDoc[]>().exec();
    const permitted = await this.access.permitted(
      matches.map((doc) => doc._id),
      'demographics',
    );
    const afterId = after ? String(decodeCursor(after)[1]) : '';
    const visible = matches.filter((doc) => permitted.has(doc._id) && doc._id > afterId);
    return pageOf(visible.slice(0, first + 1), first, (doc) => encodeCursor(0, doc._id));
  }

  // ---- registration and matching -------------------------------------------------------

  async registerResident(rawInput: unknown): Promise<RegistrationResult> {
    const input = parseInput(registrationSchema, rawInput);
    const organizationCode = await this.viewerOrganization();
    const hospitalKey = identifierKey(
      input.identifier.system,
      input.identifier.system === 'MEDICAL_RECORD_NUMBER' ? organizationCode : null,
      input.identifier.value,
    );

    const idCardKey = input.idNumber ? identifierKey('RESIDENT_ID_CARD', null, input.idNumber) : null;
    const known = await this.knownResidents([hospitalKey, ...(idCardKey ? [idCardKey] : [])]);
    const byIdentifier = known.get(hospitalKey);
    const byIdNumber = idCardKey ? known.get(idCardKey) : undefined;
    // Different ID numbers are never the same person: an identifier whose record carries (or
    // whose ID card is) another ID number links nothing. The ID number the desk proofed decides
    // who is at the desk; a review shows the conflict to a person.
    const conflicting =
      byIdentifier &&
      input.idNumber &&
      ((byIdentifier.idNumber && byIdentifier.idNumber !== input.idNumber) || (byIdNumber && byIdNumber._id !== byIdentifier._id));
    if (byIdentifier && !conflicting)
      return this.linkRegistration(byIdentifier, input, hospitalKey, organizationCode, 0, `identifier ${input.identifier.system}`);
    if (byIdentifier) return this.registerConflict(byIdentifier, byIdNumber ?? null, input, hospitalKey, organizationCode);
    if (byIdNumber) return this.linkRegistration(byIdNumber, input, hospitalKey, organizationCode, 0, OWN_ID_NUMBER);

    const keys = blockingKeys({ ...input, idNumber: input.idNumber ?? null });
    const blocks: Record<string, string>[] = [{ birthKey: keys.birthKey }, { pinyinKey: keys.pinyinKey }];
    if (input.phone) blocks.push({ phone: input.phone });
    const candidates = await this.models.Resident.find({ $or: blocks, active: true }).limit(this.matching.maxCandidates).lean<ResidentDoc[]>().exec();
    const incoming = { name: input.name, gender: input.gender, birthDate: input.birthDate, phone: input.phone ?? null, idNumber: input.idNumber ?? null };
    const scored = candidates
      .map((candidate) => ({ candidate, ...scoreCandidate(incoming, candidate) }))
      .sort((a, b) => b.score - a.score || a.candidate._id.localeCompare(b.candidate._id));
    const best = scored[0];
    const match = best ? classify(best.score, this.matching) : 'NONE';
    // A demographic match alone never links: an ID number proves who is at the desk only when
    // it is the record's own. A certain match with an ID number the record never had (or none)
    // would hand someone else's record to whoever typed it: it opens a review instead.
    const ownIdNumber = best !== undefined && input.idNumber != null && best.candidate.idNumber === input.idNumber;
    if (best && match === 'CERTAIN' && ownIdNumber)
      return this.linkRegistration(best.candidate, input, hospitalKey, organizationCode, candidates.length, OWN_ID_NUMBER);

    const created = await this.createResident(input, hospitalKey, organizationCode);
    if (!created.isNew) return this.linkRegistration(created.resident, input, hospitalKey, organizationCode, candidates.length, OWN_ID_NUMBER);
    const review =
      best && match !== 'NONE' ? await this.openReview(created.resident, best.candidate, best.score, best.reasons, organizationCode, newId()) : null;
    await this.noteRegistration(created.resident._id, organizationCode, NEW_RECORD);
    return { resident: created.resident, outcome: review ? 'CREATED_POSSIBLE_DUPLICATE' : 'CREATED', review, candidatesScored: candidates.length };
  }

  /** Identifier key → the resident it belongs to (following merges), for the keys already known. */
  private async knownResidents(keys: string[]): Promise<Map<string, ResidentDoc>> {
    const identifiers = await this.models.ResidentIdentifier.find({ _id: idIn(keys) })
      .lean<ResidentIdentifierDoc[]>()
      .exec();
    const survivors = await this.survivorsOf(identifiers.map((identifier) => identifier.residentId));
    return new Map(
      identifiers.flatMap((identifier) => (survivors.has(identifier.residentId) ? [[identifier._id, survivors.get(identifier.residentId)!] as const] : [])),
    );
  }

  /**
   * A registration the index proved (`proof`: what agreed with what it already knew). It links
   * the hospital's identifier and starts standing there; it never changes the record's ID
   * number (only a reviewed merge brings one to a record that has none).
   */
  private async linkRegistration(
    resident: ResidentDoc,
    input: RegistrationInput,
    hospitalKey: string,
    organizationCode: string,
    candidatesScored: number,
    proof: string,
  ): Promise<RegistrationResult> {
    await this.access.requireWrite(resident._id, 'register');
    await this.models.ResidentIdentifier.create(
      identifierDoc(hospitalKey, resident._id, input.identifier.system, input.identifier.value, organizationCode),
    ).catch(ignoreDuplicateKeys);
    await this.noteRegistration(resident._id, organizationCode, proof);
    return { resident, outcome: 'MATCHED', review: null, candidatesScored };
  }

  /**
   * A known identifier whose record carries another ID number than the one proofed at the
   * desk (or whose ID number belongs to another record): the person is the ID number's record
   * (created if new, without the identifier: it stays where it is), and a review compares it
   * with the identifier's record. Registering the same conflict again reopens nothing.
   */
  private async registerConflict(
    identified: ResidentDoc,
    byIdNumber: ResidentDoc | null,
    input: RegistrationInput,
    hospitalKey: string,
    organizationCode: string,
  ): Promise<RegistrationResult> {
    const registration = byIdNumber
      ? await this.linkRegistration(byIdNumber, input, hospitalKey, organizationCode, 0, OWN_ID_NUMBER)
      : await this.createResident(input, hospitalKey, organizationCode).then(async ({ resident, isNew }) => {
          if (!isNew) return this.linkRegistration(resident, input, hospitalKey, organizationCode, 0, OWN_ID_NUMBER);
          await this.noteRegistration(resident._id, organizationCode, NEW_RECORD);
          return { resident, outcome: 'CREATED_POSSIBLE_DUPLICATE' as const, review: null, candidatesScored: 0 };
        });
    const reasons = [
      `same ${input.identifier.system.toLowerCase().replaceAll('_', ' ')}`,
      identified.idNumber ? 'different ID numbers' : 'ID number belongs to another record',
    ];
    const reviewId = createHash('sha256').update(`conflict|${registration.resident._id}|${identified._id}|${hospitalKey}`).digest('hex').slice(0, 24);
    const review = await this.openReview(registration.resident, identified, 0, reasons, organizationCode, reviewId);
    return { ...registration, review };
  }

  /** Opens a review of a registered record against a candidate; an id already open is returned as it is. */
  private async openReview(
    registered: ResidentDoc,
    candidate: ResidentDoc,
    score: number,
    reasons: string[],
    organizationCode: string,
    _id: string,
  ): Promise<MatchReviewView> {
    const opened: MatchReviewDoc = {
      _id,
      status: 'OPEN',
      residentId: registered._id,
      candidate: { residentId: candidate._id, score, reasons },
      openedAt: new Date(),
      openedBy: actorOf(this.access.viewer),
      organizationCode,
      resolvedAt: null,
      resolvedBy: null,
      reason: null,
    };
    if (await claim(this.models.MatchReview, opened)) return { review: opened, registered, candidate };
    return { review: (await this.models.MatchReview.findById(_id).lean<MatchReviewDoc>().exec())!, registered, candidate };
  }

  /**
   * Creates the resident. Identifiers are claimed first: if another registration of the same
   * ID card won the race, its resident is returned instead of a duplicate.
   */
  private async createResident(input: RegistrationInput, hospitalKey: string, organizationCode: string): Promise<{ resident: ResidentDoc; isNew: boolean }> {
    const _id = newId();
    await this.access.requireWrite(_id, 'register');
    const idNumber = input.idNumber ?? null;
    if (idNumber) {
      try {
        await this.models.ResidentIdentifier.create(identifierDoc(identifierKey('RESIDENT_ID_CARD', null, idNumber), _id, 'RESIDENT_ID_CARD', idNumber, null));
      } catch (error) {
        ignoreDuplicateKeys(error);
        const winner = [...(await this.knownResidents([identifierKey('RESIDENT_ID_CARD', null, idNumber)])).values()][0];
        if (winner) return { resident: winner, isNew: false };
        throw error;
      }
    }
    const resident: ResidentDoc = {
      _id,
      name: input.name,
      gender: input.gender,
      birthDate: input.birthDate,
      idNumber,
      phone: input.phone ?? null,
      district: input.district,
      active: true,
      mergedInto: null,
      mergedIds: [],
      mergeHistory: [],
      allergyAssertion: 'UNKNOWN',
      ...blockingKeys({ ...input, idNumber }),
    };
    await this.models.Resident.create(resident);
    await this.models.ResidentIdentifier.insertMany([identifierDoc(hospitalKey, _id, input.identifier.system, input.identifier.value, organizationCode)], {
      ordered: false,
    }).catch(ignoreDuplicateKeys);
    return { resident, isNew: true };
  }

  /**
   * Registering at a hospital's desk is the start of care there: a registration fact. Only
   * proofed registrations get here: a record the desk created, or an existing one reached by
   * the ID number or an identifier the index already knew.
   */
  private async noteRegistration(residentId: string, organizationCode: string, proof: string): Promise<void> {
    await this.access.recordCareRelationship({
      residentId,
      organizationCode,
      kind: 'REGISTRATION',
      at: new Date(),
      source: { subgraph: 'records', recordId: `registration/${residentId}` },
      root: { kind: 'REGISTRATION', organizationCode, basis: proof },
    });
    await this.access.permitted([residentId], 'identity');
  }

  // ---- match reviews, merge, unmerge ----------------------------------------------------

  async matchReviews(status: MatchReviewDoc['status'], first: number, after: string | null | undefined): Promise<Page<MatchReviewView>> {
    return timePage(
      {
        field: 'openedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.MatchReview.find({ status, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<MatchReviewDoc[]>()
            .exec(),
        keyOf: (review) => ({ at: review.openedAt, id: review._id }),
        keep: (reviews) => this.reviewViews(reviews),
        rowOf: (view) => view.review,
      },
      first,
      after,
    );
  }

  private async reviewViews(reviews: MatchReviewDoc[]): Promise<MatchReviewView[]> {
    const ids = reviews.flatMap((review) => [review.residentId, review.candidate.residentId]);
    const permitted = await this.access.permitted(ids, 'identity');
    const docs = new Map((await this.findResidents([...permitted])).map((doc) => [doc._id, doc]));
    return reviews.flatMap((review) => {
      const registered = docs.get(review.residentId);
      const candidate = docs.get(review.candidate.residentId);
      return registered && candidate ? [{ review, registered, candidate }] : [];
    });
  }

  /**
   * Decides a review: the decision is claimed first (its _id is the review's), then acted on,
   * so of concurrent decisions exactly one wins and the others get CONFLICT. A link that cannot
   * be made (different ID numbers, a record merged meanwhile) is refused before the claim, or
   * gives the claim back if the merge fails after it.
   */
  async resolveMatchReview(id: string, decision: 'LINK' | 'SEPARATE', reason: string): Promise<MatchReviewView> {
    const why = requireReason(reason);
    const review = await this.models.MatchReview.findById(id).lean<MatchReviewDoc>().exec();
    if (!review) throw appError('NOT_FOUND', 'No such match review');
    await this.requireIdentityAccess([review.residentId, review.candidate.residentId]);
    if (review.status !== 'OPEN') throw appError('CONFLICT', `The review was already resolved (${review.status.toLowerCase()})`);
    const mergeReason = `match review ${id}: ${why}`;
    const plan = decision === 'LINK' ? await this.planMerge(review.candidate.residentId, review.residentId) : null;
    const at = new Date();
    const by = actorOf(this.access.viewer);
    if (!(await claim(this.models.MatchReviewDecision, { _id: id, decision, by, at })))
      throw appError('CONFLICT', 'The review was resolved by someone else meanwhile');
    if (plan) {
      try {
        await this.applyMerge(plan, mergeReason);
      } catch (error) {
        await this.models.MatchReviewDecision.deleteOne({ _id: id }).exec();
        throw error;
      }
    }
    const status = decision === 'LINK' ? 'LINKED' : 'SEPARATED';
    await this.models.MatchReview.updateOne({ _id: id }, { $set: { status, resolvedAt: at, resolvedBy: by, reason: why } }).exec();
    return (await this.reviewViews([{ ...review, status, resolvedAt: at, resolvedBy: by, reason: why }]))[0]!;
  }

  /**
   * Merges one record into another, once both are claimed at the versions read (of concurrent
   * merges and unmerges of a record exactly one proceeds); the survivor inherits the merged
   * record's care relationships, consent and clinical records (read as the survivor's), and
   * its ID number if it had none.
   */
  async mergeResidents(survivorId: string, mergedId: string, reason: string): Promise<ResidentDoc> {
    const why = requireReason(reason);
    return this.applyMerge(await this.planMerge(survivorId, mergedId), why);
  }

  /** Checks a merge can be made (access, both records active, no two ID numbers) without writing anything. */
  private async planMerge(survivorId: string, mergedId: string): Promise<{ survivor: ResidentDoc; merged: ResidentDoc }> {
    if (survivorId === mergedId) throw badUserInput('A record cannot be merged into itself');
    await this.requireIdentityAccess([survivorId, mergedId]);
    const docs = new Map((await this.findResidents([survivorId, mergedId])).map((doc) => [doc._id, doc]));
    const survivor = docs.get(survivorId);
    const merged = docs.get(mergedId);
    if (!survivor || !merged) throw appError('NOT_FOUND', 'No such resident');
    if (!survivor.active || !merged.active) throw appError('CONFLICT', 'Both records must be active (not merged already)');
    if (survivor.idNumber && merged.idNumber && survivor.idNumber !== merged.idNumber) throw appError('CONFLICT', 'The records carry different ID numbers');
    return { survivor, merged };
  }

  private async applyMerge({ survivor, merged }: { survivor: ResidentDoc; merged: ResidentDoc }, why: string): Promise<ResidentDoc> {
    const [survivorId, mergedId] = [survivor._id, merged._id];
    const at = new Date();
    const by = actorOf(this.access.viewer);
    const event = (action: MergeEventDoc['action'], other: string): MergeEventDoc => ({ action, otherResidentId: other, by, at, reason: why });
    await this.underVersionClaims([survivor, merged], async () => {
      await this.models.Resident.updateOne(
        { _id: mergedId },
        { $set: { active: false, mergedInto: survivorId }, $push: { mergeHistory: event('MERGED_INTO', survivorId) } },
      ).exec();
      const adoptsIdNumber = !survivor.idNumber && merged.idNumber !== null;
      await this.models.Resident.updateOne(
        { _id: survivorId },
        {
          $addToSet: { mergedIds: { $each: [mergedId, ...merged.mergedIds] } },
          $push: { mergeHistory: adoptsIdNumber ? { ...event('MERGED', mergedId), idNumberAdopted: true } : event('MERGED', mergedId) },
          ...(adoptsIdNumber ? { $set: { idNumber: merged.idNumber, idLast4: merged.idLast4 } } : {}),
        },
      ).exec();
      // Records merged into the merged one now point at the survivor directly: one hop at most.
      if (merged.mergedIds.length > 0) await this.models.Resident.updateMany({ _id: idIn(merged.mergedIds) }, { $set: { mergedInto: survivorId } }).exec();
      await this.access.accessStore.recordMerge([mergedId, ...merged.mergedIds], survivorId);
    });
    return (await this.findResidents([survivorId]))[0]!;
  }

  async unmergeResident(mergedId: string, reason: string): Promise<ResidentDoc> {
    const why = requireReason(reason);
    const merged = (await this.findResidents([mergedId]))[0];
    if (!merged) throw appError('NOT_FOUND', 'No such resident');
    if (!merged.mergedInto) throw appError('CONFLICT', 'The record is not merged');
    const survivorId = merged.mergedInto;
    await this.requireIdentityAccess([survivorId]);
    const survivor = (await this.findResidents([survivorId]))[0]!;
    await this.underVersionClaims([survivor, merged], async () => {
      const at = new Date();
      const by = actorOf(this.access.viewer);
      await this.models.Resident.updateOne(
        { _id: mergedId },
        { $set: { active: true, mergedInto: null }, $push: { mergeHistory: { action: 'UNMERGED_FROM', otherResidentId: survivorId, by, at, reason: why } } },
      ).exec();
      // The survivor gives back the ID number it took from the merged record.
      const mergeEvent = survivor.mergeHistory.findLast((event) => event.action === 'MERGED' && event.otherResidentId === mergedId);
      const returnsIdNumber = mergeEvent?.idNumberAdopted === true && survivor.idNumber === merged.idNumber;
      await this.models.Resident.updateOne(
        { _id: survivorId },
        {
          $pullAll: { mergedIds: [mergedId, ...merged.mergedIds] },
          $push: { mergeHistory: { action: 'UNMERGED', otherResidentId: mergedId, by, at, reason: why } },
          ...(returnsIdNumber ? { $set: { idNumber: null, idLast4: null } } : {}),
        },
      ).exec();
      if (merged.mergedIds.length > 0) await this.models.Resident.updateMany({ _id: idIn(merged.mergedIds) }, { $set: { mergedInto: mergedId } }).exec();
      await this.access.accessStore.recordUnmerge(mergedId, merged.mergedIds);
    });
    return (await this.findResidents([mergedId]))[0]!;
  }

  /**
   * Runs a merge or unmerge once each record is claimed at the version it was read at (the
   * length of its merge history, which the change extends by one on both records): CONFLICT,
   * with nothing claimed, if another change got there first. Claims go in id order, so two
   * changes to the same pair cannot each hold one; a change that fails gives its claims back.
   */
  private async underVersionClaims(residents: ResidentDoc[], change: () => Promise<void>): Promise<void> {
    const keys = residents.map((resident) => `${resident._id}|${resident.mergeHistory.length}`).sort();
    const claimed: string[] = [];
    const release = () => (claimed.length > 0 ? this.models.ResidentVersionClaim.deleteMany({ _id: idIn(claimed) }).exec() : null);
    for (const _id of keys) {
      if (!(await claim(this.models.ResidentVersionClaim, { _id, at: new Date() }))) {
        await release();
        throw appError('CONFLICT', 'The record was merged or unmerged by someone else meanwhile');
      }
      claimed.push(_id);
    }
    try {
      await change();
    } catch (error) {
      await release();
      throw error;
    }
  }

  private async requireIdentityAccess(residentIds: string[]): Promise<void> {
    const permitted = await this.access.permitted(residentIds, 'identity');
    if (residentIds.some((id) => !permitted.has(id))) throw forbidden('Identity administration needs a privacy officer or the registering hospital');
  }

  // ---- clinical record: reads ------------------------------------------------------------

  /** A resident's encounters (already fetched whole, newest first) narrowed by the list's filter. */
  static filterEncounters(
    encounters: readonly EncounterDoc[],
    filter: { organizationCode?: string | null; class?: string | null; since?: string | null } | null | undefined,
  ): EncounterDoc[] {
    let since: number | null = null;
    if (filter?.since) {
      since = Date.parse(filter.since);
      if (Number.isNaN(since)) throw badUserInput('filter.since must be an ISO 8601 time');
    }
    return encounters.filter(
      (encounter) =>
        (!filter?.organizationCode || encounter.organizationCode === filter.organizationCode) &&
        (!filter?.class || encounter.encounterClass === filter.class) &&
        (since === null || encounter.start.getTime() >= since),
    );
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
    for (const row of await fetch([...ownerOf.keys()])) fetched.get(ownerOf.get(row.residentId)!)?.push(row);
    for (const [residentId, rows] of fetched) result.set(residentId, await consented(residentId, rows));
    return result;
  }

  static summarize(resident: ResidentDoc, conditions: ConditionDoc[], allergies: AllergyView[], encounters: EncounterDoc[]): ClinicalSummaryView {
    const lastByOrganization = new Map<string, EncounterDoc>();
    for (const encounter of encounters) if (!lastByOrganization.has(encounter.organizationCode)) lastByOrganization.set(encounter.organizationCode, encounter);
    return {
      activeProblems: conditions.filter(
        (condition) =>
          ACTIVE_CONDITION_STATUSES.has(condition.clinicalStatus) &&
          condition.verificationStatus !== 'REFUTED' &&
          condition.verificationStatus !== 'ENTERED_IN_ERROR',
      ),
      allergies: RecordsRepository.allergyStatement(resident, allergies),
      lastEncounters: [...lastByOrganization.values()],
    };
  }

  /** What a prescription's safety checks need: allergy groups and the problem list's active diagnoses. */
  static safetyFacts(allergies: readonly AllergyView[], conditions: ConditionDoc[]) {
    const diagnosisCodes = new Set(
      conditions.filter((condition) => ACTIVE_CONDITION_STATUSES.has(condition.clinicalStatus)).map((condition) => condition.code.code),
    );
    return {
      allergyGroups: allergies.map((allergy) => ({ group: allergy.substance.code, criticality: allergy.criticality })),
      diagnosisCodes: [...diagnosisCodes].sort(),
    };
  }

  static allergyStatement(resident: ResidentDoc, allergies: AllergyView[]): AllergyStatementView {
    return { assertion: allergies.length > 0 ? 'HAS_ALLERGIES' : resident.allergyAssertion, items: allergies };
  }

  /** Encounters by id (entity references): only those whose resident and category the viewer may see. */
  async encountersById(ids: readonly string[]): Promise<EncounterDoc[]> {
    const rows = await this.models.Encounter.find({ _id: idIn(ids), status: operator({ $ne: HIDDEN_ENCOUNTER_STATUS }) })
      .lean<EncounterDoc[]>()
      .exec();
    return visibleRecords(this.access, rows, 'encounters', encounterLabel);
  }

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

  // ---- clinical record: writes by hospital systems ---------------------------------------

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
    await this.countActivity(realtimeChange(organizationCode, previous, saved, activityOfAllergy));
    // The answer shows only the statements the caller may read, and the one it wrote.
    const visible = (await this.allergiesOf([resident])).get(resident._id) ?? [];
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
          afterWrite: (written) =>
            this.models.Resident.updateMany(
              { _id: idIn(new Set(written.map((doc) => doc.residentId))) },
              { $set: { allergyAssertion: 'HAS_ALLERGIES' } },
            ).exec(),
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
    await this.viewerOrganization();
    const items: ({ residentId: string } | UploadOutcome)[] = [];
    const parsed = new Map<number, AllergyInput>();
    rawInputs.forEach((raw, index) => {
      try {
        parsed.set(index, parseInput(allergySchema, raw));
      } catch (error) {
        items[index] = refusalOf(error);
      }
    });
    const residents = new Map<string, ResidentDoc>();
    for (const [index, target] of await this.writeTargets(parsed, 'allergies')) {
      if ('status' in target) items[index] = target;
      else {
        items[index] = { residentId: target._id };
        residents.set(target._id, target);
      }
    }
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
   * resident written about (the survivor, if merged), or the item's refusal (FORBIDDEN where
   * the caller has no standing, whether or not the resident exists; NOT_FOUND otherwise).
   */
  private async writeTargets(
    inputs: Map<number, { residentId: string }>,
    kind: 'encounters' | 'conditions' | 'allergies',
  ): Promise<Map<number, ResidentDoc | UploadOutcome>> {
    const requested = [...new Set([...inputs.values()].map((input) => input.residentId))];
    const survivors = await this.survivorsOf(requested);
    const decisions = await this.access.decideWrites(
      requested.map((id) => survivors.get(id)?._id ?? id),
      'record-clinical',
      kind,
    );
    const targets = new Map<number, ResidentDoc | UploadOutcome>();
    for (const [index, input] of inputs) {
      const resident = survivors.get(input.residentId);
      const decision = decisions.get(resident?._id ?? input.residentId)!;
      if ('refused' in decision) targets.set(index, refused('FORBIDDEN', decision.refused));
      else if (!resident) targets.set(index, refused('NOT_FOUND', 'No such resident'));
      else targets.set(index, resident);
    }
    return targets;
  }

  /**
   * One batch of a hospital's records: every item parsed with the single mutation's schema,
   * the write decided for all residents at once, the stored versions read in one query, and
   * what is new or changed written in one bulk write. A refused item changes nothing and does
   * not stop the others. What was accepted is counted for the platform's monitoring as
   * scheduled uploads (a changed record by the difference it makes), in one write. Round
   * trips do not grow with the number of items. Beside each item's outcome: the resident each
   * item the policy allowed is about (index → survivor id).
   */
  private async uploadRecords<TInput extends { residentId: string; sourceRecordId: string }, TDoc extends { _id: string; residentId: string }>(
    rawInputs: unknown[],
    spec: {
      kind: 'encounters' | 'conditions' | 'allergies';
      model: AnyModel;
      schema: z.ZodType<TInput>;
      build: (input: TInput, organizationCode: string, residentId: string) => TDoc;
      /** Noted in the access store, so that referrals can attach the records. */
      owner?: RecordKind;
      /** What a record counts at the platform (visits, revenue, …). */
      activityOf: (doc: TDoc) => RecordActivity;
      /** After the write, with the records written and the writing organization. */
      afterWrite?: (written: TDoc[], organizationCode: string) => Promise<unknown>;
    },
  ): Promise<{ outcomes: UploadOutcome[]; filedFor: Map<number, string> }> {
    const { parsed, outcomes } = parseBatch(rawInputs, spec.schema, 'sourceRecordId');
    const organizationCode = await this.viewerOrganization();
    const targets = new Map<number, { doc: TDoc; resident: ResidentDoc }>();
    for (const [index, target] of await this.writeTargets(parsed, spec.kind)) {
      if ('status' in target) outcomes[index] = target;
      else targets.set(index, { doc: spec.build(parsed.get(index)!, organizationCode, target._id), resident: target });
    }
    // By resident as well as by id: clinical collections are sharded on the resident, so the
    // query goes only to the shards of the residents written about. A record of the same source
    // filed for someone else is then not found here, and its insert collides on _id below.
    const filedUnderAny = [...new Set([...targets.values()].flatMap(({ resident }) => aliasesOf(resident)))];
    const stored = new Map<string, TDoc>(
      targets.size
        ? (
            (await spec.model
              .find({ residentId: oneOf(filedUnderAny), _id: idIn([...targets.values()].map(({ doc }) => doc._id)) })
              .batchSize(RECORDS_BATCH_SIZE)
              .lean()
              .exec()) as TDoc[]
          ).map((doc) => [doc._id, doc] as const)
        : [],
    );
    const writes: { index: number; operation: object; status: 'CREATED' | 'CHANGED' }[] = [];
    for (const [index, { doc, resident }] of targets) {
      const existing = stored.get(doc._id);
      const filedUnder = aliasesOf(resident);
      if (existing && !filedUnder.includes(existing.residentId)) outcomes[index] = refused('CONFLICT', 'This source record was uploaded for another resident');
      else if (existing && isResend(existing, { ...doc, residentId: existing.residentId })) outcomes[index] = accepted('UNCHANGED');
      else {
        // A new record is inserted (the engine writes a batch of inserts at once); a changed
        // one is updated where it is filed (under a merged id, say).
        const { _id, residentId, ...content } = doc;
        const operation = existing
          ? { updateOne: { filter: { _id, residentId: existing.residentId }, update: { $set: content } } }
          : { insertOne: { document: doc } };
        writes.push({ index, operation, status: existing ? 'CHANGED' : 'CREATED' });
      }
    }
    const failed = await bulkWriteFailures(
      spec.model,
      writes.map((write) => write.operation),
    );
    const written: TDoc[] = [];
    writes.forEach((write, position) => {
      if (failed.has(position)) {
        // As fileFromSource answers a collision on _id (a concurrent upload of the same new record collides too).
        outcomes[write.index] = refused('CONFLICT', 'This source record was uploaded for another resident');
        return;
      }
      outcomes[write.index] = accepted(write.status);
      written.push(targets.get(write.index)!.doc);
    });
    if (spec.owner) {
      const owner = spec.owner;
      await this.access.noteRecordOwners(
        owner,
        written.map((doc) => ({ recordId: doc._id, residentId: stored.get(doc._id)?.residentId ?? doc.residentId })),
      );
    }
    if (spec.afterWrite && written.length) await spec.afterWrite(written, organizationCode);
    if (written.length) {
      const at = new Date();
      await this.countActivity(
        written.flatMap((doc) => {
          const previous = stored.get(doc._id);
          return recordEntries('scheduled', organizationCode, at, previous ? spec.activityOf(previous) : null, spec.activityOf(doc));
        }),
      );
    }
    return { outcomes: outcomes.map((outcome) => outcome!), filedFor: new Map([...targets].map(([index, { resident }]) => [index, resident._id])) };
  }

  /**
   * The writing hospital (it must exist) and the resident written about (the survivor, if
   * merged), once the policy allowed the write: a resident the caller has no standing with is
   * FORBIDDEN whether or not it exists.
   */
  private async writeTarget(residentId: string, kind: 'encounters' | 'conditions' | 'allergies'): Promise<{ organizationCode: string; resident: ResidentDoc }> {
    const organizationCode = await this.viewerOrganization();
    const resident = (await this.survivorsOf([residentId])).get(residentId);
    await this.access.requireWrite(resident?._id ?? residentId, 'record-clinical', kind);
    if (!resident) throw appError('NOT_FOUND', 'No such resident');
    return { organizationCode, resident };
  }

  private async viewerOrganization(): Promise<string> {
    const code = this.access.viewer.organizationCode;
    if (!code || (await this.organizationsByCode([code])).length === 0)
      throw badUserInput('Unknown organization: the caller’s organization is not in the registry');
    return code;
  }
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

// The documents the clinical mutations file, single and batch alike: one place decides each field.

function encounterDocOf(input: EncounterInput, organizationCode: string, residentId: string): EncounterDoc {
  return {
    _id: sourceRecordKey('encounter', organizationCode, input.sourceRecordId),
    residentId,
    organizationCode,
    encounterClass: input.class,
    status: input.status,
    department: input.department,
    start: new Date(input.start),
    end: input.end ? new Date(input.end) : null,
    attendingPractitioner: input.attendingPractitioner ?? null,
    diagnoses: input.diagnoses.map((item) => ({
      code: { system: 'ICD-10', code: item.code, display: item.display },
      rank: item.rank,
      primary: item.primary,
      sensitivity: sensitivityOfIcd10(item.code),
    })),
    sensitivities: encounterSensitivities(input.department, input.diagnoses),
    chargesFen: input.chargesFen ?? null,
    source: { organizationCode, recordId: input.sourceRecordId, uploadedAt: new Date() },
  };
}

function conditionDocOf(input: ConditionInput, organizationCode: string, residentId: string): ConditionDoc {
  return {
    _id: sourceRecordKey('condition', organizationCode, input.sourceRecordId),
    residentId,
    code: { system: 'ICD-10', code: input.code, display: input.display },
    clinicalStatus: input.clinicalStatus,
    verificationStatus: input.verificationStatus,
    onset: input.onset ?? null,
    sensitivity: sensitivityOfIcd10(input.code),
    sensitivities: conditionSensitivities(input),
    source: { organizationCode, recordId: input.sourceRecordId, uploadedAt: new Date() },
  };
}

function allergyDocOf(input: AllergyInput, organizationCode: string, residentId: string): AllergyDoc {
  return {
    _id: sourceRecordKey('allergy', organizationCode, input.sourceRecordId),
    residentId,
    substance: input.substance!,
    category: input.category!,
    criticality: input.criticality!,
    reactions: input.reactions ?? [],
    sensitivities: allergySensitivities(input.reactions ?? []),
    source: { organizationCode, recordId: input.sourceRecordId, uploadedAt: new Date() },
  };
}

export function aliasesOf(resident: ResidentDoc): string[] {
  return [resident._id, ...resident.mergedIds];
}

function identifierKey(system: ResidentIdentifierDoc['system'], assignerCode: string | null, value: string): string {
  return `${system}|${assignerCode ?? ''}|${value.toUpperCase()}`;
}

function identifierDoc(
  _id: string,
  residentId: string,
  system: ResidentIdentifierDoc['system'],
  value: string,
  assignerCode: string | null,
): ResidentIdentifierDoc {
  return { _id, residentId, system, value: value.toUpperCase(), assignerCode, createdAt: new Date() };
}

const newId = () => randomBytes(12).toString('hex');

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 4 || trimmed.length > 500) throw badUserInput('reason must be 4-500 characters');
  return trimmed;
}

function ignoreDuplicateKeys(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}
