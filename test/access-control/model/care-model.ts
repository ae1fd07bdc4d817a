/**
 * The system model's contracts and prescriptions, written from docs/authorization.md ("Care
 * relationships", the write table), docs/referrals-and-appointments.md and
 * docs/prescriptions.md: a family-doctor contract is the centre's standing from the resident's
 * acceptance to its date or termination; a prescription signed with a pharmacy chosen gives
 * that pharmacy standing until it expires undispensed (three days after issue), and after
 * dispensing until completion, at most `DISPENSING_RELATIONSHIP_DAYS`. No write creates the
 * standing it needs: offers, renewals, terminations and routing need the writer's ordinary
 * standing; only the resident accepts; only physicians prescribe.
 */
import { CONTRACT_END_MARGIN, type Expected, SystemModel } from './system-model';
import { CENTRE, DAY, PHARMACY } from './system-steps';

const PRESCRIPTION_VALIDITY = 3 * DAY;
/** `DISPENSING_RELATIONSHIP_DAYS` (30): the pharmacy's standing after dispensing, at most. */
const AFTER_DISPENSING = 30 * DAY;
/** How far ahead contracts are signed for (within the three years signContract allows), and how far a renewal moves the end. */
const CONTRACT_DAYS = 400;
const RENEWAL_DAYS = 60;

export interface Contract {
  id: string;
  record: string;
  /** The centre's family doctor who signed it (and renews and terminates it). */
  doctor: number;
  status: 'OFFERED' | 'ACTIVE' | 'TERMINATED';
  /** Its date's midnight (UTC) in the model's time. */
  until: number;
}

export interface Prescription {
  id: string;
  record: string;
  hospital: number;
  doctor: number;
  issuedAt: number;
  signed: boolean;
  approved: boolean;
  routed: boolean;
  dispensed: boolean;
  completed: boolean;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class CareModel extends SystemModel {
  readonly contracts: Contract[] = [];
  readonly prescriptions: Prescription[] = [];

  // ---- contracts -----------------------------------------------------------------------------

  /** The date a new offer runs to, as the real clock's today sees it. */
  static offeredUntil(): string {
    return isoDate(Date.now() + CONTRACT_DAYS * DAY);
  }

  /** The date a renewal asks for: the current end, moved on (in the real clock's terms). */
  renewedUntil(contract: Contract): string {
    return isoDate(contract.until - this.offset + RENEWAL_DAYS * DAY);
  }

  /** `signContract` is `offer-contract`: the centre needs ordinary standing; the offer itself grants nothing. */
  expectOffer(id: string): Expected {
    return this.expectOrdinary(id, CENTRE);
  }

  applyOffer(id: string, contractId: string, doctor: number, until: string): void {
    this.contracts.push({ id: contractId, record: this.survivorOf(id), doctor, status: 'OFFERED', until: Date.parse(until) + this.offset });
  }

  /**
   * `acceptContract` is the resident's own (`own-record`), whatever the centre's standing. At
   * most one contract is active per resident: with another accepted, or an offer at its date,
   * the answer is not documented and not foretold.
   */
  expectContractAcceptance(contract: Contract): Expected {
    if (contract.status !== 'OFFERED' || contract.until - this.now() < CONTRACT_END_MARGIN) return 'any';
    const person = this.records.find((record) => record.id === contract.record)!.person;
    const personsRecords = new Set(this.recordsOf(person).map((record) => record.id));
    if (this.contracts.some((other) => other.status === 'ACTIVE' && personsRecords.has(other.record))) return 'any';
    return 'ok';
  }

  applyContractAcceptance(contract: Contract): void {
    const now = this.now();
    contract.status = 'ACTIVE';
    this.facts.push({
      kind: 'CONTRACT',
      record: contract.record,
      hospital: CENTRE,
      key: contract.id,
      since: now,
      lastSeenAt: now,
      careSeenAt: null,
      end: contract.until,
      endsOnDate: true,
    });
  }

  /**
   * `renewContract` and `terminateContract` are `offer-contract`: the centre's ordinary standing
   * first (the contract's own counts), then a contract in force; one ended or never accepted
   * is not foretold.
   */
  expectChange(contract: Contract): Expected {
    const standing = this.expectOrdinary(contract.record, CENTRE);
    if (standing !== 'ok') return standing;
    return contract.status === 'ACTIVE' && contract.until - this.now() > CONTRACT_END_MARGIN ? 'ok' : 'any';
  }

  applyRenewal(contract: Contract, until: string): void {
    contract.until = Date.parse(until) + this.offset;
    this.contractFact(contract).end = contract.until;
  }

  applyTermination(contract: Contract): void {
    contract.status = 'TERMINATED';
    const fact = this.contractFact(contract);
    fact.end = Math.min(fact.end!, this.now());
    fact.endsOnDate = false;
  }

  private contractFact(contract: Contract) {
    return this.facts.find((fact) => fact.kind === 'CONTRACT' && fact.key === contract.id)!;
  }

  /** Whether the centre once had a contract with the person that no longer holds (for coverage). */
  contractEnded(id: string): boolean {
    const aliases = new Set(this.aliasesOf(id));
    const now = this.now();
    return this.facts.some((fact) => fact.kind === 'CONTRACT' && aliases.has(fact.record) && fact.end! < (fact.endsOnDate ? now - CONTRACT_END_MARGIN : now));
  }

  // ---- prescriptions ---------------------------------------------------------------------------

  /** `issuePrescription` is `prescribe`: ordinary standing, or the physician's own emergency grant; a blocked organization has neither. */
  expectIssue(id: string, hospitalIndex: number, practitionerId: string): Expected {
    if (this.undecided(id, hospitalIndex)) return 'any';
    if (this.consentOf(id).blocked.has(hospitalIndex)) return 'FORBIDDEN';
    const granted = this.activeFacts(id, hospitalIndex).some((fact) => fact.kind === 'BREAK_GLASS' && fact.key === practitionerId);
    return granted || this.hasOrdinaryStanding(id, hospitalIndex) ? 'ok' : 'FORBIDDEN';
  }

  applyIssue(id: string, prescriptionId: string, hospitalIndex: number, doctor: number): void {
    const record = this.survivorOf(id);
    this.prescriptions.push({
      id: prescriptionId,
      record,
      hospital: hospitalIndex,
      doctor,
      issuedAt: this.now(),
      signed: false,
      approved: false,
      routed: false,
      dispensed: false,
      completed: false,
    });
  }

  /** Signing with a pharmacy chosen is `route-to-pharmacy`: ordinary standing only, an emergency grant is not enough. */
  expectSigning(prescription: Prescription): Expected {
    return this.expectOrdinary(prescription.record, prescription.hospital);
  }

  /** The pharmacy's standing starts at signing and lasts while the prescription is open (three days from issue). */
  applySigning(prescription: Prescription): void {
    const now = this.now();
    prescription.signed = true;
    this.facts.push({
      kind: 'DISPENSING',
      record: prescription.record,
      hospital: PHARMACY,
      key: prescription.id,
      since: now,
      lastSeenAt: now,
      careSeenAt: null,
      end: prescription.issuedAt + PRESCRIPTION_VALIDITY,
    });
  }

  /**
   * The pharmacist's review, dispensing and completion are `dispense`: the pharmacy's
   * standing with the resident first; with it resting only on another prescription, this one's
   * answer (expired, say) is not foretold.
   */
  expectPharmacy(prescription: Prescription): Expected {
    if (this.pharmacyBlocked(prescription)) return 'FORBIDDEN';
    const facts = this.activeFacts(prescription.record, PHARMACY).filter((fact) => fact.kind === 'DISPENSING');
    if (facts.length === 0) return 'FORBIDDEN';
    return facts.some((fact) => fact.key === prescription.id) ? 'ok' : 'any';
  }

  /** `routePrescription` is the prescriber's `route-to-pharmacy`; past its window it is not foretold. */
  expectRouting(prescription: Prescription): Expected {
    const standing = this.expectOrdinary(prescription.record, prescription.hospital);
    if (standing !== 'ok') return standing;
    return this.now() < prescription.issuedAt + PRESCRIPTION_VALIDITY ? 'ok' : 'any';
  }

  /** After dispensing the pharmacy keeps standing until completion, at most `DISPENSING_RELATIONSHIP_DAYS`. */
  applyDispensing(prescription: Prescription): void {
    prescription.dispensed = true;
    this.dispensingFact(prescription).end = this.now() + AFTER_DISPENSING;
  }

  applyCompletion(prescription: Prescription): void {
    prescription.completed = true;
    const fact = this.dispensingFact(prescription);
    fact.end = Math.min(fact.end!, this.now());
  }

  private dispensingFact(prescription: Prescription) {
    return this.facts.find((fact) => fact.kind === 'DISPENSING' && fact.key === prescription.id)!;
  }

  /** The signed prescriptions of a record (and the records merged with it) the pharmacist reads. */
  signedPrescriptionsOf(id: string): Prescription[] {
    const aliases = new Set(this.aliasesOf(id));
    return this.prescriptions.filter((prescription) => prescription.signed && aliases.has(prescription.record));
  }

  /** The pharmacist reads a prescription chosen for the pharmacy, the resident and their safety facts while the pharmacy has standing. */
  pharmacistReads(prescription: Prescription): boolean {
    return !this.pharmacyBlocked(prescription) && this.activeFacts(prescription.record, PHARMACY).some((fact) => fact.kind === 'DISPENSING');
  }

  /** A blocked organization has no standing with the resident: the pharmacy neither reads nor dispenses. */
  pharmacyBlocked(prescription: Prescription): boolean {
    return this.consentOf(prescription.record).blocked.has(PHARMACY);
  }

  /** Whether the pharmacy once had standing with the resident that no longer holds (for coverage). */
  dispensingEnded(prescription: Prescription): boolean {
    return !this.pharmacistReads(prescription) && this.dispensingFact(prescription).end! < this.now();
  }
}
