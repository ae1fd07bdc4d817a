/**
 * The master patient index: residents looked up through merges (by id, identifier or search),
 * and registration at a hospital's desk, which matches the person against the index before it
 * links a record or creates one. Reads return only what the viewer may see.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DataKind } from '../../access-control/policy';
import type { ResidentAccess } from '../../access-control/resident-access';
import { actorOf, hasRole } from '../../access-control/viewer';
import { type CountActivity, countNothing } from '../../monitoring/activity';
import { claim } from '../../platform/claims';
import type { MatchSettings } from '../../platform/config';
import { idIn, oneOf, RECORDS_BATCH_SIZE } from '../../platform/database';
import { forbidden, isDuplicateKey } from '../../platform/errors';
import { decodeCursor, encodeCursor, type Page, pageOf } from '../../platform/pagination';
import { parseInput } from '../runtime/input';
import { blockingKeys, classify, scoreCandidate } from './matching';
import type { MatchReviewDoc, RecordsModels, ResidentDoc, ResidentIdentifierDoc } from './models';
import type { Organizations } from './organizations';
import { type RegistrationInput, registrationSchema, searchSchema } from './validation';

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
const SEARCH_LIMIT = 50;

export class ResidentIndex {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
    private readonly matching: MatchSettings,
    private readonly organizations: Organizations,
    /** Counts archives opened and identifiers added (the bulletin's headline counters). */
    private readonly countActivity: CountActivity = countNothing,
  ) {}

  /** Counts what a registration added to the index, under the registering organization. */
  private countIndexed(organizationCode: string, counts: { residentArchives?: number; masterIndexEntries: number }): Promise<void> {
    return counts.masterIndexEntries > 0 || counts.residentArchives ? this.countActivity([{ organizationCode, at: new Date(), counts }]) : Promise.resolve();
  }

  // ---- residents: lookup through merges, and the policy -------------------------------

  /** Requested id → the record that stands for it now (the survivor of any merge), unfiltered. */
  async survivorsOf(ids: readonly string[]): Promise<Map<string, ResidentDoc>> {
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

  /** The records as stored, unfiltered: for the index's own rules, never an answer by themselves. */
  findResidents(ids: readonly string[]): Promise<ResidentDoc[]> {
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
    if (!(await this.access.isPermitted(survivor?._id ?? id, 'demographics'))) throw forbidden(this.refusalOfRecord());
    return survivor ?? null;
  }

  /** The refusal speaks to whoever asked: a resident is told whose record they may see, a clinician why not. */
  private refusalOfRecord(): string {
    const viewer = this.access.viewer;
    return viewer.roles.length === 1 && hasRole(viewer, 'resident') ? 'You can see only your own record' : 'No care relationship with this resident';
  }

  identifiersOf(residents: readonly ResidentDoc[]): Promise<ResidentIdentifierDoc[]> {
    const ids = residents.flatMap(aliasesOf);
    return this.models.ResidentIdentifier.find({ residentId: oneOf(ids) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<ResidentIdentifierDoc[]>()
      .exec();
  }

  /** Medical record numbers are looked up among the viewer's own hospital's only. */
  /**
   * The residents holding these identifiers, in order (medical record numbers are the viewer's
   * own hospital's): null for one no resident holds or the viewer may not see. One read of the
   * identifiers and one of the residents, however many are asked.
   */
  async residentsByIdentifiers(identifiers: readonly { system: ResidentIdentifierDoc['system']; value: string }[]): Promise<(ResidentDoc | null)[]> {
    if (identifiers.length === 0) return [];
    const assigner = this.access.viewer.organizationCode ?? null;
    const keys = identifiers.map(({ system, value }) => identifierKey(system, system === 'MEDICAL_RECORD_NUMBER' ? assigner : null, value));
    const found = await this.models.ResidentIdentifier.find({ _id: idIn(new Set(keys)) })
      .lean<ResidentIdentifierDoc[]>()
      .exec();
    const residentOf = new Map(found.map((identifier) => [identifier._id, identifier.residentId]));
    const residents = await this.residentsById([...new Set(residentOf.values())]);
    return keys.map((key) => {
      const residentId = residentOf.get(key);
      return (residentId && residents.get(residentId)) || null;
    });
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
    const organizationCode = await this.organizations.viewerOrganization();
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
    const added = await this.models.ResidentIdentifier.create(
      identifierDoc(hospitalKey, resident._id, input.identifier.system, input.identifier.value, organizationCode),
    ).then(
      () => true,
      (error: unknown) => {
        ignoreDuplicateKeys(error);
        return false;
      },
    );
    await this.noteRegistration(resident._id, organizationCode, proof);
    await this.countIndexed(organizationCode, { masterIndexEntries: added ? 1 : 0 });
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
    const added = await this.models.ResidentIdentifier.insertMany(
      [identifierDoc(hospitalKey, _id, input.identifier.system, input.identifier.value, organizationCode)],
      { ordered: false },
    ).then(
      () => true,
      (error: unknown) => {
        ignoreDuplicateKeys(error);
        return false;
      },
    );
    await this.countIndexed(organizationCode, { residentArchives: 1, masterIndexEntries: (idNumber ? 1 : 0) + (added ? 1 : 0) });
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

function ignoreDuplicateKeys(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}
