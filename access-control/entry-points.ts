/**
 * Who may ask at all: the policy's table of entry points, beside the reads of `decide` and the
 * writes of `WRITE_RULES` (policy.ts). An entry point is a question that is about no one
 * resident (publishing a hospital's slot pools, the cockpit's scope) or the coarse gate in
 * front of the per-resident decision (reading residents' clinical records at all). Pure: the
 * repositories, resolvers and graphql-shield's rule maps (field-access.ts) all ask here, so a
 * role is named in one place only.
 */
import type { Decision } from './policy';
import type { Role, Viewer } from './viewer';

export const ENTRY_POINTS = [
  'read-residents',
  'find-residents',
  'administer-identity',
  'read-clinical-record',
  'read-prescriptions',
  'see-safety-warnings',
  'read-care-relationships',
  'see-every-organization-relationships',
  'read-own-oversight',
  'oversee',
  'see-audit-subjects',
  'cockpit-city',
  'cockpit-own-organization',
  'reminder-statistics',
  'critical-result-inbox',
  'overdue-follow-ups',
  'sign-prescription',
  'pharmacy-view',
  'act-for-pharmacy',
  'see-bookable-slots',
  'see-reserved-share',
  'book-reserved-share',
  'publish-slot-pools',
  'list-own-appointments',
  'read-nursing-orders',
  'list-own-settlements',
  'institution-settlements',
  'publish-checkup-packages',
] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

/** What the token must name besides a role. */
export const ENTRY_NEEDS = ['organization', 'practitioner', 'resident'] as const;
export type EntryNeed = (typeof ENTRY_NEEDS)[number];

export interface EntryRule {
  roles: readonly Role[];
  /** Roles that take a caller out of the entry (a pharmacist who also prescribes is not only a pharmacy). */
  unless?: readonly Role[];
  needs?: readonly EntryNeed[];
  /** What it opens, for the documentation. */
  opens: string;
  /** The FORBIDDEN message of a caller it refuses. */
  refusal: string;
}

const CLINICIANS: readonly Role[] = ['doctor', 'family_doctor'];
const PRESCRIBERS: readonly Role[] = [...CLINICIANS, 'internet_hospital'];

export const ENTRY_RULES: Readonly<Record<EntryPoint, EntryRule>> = {
  // Privacy officers reach a resident (demographics only) to review their consent and access log.
  'read-residents': {
    roles: [...PRESCRIBERS, 'resident', 'hospital_system', 'privacy_officer'],
    opens: 'a resident by id, as decided for demographics',
    refusal: 'Not permitted: residents are not open to this role',
  },
  'find-residents': {
    roles: [...CLINICIANS, 'hospital_system'],
    opens: 'finding a resident by identifier or by name and birth date',
    refusal: 'Not permitted: finding residents is not open to this role',
  },
  'administer-identity': {
    roles: ['privacy_officer', 'hospital_system'],
    opens: 'match reviews, merges and unmerges, as decided for identity',
    refusal: 'Identity administration needs a privacy officer or the registering hospital',
  },
  'read-clinical-record': {
    roles: [...CLINICIANS, 'resident'],
    opens: 'encounters, conditions, allergies, summaries, lab results, referrals and contracts, as decided per kind',
    refusal: 'Not permitted: the clinical record is not open to this role',
  },
  'read-prescriptions': {
    roles: [...PRESCRIBERS, 'pharmacist', 'resident'],
    opens: 'prescriptions, as decided for prescriptions',
    refusal: 'Not permitted: prescriptions are not open to this role',
  },
  'see-safety-warnings': {
    roles: [...PRESCRIBERS, 'pharmacist'],
    opens: 'a prescription’s safety facts and warnings',
    refusal: 'Not permitted: safety warnings are for prescribers and pharmacists',
  },
  'read-care-relationships': {
    roles: [...PRESCRIBERS, 'resident', 'privacy_officer'],
    opens: 'a resident’s care relationships, as decided for care-relationships',
    refusal: 'Not permitted: care relationships are not open to this role',
  },
  'see-every-organization-relationships': {
    roles: ['resident', 'privacy_officer'],
    opens: 'every organization’s care relationships with a resident, not only the caller’s own',
    refusal: 'Only the caller’s own organization’s relationships',
  },
  'read-own-oversight': {
    roles: ['resident', 'privacy_officer'],
    opens: 'a resident’s access log and consent, as decided for access-log and consent',
    refusal: 'For the resident and privacy officers',
  },
  oversee: {
    roles: ['privacy_officer'],
    opens: 'the audit log, break-the-glass reviews and registrations no care followed',
    refusal: 'For privacy officers',
  },
  'see-audit-subjects': {
    roles: ['privacy_officer'],
    opens: 'which staff member an audit event names (residents see the organization only)',
    refusal: 'For privacy officers',
  },
  'cockpit-city': {
    roles: ['health_commission'],
    opens: 'the cockpit’s figures for the whole city',
    refusal: 'The city’s figures are for the health commission',
  },
  'cockpit-own-organization': {
    roles: ['doctor', 'hospital_system'],
    needs: ['organization'],
    opens: 'the cockpit’s figures of the caller’s own organization',
    refusal: 'The cockpit is for the health commission and for hospitals (their own rows)',
  },
  'reminder-statistics': {
    roles: ['health_commission'],
    opens: 'the city’s duplicate-test reminder statistics',
    refusal: 'For the health commission',
  },
  'critical-result-inbox': {
    roles: CLINICIANS,
    needs: ['organization'],
    opens: 'the critical lab results pushed to the caller’s organization (each shown as decided for its report)',
    refusal: 'The critical-result inbox is for clinicians of an organization',
  },
  'overdue-follow-ups': {
    roles: ['family_doctor'],
    needs: ['organization'],
    opens: 'the overdue follow-ups of the residents contracted to the caller’s centre (each as decided for its records)',
    refusal: 'Overdue follow-ups are for the family doctors of a centre',
  },
  'sign-prescription': {
    roles: CLINICIANS,
    needs: ['practitioner'],
    opens: 'signing a prescription (and being named its prescriber)',
    refusal: 'Only a physician signs a prescription',
  },
  'pharmacy-view': {
    roles: ['pharmacist'],
    unless: PRESCRIBERS,
    opens: 'only the prescriptions chosen for the caller’s pharmacy',
    refusal: 'Not a pharmacy’s view',
  },
  'act-for-pharmacy': {
    roles: ['pharmacist'],
    needs: ['organization'],
    opens: 'acting on a prescription chosen for the caller’s pharmacy',
    refusal: 'Only the chosen pharmacy acts on this prescription',
  },
  'see-bookable-slots': {
    roles: CLINICIANS,
    opens: 'slot availability with the places the caller may book',
    refusal: 'Not permitted: slot availability is for clinicians',
  },
  'see-reserved-share': {
    roles: ['family_doctor'],
    opens: 'the reserved share counted among the places the caller may book',
    refusal: 'The reserved share is for family doctors',
  },
  'book-reserved-share': {
    roles: ['family_doctor'],
    needs: ['practitioner'],
    opens: 'booking the reserved share for a resident whose contract names the caller',
    refusal: 'The reserved share is for the resident’s contracted family doctor',
  },
  'publish-slot-pools': {
    roles: ['hospital_system'],
    needs: ['organization'],
    opens: 'publishing the slot pools of the caller’s own organization',
    refusal: 'Only a hospital’s own system publishes its slot pools',
  },
  'list-own-appointments': {
    roles: ['resident'],
    needs: ['resident'],
    opens: 'the caller’s own appointments',
    refusal: 'For residents: their own appointments',
  },
  // The ordering internet hospital follows the orders it placed, under its own standing.
  'read-nursing-orders': {
    roles: [...PRESCRIBERS, 'resident'],
    opens: 'a resident’s home nursing orders, as decided for nursing',
    refusal: 'Home nursing orders are for clinicians, internet hospitals and the resident',
  },
  'list-own-settlements': {
    roles: ['resident'],
    needs: ['resident'],
    opens: 'the caller’s own settlements and refunds',
    refusal: 'For residents: their own settlements',
  },
  'institution-settlements': {
    roles: ['hospital_system', 'internet_hospital'],
    needs: ['organization'],
    opens: 'the settlements the caller’s own institution made, and its daily reconciliation',
    refusal: 'An institution’s settlements are its own system’s',
  },
  'publish-checkup-packages': {
    roles: ['hospital_system'],
    needs: ['organization'],
    opens: 'publishing the check-up packages of the caller’s own centre',
    refusal: 'Only a check-up centre’s own system publishes its packages',
  },
};

const NAMED: Readonly<Record<EntryNeed, (viewer: Viewer) => boolean>> = {
  organization: (viewer) => !!viewer.organizationCode,
  practitioner: (viewer) => !!viewer.practitionerId,
  resident: (viewer) => !!viewer.residentId,
};

/** May the viewer use the entry point? Deny by default; the reason of a refusal is its FORBIDDEN message. */
export function decideEntry(viewer: Viewer, entry: EntryPoint): Decision {
  const rule = ENTRY_RULES[entry];
  const holds = (roles: readonly Role[]) => viewer.roles.some((role) => roles.includes(role));
  if (!holds(rule.roles) || (rule.unless && holds(rule.unless))) return { outcome: 'denied', reason: rule.refusal };
  if (rule.needs?.some((need) => !NAMED[need](viewer))) return { outcome: 'denied', reason: rule.refusal };
  return { outcome: 'allowed', reason: entry };
}

export function allowsEntry(viewer: Viewer, entry: EntryPoint): boolean {
  return decideEntry(viewer, entry).outcome === 'allowed';
}
