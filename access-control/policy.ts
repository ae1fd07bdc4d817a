/**
 * The one authorization decision for residents' data. Pure: it is handed the viewer, the
 * resident, the kind of data and the facts loaded for this request (care relationships and
 * the resident's consent), and touches nothing else, so root queries, nested fields, entity
 * fetches and exports all decide the same way.
 */
import type { SensitiveCategory } from './sensitivity';
import { hasRole, type PurposeOfUse, type Role, type Viewer } from './viewer';

export const DATA_KINDS = [
  'demographics',
  'encounters',
  'conditions',
  'allergies',
  'labs',
  'prescriptions',
  'referrals',
  'care-relationships',
  'consent',
  'access-log',
  /** Master patient index administration: match reviews, merges. */
  'identity',
  /** An emergency access grant (the alert itself is audited under this kind). */
  'break-glass',
  /** A registration at an organization's desk (a write: how standing arises). */
  'registration',
  /** Appointments booked in the public share of hospitals' slot pools. */
  'appointments',
  /** Calls to the 12320 hotline about a resident (a crisis intervention is mental-health data). */
  'hotline-calls',
  /** Home nursing orders (互联网护理): the service ordered, its centre, nurse and visit. */
  'nursing',
  /** What a resident paid an institution through one-stop settlement, and its refunds. */
  'settlements',
] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/**
 * Where a relationship comes from; each source is its own fact and ends on its own.
 * REGISTRATION: the resident registered at the organization's desk (identity proofed), kept
 * for the relationship window after the last registration. REFERRAL_OFFER: a referral sent to
 * the organization and not yet accepted: it shows the referral and who it is about, nothing
 * else, until it is accepted, rejected, cancelled or expires. REFERRAL: an accepted referral,
 * for its life plus the referral window. CONTRACT: a family-doctor contract the resident
 * accepted, until it ends. DISPENSING: the pharmacy a signed prescription is routed to, until
 * the prescription is completed, cancelled or expires undispensed. BREAK_GLASS: an emergency
 * grant to one practitioner, time-boxed and reviewed. NURSING: the community health centre a
 * home nursing order is placed with, while the order is open, for what the visit needs
 * (NURSING_KINDS) and at most NURSING_ORDER_DAYS.
 */
export const CARE_RELATIONSHIP_KINDS = ['REGISTRATION', 'REFERRAL_OFFER', 'REFERRAL', 'CONTRACT', 'DISPENSING', 'BREAK_GLASS', 'NURSING'] as const;
export type CareRelationshipKind = (typeof CARE_RELATIONSHIP_KINDS)[number];

/**
 * The legitimate root a standing fact arose from, recorded with it. RESIDENT: the resident's
 * own act (a contract accepted). REGISTRATION: a registration at the organization's desk whose
 * identity proof agreed with the index (`basis`: the identifier that proved it, or NEW_RECORD).
 * REFERRAL: a referral sent by an organization with ordinary standing (`organizationCode`: the
 * sender; `basis`: the kind of standing it held). PRESCRIPTION: a signed prescription routed by
 * an organization with ordinary standing. EMERGENCY: a break-the-glass grant (`basis`: its review).
 * NURSING_ORDER: an open home nursing order, placed by the resident or by an internet hospital
 * with ordinary standing (`organizationCode`: the internet hospital, null for the resident).
 */
export const STANDING_ROOT_KINDS = ['RESIDENT', 'REGISTRATION', 'REFERRAL', 'PRESCRIPTION', 'EMERGENCY', 'NURSING_ORDER'] as const;
export type StandingRootKind = (typeof STANDING_ROOT_KINDS)[number];

export interface StandingRoot {
  kind: StandingRootKind;
  /** The organization whose act or standing it rests on (the sender of a referral, the registering desk). */
  organizationCode: string | null;
  /** What exactly: the proof, the sender's standing, the grant. */
  basis: string;
}

/** A reason an organization (or, for an emergency grant, one practitioner) may see a resident's record. */
export interface CareRelationshipFact {
  residentId: string;
  organizationCode: string;
  kind: CareRelationshipKind;
  since: Date;
  /** For registrations: the last one at the organization. */
  lastSeenAt: Date;
  /** For registrations: the latest care (a visit) the organization recorded for the resident; null until care follows. */
  careSeenAt?: Date | null;
  /** The end recorded with it; null: none (a registration ends by its windows, any other kind at the longest it can last). */
  endsAt: Date | null;
  /** Break-the-glass: the practitioner the grant belongs to. */
  practitionerId?: string | null;
  /** Where it arose: the subgraph and the record there. */
  source?: { subgraph: string; recordId: string };
  /** The legitimate root it rests on. */
  root?: StandingRoot;
}

/** The kind of root each kind of fact rests on. */
export const ROOT_OF_KIND: Readonly<Record<CareRelationshipKind, StandingRootKind>> = {
  REGISTRATION: 'REGISTRATION',
  REFERRAL_OFFER: 'REFERRAL',
  REFERRAL: 'REFERRAL',
  CONTRACT: 'RESIDENT',
  DISPENSING: 'PRESCRIPTION',
  BREAK_GLASS: 'EMERGENCY',
  NURSING: 'NURSING_ORDER',
};

/** The root of a fact stored before roots were recorded: its kind's, resting on its own organization. */
export function rootRecordedBeforeRoots(kind: CareRelationshipKind, organizationCode: string): StandingRoot {
  return { kind: ROOT_OF_KIND[kind], organizationCode, basis: 'recorded before roots' };
}

/** What a resident chose to keep private. */
export interface ConsentFact {
  residentId: string;
  restrictedCategories: SensitiveCategory[];
  blockedOrganizations: string[];
}

export interface PolicySettings {
  /** How long after the last care (a visit) it recorded an organization keeps the standing its registration gave. */
  encounterWindowDays: number;
  /** How long a registration gives standing when no care follows at the organization (default 30). */
  registrationWindowDays?: number;
  /** Whether a break-the-glass grant also opens restricted categories and blocked organizations. */
  breakGlassOverridesConsent?: boolean;
  /** How long a break-the-glass grant lasts. */
  breakGlassHours?: number;
  /** How long an accepted referral keeps the receiver's relationship after it is completed (default 90). */
  referralWindowDays?: number;
  /** How long an accepted referral that is never completed lasts after its session or acceptance (default 180). */
  referralOpenDays?: number;
  /** How long a pharmacy keeps standing after dispensing when the prescription is never completed (default 30). */
  dispensingDays?: number;
}

export const DEFAULT_REFERRAL_OPEN_DAYS = 180;
export const DEFAULT_DISPENSING_DAYS = 30;
export const DEFAULT_BREAK_GLASS_HOURS = 4;
/** How long a referral offer waits for the receiver's answer. */
export const REFERRAL_OFFER_DAYS = 7;
/** The longest term a family-doctor contract may be signed for (three years). */
export const CONTRACT_LONGEST_DAYS = 3 * 366;
/** The longest a home nursing order stays open, and so the longest its centre's standing lasts. */
export const NURSING_ORDER_DAYS = 30;

/** Where an accepted referral ends if it is never completed: the open window after its session, or its acceptance when it has none (or that is later). */
export function acceptedReferralEnd(acceptedAt: Date, sessionDate: Date | null, settings: PolicySettings): Date {
  const from = Math.max(acceptedAt.getTime(), sessionDate?.getTime() ?? 0);
  return new Date(from + (settings.referralOpenDays ?? DEFAULT_REFERRAL_OPEN_DAYS) * DAY_MS);
}

/** Where a pharmacy's standing ends after it dispensed, if it never completes the prescription. */
export function dispensedEnd(dispensedAt: Date, settings: PolicySettings): Date {
  return new Date(dispensedAt.getTime() + (settings.dispensingDays ?? DEFAULT_DISPENSING_DAYS) * DAY_MS);
}

export type Outcome = 'allowed' | 'denied';

export interface Decision {
  outcome: Outcome;
  reason: string;
  /** Set when access rests on an emergency grant: such reads are audited as emergencies. */
  emergency?: boolean;
  /** The kind of fact an allowed decision rests on (recorded as the root of what a write derives from it). */
  basis?: CareRelationshipKind;
}

const CLINICAL_KINDS: ReadonlySet<DataKind> = new Set([
  'nursing',
  'demographics',
  'encounters',
  'conditions',
  'allergies',
  'labs',
  'prescriptions',
  'referrals',
  'care-relationships',
]);
/**
 * A family doctor follows up their contracted residents' calls to the 12320 hotline (a crisis
 * intervention above all), under the resident's consent like any clinical item; other
 * clinicians do not read them: a call is the resident's word to the hotline, not care.
 */
const FAMILY_DOCTOR_KINDS: ReadonlySet<DataKind> = new Set([...CLINICAL_KINDS, 'hotline-calls']);
/** Whose residents a hospital's own system handles: their identity (demographics, the index). */
const HOSPITAL_SYSTEM_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'identity']);
/**
 * What privacy officers review: whose record it is (demographics, the master patient index),
 * who may see it, who saw it and what the resident chose, never the clinical record itself.
 * Demographics let them reach a resident's consent and access log through `resident(id)`.
 */
const OVERSIGHT_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'access-log', 'care-relationships', 'identity', 'consent']);
/** Kinds an internet hospital needs to renew prescriptions. */
const INTERNET_HOSPITAL_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'prescriptions', 'care-relationships', 'allergies', 'conditions', 'nursing']);
/** The minimum a pharmacy needs to review, dispense and deliver a prescription chosen for it. */
const PHARMACIST_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'prescriptions', 'allergies', 'conditions']);
/** What a referral offered (not yet accepted) shows the receiving organization. */
const REFERRAL_OFFER_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'referrals']);
/**
 * What an open home nursing order shows the centre it is placed with: whom to visit, the order,
 * and what a nurse must check before a procedure (allergies, prescriptions). Not encounters,
 * conditions, labs or referrals; consent still leaves out restricted items of these kinds.
 */
export const NURSING_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'allergies', 'prescriptions', 'nursing']);
/** Relationships that give full, ordinary standing (an offer, dispensing and an emergency grant do not). */
export const ORDINARY_STANDING: readonly CareRelationshipKind[] = ['REGISTRATION', 'REFERRAL', 'CONTRACT'];
const STANDING = ORDINARY_STANDING;
/** What an organization's reads rest on: ordinary standing, an offer (for what it shows) or the practitioner's own grant. */
const READ_STANDING: readonly CareRelationshipKind[] = [...STANDING, 'REFERRAL_OFFER', 'BREAK_GLASS'];
/** A community health centre's clinicians also read by an open nursing order placed with the centre (for NURSING_KINDS only). */
const CENTRE_READ_STANDING: readonly CareRelationshipKind[] = [...READ_STANDING, 'NURSING'];

/**
 * The kinds of a resident's data each organization's role reads, and the facts that give it
 * standing to. Dispensing gives the pharmacy what dispensing needs and nobody else anything.
 */
const READ_RULES: Partial<Record<Role, { kinds: ReadonlySet<DataKind>; standing: readonly CareRelationshipKind[] }>> = {
  doctor: { kinds: CLINICAL_KINDS, standing: READ_STANDING },
  family_doctor: { kinds: FAMILY_DOCTOR_KINDS, standing: CENTRE_READ_STANDING },
  internet_hospital: { kinds: INTERNET_HOSPITAL_KINDS, standing: READ_STANDING },
  pharmacist: { kinds: PHARMACIST_KINDS, standing: ['DISPENSING'] },
  hospital_system: { kinds: HOSPITAL_SYSTEM_KINDS, standing: READ_STANDING },
};
const DAY_MS = 86_400_000;
export const DEFAULT_REGISTRATION_WINDOW_DAYS = 30;

/** Roles whose access depends on care relationships, which must be loaded for them. */
export function needsCareRelationships(viewer: Viewer): boolean {
  return hasRole(viewer, 'doctor', 'family_doctor', 'internet_hospital', 'hospital_system', 'pharmacist') && viewer.organizationCode !== undefined;
}

export function isOwnRecord(viewer: Viewer, residentId: string): boolean {
  return hasRole(viewer, 'resident') && viewer.residentId === residentId;
}

export function decide(input: {
  viewer: Viewer;
  residentId: string;
  kind: DataKind;
  relationships: readonly CareRelationshipFact[];
  consent: ConsentFact | null;
  now: Date;
  settings: PolicySettings;
}): Decision {
  const { viewer, residentId, kind } = input;

  if (isOwnRecord(viewer, residentId) && kind !== 'identity' && kind !== 'break-glass') return allow('own record');
  if (OVERSIGHT_KINDS.has(kind) && hasRole(viewer, 'privacy_officer')) return allow('privacy oversight');
  if (kind === 'access-log' || kind === 'consent') return deny('for the resident and privacy officers');
  if (kind === 'break-glass') return decideWrite({ ...input, write: 'break-glass' });
  // Each of the viewer's roles is a way in; the best one decides (ordinary standing before a grant).
  const ways = viewer.roles.flatMap((role) => {
    const rule = READ_RULES[role];
    return rule?.kinds.has(kind) ? [relationshipDecision(input, rule.standing)] : [];
  });
  if (ways.length === 0) return deny('role may not read this of a resident’s record');
  return ways.find((way) => way.outcome === 'allowed' && !way.emergency) ?? ways.find((way) => way.outcome === 'allowed') ?? ways[0]!;
}

function relationshipDecision(
  { viewer, residentId, kind, relationships, consent, now, settings }: Parameters<typeof decide>[0],
  kinds: readonly CareRelationshipKind[],
): Decision {
  const active = relationships.filter(
    (fact) =>
      fact.residentId === residentId &&
      fact.organizationCode === viewer.organizationCode &&
      kinds.includes(fact.kind) &&
      (fact.kind !== 'REFERRAL_OFFER' || REFERRAL_OFFER_KINDS.has(kind)) &&
      (fact.kind !== 'NURSING' || NURSING_KINDS.has(kind)) &&
      isActive(fact, now, settings),
  );
  const ordinary = active.find((fact) => fact.kind !== 'BREAK_GLASS');
  // An emergency grant is the asking practitioner's alone.
  const emergency = active.find((fact) => fact.kind === 'BREAK_GLASS' && !!viewer.practitionerId && fact.practitionerId === viewer.practitionerId);
  const blocked = consent?.blockedOrganizations.includes(viewer.organizationCode ?? '') ?? false;
  if (ordinary && !blocked) return { outcome: 'allowed', reason: `care relationship (${ordinary.kind.toLowerCase()})`, basis: ordinary.kind };
  if (emergency && (!blocked || settings.breakGlassOverridesConsent))
    return { outcome: 'allowed', reason: 'break-the-glass grant', emergency: true, basis: 'BREAK_GLASS' };
  // The same reason either way: a caller learns nothing of the resident's choices.
  return deny('no care relationship with this resident');
}

/**
 * What a mutation writes about a resident. Every write is decided here before anything is
 * written, and no write creates the standing it needs: standing arises only from the sources
 * in CARE_RELATIONSHIP_KINDS (registration, an accepted referral or contract, dispensing,
 * break-the-glass), each recorded where it arises with its root. An emergency grant is the
 * clinician's alone: under it a clinician may order, prescribe and sign for their own care of
 * the resident, but no write that would give another organization or colleague standing
 * (a referral, routing to a pharmacy, a contract) rests on it.
 */
export const WRITE_KINDS = [
  'register',
  'record-clinical',
  'file-prescription',
  'submit-lab-report',
  'check-order',
  'acknowledge-critical-result',
  'prescribe',
  'route-to-pharmacy',
  'dispense',
  'refer',
  'receive-referral',
  'offer-contract',
  'accept-contract',
  'set-consent',
  'break-glass',
  'book-appointment',
  'book-appointment-by-phone',
  'book-in-clinic',
  'record-hotline-call',
  'handle-work-order',
  'order-nursing',
  'order-nursing-for-patient',
  'provide-nursing',
  'book-hospital-resource',
  'file-hospital-result',
  'settle',
  'book-checkup',
] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

interface WriteRule {
  roles: readonly Role[];
  /** none: no standing needed (the write is where standing arises, or it grants and reads nothing); own-record: the resident's own. */
  standing: 'none' | 'own-record' | readonly CareRelationshipKind[];
  /** The kind of data the write is about, as audited. */
  data: DataKind;
  /** The token must name the practitioner (the act is personal: a signature, a grant, a contract). */
  practitioner?: boolean;
}

const CLINICIANS: readonly Role[] = ['doctor', 'family_doctor'];
const CLINICAL_STANDING: readonly CareRelationshipKind[] = [...STANDING, 'BREAK_GLASS'];

export const WRITE_RULES: Readonly<Record<WriteKind, WriteRule>> = {
  register: { roles: ['hospital_system'], standing: 'none', data: 'registration' },
  'record-clinical': { roles: ['hospital_system'], standing: STANDING, data: 'encounters' },
  // A prescription the hospital's own pharmacy dispensed, filed afterwards: a finished record, like an encounter.
  'file-prescription': { roles: ['hospital_system'], standing: STANDING, data: 'prescriptions' },
  'submit-lab-report': { roles: ['lab_system'], standing: STANDING, data: 'labs' },
  'check-order': { roles: CLINICIANS, standing: CLINICAL_STANDING, data: 'labs' },
  // Acknowledging a critical result pushed to the caller's organization: personal (who read it is recorded), and it grants nothing.
  'acknowledge-critical-result': { roles: CLINICIANS, standing: CLINICAL_STANDING, data: 'labs', practitioner: true },
  prescribe: { roles: [...CLINICIANS, 'internet_hospital'], standing: CLINICAL_STANDING, data: 'prescriptions' },
  // Routing gives the chosen pharmacy standing (dispensing): it needs ordinary standing, never an emergency grant.
  'route-to-pharmacy': { roles: [...CLINICIANS, 'internet_hospital'], standing: STANDING, data: 'prescriptions' },
  dispense: { roles: ['pharmacist'], standing: ['DISPENSING'], data: 'prescriptions' },
  // A referral gives the receiver standing: it needs ordinary standing, never an emergency grant.
  refer: { roles: CLINICIANS, standing: STANDING, data: 'referrals' },
  'receive-referral': { roles: CLINICIANS, standing: ['REFERRAL_OFFER', ...STANDING], data: 'referrals' },
  'offer-contract': { roles: ['family_doctor'], standing: STANDING, data: 'referrals', practitioner: true },
  'accept-contract': { roles: ['resident'], standing: 'own-record', data: 'referrals' },
  'set-consent': { roles: ['resident'], standing: 'own-record', data: 'consent' },
  'break-glass': { roles: CLINICIANS, standing: 'none', data: 'break-glass', practitioner: true },
  // Appointments: a place in the public share, which grants nobody standing (the hospital gains
  // it when the resident registers at its desk). The resident books for themselves; the 12320
  // hotline books for any caller, as the phone line serves anyone, and reads nothing; a
  // hospital's own system books in the clinic for a resident it already cares for.
  'book-appointment': { roles: ['resident'], standing: 'own-record', data: 'appointments' },
  'book-appointment-by-phone': { roles: ['hotline_operator'], standing: 'none', data: 'appointments' },
  'book-in-clinic': { roles: ['hospital_system'], standing: STANDING, data: 'appointments' },
  // The 12320 hotline records the calls it accepts (about any caller, as the phone line serves
  // anyone; recording reads nothing and gives nobody standing) and handles its work orders.
  'record-hotline-call': { roles: ['hotline_operator'], standing: 'none', data: 'hotline-calls' },
  'handle-work-order': { roles: ['hotline_operator'], standing: 'none', data: 'hotline-calls' },
  // Home nursing: an order gives the centre standing (NURSING), so it rests on the resident's own
  // act or an internet hospital's ordinary standing, never an emergency grant. The centre acts on
  // the order (accept, refuse, visit, complete) on that standing alone, as a nurse's visit needs.
  'order-nursing': { roles: ['resident'], standing: 'own-record', data: 'nursing' },
  'order-nursing-for-patient': { roles: ['internet_hospital'], standing: STANDING, data: 'nursing' },
  'provide-nursing': { roles: ['family_doctor'], standing: ['NURSING'], data: 'nursing' },
  // A family doctor books a hospital's exam place or virtual bed for a resident under contract
  // with the centre; the booking gives the hospital standing (an accepted referral's), so it rests
  // on the contract, never on an emergency grant. The hospital's systems file the result back.
  'book-hospital-resource': { roles: ['family_doctor'], standing: ['CONTRACT'], data: 'referrals', practitioner: true },
  'file-hospital-result': { roles: ['doctor', 'hospital_system', 'lab_system'], standing: STANDING, data: 'referrals' },
  // One-stop settlement: an institution settles (and refunds) what it provided to a resident it
  // cares for; a settlement grants nobody standing.
  settle: { roles: ['hospital_system', 'internet_hospital'], standing: STANDING, data: 'settlements' },
  // Check-ups: the resident books, pays and cancels their own; the booking gives the centre no standing.
  'book-checkup': { roles: ['resident'], standing: 'own-record', data: 'appointments' },
};

/** Whether the viewer holds a role the write is for (its standing is still to be decided). */
export function holdsRoleFor(viewer: Viewer, write: WriteKind): boolean {
  return hasRole(viewer, ...WRITE_RULES[write].roles);
}

/** May the viewer write `write` about the resident? Deny by default; the same facts as reads. */
export function decideWrite(input: Omit<Parameters<typeof decide>[0], 'kind'> & { write: WriteKind }): Decision {
  const { viewer, residentId, write } = input;
  const rule = WRITE_RULES[write];
  if (!holdsRoleFor(viewer, write)) return deny(`${write} is not for this role`);
  if (rule.standing === 'own-record') return isOwnRecord(viewer, residentId) ? allow('own record') : deny('for the resident only');
  if (!viewer.organizationCode) return deny('an organization is required');
  if (rule.practitioner && !viewer.practitionerId) return deny('the token names no practitioner');
  if (rule.standing === 'none') return allow(`${write} needs no standing`);
  return relationshipDecision({ ...input, kind: rule.data }, rule.standing);
}

const allow = (reason: string): Decision => ({ outcome: 'allowed', reason });
const deny = (reason: string): Decision => ({ outcome: 'denied', reason });

/** Whether a fact gives standing at `now`: begun, and not yet at its end. */
export function isActive(fact: CareRelationshipFact, now: Date, settings: PolicySettings): boolean {
  return fact.since.getTime() <= now.getTime() && effectiveEnd(fact, settings).getTime() >= now.getTime();
}

/**
 * When a fact ends. A registration gives standing for the registration window after the last
 * registration at the desk, and, once care (a visit) follows there, for the care window after
 * the latest care; a registration that also carries an end (ended by a merge, say) ends then.
 * Every other kind ends at its recorded end. Every kind ends: a fact stored without an end (one
 * written before ends were recorded, say) lasts no longer than its kind can from its start.
 */
export function effectiveEnd(fact: CareRelationshipFact, settings: PolicySettings): Date {
  if (fact.kind !== 'REGISTRATION') return fact.endsAt ?? new Date(fact.since.getTime() + longestLife(fact.kind, settings));
  const registrationDays = settings.registrationWindowDays ?? DEFAULT_REGISTRATION_WINDOW_DAYS;
  const byRegistration = fact.lastSeenAt.getTime() + registrationDays * DAY_MS;
  const byCare = fact.careSeenAt ? fact.careSeenAt.getTime() + settings.encounterWindowDays * DAY_MS : -Infinity;
  const end = Math.max(byRegistration, byCare);
  return new Date(fact.endsAt ? Math.min(end, fact.endsAt.getTime()) : end);
}

/** The longest a fact of each kind can last from its start, in milliseconds. */
function longestLife(kind: Exclude<CareRelationshipKind, 'REGISTRATION'>, settings: PolicySettings): number {
  switch (kind) {
    case 'REFERRAL_OFFER':
      return REFERRAL_OFFER_DAYS * DAY_MS;
    case 'REFERRAL':
      return (settings.referralOpenDays ?? DEFAULT_REFERRAL_OPEN_DAYS) * DAY_MS;
    case 'CONTRACT':
      return CONTRACT_LONGEST_DAYS * DAY_MS;
    case 'DISPENSING':
      return (settings.dispensingDays ?? DEFAULT_DISPENSING_DAYS) * DAY_MS;
    case 'BREAK_GLASS':
      return (settings.breakGlassHours ?? DEFAULT_BREAK_GLASS_HOURS) * 3_600_000;
    case 'NURSING':
      return NURSING_ORDER_DAYS * DAY_MS;
  }
}

/**
 * Whether one item of an allowed record may be shown. Items in a category the resident
 * restricted are omitted for everyone but the resident and the organization the item came
 * from (and, where configured, an emergency grant).
 */
export function mayDiscloseItem(input: {
  viewer: Viewer;
  residentId: string;
  consent: ConsentFact | null;
  sensitivity: SensitiveCategory | null;
  itemOrganizationCode: string;
  emergency: boolean;
  settings: PolicySettings;
}): boolean {
  const { viewer, residentId, consent, sensitivity } = input;
  if (sensitivity === null || !consent?.restrictedCategories.includes(sensitivity)) return true;
  if (isOwnRecord(viewer, residentId) || input.itemOrganizationCode === viewer.organizationCode) return true;
  return input.emergency && input.settings.breakGlassOverridesConsent === true;
}

/** The purpose an audit records: an emergency grant makes any read an emergency. */
export function auditedPurpose(viewer: Viewer, decision: Decision): PurposeOfUse {
  return decision.emergency ? 'emergency' : viewer.purposeOfUse;
}

/** Full ID number and phone are shown to the resident only; everyone else sees them masked. */
export function mayUnmaskIdentifiers(viewer: Viewer, residentId: string): boolean {
  return isOwnRecord(viewer, residentId);
}
