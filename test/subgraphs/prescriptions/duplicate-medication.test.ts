/**
 * Duplicate medication across hospitals at prescribing, through the real gateway: a doctor
 * prescribing a drug of a therapeutic group the resident already takes on another hospital's
 * active prescription is warned, with that prescription named; a prescription the resident
 * restricted is never named, nor warned of, where it is withheld; each warning is counted for
 * the health commission's reminder figures.
 */
import { cityDay } from '../../../monitoring/activity-store';
import { DRUGS } from '../../../subgraphs/prescriptions/drug-catalogue';
import { insertHospitals, insertResidents } from '../../support/fixtures';
import { useStack } from '../../support/stack-fixture';

const { stack, ok, codes } = useStack();
const HOSPITAL = '3201-H105';
const OTHER = '3201-H106';
const drugCode = (inn: string) => [...DRUGS.values()].find((drug) => drug.inn === inn)!.code;
const doctorAt = (organizationCode: string) =>
  stack.token({ subject: `dr-${organizationCode}`, roles: ['doctor'], organizationCode, practitionerId: `D-${organizationCode}` });

const WARNINGS = `warnings { code acrossOrganizations message duplicates { id prescriber { code } items { drug { display } } } }`;
let request = 0;
const issue = async (residentId: string, organizationCode: string, inn: string, days = 28) =>
  (
    await ok(doctorAt(organizationCode), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id ${WARNINGS} } }`, {
      input: {
        residentId,
        clientRequestId: `dup-request-${request++}`,
        diagnoses: [{ code: 'I10', display: '原发性高血压' }],
        items: [{ drugCode: drugCode(inn), dose: 1, route: 'oral', frequency: 'qd', days, quantity: days }],
      },
    })
  ).issuePrescription;
/** An active prescription: issued and signed. */
const active = async (residentId: string, organizationCode: string, inn: string) => {
  const { id } = await issue(residentId, organizationCode, inn);
  await ok(doctorAt(organizationCode), `mutation($id: ID!) { signPrescription(id: $id) { id } }`, { id });
  return id as string;
};

beforeAll(async () => {
  await insertHospitals(stack);
});

it('warns of the same therapeutic class active from another hospital, naming the prescription duplicated', async () => {
  const [resident] = (await insertResidents(stack, { organizationCode: HOSPITAL, alsoSeenAt: [OTHER], count: 1 })) as [string];
  const amlodipine = await active(resident, OTHER, 'amlodipine');
  const issued = await issue(resident, HOSPITAL, 'nifedipine');
  expect(issued.warnings).toEqual([
    {
      code: 'DUPLICATE_THERAPY:CCB',
      acrossOrganizations: true,
      message: '硝苯地平控释片 30mg duplicates 苯磺酸氨氯地平片 5mg (CCB)',
      duplicates: { id: amlodipine, prescriber: { code: OTHER }, items: [{ drug: { display: '苯磺酸氨氯地平片 5mg' } }] },
    },
  ]);
  // The other hospital, prescribing again, is warned of its own prescription: not across hospitals.
  const again = await issue(resident, OTHER, 'nifedipine');
  expect(again.warnings).toContainEqual(expect.objectContaining({ code: 'DUPLICATE_THERAPY:CCB', acrossOrganizations: false }));
  // A draft is not active: it duplicates nothing for the next prescriber.
  const [fresh] = (await insertResidents(stack, { organizationCode: HOSPITAL, alsoSeenAt: [OTHER], count: 1 })) as [string];
  await issue(fresh, OTHER, 'amlodipine');
  expect((await issue(fresh, HOSPITAL, 'nifedipine')).warnings).toEqual([]);
});

it('never names, nor warns of, a prescription the resident restricted where it is withheld', async () => {
  const [resident] = (await insertResidents(stack, { organizationCode: HOSPITAL, alsoSeenAt: [OTHER], count: 1 })) as [string];
  await ok(
    stack.token({ subject: `resident-${resident}`, roles: ['resident'], residentId: resident }),
    `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`,
    { id: resident },
  );
  const escitalopram = await active(resident, OTHER, 'escitalopram');
  const { body, text } = await stack.query(
    doctorAt(HOSPITAL),
    `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id ${WARNINGS} } }`,
    {
      input: {
        residentId: resident,
        clientRequestId: `dup-request-${request++}`,
        diagnoses: [{ code: 'I10', display: '原发性高血压' }],
        items: [{ drugCode: drugCode('sertraline'), dose: 50, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
      },
    },
  );
  expect(body.data!.issuePrescription.warnings).toEqual([]);
  expect(text).not.toContain(escitalopram);
  expect(text).not.toContain('艾司西酞普兰');
  // Where it came from, it is named.
  expect((await issue(resident, OTHER, 'sertraline')).warnings).toEqual([
    expect.objectContaining({ code: 'DUPLICATE_THERAPY:SSRI', acrossOrganizations: false, duplicates: expect.objectContaining({ id: escitalopram }) }),
  ]);
});

it('counts each warning across hospitals at the prescribing organization, for the health commission only', async () => {
  const month = cityDay(new Date()).slice(0, 7);
  const query = `query($month: String!) { reminderStatistics(month: $month) { organization { code } duplicateMedicationWarnings } }`;
  const { reminderStatistics } = await ok(stack.token({ subject: 'hc-1', roles: ['health_commission'] }), query, { month });
  // One across hospitals at HOSPITAL (the restricted one was not shown, so not counted); OTHER was only warned of its own.
  expect(reminderStatistics.filter((row: any) => [HOSPITAL, OTHER].includes(row.organization.code))).toEqual([
    { organization: { code: HOSPITAL }, duplicateMedicationWarnings: 1 },
  ]);
  expect(await codes(doctorAt(HOSPITAL), query, { month })).toEqual(['FORBIDDEN']);
});

it('answers bad input with BAD_USER_INPUT and counts nothing', async () => {
  const [resident] = (await insertResidents(stack, { organizationCode: HOSPITAL, alsoSeenAt: [OTHER], count: 1 })) as [string];
  await active(resident, OTHER, 'amlodipine');
  const month = cityDay(new Date()).slice(0, 7);
  const figures = async () =>
    (
      await ok(
        stack.token({ subject: 'hc-1', roles: ['health_commission'] }),
        `query($m: String!) { reminderStatistics(month: $m, organizationCode: "${HOSPITAL}") { duplicateMedicationWarnings } }`,
        {
          m: month,
        },
      )
    ).reminderStatistics;
  const before = await figures();
  expect(
    await codes(doctorAt(HOSPITAL), `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
      input: {
        residentId: resident,
        clientRequestId: `dup-request-${request++}`,
        diagnoses: [{ code: 'I10', display: '原发性高血压' }],
        items: [{ drugCode: drugCode('nifedipine'), dose: -1, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
      },
    }),
  ).toEqual(['BAD_USER_INPUT']);
  expect(await figures()).toEqual(before);
  expect(await codes(stack.token({ subject: 'hc-1', roles: ['health_commission'] }), `{ reminderStatistics(month: "2026-13") { shown } }`)).toEqual([
    'BAD_USER_INPUT',
  ]);
});
