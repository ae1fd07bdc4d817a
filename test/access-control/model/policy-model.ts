/**
 * A reference model of who may read and write what, written from docs/authorization.md
 * (its tables are copied here as data) and not from access-control/policy.ts. It is meant to be
 * small enough to check by reading; the differential test holds the policy to it.
 *
 * Only the policy's types are imported: every rule below is the docs' own.
 */
import type { CareRelationshipFact, CareRelationshipKind, ConsentFact, DataKind, PolicySettings, WriteKind } from '../../../access-control/policy';
import type { SensitiveCategory } from '../../../access-control/sensitivity';
import type { Role, Viewer } from '../../../access-control/viewer';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Everything a decision may depend on: the facts as stored (under any id), merges and the clock. */
export interface ModelWorld {
  facts: readonly CareRelationshipFact[];
  consents: readonly ConsentFact[];
  /** Merged id → the survivor it stands for (a survivor is never itself merged). */
  merges: Readonly<Record<string, string>>;
  now: Date;
  settings: PolicySettings;
}

export interface ModelDecision {
  allowed: boolean;
  /** The access rests on an emergency grant alone (audited as an emergency). */
  emergency: boolean;
}

// "Who reads what": own, all, standing, dispensing; a missing cell is "—".
type Access = 'own' | 'all' | 'standing' | 'dispensing';
export const MODEL_READ_KINDS = [
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
  'identity',
  'hotline-calls',
] as const satisfies readonly DataKind[];
type ReadKind = (typeof MODEL_READ_KINDS)[number];

const S = 'standing';
const CLINICIAN_READS = {
  demographics: S,
  encounters: S,
  conditions: S,
  allergies: S,
  labs: S,
  prescriptions: S,
  referrals: S,
  'care-relationships': S,
} as const;
const READS: Record<Role, Partial<Record<ReadKind, Access>>> = {
  doctor: CLINICIAN_READS,
  family_doctor: { ...CLINICIAN_READS, 'hotline-calls': S },
  internet_hospital: { demographics: S, conditions: S, allergies: S, prescriptions: S, 'care-relationships': S },
  pharmacist: { demographics: 'dispensing', conditions: 'dispensing', allergies: 'dispensing', prescriptions: 'dispensing' },
  resident: {
    demographics: 'own',
    encounters: 'own',
    conditions: 'own',
    allergies: 'own',
    labs: 'own',
    prescriptions: 'own',
    referrals: 'own',
    'care-relationships': 'own',
    consent: 'own',
    'access-log': 'own',
    'hotline-calls': 'own',
  },
  lab_system: {},
  hospital_system: { demographics: S, identity: S },
  health_commission: {},
  privacy_officer: { demographics: 'all', 'care-relationships': 'all', consent: 'all', 'access-log': 'all', identity: 'all' },
  hotline_operator: {},
};

// "Who writes what".
const ORDINARY: readonly CareRelationshipKind[] = ['REGISTRATION', 'REFERRAL', 'CONTRACT'];
const WITH_GRANT: readonly CareRelationshipKind[] = [...ORDINARY, 'BREAK_GLASS'];
interface WriteRow {
  roles: readonly Role[];
  standing: 'none' | 'own-record' | readonly CareRelationshipKind[];
  practitioner: boolean;
}
const row = (roles: Role[], standing: WriteRow['standing'], practitioner = false): WriteRow => ({ roles, standing, practitioner });
const WRITES: Record<WriteKind, WriteRow> = {
  register: row(['hospital_system'], 'none'),
  'record-clinical': row(['hospital_system'], ORDINARY),
  'file-prescription': row(['hospital_system'], ORDINARY),
  'submit-lab-report': row(['lab_system'], ORDINARY),
  'check-order': row(['doctor', 'family_doctor'], WITH_GRANT),
  'acknowledge-critical-result': row(['doctor', 'family_doctor'], WITH_GRANT, true),
  prescribe: row(['doctor', 'family_doctor', 'internet_hospital'], WITH_GRANT),
  'route-to-pharmacy': row(['doctor', 'family_doctor', 'internet_hospital'], ORDINARY),
  dispense: row(['pharmacist'], ['DISPENSING']),
  refer: row(['doctor', 'family_doctor'], ORDINARY),
  'receive-referral': row(['doctor', 'family_doctor'], ['REFERRAL_OFFER', ...ORDINARY]),
  'offer-contract': row(['family_doctor'], ORDINARY, true),
  'accept-contract': row(['resident'], 'own-record'),
  'set-consent': row(['resident'], 'own-record'),
  'break-glass': row(['doctor', 'family_doctor'], 'none', true),
  'book-appointment': row(['resident'], 'own-record'),
  'book-appointment-by-phone': row(['hotline_operator'], 'none'),
  'book-in-clinic': row(['hospital_system'], ORDINARY),
  'record-hotline-call': row(['hotline_operator'], 'none'),
  'handle-work-order': row(['hotline_operator'], 'none'),
  'order-nursing': row(['resident'], 'own-record'),
  'order-nursing-for-patient': row(['internet_hospital'], ORDINARY),
  'provide-nursing': row(['family_doctor'], ['NURSING']),
  'book-hospital-resource': row(['family_doctor'], ['CONTRACT'], true),
  'file-hospital-result': row(['doctor', 'hospital_system', 'lab_system'], ORDINARY),
  settle: row(['hospital_system', 'internet_hospital'], ORDINARY),
  'book-checkup': row(['resident'], 'own-record'),
};

/** "Care relationships", ends column; a kind whose end was never recorded ends at its longest. */
export function modelEnd(fact: CareRelationshipFact, settings: PolicySettings): Date {
  const after = (from: Date, ms: number) => new Date(from.getTime() + ms);
  if (fact.kind === 'REGISTRATION') {
    // 30 days after the last registration, or the care window after the latest visit, whichever is later.
    const byRegistration = after(fact.lastSeenAt, (settings.registrationWindowDays ?? 30) * DAY);
    const byCare = fact.careSeenAt ? after(fact.careSeenAt, settings.encounterWindowDays * DAY) : byRegistration;
    // biome-ignore lint/complexity/useMathMinMax: these are Dates; Math.max would turn them into numbers
    const natural = byCare > byRegistration ? byCare : byRegistration;
    return fact.endsAt && fact.endsAt < natural ? fact.endsAt : natural;
  }
  if (fact.endsAt) return fact.endsAt;
  const longest: Record<Exclude<CareRelationshipKind, 'REGISTRATION'>, number> = {
    REFERRAL_OFFER: 7 * DAY,
    REFERRAL: (settings.referralOpenDays ?? 180) * DAY,
    CONTRACT: 3 * 366 * DAY,
    DISPENSING: (settings.dispensingDays ?? 30) * DAY,
    BREAK_GLASS: (settings.breakGlassHours ?? 4) * HOUR,
    NURSING: 30 * DAY,
  };
  return after(fact.since, longest[fact.kind]);
}

/** An accepted referral never completed: the open window after its session, or its acceptance. */
export function modelAcceptedReferralEnd(acceptedAt: Date, session: Date | null, settings: PolicySettings): Date {
  const from = session && session > acceptedAt ? session : acceptedAt;
  return new Date(from.getTime() + (settings.referralOpenDays ?? 180) * DAY);
}

/** A pharmacy's standing after it dispensed. */
export function modelDispensedEnd(dispensedAt: Date, settings: PolicySettings): Date {
  return new Date(dispensedAt.getTime() + (settings.dispensingDays ?? 30) * DAY);
}

/** Merges: every id stands for its survivor; what is filed under any of them is the survivor's. */
const personOf = (world: ModelWorld, id: string) => world.merges[id] ?? id;

function consentOf(world: ModelWorld, person: string) {
  const own = world.consents.filter((consent) => personOf(world, consent.residentId) === person);
  return { restricted: own.flatMap((consent) => consent.restrictedCategories), blocked: own.flatMap((consent) => consent.blockedOrganizations) };
}

const isOwn = (world: ModelWorld, viewer: Viewer, person: string) =>
  viewer.roles.includes('resident') && viewer.residentId !== undefined && personOf(world, viewer.residentId) === person;

/**
 * Standing of the viewer's organization with the person through facts of the given kinds that
 * hold now. An emergency grant is its practitioner's alone; a blocked organization has no
 * standing, except through a grant when grants override consent.
 */
function standing(world: ModelWorld, viewer: Viewer, person: string, kinds: readonly CareRelationshipKind[]): ModelDecision {
  const org = viewer.organizationCode;
  if (org === undefined) return { allowed: false, emergency: false };
  const holding = world.facts.filter(
    (fact) =>
      personOf(world, fact.residentId) === person &&
      fact.organizationCode === org &&
      kinds.includes(fact.kind) &&
      fact.since <= world.now &&
      world.now <= modelEnd(fact, world.settings) &&
      (fact.kind !== 'BREAK_GLASS' || (!!viewer.practitionerId && fact.practitionerId === viewer.practitionerId)),
  );
  const blocked = consentOf(world, person).blocked.includes(org);
  const byOther = holding.some((fact) => fact.kind !== 'BREAK_GLASS');
  const byGrant = holding.some((fact) => fact.kind === 'BREAK_GLASS');
  if (byOther && !blocked) return { allowed: true, emergency: false };
  if (byGrant && (!blocked || world.settings.breakGlassOverridesConsent === true)) return { allowed: true, emergency: true };
  return { allowed: false, emergency: false };
}

/**
 * What standing counts for a read: an offer shows the referral and whom it is about, nothing
 * else; an open nursing order shows the centre's clinicians (family doctors) whom to visit,
 * allergies and prescriptions.
 */
function standingForRead(kind: ReadKind, role: Role): CareRelationshipKind[] {
  const offer: CareRelationshipKind[] = kind === 'demographics' || kind === 'referrals' ? ['REFERRAL_OFFER'] : [];
  const visit = kind === 'demographics' || kind === 'allergies' || kind === 'prescriptions';
  const nursing: CareRelationshipKind[] = role === 'family_doctor' && visit ? ['NURSING'] : [];
  return [...WITH_GRANT, ...offer, ...nursing];
}

const DENY: ModelDecision = { allowed: false, emergency: false };

/** The best of several ways in: allowed if any allows, an emergency only if every way in is one. */
function best(decisions: ModelDecision[]): ModelDecision {
  const allowed = decisions.filter((decision) => decision.allowed);
  if (allowed.length === 0) return DENY;
  return { allowed: true, emergency: allowed.every((decision) => decision.emergency) };
}

/** May the viewer read `kind` of the resident's record? Each role the viewer holds is a way in. */
export function modelRead(world: ModelWorld, viewer: Viewer, residentId: string, kind: ReadKind): ModelDecision {
  const person = personOf(world, residentId);
  return best(
    viewer.roles.map((role) => {
      const access = READS[role][kind];
      if (access === 'all') return { allowed: true, emergency: false };
      if (access === 'own') return { allowed: isOwn(world, viewer, person), emergency: false };
      if (access === 'standing') return standing(world, viewer, person, standingForRead(kind, role));
      if (access === 'dispensing') return standing(world, viewer, person, ['DISPENSING']);
      return DENY;
    }),
  );
}

/**
 * May the viewer write `write` about the resident? A write on behalf of an organization (all
 * but the resident's own) needs the token to name it; a personal act needs the practitioner.
 */
export function modelWrite(world: ModelWorld, viewer: Viewer, residentId: string, write: WriteKind): ModelDecision {
  const rule = WRITES[write];
  if (!viewer.roles.some((role) => rule.roles.includes(role))) return DENY;
  const person = personOf(world, residentId);
  if (rule.standing === 'own-record') return { allowed: isOwn(world, viewer, person), emergency: false };
  if (viewer.organizationCode === undefined) return DENY;
  if (rule.practitioner && viewer.practitionerId === undefined) return DENY;
  if (rule.standing === 'none') return { allowed: true, emergency: false };
  return standing(world, viewer, person, rule.standing);
}

/**
 * Consent: an item in a category the resident restricted is shown only to the resident, to the
 * organization it belongs to and, when grants override consent, under an emergency grant.
 */
export function modelShowsItem(
  world: ModelWorld,
  viewer: Viewer,
  residentId: string,
  item: { sensitivity: SensitiveCategory | null; organizationCode: string; underEmergencyGrant: boolean },
): boolean {
  const person = personOf(world, residentId);
  if (item.sensitivity === null || !consentOf(world, person).restricted.includes(item.sensitivity)) return true;
  if (isOwn(world, viewer, person) || item.organizationCode === viewer.organizationCode) return true;
  return item.underEmergencyGrant && world.settings.breakGlassOverridesConsent === true;
}
