/**
 * A list reads what its page needs, whatever the resident has: a resident's lab reports,
 * prescriptions and referrals come `first + 1` at a time, and a report list that does not
 * show result lines reads reports without them. Counted from the documents the database
 * returned to the subgraphs (the driver's command monitoring), not by timing.
 */
import { onDatabaseReply, type ReplyEvent } from '../../platform/database';
import { insertHospitals, insertResidents, labReport, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const HOSPITAL = '3201-H001';
const ELSEWHERE = '3201-H002';
const DAY = 86_400_000;
const GLUCOSE = '14749-6';
const HIV = '75622-1';

const { stack } = useStack();
/** 60 reports of 50 result lines each, 60 prescriptions, 60 referrals. */
let heavy: string;
/** The heavy resident's report ids, newest first. */
let heavyReports: string[];
/** A resident who restricted HIV results, with an HIV result stored before labels existed. */
let restricting: string;
let glucoseReport: string;

beforeAll(async () => {
  await insertHospitals(stack);
  [heavy] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, prescriptionsEach: 60, referralsEach: 60 })) as [string];
  [restricting] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 })) as [string];
  const now = Date.now();
  const lines = Array.from({ length: 50 }, (_, index) => ({ code: GLUCOSE, value: 4 + index / 10, unit: 'mmol/L' }));
  const reports = Array.from({ length: 60 }, (_, index) =>
    labReport({ residentId: heavy, organizationCode: HOSPITAL, code: GLUCOSE, results: lines, issuedAt: new Date(now - index * DAY) }),
  );
  heavyReports = reports.map((report) => report._id);
  const glucose = labReport({ residentId: restricting, organizationCode: HOSPITAL, code: GLUCOSE, results: [lines[0]!], issuedAt: new Date(now - DAY) });
  // From another hospital (the one that wrote a record sees it whatever the consent), a glucose
  // report that also carries an HIV result line, its stored label empty: labelled on read.
  const legacy = labReport({
    residentId: restricting,
    organizationCode: ELSEWHERE,
    code: GLUCOSE,
    results: [lines[0]!, { code: HIV, valueCode: 'NEG' }],
    issuedAt: new Date(now),
    sensitivities: [],
  });
  glucoseReport = glucose._id;
  await modelsOf(stack).labs.LabReport.insertMany([...reports, glucose, legacy]);
  const self = stack.token({ subject: 'citizen-docs', roles: ['resident'], residentId: restricting });
  const { body } = await stack.query(
    self,
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [HIV_STI], blockedOrganizations: []) { updatedAt } }`,
    { id: restricting },
  );
  expect(body.errors).toBeUndefined();
});

const doctor = () => stack.token({ subject: 'dr-documents', roles: ['doctor'], organizationCode: HOSPITAL });

/** Runs `query` as the doctor and returns its data and the documents each collection returned meanwhile. */
async function read(query: string, variables: Record<string, unknown>) {
  const replies: ReplyEvent[] = [];
  const stop = onDatabaseReply((reply) => {
    if (reply.databaseName.startsWith(`${stack.dbPrefix}_`)) replies.push(reply);
  });
  try {
    const { body } = await stack.query(doctor(), query, variables);
    expect(body.errors).toBeUndefined();
    const of = (collection: string) => replies.filter((reply) => reply.collection === collection).flatMap((reply) => reply.documents);
    return { data: body.data!, of };
  } finally {
    stop();
  }
}

const REPORT_LIST = /* GraphQL */ `
  query($id: ID!, $after: String) {
    resident(id: $id) { labReports(first: 20, after: $after) { edges { node { id issuedAt code { code } } } pageInfo { hasNextPage endCursor } } }
  }
`;

it('a report list without result lines reads 21 reports, without their result lines, per page', async () => {
  const ids: string[] = [];
  let after: string | null = null;
  for (const expectMore of [true, true, false]) {
    const { data, of } = await read(REPORT_LIST, { id: heavy, after });
    const page = data.resident.labReports;
    ids.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
    expect(page.pageInfo.hasNextPage).toBe(expectMore);
    expect(of('labReports')).toHaveLength(expectMore ? 21 : 20);
    expect(of('labReports').filter((report) => 'results' in report)).toEqual([]);
    after = page.pageInfo.endCursor;
  }
  expect(ids).toEqual(heavyReports);
});

it('a report list that shows result lines reads them for the page only', async () => {
  const { data, of } = await read(`query($id: ID!) { resident(id: $id) { labReports(first: 5) { edges { node { id results { value } } } } } }`, { id: heavy });
  expect(data.resident.labReports.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(heavyReports.slice(0, 5));
  expect(data.resident.labReports.edges[0].node.results).toHaveLength(50);
  expect(of('labReports').map((report) => (report.results as unknown[]).length)).toEqual([50, 50, 50, 50, 50, 50]);
});

it('a report read without its result lines is still labelled by them: a restricted HIV result stays out', async () => {
  const { data } = await read(REPORT_LIST, { id: restricting, after: null });
  expect(data.resident.labReports.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([glucoseReport]);
});

it('prescriptions and referrals read first + 1 each', async () => {
  const { data, of } = await read(
    `query($id: ID!) { resident(id: $id) { prescriptions(first: 20) { edges { node { id } } } referrals(first: 20) { edges { node { id } } } } }`,
    { id: heavy },
  );
  expect(data.resident.prescriptions.edges).toHaveLength(20);
  expect(data.resident.referrals.edges).toHaveLength(20);
  expect(of('prescriptions')).toHaveLength(21);
  expect(of('referrals')).toHaveLength(21);
});
