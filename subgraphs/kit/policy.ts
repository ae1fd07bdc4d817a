/**
 * The one authorization decision for residents' data. Pure: it is handed the viewer, the
 * resident, the kind of data and the facts loaded for this request, and touches nothing
 * else, so root queries, nested fields and entity fetches all decide the same way.
 */
import { hasRole, type Viewer } from './viewer';

export const DATA_KINDS = [
  'demographics',
  'encounters',
  'conditions',
  'allergies',
  'labs',
  'prescriptions',
  'referrals',
  'care-relationships',
  'access-log',
  /** Master patient index administration: match reviews, merges. */
  'identity',
] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** REGISTRATION: the resident registered at the organization's desk (a visit is about to happen). */
export const CARE_RELATIONSHIP_KINDS = ['ENCOUNTER', 'REGISTRATION', 'CONTRACT', 'REFERRAL'] as const;
export type CareRelationshipKind = (typeof CARE_RELATIONSHIP_KINDS)[number];

/** A reason an organization may see a resident's record, as recorded where it arose. */
export interface CareRelationshipFact {
  residentId: string;
  organizationCode: string;
  kind: CareRelationshipKind;
  since: Date;
  /** For encounters and registrations: the last one at the organization. */
  lastSeenAt: Date;
  /** For contracts and referrals: when the relationship ended; null while it is open. */
  endsAt: Date | null;
}

export interface PolicySettings {
  /** How long after the last encounter an organization keeps access. */
  encounterWindowDays: number;
}

export type Outcome = 'allowed' | 'denied';

export interface Decision {
  outcome: Outcome;
  reason: string;
}

const CLINICAL_KINDS: ReadonlySet<DataKind> = new Set(['demographics', 'encounters', 'conditions', 'allergies', 'labs', 'prescriptions', 'referrals', 'care-relationships']);
/** What privacy officers review: who may see and who saw a record, never the record itself. */
const OVERSIGHT_KINDS: ReadonlySet<DataKind> = new Set(['access-log', 'care-relationships', 'identity']);
const DAY_MS = 86_400_000;

/** Roles whose access depends on care relationships, which must be loaded for them. */
export function needsCareRelationships(viewer: Viewer): boolean {
  return hasRole(viewer, 'doctor', 'family_doctor', 'internet_hospital', 'hospital_system') && viewer.organizationCode !== undefined;
}

export function decide(input: {
  viewer: Viewer;
  residentId: string;
  kind: DataKind;
  relationships: readonly CareRelationshipFact[];
  now: Date;
  settings: PolicySettings;
}): Decision {
  const { viewer, residentId, kind, relationships, now, settings } = input;

  if (hasRole(viewer, 'resident') && viewer.residentId === residentId) {
    return { outcome: 'allowed', reason: 'own record' };
  }
  if (OVERSIGHT_KINDS.has(kind) && hasRole(viewer, 'privacy_officer')) {
    return { outcome: 'allowed', reason: 'privacy oversight' };
  }
  if (kind === 'access-log') {
    return { outcome: 'denied', reason: 'access log is for the resident and privacy officers' };
  }
  if (kind === 'identity') {
    return hasRole(viewer, 'hospital_system') ? relationshipDecision(viewer, residentId, relationships, now, settings) : deny('identity administration is for hospital systems and privacy officers');
  }
  if (!CLINICAL_KINDS.has(kind) || !needsCareRelationships(viewer)) {
    return { outcome: 'denied', reason: 'role may not read residents\u2019 clinical data' };
  }
  const clinician = hasRole(viewer, 'doctor', 'family_doctor');
  if (!clinician && hasRole(viewer, 'internet_hospital') && !['demographics', 'prescriptions', 'care-relationships'].includes(kind)) {
    return { outcome: 'denied', reason: 'internet hospitals see what prescription renewal needs' };
  }
  if (!clinician && !hasRole(viewer, 'internet_hospital') && kind !== 'demographics') {
    return { outcome: 'denied', reason: 'hospital systems see the identity of residents they registered, not their record' };
  }
  return relationshipDecision(viewer, residentId, relationships, now, settings);
}

function relationshipDecision(viewer: Viewer, residentId: string, relationships: readonly CareRelationshipFact[], now: Date, settings: PolicySettings): Decision {
  const active = relationships.find(
    (fact) => fact.residentId === residentId && fact.organizationCode === viewer.organizationCode && isActive(fact, now, settings),
  );
  return active ? { outcome: 'allowed', reason: `care relationship (${active.kind.toLowerCase()})` } : deny('no care relationship with this resident');
}

const deny = (reason: string): Decision => ({ outcome: 'denied', reason });

function isActive(fact: CareRelationshipFact, now: Date, settings: PolicySettings): boolean {
  if (fact.since.getTime() > now.getTime()) return false;
  if (fact.kind === 'ENCOUNTER' || fact.kind === 'REGISTRATION') {
    return now.getTime() - fact.lastSeenAt.getTime() <= settings.encounterWindowDays * DAY_MS;
  }
  return fact.endsAt === null || fact.endsAt.getTime() >= now.getTime();
}

/** Full ID number and phone are shown to the resident only; everyone else sees them masked. */
export function mayUnmaskIdentifiers(viewer: Viewer, residentId: string): boolean {
  return hasRole(viewer, 'resident') && viewer.residentId === residentId;
}
