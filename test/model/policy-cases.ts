/**
 * Generated cases for the policy and the differential property that holds it to the model
 * (test/model/policy-model.ts): the same property runs in `npm test` with a fixed seed and in
 * `npm run fuzz:policy` with a random one.
 */
import fc from 'fast-check';
import {
  acceptedReferralEnd,
  CARE_RELATIONSHIP_KINDS,
  type CareRelationshipFact,
  type CareRelationshipKind,
  type ConsentFact,
  decide,
  decideWrite,
  dispensedEnd,
  effectiveEnd,
  mayDiscloseItem,
  type PolicySettings,
  WRITE_KINDS,
} from '../../access-control/policy';
import { SENSITIVE_CATEGORIES, type SensitiveCategory } from '../../access-control/sensitivity';
import { PURPOSES, ROLES, type Viewer } from '../../access-control/viewer';
import {
  MODEL_READ_KINDS,
  type ModelWorld,
  modelAcceptedReferralEnd,
  modelDispensedEnd,
  modelEnd,
  modelRead,
  modelShowsItem,
  modelWrite,
} from './policy-model';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-06-01T00:00:00Z');
// Few ids, so that facts, consents, merges and viewers keep meeting.
const RESIDENTS = ['R1', 'R2', 'R3'];
const ORGANIZATIONS = ['3201-H001', '3201-H002', '3201-P01'];
const PRACTITIONERS = ['P1', 'P2'];

/**
 * Times near the clock and near the windows' edges: whole days (often one of the windows),
 * hours (grants) and a millisecond either side, so "ends at" and "ends just before" both occur.
 */
const offset = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 3 },
      { arbitrary: fc.integer({ min: -40, max: 3 }), weight: 1 },
      { arbitrary: fc.constantFrom(-1098, -732, -731, -730, -181, -180, -90, -31, -30, -7), weight: 1 },
    ),
    fc.constantFrom(0, 0, 0, -4, -1, 1, 4),
    fc.constantFrom(0, 0, -1, 1),
  )
  .map(([days, hours, ms]) => days * DAY + hours * HOUR + ms);
const time = offset.map((ms) => new Date(NOW + ms));
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

export const settingsArbitrary: fc.Arbitrary<PolicySettings> = fc.record(
  {
    encounterWindowDays: fc.constantFrom(1, 30, 730),
    registrationWindowDays: fc.constantFrom(1, 7, 30),
    breakGlassOverridesConsent: fc.boolean(),
    breakGlassHours: fc.constantFrom(1, 4, 72),
    referralOpenDays: fc.constantFrom(7, 30, 180),
    dispensingDays: fc.constantFrom(7, 30),
  },
  { requiredKeys: ['encounterWindowDays'] },
);

export const viewerArbitrary: fc.Arbitrary<Viewer> = fc.record(
  {
    subject: fc.constant('fuzz'),
    roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 2 }),
    organizationCode: maybe(fc.constantFrom(...ORGANIZATIONS)),
    practitionerId: maybe(fc.constantFrom(...PRACTITIONERS)),
    residentId: maybe(fc.constantFrom(...RESIDENTS)),
    purposeOfUse: fc.constantFrom(...PURPOSES),
  },
  { requiredKeys: ['subject', 'roles', 'purposeOfUse'] },
);

export const factArbitrary: fc.Arbitrary<CareRelationshipFact> = fc.record({
  residentId: fc.constantFrom(...RESIDENTS),
  organizationCode: fc.constantFrom(...ORGANIZATIONS),
  kind: fc.constantFrom(...CARE_RELATIONSHIP_KINDS),
  since: time,
  lastSeenAt: time,
  careSeenAt: fc.option(time, { nil: null }),
  endsAt: fc.option(time, { nil: null }),
  // Stored facts say null; facts built in code may leave it out.
  practitionerId: fc.constantFrom<string | null | undefined>(null, undefined, ...PRACTITIONERS),
});

const consentArbitrary: fc.Arbitrary<ConsentFact> = fc.record({
  residentId: fc.constantFrom(...RESIDENTS),
  restrictedCategories: fc.subarray([...SENSITIVE_CATEGORIES]),
  blockedOrganizations: fc.subarray(ORGANIZATIONS),
});

/** Merged id → survivor; survivors are never merged themselves (merges are recorded flattened). */
const mergesArbitrary: fc.Arbitrary<Record<string, string>> = fc
  .array(fc.tuple(fc.constantFrom(...RESIDENTS), fc.constantFrom(...RESIDENTS)), { maxLength: 2 })
  .map((pairs) => {
    const merges: Record<string, string> = {};
    for (const [merged, survivor] of pairs) {
      if (merged !== survivor && !(survivor in merges) && !Object.values(merges).includes(merged)) merges[merged] = survivor;
    }
    return merges;
  });

export interface PolicyCase {
  world: ModelWorld;
  viewer: Viewer;
  residentId: string;
  item: { sensitivity: SensitiveCategory | null; organizationCode: string; underEmergencyGrant: boolean };
  referral: { acceptedAt: Date; session: Date | null };
}

const generatedCase: fc.Arbitrary<PolicyCase & { aimed: CareRelationshipFact[] }> = fc.record({
  world: fc.record({
    facts: fc.array(factArbitrary, { maxLength: 5 }),
    consents: fc.uniqueArray(consentArbitrary, { maxLength: 2, selector: (consent) => consent.residentId }),
    merges: mergesArbitrary,
    now: fc.constantFrom(new Date(NOW), new Date(NOW + 1), new Date(NOW - 1)),
    settings: settingsArbitrary,
  }),
  viewer: viewerArbitrary,
  residentId: fc.constantFrom(...RESIDENTS),
  item: fc.record({
    sensitivity: fc.option(fc.constantFrom(...SENSITIVE_CATEGORIES), { nil: null }),
    organizationCode: fc.constantFrom(...ORGANIZATIONS),
    underEmergencyGrant: fc.boolean(),
  }),
  referral: fc.record({ acceptedAt: time, session: fc.option(time, { nil: null }) }),
  // Mostly the kinds that give little: grants, offers and dispensing.
  aimed: fc.array(
    fc
      .tuple(factArbitrary, fc.constantFrom<CareRelationshipKind>('BREAK_GLASS', 'BREAK_GLASS', 'REFERRAL_OFFER', 'DISPENSING', ...CARE_RELATIONSHIP_KINDS))
      .map(([fact, kind]) => ({ ...fact, kind })),
    { maxLength: 2 },
  ),
});

/**
 * Random facts seldom belong to the viewer's organization, resident and practitioner at once;
 * a few facts aimed at the viewer make grants, offers and blocks meet the viewer they concern.
 */
export const caseArbitrary: fc.Arbitrary<PolicyCase> = generatedCase.map(({ aimed, ...policyCase }) => {
  const { viewer, residentId } = policyCase;
  const atViewer = aimed.map((fact) => ({
    ...fact,
    residentId,
    organizationCode: viewer.organizationCode ?? fact.organizationCode,
    practitionerId: viewer.practitionerId ?? fact.practitionerId,
  }));
  return { ...policyCase, world: { ...policyCase.world, facts: [...policyCase.world.facts, ...atViewer] } };
});

/**
 * What a subgraph hands the policy (docs/authorization.md, "Merges"): ids resolved to the
 * survivor, and the facts and consent filed under any id it stands for counted as its own.
 */
function resolved({ world, viewer, residentId }: PolicyCase) {
  const survivor = (id: string) => world.merges[id] ?? id;
  const person = survivor(residentId);
  const consents = world.consents.filter((consent) => survivor(consent.residentId) === person);
  const consent: ConsentFact | null =
    consents.length === 0
      ? null
      : {
          residentId: person,
          restrictedCategories: consents.flatMap((each) => each.restrictedCategories),
          blockedOrganizations: consents.flatMap((each) => each.blockedOrganizations),
        };
  return {
    viewer: viewer.residentId === undefined ? viewer : { ...viewer, residentId: survivor(viewer.residentId) },
    residentId: person,
    relationships: world.facts.map((fact) => ({ ...fact, residentId: survivor(fact.residentId) })),
    consent,
    now: world.now,
    settings: world.settings,
  };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;
const same = (policy: { outcome: string; emergency?: boolean }, model: { allowed: boolean; emergency: boolean }) =>
  (policy.outcome === 'allowed') === model.allowed && (!model.allowed || (policy.emergency === true) === model.emergency);
const shown = (decision: { outcome: string; emergency?: boolean }) => `${decision.outcome}${decision.emergency ? ' (emergency)' : ''}`;
const modelShown = (decision: { allowed: boolean; emergency: boolean }) =>
  `${decision.allowed ? 'allowed' : 'denied'}${decision.emergency ? ' (emergency)' : ''}`;

/** Every way the policy and the model disagree on this case (empty when they agree). */
export function disagreements(policyCase: PolicyCase): string[] {
  const { world, viewer, residentId, item, referral } = policyCase;
  const input = resolved(policyCase);
  const found: string[] = [];
  for (const fact of world.facts) {
    const [policy, model] = [iso(effectiveEnd(fact, world.settings)), iso(modelEnd(fact, world.settings))];
    if (policy !== model) found.push(`end of ${fact.kind} fact: policy ${policy}, model ${model}`);
  }
  const referralEnds = [
    acceptedReferralEnd(referral.acceptedAt, referral.session, world.settings),
    modelAcceptedReferralEnd(referral.acceptedAt, referral.session, world.settings),
  ];
  if (iso(referralEnds[0]!) !== iso(referralEnds[1]!)) found.push(`accepted referral end: policy ${iso(referralEnds[0]!)}, model ${iso(referralEnds[1]!)}`);
  const dispensed = [dispensedEnd(referral.acceptedAt, world.settings), modelDispensedEnd(referral.acceptedAt, world.settings)];
  if (iso(dispensed[0]!) !== iso(dispensed[1]!)) found.push(`dispensed end: policy ${iso(dispensed[0]!)}, model ${iso(dispensed[1]!)}`);
  for (const kind of MODEL_READ_KINDS) {
    const [policy, model] = [decide({ ...input, kind }), modelRead(world, viewer, residentId, kind)];
    if (!same(policy, model)) found.push(`read ${kind}: policy ${shown(policy)} (${policy.reason}), model ${modelShown(model)}`);
  }
  for (const write of WRITE_KINDS) {
    const [policy, model] = [decideWrite({ ...input, write }), modelWrite(world, viewer, residentId, write)];
    if (!same(policy, model)) found.push(`write ${write}: policy ${shown(policy)} (${policy.reason}), model ${modelShown(model)}`);
  }
  const itemInput = {
    viewer: input.viewer,
    residentId: input.residentId,
    consent: input.consent,
    sensitivity: item.sensitivity,
    itemOrganizationCode: item.organizationCode,
    emergency: item.underEmergencyGrant,
    settings: world.settings,
  };
  const [policyShows, modelShows] = [mayDiscloseItem(itemInput), modelShowsItem(world, viewer, residentId, item)];
  if (policyShows !== modelShows)
    found.push(`item ${item.sensitivity}: policy ${policyShows ? 'shown' : 'omitted'}, model ${modelShows ? 'shown' : 'omitted'}`);
  return found;
}

/** The differential property: on every case the policy decides as the model does. */
export const policyAgreesWithModel = fc.property(caseArbitrary, (policyCase) => {
  const found = disagreements(policyCase);
  if (found.length > 0) throw new Error(`the policy and the model disagree:\n  ${found.join('\n  ')}`);
});
