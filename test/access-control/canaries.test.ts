/**
 * Canaries in every subgraph: restricted diagnoses with unique strings, planted through the
 * real mutations in encounters, conditions, allergy reactions, prescriptions (diagnoses and drugs), referrals
 * (diagnoses, reason, department), lab reports and their history, attachments, and a family
 * doctor’s hospital booking (its reason, and the restricted report filed back for it). Every
 * viewer asks every entry point (root queries, nested fields, `_entities` on each subgraph,
 * warnings, summaries, trends, counts, checkOrder); no canary, and no id of a withheld
 * record, appears in any response or error of a viewer who is neither the resident nor a
 * party to the record, nor in any log line. The resident and the parties do see them, so
 * the sweep can fail.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { mintInternalToken } from '../../access-control/internal-token';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../platform/config';
import { SCHEMA_DIR } from '../../tools/compose';
import type { DemoIdentity } from '../../tools/demo-issuer';
import {
  CANARY,
  CANARY_VIEWERS,
  type ConsentScenario,
  identities,
  plantCanaries,
  RELATED,
  referralSecrets,
  SOURCE,
  sourceSecrets,
} from '../support/consent-scenario';
import { insertHotlineCentre, insertSlotPool, modelsOf, relate } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

jest.setTimeout(180_000);

const logLines: string[] = [];
const { stack } = useStack({ logLines });
let scenario: ConsentScenario;
/** The resident's crisis intervention on the 12320 hotline (mental health, restricted): only the resident sees it. */
let crisisCallId: string;
const CRISIS_CALL = 'CANARY-CALL-4412';

/** A home nursing order the resident placed, whose notes name a restricted diagnosis: only the resident and the centre are its parties. */
const NURSING_CENTRE = '3201-C050';
const NURSING_CANARY = 'CANARY-NURSE-4412-抑郁症';
let nursingOrderId: string;
const nursingSecrets = () => [NURSING_CANARY, nursingOrderId];

/** A family doctor's booking of an exam at the source hospital, its reason restricted, the HIV report filed back as its result. */
const BOOKING_CENTRE = '3201-C002';
const BOOKING_REASON = 'CANARY-HB-4412 抑郁发作，复查头颅MRI';
let bookingId = '';
const bookingFamilyDoctor = () => identities.familyDoctor(BOOKING_CENTRE);

/** A settlement the source hospital made for the resident, with a unique item name: only the resident (and its own system) sees it. */
const SETTLEMENT_CANARY = 'CANARY-settlement-7f3a 心理咨询';
let settlementDay: string;
/** A check-up report the source centre filed with an HIV item: its findings go where the source's results go. */
const CHECKUP_CANARY = 'CANARY-checkup-5521 HIV初筛阴性';

beforeAll(async () => {
  scenario = await plantCanaries(stack);
  await insertHotlineCentre(stack);
  const operator = stack.token({ subject: 'op-canary', roles: ['hotline_operator'], organizationCode: '3201-T01', practitionerId: 'OP9' });
  const { body } = await stack.query(operator, `mutation($input: HotlineCallInput!) { recordHotlineCall(input: $input) { id } }`, {
    input: {
      callId: CRISIS_CALL,
      receivedAt: '2026-03-01T23:40:00+08:00',
      category: 'CRISIS_INTERVENTION',
      channel: 'OPERATOR',
      outcome: 'TRANSFERRED',
      residentId: scenario.residentId,
      operatorId: 'OP9',
    },
  });
  if (body.errors) throw new Error(`setup failed: ${JSON.stringify(body.errors)}`);
  crisisCallId = body.data!.recordHotlineCall.id;
  const preferredDate = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
  const ordered = await stack.query(
    stack.token(identities.self(scenario.residentId)),
    `mutation($input: OrderNursingInput!) { orderNursing(input: $input) { id } }`,
    {
      input: {
        residentId: scenario.residentId,
        organizationCode: NURSING_CENTRE,
        serviceCode: 'WOUND_CARE',
        preconditions: ['PRESCRIBED', 'WOUND_ASSESSED'],
        preferredDate,
        address: '南京市鼓楼区北京西路 10 号',
        notes: `${NURSING_CANARY}，换药时请耐心沟通`,
      },
    },
  );
  expect(ordered.body.errors).toBeUndefined();
  nursingOrderId = ordered.body.data!.orderNursing.id;
  // A critical result the resident restricted (its conclusion names the HIV screen), ordered by the
  // related hospital: pushed to its inbox, where it must not show.
  const critical = await stack.query(
    stack.token(identities.labSystem(SOURCE)),
    `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`,
    {
      input: {
        residentId: scenario.residentId,
        sourceReportId: 'L-CANARY-CRITICAL',
        category: 'LABORATORY',
        code: '14749-6',
        status: 'FINAL',
        issuedAt: '2026-09-02T03:00:00.000Z',
        subjectSex: 'FEMALE',
        subjectBirthDate: '1981-04-12',
        orderingOrganizationCode: RELATED,
        conclusion: CANARY.labReport,
        results: [{ code: '14749-6', value: 25, unit: 'mmol/L' }],
      },
    },
  );
  expect(critical.body.errors).toBeUndefined();
  // The contract and the hospital's opening have their own tests; the booking and its result go through the real mutations.
  const { residentId, ids } = scenario;
  const models = modelsOf(stack);
  const now = Date.now();
  await models.referrals.Contract.create({
    _id: `contract-canary-${residentId}`,
    residentId,
    familyDoctor: bookingFamilyDoctor().practitionerId,
    organizationCode: BOOKING_CENTRE,
    servicePackage: 'BASIC',
    since: new Date(now - 86_400_000),
    until: new Date(now + 300 * 86_400_000),
    status: 'ACTIVE',
    terminationReason: null,
  });
  await relate(stack, [residentId], BOOKING_CENTRE, 'CONTRACT');
  await models.referrals.OpenHospitalResource.create({ _id: `${SOURCE}|EXAM`, organizationCode: SOURCE, kind: 'EXAM', since: new Date(now) });
  const pool = await insertSlotPool(stack, { organizationCode: SOURCE, kind: 'EXAM', department: '影像科' });
  const as = async (identity: DemoIdentity, query: string, variables: Record<string, unknown>) => {
    const { body } = await stack.query(stack.token(identity), query, variables);
    if (body.errors) throw new Error(`setup failed: ${JSON.stringify(body.errors)}`);
    return body.data!;
  };
  bookingId = (
    await as(bookingFamilyDoctor(), `mutation($input: BookHospitalResourceInput!) { bookHospitalResource(input: $input) { id } }`, {
      input: { residentId, poolId: pool._id, examType: 'MRI', reason: BOOKING_REASON, clientRequestId: 'canary-booking-0001' },
    })
  ).bookHospitalResource.id;
  await as(identities.labSystem(SOURCE), `mutation($input: FileHospitalResultInput!) { fileHospitalResult(input: $input) { id } }`, {
    input: { bookingId, labReportId: ids.hivReport },
  });
  const settled = await stack.query(stack.token(identities.hospitalSystem(SOURCE)), `mutation($input: SettleInput!) { settle(input: $input) { day } }`, {
    input: {
      settlementId: 'CANARY-SETTLEMENT-1',
      residentId: scenario.residentId,
      subject: 'VISIT',
      subjectId: 'canary-visit',
      items: [{ name: SETTLEMENT_CANARY, quantity: 1, amountFen: 8800 }],
      totalFen: 8800,
      insuranceFen: 0,
      selfPaidFen: 8800,
      channel: 'CASH',
    },
  });
  settlementDay = settled.body.data!.settle.day;
  const checkup = await stack.query(
    stack.token(identities.labSystem(SOURCE)),
    `mutation($input: SubmitLabReportInput!, $findings: CheckupFindingsInput!) { submitCheckupReport(input: $input, findings: $findings) { id } }`,
    {
      input: {
        residentId: scenario.residentId,
        sourceReportId: 'CHK-CANARY-1',
        category: 'LABORATORY',
        code: '14749-6',
        status: 'FINAL',
        issuedAt: '2026-09-03T02:00:00.000Z',
        subjectSex: 'FEMALE',
        subjectBirthDate: '1981-04-12',
        results: [
          { code: '14749-6', value: 5.2, unit: 'mmol/L' },
          { code: '75622-1', valueCode: 'NEG' },
        ],
      },
      findings: { conclusions: [CHECKUP_CANARY], recommendations: [] },
    },
  );
  expect(checkup.body.errors).toBeUndefined();
});
const hotlineSecrets = () => [crisisCallId, 'CRISIS_INTERVENTION'];

/** What the booking's two ends (and the resident) may see. */
const bookingSecrets = () => [BOOKING_REASON, bookingId];

const ENCOUNTER = `id department diagnoses { code { code display } }`;
const REPORT = `id code { code display } conclusion checkup { conclusions recommendations } results { code { code } } history { version code { code } conclusion }`;
const PRESCRIPTION = `id diagnoses { code display } items { drug { display } } encounter { ${ENCOUNTER} } warnings { code message acrossOrganizations duplicates { id items { drug { display } } } } renewalCheck { eligible reason }`;
const NURSING = `id notes reason service { code } visit { performed observations }`;
const REFERRAL = `id reason toDepartment diagnoses { code display } dischargeSummary followUpPlan attachedEncounters { ${ENCOUNTER} } attachedLabReports { ${REPORT} }`;

/** Every gateway entry point, each its own request so that one refusal hides nothing else. */
const gatewayQueries = (): [string, string, Record<string, unknown>?][] => {
  const { ids } = scenario;
  return [
    ['Resident.encounters', `query($id: ID!) { resident(id: $id) { encounters(first: 100) { edges { node { ${ENCOUNTER} } } } } }`],
    ['Resident.conditions', `query($id: ID!) { resident(id: $id) { conditions(first: 100) { edges { node { id code { code display } } } } } }`],
    [
      'Resident.summary',
      `query($id: ID!) { resident(id: $id) { summary { activeProblems { id code { code display } } lastEncounters { ${ENCOUNTER} } allergies { assertion items { reactions } } } } }`,
    ],
    ['Resident.allergies', `query($id: ID!) { resident(id: $id) { allergies { items { substance { code } reactions } } } }`],
    ['Resident.labReports', `query($id: ID!) { resident(id: $id) { labReports(first: 100) { edges { node { ${REPORT} } } pageInfo { hasNextPage } } } }`],
    ['Resident.latestResults', `query($id: ID!) { resident(id: $id) { latestResults(codes: ["75622-1", "14749-6"]) { reportId code { code } } } }`],
    ['Resident.labTrend', `query($id: ID!) { resident(id: $id) { labTrend(code: "75622-1") { points { reportId } } } }`],
    ['Resident.prescriptions', `query($id: ID!) { resident(id: $id) { prescriptions(first: 100) { edges { node { ${PRESCRIPTION} } } } } }`],
    ['Resident.referrals', `query($id: ID!) { resident(id: $id) { referrals(first: 100) { edges { node { ${REFERRAL} } } } } }`],
    ['Resident.hotlineCalls', `query($id: ID!) { resident(id: $id) { hotlineCalls(first: 100) { id category receivedAt } } }`],
    ['Resident.careRelationships', `query($id: ID!) { resident(id: $id) { careRelationships { kind organization { code } since lastSeenAt endsAt } } }`],
    [
      'Resident.accessLog',
      `query($id: ID!) { resident(id: $id) { accessLog(first: 100) { edges { node { id at subject roles organization { code } purposeOfUse dataKinds outcome alert requestId correlationId source action } } } } }`,
    ],
    [
      'Query.auditEvents',
      `query($id: ID!) { auditEvents(filter: { residentId: $id }, first: 100) { edges { node { id at subject roles organization { code } purposeOfUse dataKinds outcome alert requestId correlationId source action } } } }`,
    ],
    ...[ids.hivReport, ids.correctedReport].map((report): [string, string, Record<string, unknown>] => [
      'Query.labReport',
      `query($report: ID!) { labReport(id: $report) { ${REPORT} } }`,
      { report },
    ]),
    ...[ids.omeprazole, ids.escitalopram, ids.amlodipine, ids.rabeprazole, ids.filedSertraline].map((rx): [string, string, Record<string, unknown>] => [
      'Query.prescription',
      `query($rx: ID!) { prescription(id: $rx) { ${PRESCRIPTION} } }`,
      { rx },
    ]),
    ['Query.organizationPrescriptions', `{ organizationPrescriptions(first: 100) { edges { node { ${PRESCRIPTION} } } } }`],
    ['Query.pharmacyQueue', `{ pharmacyQueue(first: 100) { edges { node { ${PRESCRIPTION} } } } }`],
    ['Query.referralInbox', `{ referralInbox(first: 100) { edges { node { ${REFERRAL} } } } }`],
    ['Resident.nursingOrders', `query($id: ID!) { resident(id: $id) { nursingOrders { ${NURSING} } } }`],
    ['Query.nursingOrder', `query($order: ID!) { nursingOrder(id: $order) { ${NURSING} } }`, { order: nursingOrderId }],
    ['Query.nursingInbox', `{ nursingInbox(first: 100) { edges { node { ${NURSING} } } } }`],
    ['Query.referralOutbox', `{ referralOutbox(first: 100) { edges { node { ${REFERRAL} } } } }`],
    [
      'Query.hospitalBookings',
      `{ hospitalBookings(first: 100) { edges { node { id reason department examReport { ${REPORT} } discharge { ${ENCOUNTER} } } } } }`,
    ],
    ['Query.reminderStatistics', `{ reminderStatistics(month: "2026-09") { shown } }`],
    ['Query.overdueFollowUps', `{ overdueFollowUps(first: 100) { edges { node { id resident { id } condition { id code { code display } } } } } }`],
    [
      'Query.criticalResultInbox',
      `{ criticalResultInbox(first: 100) { edges { node { id resident { id } report { ${REPORT} } criticalResults { code { code } } } } } }`,
    ],
    ['Query.mySettlements', `{ mySettlements { id subjectId items { name amountFen } totalFen } }`],
    ['Query.institutionSettlements', `query($day: String!) { institutionSettlements(day: $day) { id subjectId items { name } } }`, { day: settlementDay }],
    [
      'Query.settlementReconciliation',
      `query($day: String!) { settlementReconciliation(day: $day, lines: []) { exchange { count totalFen } mismatches { settlementId exchangeTotalFen } } }`,
      { day: settlementDay },
    ],
    ['Query.settlementDays', `query($month: String!) { settlementDays(month: $month) { day settlements totalFen } }`, { month: settlementDay.slice(0, 7) }],
    [
      'Mutation.checkOrder',
      `mutation($id: ID!, $org: ID!) { checkOrder(residentId: $id, itemCodes: ["75622-1", "14749-6"], orderingOrganizationCode: $org) { itemCode recommendation lastReport { ${REPORT} } lastValue { code { code } } } }`,
    ],
  ];
};

/** `_entities` on each subgraph, with the internal token the gateway would mint for the viewer. */
const entityCalls = (): [SubgraphName, string, Record<string, unknown>[]][] => {
  const { ids, residentId } = scenario;
  const attaching = { __typename: 'Referral', id: ids.neutralReferral, resident: { id: residentId } };
  return [
    ['records', `... on Encounter { ${ENCOUNTER} }`, [ids.psychiatricEncounter, ids.generalEncounter].map((id) => ({ __typename: 'Encounter', id }))],
    [
      'records',
      `... on Resident { conditions(first: 100) { edges { node { id code { display } } } } summary { activeProblems { code { display } } allergies { items { reactions } } } }`,
      [{ __typename: 'Resident', id: residentId }],
    ],
    [
      'records',
      `... on Referral { attachedEncounters { ${ENCOUNTER} } }`,
      [{ ...attaching, attachedEncounterIds: [ids.psychiatricEncounter, ids.generalEncounter] }],
    ],
    [
      'records',
      `... on Prescription { encounter { ${ENCOUNTER} } safetyFacts { diagnosisCodes } }`,
      [{ __typename: 'Prescription', id: ids.amlodipine, residentId, encounterId: ids.psychiatricEncounter }],
    ],
    ['labs', `... on LabReport { ${REPORT} }`, [ids.hivReport, ids.correctedReport].map((id) => ({ __typename: 'LabReport', id }))],
    ['labs', `... on Referral { attachedLabReports { ${REPORT} } }`, [{ ...attaching, attachedLabReportIds: [ids.hivReport, ids.correctedReport] }]],
    ['labs', `... on Resident { labReports(first: 100) { edges { node { ${REPORT} } } } }`, [{ __typename: 'Resident', id: residentId }]],
    [
      'prescriptions',
      `... on Prescription { id diagnoses { display } items { drug { display } } warnings { code message acrossOrganizations duplicates { id items { drug { display } } } } renewalCheck { reason } }`,
      [ids.omeprazole, ids.escitalopram, ids.rabeprazole].map((id) => ({
        __typename: 'Prescription',
        id,
        safetyFacts: { allergyGroups: [], diagnosisCodes: ['F32.9', 'F43.1'] },
      })),
    ],
    [
      'prescriptions',
      `... on Resident { prescriptions(first: 100) { edges { node { id diagnoses { display } items { drug { display } } } } } }`,
      [{ __typename: 'Resident', id: residentId }],
    ],
    [
      'referrals',
      `... on Referral { id reason toDepartment diagnoses { display } }`,
      [ids.referralByDiagnosis, ids.referralByDepartment, ids.referralByReason, ids.neutralReferral].map((id) => ({ __typename: 'Referral', id })),
    ],
    [
      'referrals',
      `... on Resident { referrals(first: 100) { edges { node { id reason toDepartment diagnoses { display } } } } }`,
      [{ __typename: 'Resident', id: residentId }],
    ],
    ['referrals', `... on Resident { nursingOrders { ${NURSING} } }`, [{ __typename: 'Resident', id: residentId }]],
    ['referrals', `... on HospitalBooking { id reason department }`, [{ __typename: 'HospitalBooking', id: bookingId }]],
    [
      'labs',
      `... on HospitalBooking { examReport { ${REPORT} } }`,
      [{ __typename: 'HospitalBooking', id: bookingId, resident: { id: residentId }, resultReportIds: [ids.hivReport] }],
    ],
    [
      'records',
      `... on HospitalBooking { discharge { ${ENCOUNTER} } }`,
      [{ __typename: 'HospitalBooking', id: bookingId, resident: { id: residentId }, dischargeEncounterIds: [ids.psychiatricEncounter] }],
    ],
  ];
};

/** Everything one viewer gets back: every response body and error, as text. */
async function everythingSeenBy(identity: DemoIdentity): Promise<string> {
  const token = stack.token(identity);
  const texts: string[] = [];
  for (const [, query, variables] of gatewayQueries()) {
    texts.push((await stack.query(token, query, { id: scenario.residentId, org: identity.organizationCode ?? '3201-H001', ...variables })).text);
  }
  const viewer = {
    subject: identity.subject,
    roles: identity.roles,
    organizationCode: identity.organizationCode,
    practitionerId: identity.practitionerId,
    residentId: identity.residentId,
    purposeOfUse: identity.roles.includes('resident') ? ('self' as const) : ('treatment' as const),
  };
  for (const [subgraph, selection, representations] of entityCalls()) {
    const internal = mintInternalToken({ viewer, requestId: randomUUID() }, subgraph, stack.keys.internal.privateKey);
    texts.push(
      (
        await stack.query(
          internal,
          `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`,
          { r: representations },
          stack.subgraphs[subgraph].url,
        )
      ).text,
    );
  }
  return texts.join('\n');
}

describe.each(Object.keys(CANARY_VIEWERS))('as %s', (name) => {
  it('sees exactly the canaries it is a party to, on every entry point', async () => {
    const { identity, sees } = CANARY_VIEWERS[name]!;
    const seen = await everythingSeenBy(identity(scenario));
    const leaked = (secrets: string[]) => secrets.filter((secret) => seen.includes(secret));
    expect(leaked(sourceSecrets(scenario))).toEqual(sees === 'all' ? sourceSecrets(scenario) : []);
    expect(leaked(referralSecrets(scenario))).toEqual(sees === 'nothing' ? [] : referralSecrets(scenario));
    expect(leaked(hotlineSecrets())).toEqual(name === 'resident' ? hotlineSecrets() : []);
    // The nursing order's parties are the resident and its centre: no other viewer, not even the source hospital.
    expect(leaked(nursingSecrets())).toEqual(name === 'resident' ? nursingSecrets() : []);
    // The hospital booking's ends are the source hospital and the booking centre.
    expect(leaked(bookingSecrets())).toEqual(['resident', 'sourceDoctor'].includes(name) ? bookingSecrets() : []);
    expect(leaked([CHECKUP_CANARY])).toEqual(sees === 'all' ? [CHECKUP_CANARY] : []);
    // A settlement's items and ids: the resident's own, and the settling institution's system's (not a canary viewer).
    expect(leaked([SETTLEMENT_CANARY, 'CANARY-SETTLEMENT-1'])).toEqual(name === 'resident' ? [SETTLEMENT_CANARY, 'CANARY-SETTLEMENT-1'] : []);
  });
});

it('shows the nursing centre its order, and none of the restricted records its standing could reach', async () => {
  const seen = await everythingSeenBy(identities.familyDoctor(NURSING_CENTRE));
  const leaked = (secrets: string[]) => secrets.filter((secret) => seen.includes(secret));
  expect(leaked(nursingSecrets())).toEqual(nursingSecrets());
  expect(leaked(sourceSecrets(scenario))).toEqual([]);
  expect(leaked(referralSecrets(scenario))).toEqual([]);
});

it('shows the booking family doctor its booking, and not the restricted report filed back for it', async () => {
  const seen = await everythingSeenBy(bookingFamilyDoctor());
  const leaked = (secrets: string[]) => secrets.filter((secret) => seen.includes(secret));
  expect(leaked(bookingSecrets())).toEqual(bookingSecrets());
  expect(leaked(sourceSecrets(scenario))).toEqual([]);
  expect(leaked(referralSecrets(scenario))).toEqual([]);
});

it('shows the settlement canary to the institution that settled it, through its own day', async () => {
  const seen = await stack.query(
    stack.token(identities.hospitalSystem(SOURCE)),
    `query($day: String!) { institutionSettlements(day: $day) { id items { name } } }`,
    {
      day: settlementDay,
    },
  );
  expect(seen.body.data!.institutionSettlements).toEqual([{ id: 'CANARY-SETTLEMENT-1', items: [{ name: SETTLEMENT_CANARY }] }]);
});

it('writes no canary, and no id of a withheld record, into any log line', () => {
  expect(logLines.length).toBeGreaterThan(0);
  const all = logLines.join('\n');
  expect(
    [...sourceSecrets(scenario), ...referralSecrets(scenario), crisisCallId, ...nursingSecrets(), BOOKING_REASON, SETTLEMENT_CANARY, CHECKUP_CANARY].filter(
      (secret) => all.includes(secret),
    ),
  ).toEqual([]);
});

/** Fields that carry no clinical record (identity, administration, writes other than checkOrder): what the sweep leaves out, by name. */
const NOT_RECORDS = new Set([
  'Query.resident',
  'Query.residents',
  'Query.residentByIdentifier',
  'Query.residentsByIdentifiers',
  'Query.searchResidents',
  'Query.matchReviews',
  'Query.organization',
  'Query.availableSlots',
  'Query.breakGlassReviews',
  // Counts of registrations without care per organization: no resident is named.
  'Query.registrationsWithoutCare',
  'Resident.id',
  'Resident.name',
  'Resident.gender',
  'Resident.birthDate',
  'Resident.idNumber',
  'Resident.phone',
  'Resident.district',
  'Resident.identifiers',
  'Resident.active',
  'Resident.mergeHistory',
  'Resident.consent',
  'Resident.familyDoctorContract',
  // Discovery: the caller's own identity and reference data (test/gateway/discovery.test.ts shows they reach no record).
  // The calling resident's own appointments (sessions booked, no record): nobody else's token reaches them.
  'Query.myAppointments',
  // The calling resident's own check-up bookings (days booked, no record), and a package's booked places per day (no resident).
  'Query.myCheckups',
  'Query.checkupAvailability',
  'Query.viewer',
  'Query.organizations',
  'Query.departments',
  'Query.drugs',
  'Query.labItems',
  // The cockpit: counters kept as records arrive (figures per organization and day), never a record itself.
  'Query.cockpitMonth',
  'Query.cockpitTrend',
  'Query.cockpitDays',
  'Query.cockpitRanking',
  'Query.formsCompleteness',
  'Query.appointmentsByChannel',
  'Query.realtimeForms',
  // The hotline's counts (no person) and the centre's work orders (no resident).
  'Query.hotlineMonth',
  'Query.bulletinHeadline',
  'Query.openWorkOrders',
  // The home nursing catalogue: reference data.
  'Query.nursingServices',
]);

it('asks every root and Resident field of the schema that can carry a record (counted from the SDL, not from itself)', () => {
  const fields = SUBGRAPH_NAMES.flatMap((name) =>
    parse(readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8')).definitions.flatMap((definition) =>
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      ['Query', 'Resident'].includes(definition.name.value)
        ? (definition.fields ?? []).map((field) => `${definition.name.value}.${field.name.value}`)
        : [],
    ),
  );
  const asked = new Set(gatewayQueries().map(([entry]) => entry));
  expect([...new Set(fields)].filter((field) => !NOT_RECORDS.has(field) && !asked.has(field)).sort()).toEqual([]);
  expect(asked.has('Mutation.checkOrder')).toBe(true);
});
