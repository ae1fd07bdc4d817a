/** The home nursing mutations as write cases: who may place, act on and cancel an order, and who may not. */
import { addDays, beijingDate } from '../../subgraphs/referrals/referral-rules';
import { newId } from '../support/fixtures';
import { CENTRE, HOSPITAL, OTHER_CENTRE, STRANGER, type WriteCase, type WriteScenarios } from './write-scenarios';

const ORDER = `mutation($input: OrderNursingInput!) { orderNursing(input: $input) { id status } }`;
const orderInput = (residentId: string) => ({
  residentId,
  organizationCode: CENTRE,
  serviceCode: 'CATHETER_CARE',
  preconditions: ['PRESCRIBED', 'CATHETER_IN_PLACE'],
  preferredDate: addDays(beijingDate(new Date()), 1),
  address: '南京市鼓楼区湖南路 8 号',
  notes: null,
});

export function nursingWriteCases(scenarios: WriteScenarios): Record<string, WriteCase> {
  const { ok, familyDoctor, internetHospital, resident, doctor, freshResident } = scenarios;

  /**
   * An order the resident placed at CENTRE, moved as far as `status`. The resident's own order
   * needs no record at any desk: a new id keeps this file's access store small (its snapshots
   * stay under the size the suite's index-use check counts).
   */
  async function order(status: 'ORDERED' | 'ACCEPTED' | 'VISITED', residentId = newId()): Promise<{ id: string; residentId: string }> {
    const { id } = (await ok(resident(residentId), ORDER, { input: orderInput(residentId) })).orderNursing;
    if (status !== 'ORDERED') await ok(familyDoctor(CENTRE, 'HEAD'), `mutation($id: ID!) { acceptNursingOrder(id: $id, nurseId: "F1") { id } }`, { id });
    if (status === 'VISITED')
      await ok(familyDoctor(CENTRE, 'F1'), `mutation($id: ID!) { recordNursingVisit(id: $id, input: { performed: "更换导尿管" }) { id } }`, { id });
    return { id, residentId };
  }

  /** A mutation of the centre on an order moved as far as `status`; another centre caring for the resident is the outsider. */
  function asCentre(query: string, status: Parameters<typeof order>[0], practitionerId = 'HEAD'): WriteCase {
    return {
      query,
      prepare: async () => {
        const { id, residentId } = await order(status);
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(familyDoctor(CENTRE, practitionerId)),
          denied: {
            otherCentre: attempt(familyDoctor(OTHER_CENTRE, 'F9')),
            resident: attempt(resident(residentId)),
            wrongRole: attempt(doctor()),
            internetHospital: attempt(internetHospital()),
          },
          outsider: { attempt: attempt(familyDoctor(OTHER_CENTRE, 'F9')), organizationCode: OTHER_CENTRE },
        };
      },
    };
  }

  return {
    orderNursing: {
      query: ORDER,
      prepare: async () => {
        const residentId = newId();
        const attempt = (token: string) => ({ token, variables: { input: orderInput(residentId) } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: {
            otherResident: attempt(resident(newId())),
            internetHospitalWithoutStanding: attempt(internetHospital(STRANGER)),
            centre: attempt(familyDoctor(CENTRE)),
            wrongRole: attempt(doctor()),
          },
          outsider: { attempt: attempt(internetHospital(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    acceptNursingOrder: asCentre(`mutation($id: ID!) { acceptNursingOrder(id: $id, nurseId: "F1") { status } }`, 'ORDERED'),
    refuseNursingOrder: asCentre(`mutation($id: ID!) { refuseNursingOrder(id: $id, reason: "超出服务范围") { status } }`, 'ORDERED'),
    recordNursingVisit: asCentre(`mutation($id: ID!) { recordNursingVisit(id: $id, input: { performed: "更换导尿管" }) { status } }`, 'ACCEPTED', 'F1'),
    completeNursingOrder: asCentre(`mutation($id: ID!) { completeNursingOrder(id: $id) { status } }`, 'VISITED'),
    cancelNursingOrder: {
      query: `mutation($id: ID!) { cancelNursingOrder(id: $id, reason: "患者已住院") { status } }`,
      prepare: async () => {
        // Registered at HOSPITAL, where the internet hospital below has standing.
        const { id, residentId } = await order('ORDERED', await freshResident());
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: {
            otherResident: attempt(resident(newId())),
            // An internet hospital with standing may not cancel the resident's own order.
            internetHospitalWithStanding: attempt(internetHospital(HOSPITAL)),
            centre: attempt(familyDoctor(CENTRE)),
            wrongRole: attempt(doctor()),
          },
          outsider: { attempt: attempt(internetHospital(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
  };
}
