/** The write cases of family doctors' hospital bookings: who may book, cancel and file a result, who may not, and on what. */
import { insertResidents, insertSlotPool, modelsOf } from '../support/fixtures';
import { CENTRE, HOSPITAL, OTHER_CENTRE, STRANGER, type WriteCase, type WriteScenarios } from './write-scenarios';

const BOOK = `mutation($input: BookHospitalResourceInput!) { bookHospitalResource(input: $input) { id } }`;

export function hospitalBookingWriteCases(scenarios: WriteScenarios): Record<string, WriteCase> {
  const { stack, ok, doctor, familyDoctor, labSystem, resident, unique, until, OFFER } = scenarios;

  /** A resident of the centre under an accepted contract with F1 (a lab report on file), and an exam pool at the hospital, which opens its exams. */
  async function contractedWithPool(): Promise<{ residentId: string; poolId: string }> {
    const [residentId] = (await insertResidents(stack, { organizationCode: CENTRE, count: 1, reportsEach: 1 })) as [string];
    const { id } = (await ok(familyDoctor(), OFFER, { id: residentId, until: until() })).signContract;
    await ok(resident(residentId), `mutation($id: ID!) { acceptContract(id: $id) { id } }`, { id });
    await modelsOf(stack)
      .referrals.OpenHospitalResource.updateOne(
        { _id: `${HOSPITAL}|EXAM` },
        { $setOnInsert: { organizationCode: HOSPITAL, kind: 'EXAM', since: new Date() } },
        { upsert: true },
      )
      .exec();
    const pool = await insertSlotPool(stack, { kind: 'EXAM', department: '影像科', capacity: 10, reserved: 3 });
    return { residentId, poolId: pool._id };
  }
  const bookingInput = (residentId: string, poolId: string) => ({
    input: { residentId, poolId, examType: 'CT', reason: '慢阻肺随访，复查胸部CT', clientRequestId: unique('hb') },
  });
  async function booked(): Promise<{ residentId: string; id: string }> {
    const { residentId, poolId } = await contractedWithPool();
    return { residentId, id: (await ok(familyDoctor(), BOOK, bookingInput(residentId, poolId))).bookHospitalResource.id };
  }

  return {
    bookHospitalResource: {
      query: BOOK,
      prepare: async () => {
        const { residentId, poolId } = await contractedWithPool();
        const attempt = (token: string) => ({ token, variables: bookingInput(residentId, poolId) });
        return {
          residentId,
          allowed: attempt(familyDoctor()),
          denied: {
            otherOrganization: attempt(familyDoctor(OTHER_CENTRE, 'F9')),
            otherPractitioner: attempt(familyDoctor(CENTRE, 'F2')),
            noPractitioner: attempt(familyDoctor(CENTRE, null)),
            wrongRole: attempt(doctor()),
          },
          outsider: { attempt: attempt(familyDoctor(OTHER_CENTRE, 'F9')), organizationCode: OTHER_CENTRE },
        };
      },
    },
    cancelHospitalBooking: {
      query: `mutation($id: ID!) { cancelHospitalBooking(id: $id, reason: "患者改为门诊随访") { status } }`,
      prepare: async () => {
        const { residentId, id } = await booked();
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(familyDoctor()),
          denied: { otherOrganization: attempt(familyDoctor(OTHER_CENTRE, 'F9')), wrongRole: attempt(doctor()), resident: attempt(resident(residentId)) },
          outsider: { attempt: attempt(familyDoctor(OTHER_CENTRE, 'F9')), organizationCode: OTHER_CENTRE },
        };
      },
    },
    fileHospitalResult: {
      query: `mutation($input: FileHospitalResultInput!) { fileHospitalResult(input: $input) { status } }`,
      prepare: async () => {
        const { residentId, id } = await booked();
        const report = (await modelsOf(stack).labs.LabReport.findOne({ residentId }).lean())!;
        const attempt = (token: string) => ({ token, variables: { input: { bookingId: id, labReportId: report._id } } });
        return {
          residentId,
          allowed: attempt(labSystem()),
          denied: { otherOrganization: attempt(labSystem(STRANGER)), wrongRole: attempt(familyDoctor()) },
          outsider: { attempt: attempt(labSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
  };
}
