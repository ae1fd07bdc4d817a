/**
 * Internet nursing (互联网护理): an internet hospital orders a home injection for its patient
 * from the community health centre, confirming the service's preconditions from the
 * catalogue; the centre finds it in its nursing inbox, accepts it and assigns a nurse; the
 * nurse records the visit; the centre completes the order.
 *
 *   npm run example -- internet-nursing
 */
import { gql } from '@apollo/client';
import { connect, demoCity, nodes, runMain } from './client';

const SERVICES = gql`
  query NursingServices { nursingServices { code display minutes priceFen preconditions { code description } } }
`;
const ORDER_FIELDS = gql`
  fragment NursingOrderState on NursingOrder {
    id
    status
    ordererKind
    orderer { code }
    organization { code }
    service { code display }
    preferredDate
    nurseId
    visit { nurseId performed observations }
  }
`;
const ORDER = gql`
  mutation OrderNursing($input: OrderNursingInput!) { orderNursing(input: $input) { ...NursingOrderState } }
  ${ORDER_FIELDS}
`;
const INBOX = gql`
  query NursingInbox { nursingInbox(status: ORDERED, first: 100) { edges { node { ...NursingOrderState } } } }
  ${ORDER_FIELDS}
`;
const ACCEPT = gql`
  mutation AcceptNursingOrder($id: ID!, $nurseId: String!) { acceptNursingOrder(id: $id, nurseId: $nurseId) { ...NursingOrderState } }
  ${ORDER_FIELDS}
`;
const VISIT = gql`
  mutation RecordNursingVisit($id: ID!, $input: NursingVisitInput!) { recordNursingVisit(id: $id, input: $input) { ...NursingOrderState } }
  ${ORDER_FIELDS}
`;
const COMPLETE = gql`
  mutation CompleteNursingOrder($id: ID!) { completeNursingOrder(id: $id) { ...NursingOrderState transitions { from to by } } }
  ${ORDER_FIELDS}
`;

export interface InternetNursingInput {
  gatewayUrl: string;
  /** The internet hospital's system (role `internet_hospital`), which cares for the resident. */
  internetHospitalToken: string;
  /** A clinician of the community health centre (role `family_doctor`, with a `practitioner_id`): the nurse who visits. */
  nurseToken: string;
  /** The nurse's practitioner id, as the centre assigns it. */
  nurseId: string;
  communityCentreCode: string;
  residentId: string;
  address: string;
}

/** A day of the city's calendar (Beijing, UTC+8), as visits are asked for. */
const isoDate = (time: number) => new Date(time + 8 * 3_600_000).toISOString().slice(0, 10);

export async function internetNursing(input: InternetNursingInput) {
  const internetHospital = connect(input.gatewayUrl, input.internetHospitalToken);
  const centre = connect(input.gatewayUrl, input.nurseToken);

  // 1. The catalogue: the injection service and every precondition it needs confirmed.
  const services: any[] = (await internetHospital.query(SERVICES)).nursingServices;
  const injection = services.find((service) => service.code === 'INJECTION');
  if (!injection) throw new Error('The nursing catalogue offers no INJECTION service');

  // 2. The internet hospital orders it for tomorrow.
  const ordered = (
    await internetHospital.mutate(ORDER, {
      input: {
        residentId: input.residentId,
        organizationCode: input.communityCentreCode,
        serviceCode: injection.code,
        preconditions: injection.preconditions.map((precondition: { code: string }) => precondition.code),
        preferredDate: isoDate(Date.now() + 86_400_000),
        address: input.address,
        notes: '低分子肝素皮下注射，每日一次，药品已配送到家',
      },
    })
  ).orderNursing;

  // 3. The centre: finds it in its inbox, accepts it and assigns the nurse.
  const inCentreInbox = nodes<any>((await centre.query(INBOX)).nursingInbox).some((order) => order.id === ordered.id);
  const accepted = (await centre.mutate(ACCEPT, { id: ordered.id, nurseId: input.nurseId })).acceptNursingOrder;

  // 4. The nurse visits and records what was done; the centre completes the order.
  const visited = (
    await centre.mutate(VISIT, {
      id: ordered.id,
      input: { performed: '腹部皮下注射低分子肝素 0.4 ml', observations: '注射部位无出血、无红肿；已告知家属观察要点' },
    })
  ).recordNursingVisit;
  const completed = (await centre.mutate(COMPLETE, { id: ordered.id })).completeNursingOrder;

  return {
    service: { code: injection.code as string, display: injection.display as string, preconditions: injection.preconditions.length as number },
    order: {
      id: ordered.id as string,
      orderer: ordered.orderer?.code as string,
      centre: ordered.organization.code as string,
      preferredDate: ordered.preferredDate as string,
    },
    inCentreInbox,
    statuses: [ordered.status, accepted.status, visited.status, completed.status] as string[],
    nurseId: accepted.nurseId as string,
    visit: completed.visit as { nurseId: string; performed: string; observations: string | null },
    transitions: completed.transitions as { from: string | null; to: string; by: string }[],
  };
}

export async function main() {
  const demo = demoCity();
  const nurse = demo.identities.family_doctor!;
  return internetNursing({
    gatewayUrl: demo.gatewayUrl,
    internetHospitalToken: demo.tokens.internet_hospital!,
    nurseToken: nurse.token,
    nurseId: nurse.practitionerId!,
    communityCentreCode: nurse.organizationCode!,
    residentId: demo.residentId,
    address: '南京市玄武区中山路 100 号 2 单元 301',
  });
}

if (require.main === module) runMain(main);
