/**
 * Doctor workstation: a hospital doctor opens a resident's record from every hospital of the
 * city (demographics, encounters and problems, latest results, lab reports with their result lines, prescriptions,
 * referrals), then asks the duplicate-test reminder before ordering tests again.
 *
 *   npm run example -- doctor-workstation
 */
import { gql } from '@apollo/client';
import { connect, demoCity, nodes, runMain } from './client';

const RECORD = gql`
  query DoctorWorkstationRecord($id: ID!) {
    resident(id: $id) {
      id
      name
      gender
      birthDate
      idNumber
      district
      encounters(first: 10) {
        edges { node { id class department start organization { code name } diagnoses { code { code display } primary } } }
      }
      conditions(first: 20) {
        edges { node { code { code display } clinicalStatus source { organization { code name } } } }
      }
      labReports(first: 5) {
        edges {
          node {
            id
            code { code display }
            status
            issuedAt
            hasCritical
            organization { code name }
            results { code { code display } value unit valueText interpretation critical recognizable }
          }
        }
      }
      prescriptions(first: 5) {
        edges { node { id status issuedAt prescriber { code name } items { drug { code display } dose doseUnit frequency days } } }
      }
      referrals(first: 5) {
        edges { node { id status direction reason toDepartment fromOrganization { code name } toOrganization { code name } } }
      }
    }
  }
`;

const LATEST = gql`
  query DoctorWorkstationLatest($id: ID!, $codes: [String!]!) {
    resident(id: $id) {
      id
      latestResults(codes: $codes) {
        code { code display }
        issuedAt
        organization { code name }
        observation { value unit interpretation critical }
      }
    }
  }
`;

const CHECK_ORDER = gql`
  mutation DoctorWorkstationCheckOrder($residentId: ID!, $itemCodes: [String!]!, $organizationCode: ID!) {
    checkOrder(residentId: $residentId, itemCodes: $itemCodes, orderingOrganizationCode: $organizationCode) {
      itemCode
      name
      ageDays
      recognized
      recommendation
      reason
      lastReport { id organization { code name } issuedAt }
      lastValue { value unit interpretation }
    }
  }
`;

export interface DoctorWorkstationInput {
  gatewayUrl: string;
  /** A doctor's token (role `doctor`) at a hospital with a care relationship to the resident. */
  doctorToken: string;
  /** The doctor's hospital: the organization that would order the tests. */
  organizationCode: string;
  residentId: string;
  /** Items about to be ordered (LOINC codes); by default the codes of the latest reports. */
  orderItemCodes?: string[];
}

export async function doctorWorkstation(input: DoctorWorkstationInput) {
  const api = connect(input.gatewayUrl, input.doctorToken);
  const { resident } = await api.query(RECORD, { id: input.residentId });
  if (!resident) throw new Error(`No resident ${input.residentId}`);
  const labReports = nodes<any>(resident.labReports);
  const itemCodes = input.orderItemCodes ?? [...new Set(labReports.map((report) => report.code.code as string))].slice(0, 4);
  // The latest value of each analyte on those reports, whichever hospital measured it last.
  const analytes = [...new Set(labReports.flatMap((report) => report.results.map((result: any) => result.code.code as string)))].slice(0, 8);
  const latest = analytes.length > 0 ? ((await api.query(LATEST, { id: input.residentId, codes: analytes })).resident?.latestResults ?? []) : [];
  const checks =
    itemCodes.length > 0
      ? ((await api.mutate(CHECK_ORDER, { residentId: input.residentId, itemCodes, organizationCode: input.organizationCode })).checkOrder ?? [])
      : [];
  return {
    demographics: { name: resident.name, gender: resident.gender, birthDate: resident.birthDate, idNumber: resident.idNumber, district: resident.district },
    encounters: nodes<any>(resident.encounters),
    conditions: nodes<any>(resident.conditions),
    labReports,
    latestResults: latest as any[],
    prescriptions: nodes<any>(resident.prescriptions),
    referrals: nodes<any>(resident.referrals),
    checks: checks as any[],
  };
}

export async function main() {
  const demo = demoCity();
  return doctorWorkstation({
    gatewayUrl: demo.gatewayUrl,
    doctorToken: demo.tokens.doctor!,
    organizationCode: demo.organizations.hospital,
    residentId: demo.residentId,
  });
}

if (require.main === module) runMain(main);
