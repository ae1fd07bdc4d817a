/**
 * The tables of who sees, who writes and who may ask what in docs/authorization.md are the
 * policy's: each cell is recomputed here from `decide`, `WRITE_RULES` (access-control/policy.ts)
 * and `ENTRY_RULES` (access-control/entry-points.ts) and compared with the table as written, so the documentation cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENTRY_POINTS, ENTRY_RULES } from '../../access-control/entry-points';
import { type CareRelationshipFact, type CareRelationshipKind, type DataKind, decide, WRITE_KINDS, WRITE_RULES } from '../../access-control/policy';
import { ROLES, type Role, type Viewer } from '../../access-control/viewer';

const PAGE = 'docs/authorization.md';
const AUTHORIZATION = readFileSync(path.join(__dirname, '../..', PAGE), 'utf8');
const NOW = new Date('2026-06-01T00:00:00Z');
const RESIDENT = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const ORGANIZATION = '3201-H001';
const READ_KINDS: DataKind[] = [
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
];

/** The markdown table that follows `<!-- marker -->` in the page, as rows of trimmed cells (header first). */
function tableAfter(marker: string): string[][] {
  const start = AUTHORIZATION.indexOf(`<!-- ${marker} -->`);
  if (start < 0) throw new Error(`${PAGE} has no <!-- ${marker} --> table`);
  const lines = AUTHORIZATION.slice(start).split('\n').slice(1);
  const rows = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith('|')),
  );
  return rows
    .filter((row) => !/^\|[\s|:-]+\|$/.test(row))
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
}

function viewerFor(role: Role, residentId = RESIDENT): Viewer {
  const organizational = !['resident', 'privacy_officer', 'health_commission'].includes(role);
  return {
    subject: 'policy-tables',
    roles: [role],
    organizationCode: organizational ? ORGANIZATION : undefined,
    practitionerId: 'P1',
    residentId: role === 'resident' ? residentId : undefined,
    purposeOfUse: 'treatment',
  };
}

const fact = (kind: CareRelationshipKind): CareRelationshipFact => ({
  residentId: RESIDENT,
  organizationCode: ORGANIZATION,
  kind,
  since: new Date(NOW.getTime() - 86_400_000),
  lastSeenAt: NOW,
  endsAt: null,
  practitionerId: null,
});
const allows = (viewer: Viewer, kind: DataKind, relationships: CareRelationshipFact[]) =>
  decide({ viewer, residentId: RESIDENT, kind, relationships, consent: null, now: NOW, settings: { encounterWindowDays: 730 } }).outcome === 'allowed';

/**
 * own: the resident's own record only; all: any resident; standing: with a care relationship
 * at the caller's organization; dispensing: with a dispensing relationship only; —: never.
 */
function readCell(role: Role, kind: DataKind): string {
  if (allows(viewerFor(role), kind, [])) return allows(viewerFor(role, 'bbbbbbbbbbbbbbbbbbbbbbbb'), kind, []) ? 'all' : 'own';
  if (allows(viewerFor(role), kind, [fact('REGISTRATION')])) return 'standing';
  if (allows(viewerFor(role), kind, [fact('DISPENSING')])) return 'dispensing';
  return '—';
}

it(`${PAGE}: who reads what is what decide() decides`, () => {
  const expected = [['role', ...READ_KINDS], ...ROLES.map((role) => [role, ...READ_KINDS.map((kind) => readCell(role, kind))])];
  expect(tableAfter('policy:reads')).toEqual(expected);
});

it(`${PAGE}: who writes what, with which standing, is WRITE_RULES`, () => {
  const standing = (value: (typeof WRITE_RULES)[keyof typeof WRITE_RULES]['standing']) => (typeof value === 'string' ? value : value.join(', '));
  const expected = [
    ['write', 'roles', 'standing needed', 'practitioner id'],
    ...WRITE_KINDS.map((write) => {
      const rule = WRITE_RULES[write];
      return [write, rule.roles.join(', '), standing(rule.standing), rule.practitioner ? 'yes' : 'no'];
    }),
  ];
  expect(tableAfter('policy:writes')).toEqual(expected);
});

it(`${PAGE}: who may ask at all is ENTRY_RULES`, () => {
  const list = (values: readonly string[] | undefined) => (values?.length ? values.join(', ') : '—');
  const expected = [
    ['entry point', 'roles', 'not with', 'the token names', 'opens'],
    ...ENTRY_POINTS.map((entry) => {
      const rule = ENTRY_RULES[entry];
      return [entry, rule.roles.join(', '), list(rule.unless), list(rule.needs), rule.opens];
    }),
  ];
  expect(tableAfter('policy:entry-points')).toEqual(expected);
});
