/**
 * The one authorization decision for residents' data. Pure: it is handed the viewer, the
 * resident, the kind of data and the facts loaded for this request (care relationships and
 * the resident's consent), and touches nothing else, so root queries, nested fields, entity
 * fetches and exports all decide the same way.
 */
import type { SensitiveCategory } from './sensitivity';
import { hasRole, type PurposeOfUse, type Viewer } from './viewer';

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
] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/**
 * REGISTRATION: the resident registered at the organization's desk. BREAK_GLASS: an
 * emergency grant, time-boxed by endsAt and reviewed by privacy officers. DISPENSING: a
 * pharmacy chosen to dispense a prescription, until the prescription's validity ends.
 */
export const CARE_RELATIONSHIP_KINDS = ['ENCOUNTER', 'REGISTRATION', 'CONTRACT', 'REFERRAL', 'BREAK_GLASS', 'DISPENSING'] as const;
export type CareRelationshipKind = (typeof CARE_RELATIONSHIP_KINDS)[number];

/** A reason an organization may see a resident's record, as recorded where it arose. */
export interface CareRelationshipFact {
  residentId: string;
  organizationCode: string;
  kind: CareRelationshipKind;
  since: Date;
  /** For encounters and registrations: the last one at the organization. */
  lastSeenAt: Date;
  /** For contracts, referrals and break-the-glass grants: when it ends; null while open. */
  endsAt: Date | null;
}

/** What a resident chose to keep private. */
export interface ConsentFact {
  residentId: string;
  restrictedCategories: SensitiveCategory[];
  blockedOrganizations: string[];
}

export interface PolicySettings {
  /** How long after the last encounter an organization keeps access. */
  encounterWindowDays: number;
  /** Whether a break-the-glass grant also opens restricted categories and blocked organizations. */
  breakGlassOverridesConsent?: boolean;
  /** How long a break-the-glass grant lasts. */
  breakGlassHours?: number;
}

export type Outcome = 'allowed' | 'denied';

export interface Decision {
  outcome: Outcome;
  reason: string;
  /** Set when access rests on an emergency grant: such reads are audited as emergencies. */
  emergency?: boolean;
}

const CLINICAL_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'encounters', 'conditions', 'allergies', 'labs', 'prescriptions', 'referrals', 'care-relationships']);
/** What privacy officers review: who may see and who saw a record, never the record itself. */
const OVERSIGHT_KINDS: ReadonlySet<DataKind> = new Set(['access-log', 'care-relationships', 'identity', 'consent']);
/** Kinds an internet hospital needs to renew prescriptions. */
const INTERNET_HOSPITAL_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'prescriptions', 'care-relationships', 'allergies', 'conditions']);
/** The minimum a pharmacy needs to review, dispense and deliver a prescription chosen for it. */
const PHARMACIST_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'prescriptions', 'allergies', 'conditions']);
const DAY_MS = 86_400_000;

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
  if (kind === 'identity') {
    return hasRole(viewer, 'hospital_system') ? relationshipDecision(input) : deny('identity administration is for hospital systems and privacy officers');
  }
  if (kind === 'break-glass') return hasRole(viewer, 'doctor', 'family_doctor') && viewer.organizationCode ? allow('emergency access requested') : deny('only clinicians break the glass');
  if (!CLINICAL_KINDS.has(kind) || !needsCareRelationships(viewer)) return deny('role may not read residents’ clinical data');
  const clinician = hasRole(viewer, 'doctor', 'family_doctor');
  if (!clinician && hasRole(viewer, 'internet_hospital') && !INTERNET_HOSPITAL_KINDS.has(kind)) return deny('internet hospitals see what prescription renewal needs');
  if (!clinician && !hasRole(viewer, 'internet_hospital') && hasRole(viewer, 'pharmacist')) {
    return PHARMACIST_KINDS.has(kind) ? relationshipDecision(input, ['DISPENSING']) : deny('pharmacies see what dispensing needs');
  }
  if (!clinician && !hasRole(viewer, 'internet_hospital') && kind !== 'demographics') {
    return deny('hospital systems see the identity of residents they registered, not their record');
  }
  return relationshipDecision(input);
}

function relationshipDecision({ viewer, residentId, relationships, consent, now, settings }: Parameters<typeof decide>[0], kinds?: CareRelationshipKind[]): Decision {
  const active = relationships.filter(
    (fact) =>
      fact.residentId === residentId && fact.organizationCode === viewer.organizationCode && (!kinds || kinds.includes(fact.kind)) && isActive(fact, now, settings),
  );
  const ordinary = active.find((fact) => fact.kind !== 'BREAK_GLASS');
  const emergency = active.find((fact) => fact.kind === 'BREAK_GLASS');
  const blocked = consent?.blockedOrganizations.includes(viewer.organizationCode ?? '') ?? false;
  if (ordinary && !blocked) return allow(`care relationship (${ordinary.kind.toLowerCase()})`);
  if (emergency && (!blocked || settings.breakGlassOverridesConsent)) return { outcome: 'allowed', reason: 'break-the-glass grant', emergency: true };
  return deny(blocked ? 'the resident blocked this organization' : 'no care relationship with this resident');
}

const allow = (reason: string): Decision => ({ outcome: 'allowed', reason });
const deny = (reason: string): Decision => ({ outcome: 'denied', reason });

function isActive(fact: CareRelationshipFact, now: Date, settings: PolicySettings): boolean {
  if (fact.since.getTime() > now.getTime()) return false;
  if (fact.kind === 'ENCOUNTER' || fact.kind === 'REGISTRATION') {
    return now.getTime() - fact.lastSeenAt.getTime() <= settings.encounterWindowDays * DAY_MS;
  }
  return fact.endsAt === null || fact.endsAt.getTime() >= now.getTime();
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
