/**
 * A family doctor books a hospital's exam and a virtual inpatient bed for a contracted
 * resident, and receives the results back: the hospital's laboratory files the CT report, its
 * system the discharge of the stay, each linked to the booking, which the family doctor then
 * finds in the centre's inbox with the report and the discharge.
 *
 *   npm run example -- family-doctor-exams-and-beds
 */
import { gql } from '@apollo/client';
import { connect, demoCity, nodes, requestId, runMain } from './client';

const CURRENT_CONTRACT = gql`
  query CurrentContract($id: ID!) {
    resident(id: $id) { id familyDoctorContract { id status familyDoctor } }
  }
`;
const OFFER = gql`
  mutation OfferContract($residentId: ID!, $until: String!) {
    signContract(residentId: $residentId, servicePackage: CHRONIC_DISEASE, until: $until) { id status }
  }
`;
const ACCEPT = gql`
  mutation AcceptContract($id: ID!) { acceptContract(id: $id) { id status } }
`;
const SERVICES = gql`
  query HospitalServices($code: ID!) {
    organization(code: $code) { code referralServices { opensToFamilyDoctors departments { name kinds } } }
  }
`;
const SLOTS = gql`
  query ResourceSlots($organizationCode: ID!, $department: String!, $from: String!, $to: String!, $kind: SlotKind!) {
    availableSlots(organizationCode: $organizationCode, department: $department, from: $from, to: $to, kind: $kind) {
      poolId date session reserved reservedBooked releaseAt bookableByYou
    }
  }
`;
const BOOKING_FIELDS = gql`
  fragment BookingState on HospitalBooking {
    id
    kind
    examType
    status
    share
    date
    session
    department
    organization { code }
    examReport { id code { code display } conclusion }
    discharge { id class status department }
  }
`;
const BOOK = gql`
  mutation BookHospitalResource($input: BookHospitalResourceInput!) { bookHospitalResource(input: $input) { ...BookingState } }
  ${BOOKING_FIELDS}
`;
const INBOX = gql`
  query HospitalBookings {
    hospitalBookings(first: 50) { edges { node { ...BookingState } } }
  }
  ${BOOKING_FIELDS}
`;
const SUBMIT_REPORT = gql`
  mutation SubmitReport($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }
`;
const RECORD_STAY = gql`
  mutation RecordStay($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }
`;
const FILE_RESULT = gql`
  mutation FileResult($input: FileHospitalResultInput!) { fileHospitalResult(input: $input) { id status } }
`;

export interface FamilyDoctorExamsAndBedsInput {
  gatewayUrl: string;
  /** A family doctor (role `family_doctor`, with a `practitioner_id`) at a community health centre caring for the resident. */
  familyDoctorToken: string;
  /** The resident's own token (role `resident`): accepts the contract when none is active. */
  residentToken: string;
  residentId: string;
  /** A hospital that opens its exams and virtual beds to family doctors. */
  hospitalCode: string;
  /** The hospital's laboratory system (role `lab_system`) and its hospital information system (role `hospital_system`). */
  labSystemToken: string;
  hospitalSystemToken: string;
  /** For the report's reference ranges: the resident's sex and birth date as the laboratory has them. */
  subjectSex: 'MALE' | 'FEMALE';
  subjectBirthDate: string;
}

const DAY_MS = 86_400_000;
/** A day of the city's calendar (Beijing, UTC+8), as the pools are dated. */
const isoDate = (time: number) => new Date(time + 8 * 3_600_000).toISOString().slice(0, 10);

export async function familyDoctorExamsAndBeds(input: FamilyDoctorExamsAndBedsInput) {
  const familyDoctor = connect(input.gatewayUrl, input.familyDoctorToken);
  const resident = connect(input.gatewayUrl, input.residentToken);
  const laboratory = connect(input.gatewayUrl, input.labSystemToken);
  const hospitalSystem = connect(input.gatewayUrl, input.hospitalSystemToken);

  // 1. Only the contracted family doctor books: the contract first, unless one is active.
  const existing = (await resident.query(CURRENT_CONTRACT, { id: input.residentId })).resident?.familyDoctorContract;
  if (existing?.status !== 'ACTIVE') {
    const offer = (await familyDoctor.mutate(OFFER, { residentId: input.residentId, until: isoDate(Date.now() + 365 * DAY_MS) })).signContract;
    await resident.mutate(ACCEPT, { id: offer.id });
  }

  // 2. What the hospital opens to family doctors, and where.
  const services = (await familyDoctor.query(SERVICES, { code: input.hospitalCode })).organization?.referralServices;
  const opens: string[] = services?.opensToFamilyDoctors ?? [];
  const book = async (kind: 'EXAM' | 'VIRTUAL_BED', extra: Record<string, unknown>) => {
    if (!opens.includes(kind)) throw new Error(`${input.hospitalCode} does not open ${kind} to family doctors`);
    const departments: { name: string; kinds: string[] }[] = services.departments.filter((department: any) => department.kinds.includes(kind));
    for (const department of departments) {
      const slots: any[] =
        (
          await familyDoctor.query(SLOTS, {
            organizationCode: input.hospitalCode,
            department: department.name,
            from: isoDate(Date.now() + DAY_MS),
            to: isoDate(Date.now() + 14 * DAY_MS),
            kind,
          })
        ).availableSlots ?? [];
      // A place from the reserved share while it lasts (before its release time), else any bookable one.
      const reservedLeft = (candidate: any) => candidate.reserved > candidate.reservedBooked && Date.parse(candidate.releaseAt) > Date.now();
      const slot = slots.find((candidate) => candidate.bookableByYou > 0 && reservedLeft(candidate)) ?? slots.find((candidate) => candidate.bookableByYou > 0);
      if (slot) {
        return (
          await familyDoctor.mutate(BOOK, {
            input: { residentId: input.residentId, poolId: slot.poolId, clientRequestId: requestId(kind.toLowerCase()), ...extra },
          })
        ).bookHospitalResource;
      }
    }
    throw new Error(`No bookable ${kind} place at ${input.hospitalCode} in the next 14 days`);
  };
  const exam = await book('EXAM', { examType: 'CT', reason: 'COPD follow-up: chest CT before the annual review' });
  const bed = await book('VIRTUAL_BED', { reason: 'Heart failure, stable: observation at home under the ward' });

  // 3. The hospital files the results where results live, then links each to its booking.
  const report = (
    await laboratory.mutate(SUBMIT_REPORT, {
      input: {
        residentId: input.residentId,
        sourceReportId: requestId('ct'),
        category: 'IMAGING',
        code: '24627-2',
        status: 'FINAL',
        issuedAt: new Date().toISOString(),
        subjectSex: input.subjectSex,
        subjectBirthDate: input.subjectBirthDate,
        results: [],
        // Free text labels a report: a conclusion naming a restricted category would be withheld from the family doctor.
        conclusion: '双肺纹理增多，未见结节及肿块',
      },
    })
  ).submitLabReport;
  await laboratory.mutate(FILE_RESULT, { input: { bookingId: exam.id, labReportId: report.id } });
  const admitted = Date.now() - 2 * DAY_MS;
  const stay = (
    await hospitalSystem.mutate(RECORD_STAY, {
      input: {
        residentId: input.residentId,
        sourceRecordId: requestId('vb'),
        class: 'INPATIENT',
        status: 'FINISHED',
        department: bed.department,
        start: new Date(admitted).toISOString(),
        end: new Date(admitted + DAY_MS).toISOString(),
        diagnoses: [{ code: 'I50.9', display: '心力衰竭', rank: 1, primary: true }],
      },
    })
  ).recordEncounter;
  await hospitalSystem.mutate(FILE_RESULT, { input: { bookingId: bed.id, dischargeEncounterId: stay.id } });

  // 4. Back at the centre: both bookings in the inbox, with the report and the discharge.
  const inbox = nodes<any>((await familyDoctor.query(INBOX)).hospitalBookings);
  const back = (id: string) => inbox.find((booking) => booking.id === id) ?? null;
  return {
    exam: { booked: { status: exam.status, share: exam.share, examType: exam.examType }, back: back(exam.id) },
    bed: { booked: { status: bed.status, share: bed.share }, back: back(bed.id) },
  };
}

export async function main() {
  const demo = demoCity();
  const familyDoctor = demo.identities.family_doctor!;
  const resident = (
    await connect(demo.gatewayUrl, demo.tokens.resident!).query(
      gql`
    query Me($id: ID!) { resident(id: $id) { gender birthDate } }
  `,
      { id: demo.residentId },
    )
  ).resident;
  return familyDoctorExamsAndBeds({
    gatewayUrl: demo.gatewayUrl,
    familyDoctorToken: familyDoctor.token,
    residentToken: demo.tokens.resident!,
    residentId: demo.residentId,
    hospitalCode: demo.organizations.hospital,
    labSystemToken: demo.tokens.lab_system!,
    hospitalSystemToken: demo.tokens.hospital_system!,
    subjectSex: resident.gender,
    subjectBirthDate: resident.birthDate,
  });
}

if (require.main === module) runMain(main);
