/**
 * A reference model of the whole exchange's standing, written from docs/authorization.md and
 * docs/records-and-index.md and much smaller than the code: a few people, four hospitals (the
 * fourth registers people with ID numbers it made up) and a community health centre, and what
 * each step of a random sequence does to who may read what. Registrations, visits, grants,
 * referrals, consent and merges are here; contracts and prescriptions in care-model.ts. The
 * system test (system-fuzz.ts) runs the same steps against the real stack and compares every
 * read with `canRead` and `visibleEncounters`.
 */
import { carriesIdCard, DAY, IMPOSTOR } from './system-steps';

const HOUR = 3_600_000;
const REGISTRATION_WINDOW = 30 * DAY;
const CARE_WINDOW = 730 * DAY;
const OFFER_WINDOW = 7 * DAY;
const REFERRAL_OPEN = 180 * DAY;
const GRANT = 4 * HOUR;
/**
 * A contract runs to a date (`until`, YYYY-MM-DD); the docs do not say at which hour of it it
 * ends, so reads within this margin of that date are not foretold.
 */
export const CONTRACT_END_MARGIN = 2 * DAY;

type FactKind = 'REGISTRATION' | 'REFERRAL_OFFER' | 'REFERRAL' | 'CONTRACT' | 'DISPENSING' | 'BREAK_GLASS';
/** Ordinary standing: what writes about a resident need, and what opens the whole record. */
const ORDINARY: readonly FactKind[] = ['REGISTRATION', 'REFERRAL', 'CONTRACT'];
export interface Fact {
  kind: FactKind;
  record: string;
  /** The organization's index; `PHARMACY` for a pharmacy's dispensing. */
  hospital: number;
  /** The referral it came from (offers and referrals), the contract, the prescription, the practitioner (grants). */
  key: string;
  since: number;
  lastSeenAt: number;
  careSeenAt: number | null;
  end: number | null;
  /** A contract that runs to its date (`until`): the docs leave open at which hour of it it ends. */
  endsOnDate?: boolean;
}

export interface RecordState {
  id: string;
  person: number;
  /** Created by an honest desk (not the impostor's): only those are ever merged. */
  honest: boolean;
  /** The ID number it carries (as an index key), or null. */
  idCard: string | null;
  survivor: string;
}

export interface Referral {
  id: string;
  record: string;
  from: number;
  to: number;
  requestedAt: number;
  accepted: boolean;
}

export interface Encounter {
  id: string;
  record: string;
  hospital: number;
  sensitive: boolean;
}

/** What the model expects of a write: done, refused as FORBIDDEN, refused as bad input, or not foretold. */
export type Expected = 'ok' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'any';

export class SystemModel {
  /** Virtual time: the real clock plus every move so far. */
  offset = 0;
  readonly records: RecordState[] = [];
  protected readonly facts: Fact[] = [];
  readonly referrals: Referral[] = [];
  readonly encounters: Encounter[] = [];
  /** Identifier (hospital-scoped medical record number, or ID card) → the record that holds it. */
  private readonly identifiers = new Map<string, string>();
  /** Consent documents by record id: what the resident chose under that id. */
  private readonly consents = new Map<string, { restrict: boolean; blocked: number[] }>();

  now(): number {
    return Date.now() + this.offset;
  }

  recordsOf(personIndex: number): RecordState[] {
    return this.records.filter((record) => record.person === personIndex);
  }

  pickRecord(personIndex: number, index: number): RecordState | undefined {
    const mine = this.recordsOf(personIndex);
    return mine.length ? mine[index % mine.length] : undefined;
  }

  survivorOf(id: string): string {
    return this.records.find((record) => record.id === id)!.survivor;
  }

  /** Every id a survivor stands for: itself and the records merged into it. */
  aliasesOf(id: string): string[] {
    const survivor = this.survivorOf(id);
    return this.records.filter((record) => record.survivor === survivor).map((record) => record.id);
  }

  // ---- registration and the index ----------------------------------------------------

  /** The identifiers a desk presents for a person, as keys of the index. */
  static presented(personIndex: number, hospitalIndex: number): { idCard: string | null; medicalRecord: string } {
    if (hospitalIndex === IMPOSTOR) return { idCard: `invented:${personIndex}`, medicalRecord: `${hospitalIndex}|F${personIndex}` };
    return { idCard: carriesIdCard(personIndex) ? `card:${personIndex}` : null, medicalRecord: `${hospitalIndex}|M${personIndex}` };
  }

  /**
   * What a registration answers: linked (to the survivor) when the hospital's own medical
   * record number or the record's own ID number is known; otherwise a new record, flagged as
   * a possible duplicate when the same person is already in the index under no other ID number
   * (a demographic match alone never links; different ID numbers are never the same person).
   * The impostor only ever registers people already in the index.
   */
  expectRegistration(
    personIndex: number,
    hospitalIndex: number,
  ): { outcome: 'MATCHED'; record: string } | { outcome: 'CREATED' | 'CREATED_POSSIBLE_DUPLICATE' } {
    const { idCard, medicalRecord } = SystemModel.presented(personIndex, hospitalIndex);
    const known = this.identifiers.get(medicalRecord) ?? (idCard ? this.identifiers.get(idCard) : undefined);
    if (known) return { outcome: 'MATCHED', record: this.survivorOf(known) };
    const alike = this.recordsOf(personIndex).some((record) => record.idCard === null || idCard === null || record.idCard === idCard);
    return { outcome: alike ? 'CREATED_POSSIBLE_DUPLICATE' : 'CREATED' };
  }

  applyRegistration(personIndex: number, hospitalIndex: number, residentId: string, created: boolean): void {
    const { idCard, medicalRecord } = SystemModel.presented(personIndex, hospitalIndex);
    if (created) {
      this.records.push({ id: residentId, person: personIndex, honest: hospitalIndex !== IMPOSTOR, idCard, survivor: residentId });
      if (idCard) this.identifiers.set(idCard, residentId);
    }
    this.identifiers.set(medicalRecord, residentId);
    const now = this.now();
    const existing = this.facts.find((fact) => fact.kind === 'REGISTRATION' && fact.record === residentId && fact.hospital === hospitalIndex);
    if (existing) existing.lastSeenAt = now;
    else
      this.facts.push({ kind: 'REGISTRATION', record: residentId, hospital: hospitalIndex, key: '', since: now, lastSeenAt: now, careSeenAt: null, end: null });
  }

  // ---- standing ------------------------------------------------------------------------

  private endOf(fact: Fact): number {
    if (fact.kind !== 'REGISTRATION') return fact.end!;
    return Math.max(fact.lastSeenAt + REGISTRATION_WINDOW, fact.careSeenAt === null ? -Infinity : fact.careSeenAt + CARE_WINDOW);
  }

  protected activeFacts(id: string, hospitalIndex: number, now = this.now()): Fact[] {
    const aliases = new Set(this.aliasesOf(id));
    return this.facts.filter((fact) => aliases.has(fact.record) && fact.hospital === hospitalIndex && fact.since <= now && this.endOf(fact) >= now);
  }

  protected consentOf(id: string): { restrict: boolean; blocked: Set<number> } {
    const chosen = this.aliasesOf(id).flatMap((alias) => this.consents.get(alias) ?? []);
    return { restrict: chosen.some((consent) => consent.restrict), blocked: new Set(chosen.flatMap((consent) => consent.blocked)) };
  }

  /**
   * Whether the model cannot tell this organization's standing now: a contract of the person's
   * ends within a margin of now (the docs give its end as a date only). Reads and writes that
   * rest on it are then not compared.
   */
  undecided(id: string, hospitalIndex: number): boolean {
    const aliases = new Set(this.aliasesOf(id));
    const now = this.now();
    return this.facts.some(
      (fact) => fact.endsOnDate && aliases.has(fact.record) && fact.hospital === hospitalIndex && Math.abs(fact.end! - now) < CONTRACT_END_MARGIN,
    );
  }

  /** What a write that needs ordinary standing is foretold to answer. */
  expectOrdinary(id: string, hospitalIndex: number): Expected {
    if (this.undecided(id, hospitalIndex)) return 'any';
    return this.hasOrdinaryStanding(id, hospitalIndex) ? 'ok' : 'FORBIDDEN';
  }

  /** Registration, an accepted referral or a contract: what writes about a resident need. */
  hasOrdinaryStanding(id: string, hospitalIndex: number): boolean {
    if (this.consentOf(id).blocked.has(hospitalIndex)) return false;
    return this.activeFacts(id, hospitalIndex).some((fact) => ORDINARY.includes(fact.kind));
  }

  /** What a doctor (hospital, practitioner) may read of a record: its demographics, its encounters. */
  canRead(id: string, hospitalIndex: number, practitionerId: string): { demographics: boolean; encounters: boolean } {
    if (this.consentOf(id).blocked.has(hospitalIndex)) return { demographics: false, encounters: false };
    const facts = this.activeFacts(id, hospitalIndex);
    const ordinary = facts.some((fact) => ORDINARY.includes(fact.kind));
    const offered = facts.some((fact) => fact.kind === 'REFERRAL_OFFER');
    const granted = facts.some((fact) => fact.kind === 'BREAK_GLASS' && fact.key === practitionerId);
    return { demographics: ordinary || offered || granted, encounters: ordinary || granted };
  }

  /** The encounters of a record a viewer sees: restricted ones only at the hospital that wrote them (and by the resident). */
  visibleEncounters(id: string, viewerHospital: number | 'resident'): string[] {
    const aliases = new Set(this.aliasesOf(id));
    const { restrict } = this.consentOf(id);
    return this.encounters
      .filter(
        (encounter) =>
          aliases.has(encounter.record) && (viewerHospital === 'resident' || !encounter.sensitive || !restrict || encounter.hospital === viewerHospital),
      )
      .map((encounter) => encounter.id)
      .sort();
  }

  // ---- the other steps -------------------------------------------------------------------

  /** A visit is care: the hospital's registrations of the person that are in force keep standing for the care window after it. */
  applyVisit(id: string, hospitalIndex: number, encounterId: string, start: number, sensitive: boolean): void {
    const survivor = this.survivorOf(id);
    this.encounters.push({ id: encounterId, record: survivor, hospital: hospitalIndex, sensitive });
    for (const fact of this.activeFacts(survivor, hospitalIndex)) {
      if (fact.kind === 'REGISTRATION') fact.careSeenAt = Math.max(fact.careSeenAt ?? -Infinity, start);
    }
  }

  applyBreakGlass(id: string, hospitalIndex: number, practitionerId: string): void {
    const now = this.now();
    this.facts.push({
      kind: 'BREAK_GLASS',
      record: this.survivorOf(id),
      hospital: hospitalIndex,
      key: practitionerId,
      since: now,
      lastSeenAt: now,
      careSeenAt: null,
      end: now + GRANT,
    });
  }

  /** A referral needs the sender's ordinary standing (an emergency grant is not enough); it offers the receiver a look for a week. */
  expectReferral(id: string, from: number, to: number): Expected {
    if (from === to) return 'BAD_USER_INPUT';
    return this.expectOrdinary(id, from);
  }

  applyReferral(id: string, referralId: string, from: number, to: number): void {
    const now = this.now();
    const record = this.survivorOf(id);
    this.referrals.push({ id: referralId, record, from, to, requestedAt: now, accepted: false });
    this.facts.push({ kind: 'REFERRAL_OFFER', record, hospital: to, key: referralId, since: now, lastSeenAt: now, careSeenAt: null, end: now + OFFER_WINDOW });
  }

  /** The receiver accepts while its offer (or its own standing) holds; an offer past its week is not foretold here. */
  expectAcceptance(referral: Referral): Expected {
    if (referral.accepted) return 'any';
    const now = this.now();
    const offerHolds = this.activeFacts(referral.record, referral.to).some((fact) => fact.kind === 'REFERRAL_OFFER' && fact.key === referral.id);
    if (this.consentOf(referral.record).blocked.has(referral.to)) return 'FORBIDDEN';
    if (offerHolds) return 'ok';
    if (this.undecided(referral.record, referral.to)) return 'any';
    if (!this.hasOrdinaryStanding(referral.record, referral.to)) return 'FORBIDDEN';
    return now > referral.requestedAt + OFFER_WINDOW ? 'any' : 'ok';
  }

  applyAcceptance(referral: Referral): void {
    const now = this.now();
    referral.accepted = true;
    for (const fact of this.facts) if (fact.kind === 'REFERRAL_OFFER' && fact.key === referral.id) fact.end = Math.min(fact.end!, now);
    this.facts.push({
      kind: 'REFERRAL',
      record: referral.record,
      hospital: referral.to,
      key: referral.id,
      since: now,
      lastSeenAt: now,
      careSeenAt: null,
      end: now + REFERRAL_OPEN,
    });
  }

  /** The resident's choice replaces the one under every id their record stands for. */
  applyConsent(id: string, restrict: boolean, blocked: number[]): void {
    for (const alias of this.aliasesOf(id)) this.consents.set(alias, { restrict, blocked });
  }

  /** Two honest records of one person that are their own survivors, oldest first: what a privacy officer merges. */
  mergeCandidates(personIndex: number): [RecordState, RecordState] | null {
    const active = this.recordsOf(personIndex).filter(
      (record) => record.honest && record.survivor === record.id && !this.records.some((other) => other.id !== record.id && other.survivor === record.id),
    );
    const survivor = this.recordsOf(personIndex).find((record) => record.honest && record.survivor === record.id);
    const merged = active.find((record) => record.id !== survivor?.id);
    return survivor && merged ? [survivor, merged] : null;
  }

  applyMerge(survivor: RecordState, merged: RecordState): void {
    merged.survivor = survivor.id;
  }

  applyUnmerge(merged: RecordState): void {
    merged.survivor = merged.id;
  }
}
