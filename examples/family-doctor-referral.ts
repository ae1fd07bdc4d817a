/**
 * Family doctor → hospital and back: the family doctor offers a contract, the resident
 * accepts it, the family doctor refers the resident up to a hospital and books one of the
 * places the hospital reserves for contracted family doctors; the hospital accepts, marks the
 * arrival, completes the referral and sends the resident back down with the discharge summary
 * and follow-up plan, which the family doctor finds in the centre's inbox.
 *
 *   npm run example -- family-doctor-referral
 */
import { gql } from '@apollo/client';
import { connect, demoCity, nodes, requestId, runMain } from './client';

const OFFER = gql`
  mutation OfferContract($residentId: ID!, $until: String!) {
    signContract(residentId: $residentId, servicePackage: BASIC, until: $until) { id status familyDoctor organization { code } }
  }
`;
const ACCEPT = gql`
  mutation AcceptContract($id: ID!) { acceptContract(id: $id) { id status until } }
`;
const CURRENT_CONTRACT = gql`
  query CurrentContract($id: ID!) {
    resident(id: $id) { id familyDoctorContract { id status familyDoctor organization { code } } }
  }
`;
const REFERRAL_FIELDS = gql`
  fragment ReferralState on Referral {
    id
    status
    direction
    fromOrganization { code }
    toOrganization { code }
    toDepartment
    slot { date session department share }
    dischargeSummary
    followUpPlan
  }
`;
const REQUEST = gql`
  mutation RequestReferral($input: RequestReferralInput!) { requestReferral(input: $input) { ...ReferralState } }
  ${REFERRAL_FIELDS}
`;
const SLOTS = gql`
  query AvailableSlots($organizationCode: ID!, $department: String!, $from: String!, $to: String!) {
    availableSlots(organizationCode: $organizationCode, department: $department, from: $from, to: $to) {
      poolId date session capacity reserved reservedBooked publicBooked releaseAt bookableByYou
    }
  }
`;
const BOOK = gql`
  mutation BookSlot($referralId: ID!, $poolId: ID!, $clientRequestId: String!) {
    bookReferralSlot(referralId: $referralId, poolId: $poolId, clientRequestId: $clientRequestId) { ...ReferralState }
  }
  ${REFERRAL_FIELDS}
`;
const INBOX = gql`
  query ReferralInbox {
    referralInbox(first: 50) { edges { node { ...ReferralState } } }
  }
  ${REFERRAL_FIELDS}
`;
const ACCEPT_REFERRAL = gql`
  mutation AcceptReferral($id: ID!) { acceptReferral(id: $id) { ...ReferralState } }
  ${REFERRAL_FIELDS}
`;
const ARRIVED = gql`
  mutation MarkArrived($id: ID!) { markArrived(id: $id) { ...ReferralState } }
  ${REFERRAL_FIELDS}
`;
const COMPLETE = gql`
  mutation CompleteReferral($id: ID!) { completeReferral(id: $id) { ...ReferralState } }
  ${REFERRAL_FIELDS}
`;

export interface FamilyDoctorReferralInput {
  gatewayUrl: string;
  /** A family doctor (role `family_doctor`, with a `practitioner_id`) at a community health centre caring for the resident. */
  familyDoctorToken: string;
  /** The centre's code: the downward referral goes back to it. */
  communityCentreCode: string;
  /** The resident's own token (role `resident`). */
  residentToken: string;
  residentId: string;
  /** A doctor (role `doctor`) at the receiving hospital. */
  hospitalDoctorToken: string;
  hospitalCode: string;
  /** The hospital department with a slot pool, e.g. 心血管内科. */
  department: string;
  diagnosis: { code: string; display: string };
  /** The centre's department receiving the resident back (one of the departments that take referrals). */
  centreDepartment?: string;
}

const DAY_MS = 86_400_000;
/** A day of the city's calendar (Beijing, UTC+8), as the slot pools are dated. */
const isoDate = (time: number) => new Date(time + 8 * 3_600_000).toISOString().slice(0, 10);

export async function familyDoctorReferral(input: FamilyDoctorReferralInput) {
  const familyDoctor = connect(input.gatewayUrl, input.familyDoctorToken);
  const resident = connect(input.gatewayUrl, input.residentToken);
  const hospital = connect(input.gatewayUrl, input.hospitalDoctorToken);

  // 1. The contract: offered by the family doctor, accepted by the resident (unless one is already active).
  const existing = (await resident.query(CURRENT_CONTRACT, { id: input.residentId })).resident?.familyDoctorContract;
  let contract: { id: string; status: string };
  if (existing?.status === 'ACTIVE') {
    contract = existing;
  } else {
    const offer = (await familyDoctor.mutate(OFFER, { residentId: input.residentId, until: isoDate(Date.now() + 365 * DAY_MS) })).signContract;
    contract = (await resident.mutate(ACCEPT, { id: offer.id })).acceptContract;
  }

  // 2. Up: the referral, then one of the hospital's reserved places.
  const requested = (
    await familyDoctor.mutate(REQUEST, {
      input: {
        residentId: input.residentId,
        direction: 'UP',
        toOrganizationCode: input.hospitalCode,
        toDepartment: input.department,
        reason: `Specialist assessment of ${input.diagnosis.display}`,
        diagnoses: [input.diagnosis],
        urgency: 'ROUTINE',
      },
    })
  ).requestReferral;
  const slots: any[] =
    (
      await familyDoctor.query(SLOTS, {
        organizationCode: input.hospitalCode,
        department: input.department,
        from: isoDate(Date.now()),
        to: isoDate(Date.now() + 13 * DAY_MS),
      })
    ).availableSlots ?? [];
  // A place from the reserved share while it lasts (before its release time), else any bookable one.
  const reservedLeft = (candidate: any) => candidate.reserved > candidate.reservedBooked && Date.parse(candidate.releaseAt) > Date.now();
  const slot = slots.find((candidate) => candidate.bookableByYou > 0 && reservedLeft(candidate)) ?? slots.find((candidate) => candidate.bookableByYou > 0);
  if (!slot) throw new Error(`No bookable place at ${input.hospitalCode} ${input.department} in the next 14 days`);
  const booked = (await familyDoctor.mutate(BOOK, { referralId: requested.id, poolId: slot.poolId, clientRequestId: requestId('fd') })).bookReferralSlot;

  // 3. The hospital: finds it in the inbox, accepts it, sees the patient, completes it.
  const inbox = nodes<any>((await hospital.query(INBOX)).referralInbox);
  const inHospitalInbox = inbox.some((referral) => referral.id === requested.id);
  const accepted = (await hospital.mutate(ACCEPT_REFERRAL, { id: requested.id })).acceptReferral;
  const arrived = (await hospital.mutate(ARRIVED, { id: requested.id })).markArrived;
  const completed = (await hospital.mutate(COMPLETE, { id: requested.id })).completeReferral;

  // 4. Down: back to the family doctor with the discharge summary and follow-up plan.
  const down = (
    await hospital.mutate(REQUEST, {
      input: {
        residentId: input.residentId,
        direction: 'DOWN',
        toOrganizationCode: input.communityCentreCode,
        toDepartment: input.centreDepartment ?? '全科医学科',
        reason: `Follow-up of ${input.diagnosis.display} after specialist care`,
        diagnoses: [input.diagnosis],
        dischargeSummary: `Assessed at ${input.department}; ${input.diagnosis.display} (${input.diagnosis.code}) stable on treatment.`,
        followUpPlan: 'Blood pressure weekly for four weeks; review medication at the centre in one month.',
      },
    })
  ).requestReferral;
  const backHome = nodes<any>((await familyDoctor.query(INBOX)).referralInbox).find((referral) => referral.id === down.id) ?? null;

  return {
    contract: { id: contract.id, status: contract.status },
    slot,
    upward: {
      id: requested.id as string,
      statuses: [requested.status, booked.status, accepted.status, arrived.status, completed.status] as string[],
      inHospitalInbox,
      booked: booked.slot as { date: string; session: string; department: string; share: string },
    },
    downward: { id: down.id as string, status: down.status as string, direction: down.direction as string, inFamilyDoctorInbox: backHome },
  };
}

export async function main() {
  const demo = demoCity();
  const familyDoctor = demo.identities.family_doctor!;
  const department = demo.organizations.referralDepartment;
  if (!department)
    throw new Error(`The demo hospital ${demo.organizations.hospital} offers no slot pools: reseed the demo city (delete the data folder and run npm start)`);
  return familyDoctorReferral({
    gatewayUrl: demo.gatewayUrl,
    familyDoctorToken: familyDoctor.token,
    communityCentreCode: familyDoctor.organizationCode!,
    residentToken: demo.tokens.resident!,
    residentId: demo.residentId,
    hospitalDoctorToken: demo.tokens.doctor!,
    hospitalCode: demo.organizations.hospital,
    department,
    diagnosis: { code: 'I10', display: '原发性高血压' },
  });
}

if (require.main === module) runMain(main);
