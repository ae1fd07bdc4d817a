/**
 * Home nursing orders through the real gateway: a resident or an internet hospital orders,
 * the centre accepts and assigns a nurse, the nurse records the visit, the centre completes
 * it; the centre's standing lasts only while the order is open and covers only what the visit
 * needs; bad input and every denial change nothing.
 */

import { cityDay } from '../../../monitoring/activity-store';
import { addDays, beijingDate } from '../../../subgraphs/referrals/referral-rules';
import { insertHospitals, insertResidents, modelsOf, newId, prescriptionDoc, relate } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const CENTRE = '3201-C001';
const OTHER_CENTRE = '3201-C002';
const HOSPITAL = '3201-H001';
const INTERNET = '3201-I01';
const OTHER_INTERNET = '3201-I02';
const ESCITALOPRAM = 'H20010510';

const nurse = (practitionerId = 'N1', organizationCode = CENTRE) =>
  stack.token({ subject: `nurse-${practitionerId}`, roles: ['family_doctor'], organizationCode, practitionerId });
const internetHospital = (organizationCode = INTERNET) =>
  stack.token({ subject: `ih-${organizationCode}`, roles: ['internet_hospital'], organizationCode, practitionerId: 'IH1' });
const resident = (residentId: string) => stack.token({ subject: `resident-${residentId}`, roles: ['resident'], residentId });
const hospitalDoctor = () => stack.token({ subject: 'dr-h1', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'D1' });

const ORDER_FIELDS = `id status ordererKind orderer { code } organization { code } service { code } nurseId reason visit { nurseId performed observations } transitions { from to by }`;
const ORDER = `mutation($input: OrderNursingInput!) { orderNursing(input: $input) { ${ORDER_FIELDS} } }`;
const ACCEPT = `mutation($id: ID!, $nurse: String!) { acceptNursingOrder(id: $id, nurseId: $nurse) { ${ORDER_FIELDS} } }`;
const VISIT = `mutation($id: ID!, $input: NursingVisitInput!) { recordNursingVisit(id: $id, input: $input) { ${ORDER_FIELDS} } }`;
const COMPLETE = `mutation($id: ID!) { completeNursingOrder(id: $id) { ${ORDER_FIELDS} } }`;
const REFUSE = `mutation($id: ID!, $reason: String!) { refuseNursingOrder(id: $id, reason: $reason) { ${ORDER_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelNursingOrder(id: $id, reason: $reason) { ${ORDER_FIELDS} } }`;
const WHAT_THE_CENTRE_READS = `query($id: ID!) { resident(id: $id) {
  id allergies { items { id } } conditions { edges { node { id } } } encounters { edges { node { id } } }
  prescriptions { edges { node { id items { drug { code } } } } } nursingOrders { id status } } }`;
const INJECTION = ['PRESCRIBED', 'NOT_FIRST_DOSE', 'CARER_PRESENT'];

const today = () => beijingDate(new Date());
const orderInput = (residentId: string, overrides: Record<string, unknown> = {}) => ({
  residentId,
  organizationCode: CENTRE,
  serviceCode: 'INJECTION',
  preconditions: INJECTION,
  preferredDate: addDays(today(), 2),
  address: '南京市鼓楼区中山路 1 号 3 单元 502',
  notes: '胰岛素皮下注射，药品在冰箱',
  ...overrides,
});

/** A resident cared for at the hospital: one allergy, one condition, one encounter, one ordinary prescription and one restricted one. */
async function residentOfHospital(): Promise<string> {
  const [residentId] = await insertResidents(stack, {
    organizationCode: HOSPITAL,
    count: 1,
    allergiesEach: 1,
    conditionsEach: 1,
    encountersEach: 1,
    prescriptionsEach: 1,
  });
  await modelsOf(stack).prescriptions.Prescription.insertMany([
    prescriptionDoc({
      residentId: residentId!,
      organizationCode: HOSPITAL,
      drugCodes: [ESCITALOPRAM],
      diagnoses: [{ system: 'ICD-10', code: 'F32.1', display: '中度抑郁发作' }],
    }),
  ]);
  await ok(
    resident(residentId!),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`,
    {
      id: residentId,
    },
  );
  return residentId!;
}

async function nursingFactsOf(residentId: string) {
  return modelsOf(stack).access.CareRelationship.find({ residentId, kind: 'NURSING' }).lean();
}

beforeAll(async () => {
  await insertHospitals(stack);
});

describe('an order from the resident, visited and completed', () => {
  it('gives the centre what the visit needs while the order is open, and nothing once it is completed', async () => {
    const residentId = await residentOfHospital();
    expect(await codes(nurse(), WHAT_THE_CENTRE_READS, { id: residentId })).toEqual(['FORBIDDEN']);

    const ordered = (await ok(resident(residentId), ORDER, { input: orderInput(residentId) })).orderNursing;
    expect(ordered).toMatchObject({
      status: 'ORDERED',
      ordererKind: 'RESIDENT',
      orderer: null,
      organization: { code: CENTRE },
      service: { code: 'INJECTION' },
    });
    const facts = await nursingFactsOf(residentId);
    expect(facts.map((fact) => [fact.organizationCode, fact.root.kind, fact.root.organizationCode, fact.root.basis])).toEqual([
      [CENTRE, 'NURSING_ORDER', null, `nursing order ${ordered.id} placed by the resident`],
    ]);

    // Allergies and prescriptions (the restricted antidepressant left out), the order; no conditions, encounters.
    const during = (await ok(nurse(), WHAT_THE_CENTRE_READS, { id: residentId })).resident;
    expect(during.allergies.items).toHaveLength(1);
    expect(during.prescriptions.edges.map((edge: any) => edge.node.items[0].drug.code)).not.toContain(ESCITALOPRAM);
    expect(during.prescriptions.edges).toHaveLength(1);
    expect(during.conditions).toBeNull();
    expect(during.encounters).toBeNull();
    expect(during.nursingOrders).toEqual([{ id: ordered.id, status: 'ORDERED' }]);

    const accepted = (await ok(nurse('HEAD'), ACCEPT, { id: ordered.id, nurse: 'N1' })).acceptNursingOrder;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', nurseId: 'N1' });
    expect(await codes(nurse('N2'), VISIT, { id: ordered.id, input: { performed: '皮下注射胰岛素 8 单位' } })).toEqual(['FORBIDDEN']);
    const visited = (await ok(nurse('N1'), VISIT, { id: ordered.id, input: { performed: '腹部皮下注射胰岛素 8 单位', observations: '注射部位无红肿' } }))
      .recordNursingVisit;
    expect(visited).toMatchObject({ status: 'VISITED', visit: { nurseId: 'N1', performed: '腹部皮下注射胰岛素 8 单位', observations: '注射部位无红肿' } });
    const completed = (await ok(nurse('HEAD'), COMPLETE, { id: ordered.id })).completeNursingOrder;
    expect(completed.status).toBe('COMPLETED');
    expect(completed.transitions).toEqual([
      { from: null, to: 'ORDERED', by: `resident-${residentId}` },
      { from: 'ORDERED', to: 'ACCEPTED', by: 'HEAD' },
      { from: 'ACCEPTED', to: 'VISITED', by: 'N1' },
      { from: 'VISITED', to: 'COMPLETED', by: 'HEAD' },
    ]);

    // The order closed: the centre's standing ended with it, and a final order moves no more.
    expect(await codes(nurse(), WHAT_THE_CENTRE_READS, { id: residentId })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId), CANCEL, { id: ordered.id, reason: '不需要了谢谢' })).toEqual(['CONFLICT']);
    expect(await codes(nurse('HEAD'), COMPLETE, { id: ordered.id })).toEqual(['FORBIDDEN']);
    const mine = (
      await ok(
        resident(residentId),
        `query($id: ID!) { resident(id: $id) { nursingOrders { id status } careRelationships { kind organization { code } root { kind } endsAt } } }`,
        {
          id: residentId,
        },
      )
    ).resident;
    expect(mine.nursingOrders).toEqual([{ id: ordered.id, status: 'COMPLETED' }]);
    const nursing = mine.careRelationships.filter((relationship: any) => relationship.kind === 'NURSING');
    expect(nursing.map((relationship: any) => [relationship.organization.code, relationship.root.kind])).toEqual([[CENTRE, 'NURSING_ORDER']]);
    expect(Date.parse(nursing[0].endsAt)).toBeLessThanOrEqual(Date.now());

    // Every write and read of the order is audited as `nursing`, under who did it.
    const audited = await modelsOf(stack).access.AuditEvent.find({ residentId, subgraph: 'referrals', dataKinds: 'nursing' }).lean();
    const seen = (subject: string, action: string, outcome: string) =>
      audited.some((event) => event.subject === subject && event.action === action && event.outcome === outcome);
    expect([
      seen(`resident-${residentId}`, 'write', 'allowed'),
      seen('nurse-HEAD', 'write', 'allowed'),
      seen('nurse-N1', 'write', 'allowed'),
      seen('nurse-N1', 'read', 'allowed'),
      seen('nurse-HEAD', 'write', 'denied'),
    ]).toEqual([true, true, true, true, true]);
  });

  it('counts the order placed and the visit completed for the centre, in its cockpit rows', async () => {
    const centre = '3201-C077';
    const [residentId] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
    const months = new Set([cityDay(new Date()).slice(0, 7)]);
    const id = (await ok(resident(residentId!), ORDER, { input: orderInput(residentId!, { organizationCode: centre }) })).orderNursing.id;
    await ok(nurse('HEAD', centre), ACCEPT, { id, nurse: 'N7' });
    await ok(nurse('N7', centre), VISIT, { id, input: { performed: '更换敷料' } });
    await ok(nurse('HEAD', centre), COMPLETE, { id });
    months.add(cityDay(new Date()).slice(0, 7));
    // Summed over the centre's days, whichever day (Beijing) each step fell on.
    const days = await modelsOf(stack).activity.ActivityRollup.find({ organizationCode: centre, period: 'day' }).lean();
    const total = (rows: { nursingOrders?: number | null; nursingVisits?: number | null }[]) =>
      rows.reduce((sum, row) => [sum[0]! + (row.nursingOrders ?? 0), sum[1]! + (row.nursingVisits ?? 0)], [0, 0]);
    expect(total(days)).toEqual([1, 1]);
    const commission = stack.token({ subject: 'hc', roles: ['health_commission'] });
    const rows = [];
    for (const month of months) {
      const data = await ok(
        commission,
        `query($month: String!, $code: ID) { cockpitDays(month: $month, organizationCode: $code) { period nursingOrders nursingVisits } }`,
        {
          month,
          code: centre,
        },
      );
      rows.push(...data.cockpitDays);
    }
    expect(total(rows)).toEqual([1, 1]);
  });
});

describe('an order from an internet hospital', () => {
  it('is placed for a patient it has standing with, cancelled by it alone, and the centre loses standing at once', async () => {
    const [residentId] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1, allergiesEach: 1 });
    await relate(stack, [residentId!], INTERNET);
    await relate(stack, [residentId!], OTHER_INTERNET);
    const ordered = (
      await ok(internetHospital(), ORDER, {
        input: orderInput(residentId!, { serviceCode: 'PICC_MAINTENANCE', preconditions: ['PRESCRIBED', 'PICC_RECORD', 'NO_LINE_SIGNS'] }),
      })
    ).orderNursing;
    expect(ordered).toMatchObject({ status: 'ORDERED', ordererKind: 'INTERNET_HOSPITAL', orderer: { code: INTERNET } });
    expect((await nursingFactsOf(residentId!)).map((fact) => fact.root.basis)).toEqual([
      `nursing order ${ordered.id} placed by ${INTERNET} under registration`,
    ]);

    expect(await codes(internetHospital(OTHER_INTERNET), CANCEL, { id: ordered.id, reason: '患者已住院' })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId!), CANCEL, { id: ordered.id, reason: '患者已住院' })).toEqual(['FORBIDDEN']);
    const cancelled = (await ok(internetHospital(), CANCEL, { id: ordered.id, reason: '患者已住院' })).cancelNursingOrder;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', reason: '患者已住院' });
    expect(await codes(nurse(), WHAT_THE_CENTRE_READS, { id: residentId })).toEqual(['FORBIDDEN']);
  });

  it('refuses an internet hospital without standing, with nothing written', async () => {
    const [residentId] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
    expect(await codes(internetHospital(), ORDER, { input: orderInput(residentId!) })).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).referrals.NursingOrder.countDocuments({ residentId })).toBe(0);
    expect(await nursingFactsOf(residentId!)).toEqual([]);
  });
});

describe('denials and bad input change nothing', () => {
  it('refuses another resident, a hospital doctor and a family doctor ordering', async () => {
    const [residentId, other] = await insertResidents(stack, { organizationCode: CENTRE, count: 2 });
    expect(await codes(resident(other!), ORDER, { input: orderInput(residentId!) })).toEqual(['FORBIDDEN']);
    expect(await codes(hospitalDoctor(), ORDER, { input: orderInput(residentId!) })).toEqual(['FORBIDDEN']);
    expect(await codes(nurse(), ORDER, { input: orderInput(residentId!, { organizationCode: OTHER_CENTRE }) })).toEqual(['FORBIDDEN']);
    expect(await modelsOf(stack).referrals.NursingOrder.countDocuments({ residentId })).toBe(0);
    expect(await nursingFactsOf(residentId!)).toEqual([]);
  });

  it('lets only the ordered centre act on the order, even another centre that cares for the resident', async () => {
    const [residentId] = await insertResidents(stack, { organizationCode: OTHER_CENTRE, count: 1 });
    const { id } = (await ok(resident(residentId!), ORDER, { input: orderInput(residentId!) })).orderNursing;
    expect(await codes(nurse('X1', OTHER_CENTRE), ACCEPT, { id, nurse: 'X1' })).toEqual(['FORBIDDEN']);
    expect(await codes(resident(residentId!), ACCEPT, { id, nurse: 'N1' })).toEqual(['FORBIDDEN']);
    expect(await codes(internetHospital(), REFUSE, { id, reason: '超出服务范围' })).toEqual(['FORBIDDEN']);
    const stored = await modelsOf(stack).referrals.NursingOrder.findById(id).lean();
    expect([stored?.status, stored?.version, stored?.nurseId]).toEqual(['ORDERED', 1, null]);

    const refused = (await ok(nurse('HEAD'), REFUSE, { id, reason: '超出本中心服务范围' })).refuseNursingOrder;
    expect(refused).toMatchObject({ status: 'REFUSED', reason: '超出本中心服务范围' });
    expect(await codes(nurse('HEAD'), ACCEPT, { id, nurse: 'N1' })).toEqual(['FORBIDDEN']);
  });

  it('answers bad input with BAD_USER_INPUT naming the problem', async () => {
    const [residentId] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
    const message = async (input: Record<string, unknown>) => {
      const { body } = await stack.query(resident(residentId!), ORDER, { input: orderInput(residentId!, input) });
      return [body.errors?.[0]?.extensions?.code, body.errors?.[0]?.message];
    };
    expect(await message({ preconditions: ['PRESCRIBED'] })).toEqual([
      'BAD_USER_INPUT',
      'Invalid input: preconditions: INJECTION needs NOT_FIRST_DOSE, CARER_PRESENT confirmed',
    ]);
    expect(await message({ serviceCode: 'MASSAGE', preconditions: [] })).toEqual([
      'BAD_USER_INPUT',
      'Invalid input: serviceCode: MASSAGE is not a service of the catalogue (INJECTION, WOUND_CARE, CATHETER_CARE, PICC_MAINTENANCE)',
    ]);
    expect(await message({ preferredDate: '2027-02-29' })).toEqual([
      'BAD_USER_INPUT',
      'preferredDate must be a calendar date as YYYY-MM-DD, e.g. 2026-03-01 (not "2027-02-29")',
    ]);
    // Near midnight (Beijing) the server's today may be a day after the test's: yesterday is refused either way.
    const [code, past] = await message({ preferredDate: addDays(today(), -1) });
    expect(code).toBe('BAD_USER_INPUT');
    expect(past).toMatch(/^preferredDate must be from today \(\d{4}-\d{2}-\d{2}\) to 14 days ahead, Beijing time$/);
    expect(await message({ organizationCode: HOSPITAL })).toEqual([
      'BAD_USER_INPUT',
      "Invalid input: organizationCode must be a community health centre's code, such as 3201-C001",
    ]);
    expect(await message({ address: 'x' })).toEqual(['BAD_USER_INPUT', 'Invalid input: address Too small: expected string to have >=4 characters']);
    expect(await modelsOf(stack).referrals.NursingOrder.countDocuments({ residentId })).toBe(0);
    expect(await nursingFactsOf(residentId!)).toEqual([]);

    const { id } = (await ok(resident(residentId!), ORDER, { input: orderInput(residentId!) })).orderNursing;
    expect(await codes(nurse('HEAD'), REFUSE, { id, reason: 'no' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(nurse('HEAD'), ACCEPT, { id, nurse: 'N 1' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(nurse('HEAD'), ACCEPT, { id: newId(), nurse: 'N1' })).toEqual(['NOT_FOUND']);
    const stored = await modelsOf(stack).referrals.NursingOrder.findById(id).lean();
    expect([stored?.status, stored?.version]).toEqual(['ORDERED', 1]);
  });
});

describe('consent and concurrency', () => {
  it('leaves an order whose notes reveal a restricted category out for other organizations, not for the centre or the resident', async () => {
    const residentId = await residentOfHospital();
    const { id } = (await ok(resident(residentId), ORDER, { input: orderInput(residentId, { notes: '患者有抑郁症，请耐心沟通' }) })).orderNursing;
    const ordersFor = async (token: string) => (await ok(token, `query($id: ID!) { resident(id: $id) { nursingOrders { id } } }`, { id: residentId })).resident;
    expect(await ordersFor(hospitalDoctor())).toEqual({ nursingOrders: [] });
    expect(await ordersFor(nurse())).toEqual({ nursingOrders: [{ id }] });
    expect(await ordersFor(resident(residentId))).toEqual({ nursingOrders: [{ id }] });
    expect((await ok(hospitalDoctor(), `query($id: ID!) { nursingOrder(id: $id) { id } }`, { id })).nursingOrder).toBeNull();
    const inbox = (await ok(nurse(), `{ nursingInbox(status: ORDERED, first: 100) { edges { node { id } } } }`)).nursingInbox;
    expect(inbox.edges.map((edge: any) => edge.node.id)).toContain(id);
  });

  it('gives ten concurrent acceptances of one order exactly one success', async () => {
    const [residentId] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
    const { id } = (await ok(resident(residentId!), ORDER, { input: orderInput(residentId!) })).orderNursing;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => stack.query(nurse('HEAD'), ACCEPT, { id, nurse: `N${index}` })));
    expect(answers.filter((answer) => !answer.body.errors)).toHaveLength(1);
    expect(answers.filter((answer) => answer.body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(9);
    expect(await modelsOf(stack).referrals.NursingTransition.countDocuments({ orderId: id })).toBe(2);
  });
});
