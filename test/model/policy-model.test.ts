/**
 * The authorization policy (access-control/policy.ts) decides every generated case as the
 * reference model written from docs/authorization.md does: reads of every kind, every write,
 * the disclosure of a restricted item and the end of every fact. In-process, a fixed seed;
 * `npm run fuzz:policy` runs the same property with a random seed and a million cases.
 */
import fc from 'fast-check';
import type { CareRelationshipFact, CareRelationshipKind } from '../../access-control/policy';
import type { Viewer } from '../../access-control/viewer';
import { caseArbitrary, policyAgreesWithModel } from './policy-cases';
import { MODEL_READ_KINDS, type ModelWorld, modelEnd, modelRead, modelWrite } from './policy-model';

const SEED = 20_260_601;
const RUNS = 10_000;

it(`decides ${RUNS.toLocaleString('en')} generated cases as the model does`, () => {
  fc.assert(policyAgreesWithModel, { seed: SEED, numRuns: RUNS });
});

it('generates the cases that matter: standing, emergency grants, blocks and merges', () => {
  const tally = { allowedByStanding: 0, allowedByGrant: 0, deniedWithFacts: 0, blocked: 0, merged: 0, writesAllowed: 0 };
  for (const policyCase of fc.sample(caseArbitrary, { seed: SEED, numRuns: 2_000 })) {
    const { world, viewer, residentId } = policyCase;
    const reads = MODEL_READ_KINDS.map((kind) => modelRead(world, viewer, residentId, kind));
    if (reads.some((read) => read.allowed && !read.emergency) && viewer.organizationCode) tally.allowedByStanding++;
    if (reads.some((read) => read.emergency)) tally.allowedByGrant++;
    if (world.facts.length > 0 && reads.every((read) => !read.allowed)) tally.deniedWithFacts++;
    if (world.consents.some((consent) => consent.blockedOrganizations.includes(viewer.organizationCode ?? ''))) tally.blocked++;
    if (Object.keys(world.merges).length > 0) tally.merged++;
    if (modelWrite(world, viewer, residentId, 'prescribe').allowed) tally.writesAllowed++;
  }
  // Each reached at least twice as often as this in 2,000 cases; a generator that stopped reaching one would fail here.
  for (const [name, count] of Object.entries(tally)) expect([name, count >= 10]).toEqual([name, true]);
});

describe('the model, on examples from the docs', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const at = (iso: string) => new Date(iso);
  const fact = (kind: CareRelationshipKind, organizationCode: string, residentId = 'R2'): CareRelationshipFact => ({
    residentId,
    organizationCode,
    kind,
    since: at('2026-05-20T00:00:00Z'),
    lastSeenAt: at('2026-05-20T00:00:00Z'),
    careSeenAt: null,
    endsAt: at('2026-06-10T00:00:00Z'),
  });
  const world = (facts: CareRelationshipFact[], consents: ModelWorld['consents'] = []): ModelWorld => ({
    facts,
    consents,
    merges: { R2: 'R1' },
    now,
    settings: { encounterWindowDays: 730 },
  });
  const doctor: Viewer = { subject: 'd', roles: ['doctor'], organizationCode: '3201-H001', purposeOfUse: 'treatment' };
  const pharmacist: Viewer = { subject: 'p', roles: ['pharmacist'], organizationCode: '3201-P01', purposeOfUse: 'treatment' };

  it('reads a merged id as its survivor, and a consent filed under either holds', () => {
    expect(modelRead(world([fact('REGISTRATION', '3201-H001')]), doctor, 'R1', 'labs')).toEqual({ allowed: true, emergency: false });
    const blocked = [{ residentId: 'R2', restrictedCategories: [], blockedOrganizations: ['3201-H001'] }];
    expect(modelRead(world([fact('REGISTRATION', '3201-H001', 'R1')], blocked), doctor, 'R1', 'labs')).toEqual({ allowed: false, emergency: false });
  });

  it('gives dispensing to the pharmacy for what dispensing needs, and to nobody else', () => {
    expect(modelRead(world([fact('DISPENSING', '3201-P01')]), pharmacist, 'R1', 'prescriptions').allowed).toBe(true);
    expect(modelRead(world([fact('DISPENSING', '3201-P01')]), pharmacist, 'R1', 'labs').allowed).toBe(false);
    expect(modelRead(world([fact('DISPENSING', '3201-H001')]), doctor, 'R1', 'prescriptions').allowed).toBe(false);
  });

  it('ends every kind, even one stored without an end', () => {
    const open = (kind: CareRelationshipKind) => modelEnd({ ...fact(kind, '3201-H001'), endsAt: null }, { encounterWindowDays: 730 }).toISOString();
    expect(['REGISTRATION', 'REFERRAL_OFFER', 'REFERRAL', 'CONTRACT', 'DISPENSING', 'BREAK_GLASS'].map((kind) => open(kind as CareRelationshipKind))).toEqual([
      '2026-06-19T00:00:00.000Z',
      '2026-05-27T00:00:00.000Z',
      '2026-11-16T00:00:00.000Z',
      '2029-05-22T00:00:00.000Z',
      '2026-06-19T00:00:00.000Z',
      '2026-05-20T04:00:00.000Z',
    ]);
  });
});
