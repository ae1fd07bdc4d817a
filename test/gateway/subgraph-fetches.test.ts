/**
 * A request costs the subgraph calls its query plan says, and no more: the HTTP requests each
 * subgraph server receives equal the fetch nodes of the plan the gateway's own planner makes.
 * Checked against the plan, not a hand count, so a schema change that reshapes the plan moves
 * both sides; what fails is a call the plan does not account for (a subgraph calling another
 * behind federation's back, a retried or per-entity fetch, a planner configured differently).
 */
import { DRUGS } from '../../subgraphs/prescriptions/drug-catalogue';
import { insertHospitals, insertResidents, insertSlotPool, modelsOf, ONE_OF_EACH } from '../support/fixtures';
import { FULL_RECORD } from '../support/full-record';
import { fetchesOf, queryPlanOf, sequentialStages } from '../support/query-plan';
import { useStack } from '../support/stack-fixture';

const HOSPITAL = '3201-H001';
const CENTRE = '3201-C001';

const { stack } = useStack({}, async () => {
  await insertHospitals(stack);
});

/** Runs the operation through the gateway and returns the fetches planned and the requests the subgraphs received. */
async function fetchesAndRequests(token: string, operation: string, variables: Record<string, unknown>) {
  const planned = fetchesOf(queryPlanOf(operation), variables);
  let data: Record<string, any> | null | undefined;
  const received = await stack.subgraphRequestsDuring(async () => {
    const { body } = await stack.query(token, operation, variables);
    // Every entity fetch must have data to fetch, else the gateway rightly skips it.
    expect(body.errors).toBeUndefined();
    data = body.data;
  });
  return { planned, received: [...received].sort(), data: data! };
}

it('the doctor’s full record calls each subgraph as often as its plan has fetches', async () => {
  const [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, ...ONE_OF_EACH })) as [string];
  const doctor = stack.token({ subject: 'dr-wu', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D3' });

  const { planned, received, data } = await fetchesAndRequests(doctor, FULL_RECORD, { id: residentId });

  expect(data.resident.summary.lastEncounters[0].organization.name).toBe('江苏省中医院');
  expect(data.resident.careRelationships[0].organization.name).toBe('江苏省中医院');
  // Each subgraph once: the subgraph that hands out an organization names it too, so no stage
  // of records fetches follows the lists to name organizations.
  expect(planned).toEqual(['access', 'labs', 'prescriptions', 'records', 'referrals']);
  expect(received).toEqual(planned);
});

it('the doctor’s full record is planned in two stages: the resident from records, then the other four in parallel', () => {
  expect(sequentialStages(queryPlanOf(FULL_RECORD))).toBe(2);
});

describe('an internet hospital', () => {
  const internetHospital = () => stack.token({ subject: 'ih-jiangsu', roles: ['internet_hospital'], organizationCode: HOSPITAL });
  const amlodipine = [...DRUGS.values()].find((drug) => drug.inn === 'amlodipine')!.code;
  // The prescription, its resident and prescriber from records, and its safety warnings, which
  // need the resident's allergies from records first (@requires): fetches in sequence.
  const PRESCRIPTION = `id status prescriber { name } resident { name } items { drug { display } dose } warnings { code severity }`;
  let residentId: string;
  beforeAll(async () => {
    [residentId] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, allergiesEach: 1, conditionsEach: 1 })) as [string];
  });

  it('issuing a prescription calls the subgraphs as planned', async () => {
    const issue = `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { ${PRESCRIPTION} } }`;
    const input = {
      residentId,
      clientRequestId: 'ih-fetches-1',
      diagnoses: [{ code: 'I10', display: '原发性高血压' }],
      items: [{ drugCode: amlodipine, dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
    };
    const { planned, received, data } = await fetchesAndRequests(internetHospital(), issue, { input });

    expect(data.issuePrescription.status).toBe('DRAFT');
    expect(planned.length).toBeGreaterThan(1);
    expect(received).toEqual(planned);
  });

  it('listing its prescriptions calls the subgraphs as planned', async () => {
    const list = `query { organizationPrescriptions(first: 20) { edges { node { ${PRESCRIPTION} } } } }`;
    const { planned, received, data } = await fetchesAndRequests(internetHospital(), list, {});

    expect(data.organizationPrescriptions.edges.length).toBeGreaterThan(0);
    expect(planned.length).toBeGreaterThan(1);
    expect(received).toEqual(planned);
  });
});

describe('a family doctor referring a resident up to a hospital slot', () => {
  const familyDoctor = () => stack.token({ subject: 'fd-li', roles: ['family_doctor'], organizationCode: CENTRE, practitionerId: 'F1' });
  // The referral with its resident and hospital from records and its attachments from labs.
  const REFERRAL = `id status slot { share date session } resident { name } toOrganization { name } attachedLabReports { id issuedAt }`;
  const REQUEST = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { ${REFERRAL} } }`;
  let input: Record<string, unknown>;
  beforeAll(async () => {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1, reportsEach: 1 })) as [string];
    const report = (await modelsOf(stack).labs.LabReport.findOne({ residentId }).lean())!;
    input = {
      residentId,
      direction: 'UP',
      toOrganizationCode: HOSPITAL,
      toDepartment: '心血管内科',
      reason: '血压控制不佳',
      diagnoses: [{ code: 'I10', display: '原发性高血压' }],
      attachedLabReportIds: [report._id],
    };
  });

  it('requesting the referral calls the subgraphs as planned', async () => {
    const { planned, received, data } = await fetchesAndRequests(familyDoctor(), REQUEST, { input });

    expect(data.requestReferral.attachedLabReports).toHaveLength(1);
    expect(planned.length).toBeGreaterThan(1);
    expect(received).toEqual(planned);
  });

  it('looking for slots calls the subgraphs as planned', async () => {
    const pool = await insertSlotPool(stack);
    const slots = `query($date: String!) { availableSlots(organizationCode: "${HOSPITAL}", department: "心血管内科", from: $date, to: $date) { poolId organization { name } bookableByYou } }`;
    const { planned, received, data } = await fetchesAndRequests(familyDoctor(), slots, { date: pool.date });

    expect(data.availableSlots.map((slot: { poolId: string }) => slot.poolId)).toContain(pool._id);
    // Referrals names the hospital of its slots itself: no call to records.
    expect(planned).toEqual(['referrals']);
    expect(received).toEqual(planned);
  });

  it('booking the slot calls the subgraphs as planned', async () => {
    const pool = await insertSlotPool(stack);
    const referral = (await stack.query(familyDoctor(), REQUEST, { input })).body.data!.requestReferral;
    const book = `mutation($referral: ID!, $pool: ID!) { bookReferralSlot(referralId: $referral, poolId: $pool, clientRequestId: "fd-li-booking-1") { ${REFERRAL} } }`;
    const { planned, received, data } = await fetchesAndRequests(familyDoctor(), book, { referral: referral.id, pool: pool._id });

    expect(data.bookReferralSlot.slot).toMatchObject({ date: pool.date, session: pool.session });
    expect(planned.length).toBeGreaterThan(1);
    expect(received).toEqual(planned);
  });
});
