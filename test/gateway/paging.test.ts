/**
 * Keyset pages by time through the real gateway: pages are filled after the policy filtered
 * them, so a withheld item at a page's edge neither ends the list early nor leaves a short
 * page with more to come, and a tampered or malformed cursor is BAD_USER_INPUT, never INTERNAL.
 */
import { DRUGS } from '../../subgraphs/prescriptions/drug-catalogue';
import { insertHospitals, insertResidents, modelsOf, newId, prescriptionDoc, referralDoc, relate } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const { stack } = useStack();
const PHARMACY = '3201-P07';
const HOSPITAL = '3201-H010';
const CENTRE = '3201-C020';
const ELSEWHERE = '3201-H099';
const METFORMIN = [...DRUGS.values()].find((drug) => drug.inn === 'metformin')!.code;

const pharmacist = () => stack.token({ subject: 'ph-paging', roles: ['pharmacist'], organizationCode: PHARMACY });
const doctorAt = (organizationCode: string) => stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode });
const privacyOfficer = () => stack.token({ subject: 'po-paging', roles: ['privacy_officer'] });

/** Visible (V) residents are cared for at the hospital, the centre and the pharmacy; withheld (W) ones only elsewhere. */
let visible: string;
let withheld: string;
beforeAll(async () => {
  await insertHospitals(stack);
  [visible] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, alsoSeenAt: [CENTRE] })) as [string];
  [withheld] = (await insertResidents(stack, { organizationCode: ELSEWHERE, count: 1 })) as [string];
  await relate(stack, [visible], PHARMACY, 'DISPENSING', { endsAt: new Date(Date.now() + 86_400_000) });
});

/** Newest first: `pattern` says, for each item, whether its resident is visible (V) or withheld (W). Returns the ids in that order. */
const minutesAgo = (index: number) => new Date(Date.now() - (index + 1) * 60_000);
const residentOf = (mark: string) => (mark === 'V' ? visible : withheld);

async function walk(token: string, field: string, query: string): Promise<{ ids: string[]; hasNextPage: boolean }[]> {
  const pages: { ids: string[]; hasNextPage: boolean }[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 10; guard++) {
    const { body } = await stack.query(token, query, { after });
    expect(body.errors).toBeUndefined();
    const connection = body.data![field];
    pages.push({ ids: connection.edges.map((edge: { node: { id: string } }) => edge.node.id), hasNextPage: connection.pageInfo.hasNextPage });
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return pages;
}

describe('pages filled after filtering', () => {
  // Withheld items first, between pages and at the end: W V V W W V W W W.
  const PATTERN = [...'WVVWWVWWW'];

  it('pharmacyQueue: a withheld prescription at a page edge neither ends the queue early nor shows', async () => {
    const docs = PATTERN.map((mark, index) =>
      prescriptionDoc({
        residentId: residentOf(mark),
        organizationCode: ELSEWHERE,
        drugCodes: [METFORMIN],
        status: 'ROUTED',
        pharmacyCode: PHARMACY,
        issuedAt: minutesAgo(index),
      }),
    );
    await modelsOf(stack).prescriptions.Prescription.insertMany(docs);
    const pages = await walk(
      pharmacist(),
      'pharmacyQueue',
      `query($after: String) { pharmacyQueue(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(pages).toEqual([
      { ids: [docs[1]!._id, docs[2]!._id], hasNextPage: true },
      { ids: [docs[5]!._id], hasNextPage: false },
    ]);
  });

  it('organizationPrescriptions: the same with the prescribing hospital', async () => {
    const docs = PATTERN.map((mark, index) =>
      prescriptionDoc({ residentId: residentOf(mark), organizationCode: HOSPITAL, drugCodes: [METFORMIN], status: 'SIGNED', issuedAt: minutesAgo(index) }),
    );
    await modelsOf(stack).prescriptions.Prescription.insertMany(docs);
    const pages = await walk(
      doctorAt(HOSPITAL),
      'organizationPrescriptions',
      `query($after: String) { organizationPrescriptions(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(pages).toEqual([
      { ids: [docs[1]!._id, docs[2]!._id], hasNextPage: true },
      { ids: [docs[5]!._id], hasNextPage: false },
    ]);
  });

  it('referralInbox and referralOutbox: the same for referrals', async () => {
    const docs = PATTERN.map((mark, index) =>
      referralDoc({ residentId: residentOf(mark), fromOrganizationCode: CENTRE, toOrganizationCode: HOSPITAL, requestedAt: minutesAgo(index) }),
    );
    await modelsOf(stack).referrals.Referral.insertMany(docs);
    const expected = [
      { ids: [docs[1]!._id, docs[2]!._id], hasNextPage: true },
      { ids: [docs[5]!._id], hasNextPage: false },
    ];
    const page = (field: string) => `query($after: String) { ${field}(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    expect(await walk(doctorAt(HOSPITAL), 'referralInbox', page('referralInbox'))).toEqual(expected);
    expect(await walk(doctorAt(CENTRE), 'referralOutbox', page('referralOutbox'))).toEqual(expected);
  });

  it('stops after a bounded number of batches when everything so far was withheld, and goes on from there', async () => {
    // First 1: batches of 2, 4, 8 and 16 rows look at 30; the 31st onwards wait for the next page.
    const pharmacy = '3201-P08';
    await relate(stack, [visible], pharmacy, 'DISPENSING', { endsAt: new Date(Date.now() + 86_400_000) });
    const marks = [...'W'.repeat(31), 'V'];
    const docs = marks.map((mark, index) =>
      prescriptionDoc({
        residentId: residentOf(mark),
        organizationCode: ELSEWHERE,
        drugCodes: [METFORMIN],
        status: 'ROUTED',
        pharmacyCode: pharmacy,
        issuedAt: minutesAgo(index),
      }),
    );
    await modelsOf(stack).prescriptions.Prescription.insertMany(docs);
    const token = stack.token({ subject: 'ph-p08', roles: ['pharmacist'], organizationCode: pharmacy });
    const pages = await walk(
      token,
      'pharmacyQueue',
      `query($after: String) { pharmacyQueue(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(pages).toEqual([
      { ids: [], hasNextPage: true },
      { ids: [docs[31]!._id], hasNextPage: false },
    ]);
  });
});

describe('the master patient index and the audit log', () => {
  it('matchReviews: reviews of residents the hospital system has no standing with are withheld at page edges, the list goes on', async () => {
    const [v1, v2] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 2 })) as [string, string];
    const [w1, w2] = (await insertResidents(stack, { organizationCode: ELSEWHERE, count: 2 })) as [string, string];
    const reviews = [...'WVVWWVWWW'].map((mark, index) => ({
      _id: newId(),
      status: 'OPEN' as const,
      residentId: mark === 'V' ? v1 : w1,
      candidate: { residentId: mark === 'V' ? v2 : w2, score: 0.8, reasons: ['birth date and sex'] },
      openedAt: minutesAgo(index),
      openedBy: 'his-test',
      organizationCode: mark === 'V' ? HOSPITAL : ELSEWHERE,
      resolvedAt: null,
      resolvedBy: null,
      reason: null,
    }));
    await modelsOf(stack).records.MatchReview.insertMany(reviews);
    const his = stack.token({ subject: 'his-paging', roles: ['hospital_system'], organizationCode: HOSPITAL });
    const pages = await walk(
      his,
      'matchReviews',
      `query($after: String) { matchReviews(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(pages).toEqual([
      { ids: [reviews[1]!._id, reviews[2]!._id], hasNextPage: true },
      { ids: [reviews[5]!._id], hasNextPage: false },
    ]);
  });

  it('auditEvents and breakGlassReviews page through every item, ties broken by id', async () => {
    const [resident] = (await insertResidents(stack, { organizationCode: '3201-H012', count: 1 })) as [string];
    const tie = minutesAgo(100);
    const events = [minutesAgo(90), tie, tie, tie, minutesAgo(110)].map((at, index) => ({
      _id: `${index}-${newId()}`,
      at,
      requestId: `req-${index}`,
      correlationId: null,
      action: 'read' as const,
      subgraph: 'records',
      subject: 'dr-paging',
      roles: ['doctor'],
      organizationCode: '3201-H012',
      purposeOfUse: 'treatment',
      residentId: resident,
      dataKinds: ['demographics'],
      outcome: 'allowed' as const,
      alert: false,
    }));
    await modelsOf(stack).access.AuditEvent.insertMany(events);
    // Newest first; the three at one time by id, descending (ids start with their index).
    const order = [events[0]!._id, events[3]!._id, events[2]!._id, events[1]!._id, events[4]!._id];
    const requestIds = async (query: string, field: string) => {
      const pages = await walk(privacyOfficer(), field, query);
      return { ids: pages.flatMap((page) => page.ids), sizes: pages.map((page) => page.ids.length) };
    };
    expect(
      await requestIds(
        `query($after: String) { auditEvents(filter: { subject: "dr-paging" }, first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        'auditEvents',
      ),
    ).toEqual({ ids: order, sizes: [2, 2, 1] });

    const reviews = [minutesAgo(5), minutesAgo(6), minutesAgo(7)].map((grantedAt, index) => ({
      _id: `bg-${index}-${newId()}`,
      residentId: resident,
      organizationCode: '3201-H012',
      subject: 'dr-paging',
      reason: 'UNCONSCIOUS_PATIENT' as const,
      justification: '患者昏迷，需要查看既往病史',
      grantedAt,
      expiresAt: new Date(grantedAt.getTime() + 4 * 3_600_000),
      requestId: `bg-${index}`,
      status: 'CLOSED' as const,
      outcome: 'JUSTIFIED' as const,
      note: '合理',
      closedBy: 'po-paging',
      closedAt: new Date(),
    }));
    await modelsOf(stack).access.BreakGlassReview.insertMany(reviews);
    expect(
      await requestIds(
        `query($after: String) { breakGlassReviews(status: CLOSED, first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        'breakGlassReviews',
      ),
    ).toEqual({
      ids: reviews.map((review) => review._id),
      sizes: [2, 1],
    });
  });
});

describe('cursors', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const TAMPERED = [
    ['a sort value that is not a date', cursor(['not-a-date', '0123456789abcdef01234567'])],
    ['a date that does not exist', cursor(['2026-13-45T00:00:00.000Z', '0123456789abcdef01234567'])],
    ['a number for the date', cursor([1764460800000, '0123456789abcdef01234567'])],
    ['an object', cursor({ at: '2026-11-30T00:00:00.000Z' })],
    ['garbage', '%%%garbage%%%'],
  ] as const;

  let residentId: string;
  beforeAll(async () => {
    [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  });

  const entryPoints: [string, () => string, string, (variables: Record<string, unknown>) => Record<string, unknown>][] = [
    ['pharmacyQueue', pharmacist, `query($after: String) { pharmacyQueue(after: $after) { edges { cursor } } }`, (variables) => variables],
    [
      'organizationPrescriptions',
      () => doctorAt(HOSPITAL),
      `query($after: String) { organizationPrescriptions(after: $after) { edges { cursor } } }`,
      (variables) => variables,
    ],
    ['referralInbox', () => doctorAt(HOSPITAL), `query($after: String) { referralInbox(after: $after) { edges { cursor } } }`, (variables) => variables],
    ['referralOutbox', () => doctorAt(CENTRE), `query($after: String) { referralOutbox(after: $after) { edges { cursor } } }`, (variables) => variables],
    ['matchReviews', privacyOfficer, `query($after: String) { matchReviews(after: $after) { edges { cursor } } }`, (variables) => variables],
    [
      'auditEvents',
      privacyOfficer,
      `query($after: String) { auditEvents(filter: { organizationCode: "${HOSPITAL}" }, after: $after) { edges { cursor } } }`,
      (variables) => variables,
    ],
    ['breakGlassReviews', privacyOfficer, `query($after: String) { breakGlassReviews(after: $after) { edges { cursor } } }`, (variables) => variables],
    [
      'Resident.accessLog',
      privacyOfficer,
      `query($id: ID!, $after: String) { resident(id: $id) { accessLog(after: $after) { edges { cursor } } } }`,
      (variables) => ({ ...variables, id: residentId }),
    ],
  ];

  it.each(entryPoints)('%s answers a tampered or malformed cursor with BAD_USER_INPUT "Invalid cursor"', async (_name, token, query, variablesOf) => {
    for (const [, after] of TAMPERED) {
      const { body } = await stack.query(token(), query, variablesOf({ after }));
      expect(body.errors!.map((error) => [error.extensions?.code, error.message])).toEqual([['BAD_USER_INPUT', 'Invalid cursor']]);
    }
  });

  it('a cursor the API issued still works', async () => {
    const ids = [newId(), newId(), newId()].sort().reverse();
    const at = new Date(Date.now() - 3_600_000);
    await modelsOf(stack).prescriptions.Prescription.insertMany(
      ids.map((id) => prescriptionDoc({ id, residentId: visible, organizationCode: '3201-H011', drugCodes: [METFORMIN], status: 'SIGNED', issuedAt: at })),
    );
    await relate(stack, [visible], '3201-H011');
    const pages = await walk(
      doctorAt('3201-H011'),
      'organizationPrescriptions',
      `query($after: String) { organizationPrescriptions(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    );
    // Equal times: ties are broken by id, descending.
    expect(pages).toEqual([
      { ids: [ids[0], ids[1]], hasNextPage: true },
      { ids: [ids[2]], hasNextPage: false },
    ]);
  });
});
