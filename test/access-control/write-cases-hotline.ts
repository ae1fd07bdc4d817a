/** The 12320 hotline's mutations as write cases: its centre's operators write; no other organization or role does. */
import { modelsOf } from '../support/fixtures';
import { HOSPITAL, STRANGER, type WriteCase, type WriteScenarios } from './write-scenarios';

const CENTRE = '3201-T01';

export function hotlineWriteCases({ stack, ok, as, doctor, hospitalSystem, resident, freshResident, unique }: WriteScenarios): Record<string, WriteCase> {
  /** The centre in the registry (once per stack), and an operator of it, of a hospital, with no organization. */
  const operators = async () => {
    await modelsOf(stack)
      .records.Organization.updateOne(
        { _id: CENTRE },
        { $setOnInsert: { name: '南京12320卫生热线', level: 'HOTLINE', district: '鼓楼区', outpatientVisits: 0, discharges: 0 } },
        { upsert: true },
      )
      .exec();
    return {
      centre: as({ roles: ['hotline_operator'], organizationCode: CENTRE, practitionerId: 'OP1' }),
      elsewhere: as({ roles: ['hotline_operator'], organizationCode: STRANGER, practitionerId: 'OP2' }),
      none: as({ roles: ['hotline_operator'], subject: 'op-none' }),
    };
  };
  const call = (residentId: string) => ({
    callId: unique('CALL'),
    receivedAt: '2026-03-01T09:00:00+08:00',
    category: 'CONSULTATION',
    channel: 'OPERATOR',
    outcome: 'ANSWERED',
    operatorId: 'OP1',
    residentId,
  });
  const callCase = (query: string, variablesOf: (input: ReturnType<typeof call>) => Record<string, unknown>): WriteCase => ({
    query,
    prepare: async () => {
      const residentId = await freshResident();
      const operator = await operators();
      const attempt = (token: string) => ({ token, variables: variablesOf(call(residentId)) });
      return {
        residentId,
        allowed: attempt(operator.centre),
        denied: {
          otherOrganization: attempt(operator.elsewhere),
          noOrganization: attempt(operator.none),
          wrongRole: attempt(doctor()),
          hospitalSystem: attempt(hospitalSystem(HOSPITAL)),
          theResident: attempt(resident(residentId)),
        },
        outsider: { attempt: attempt(operator.elsewhere), organizationCode: STRANGER },
      };
    },
  });
  const order = () => ({ source: 'CITY_12345', ticketNumber: unique('SZ'), receivedAt: '2026-03-01T09:00:00+08:00' });
  return {
    recordHotlineCall: callCase(`mutation($input: HotlineCallInput!) { recordHotlineCall(input: $input) { id } }`, (input) => ({ input })),
    uploadHotlineCalls: callCase(`mutation($inputs: [HotlineCallInput!]!) { uploadHotlineCalls(inputs: $inputs) { status } }`, (input) => ({
      inputs: [input],
    })),
    receiveWorkOrder: {
      query: `mutation($input: WorkOrderInput!) { receiveWorkOrder(input: $input) { id } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const operator = await operators();
        const attempt = (token: string) => ({ token, variables: { input: order() } });
        return {
          residentId,
          allowed: attempt(operator.centre),
          denied: { otherOrganization: attempt(operator.elsewhere), noOrganization: attempt(operator.none), wrongRole: attempt(doctor()) },
          outsider: { attempt: attempt(operator.elsewhere), organizationCode: STRANGER },
        };
      },
    },
    advanceWorkOrder: {
      query: `mutation($id: ID!) { advanceWorkOrder(id: $id, status: CLOSED) { status } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const operator = await operators();
        const { id } = (await ok(operator.centre, `mutation($input: WorkOrderInput!) { receiveWorkOrder(input: $input) { id } }`, { input: order() }))
          .receiveWorkOrder;
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(operator.centre),
          denied: { otherOrganization: attempt(operator.elsewhere), noOrganization: attempt(operator.none), wrongRole: attempt(doctor()) },
          outsider: { attempt: attempt(operator.elsewhere), organizationCode: STRANGER },
        };
      },
    },
  };
}
