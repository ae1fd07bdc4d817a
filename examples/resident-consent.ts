/**
 * Resident: sees their own record (identifiers unmasked), keeps a sensitive category private
 * (consent), and reads who looked at their record (the access log). With a doctor's token it
 * also shows the visits that doctor sees before and after the consent changed.
 *
 *   npm run example -- resident-consent
 */
import { gql } from '@apollo/client';
import { connect, demoCity, nodes, runMain } from './client';

const OWN_RECORD = gql`
  query OwnRecord($id: ID!) {
    resident(id: $id) {
      id
      name
      idNumber
      phone
      district
      encounters(first: 10) { edges { node { id department start organization { code name } diagnoses { code { code display } } } } }
      conditions(first: 20) { edges { node { id code { code display } clinicalStatus source { organization { code name } } } } }
      labReports(first: 10) { edges { node { id code { display } issuedAt organization { name } } } }
      prescriptions(first: 5) { edges { node { id status items { drug { display } } } } }
      referrals(first: 5) { edges { node { id status direction toOrganization { name } } } }
      careRelationships { kind since endsAt organization { code name } }
      consent { restrictedCategories blockedOrganizations { code } updatedAt }
    }
  }
`;
const SET_CONSENT = gql`
  mutation SetConsent($residentId: ID!, $categories: [SensitiveCategory!]!, $blocked: [ID!]!) {
    setConsent(residentId: $residentId, restrictedCategories: $categories, blockedOrganizations: $blocked) {
      restrictedCategories
      blockedOrganizations { code }
      updatedAt
    }
  }
`;
const ACCESS_LOG = gql`
  query AccessLog($id: ID!) {
    resident(id: $id) {
      id
      accessLog(first: 50) {
        edges { node { at organization { code name } roles purposeOfUse dataKinds outcome action } }
      }
    }
  }
`;

const VISITS_SEEN = gql`
  query VisitsSeen($id: ID!) {
    resident(id: $id) { id encounters(first: 20) { edges { node { department organization { code } diagnoses { code { code } } } } } }
  }
`;

export interface ResidentConsentInput {
  gatewayUrl: string;
  /** The resident's own token (role `resident`, `resident_id` = residentId). */
  residentToken: string;
  residentId: string;
  /** Categories to keep private, e.g. MENTAL_HEALTH; added to those already restricted. */
  restrict: ('MENTAL_HEALTH' | 'HIV_STI' | 'REPRODUCTIVE' | 'GENETIC')[];
  /** A doctor of another hospital, to see what the consent changes for them (optional). */
  doctorToken?: string;
}

/** The visits a doctor sees, as `department diagnosis-codes`, or null without a doctor's token. */
async function visitsSeen(gatewayUrl: string, doctorToken: string | undefined, residentId: string): Promise<string[] | null> {
  if (!doctorToken) return null;
  const { resident } = await connect(gatewayUrl, doctorToken).query(VISITS_SEEN, { id: residentId });
  return nodes<any>(resident?.encounters).map((visit) =>
    `${visit.department} ${visit.diagnoses.map((diagnosis: any) => diagnosis.code.code).join(',')}`.trim(),
  );
}

export async function residentConsent(input: ResidentConsentInput) {
  const api = connect(input.gatewayUrl, input.residentToken);
  const { resident } = await api.query(OWN_RECORD, { id: input.residentId });
  if (!resident) throw new Error(`No resident ${input.residentId}`);
  const before = resident.consent ?? { restrictedCategories: [], blockedOrganizations: [] };
  const categories = [...new Set([...before.restrictedCategories, ...input.restrict])];
  const blocked = before.blockedOrganizations.map((organization: { code: string }) => organization.code);
  const doctorSawBefore = await visitsSeen(input.gatewayUrl, input.doctorToken, input.residentId);
  const consent = (await api.mutate(SET_CONSENT, { residentId: input.residentId, categories, blocked })).setConsent;
  const doctorSeesAfter = await visitsSeen(input.gatewayUrl, input.doctorToken, input.residentId);
  const log = nodes<any>((await api.query(ACCESS_LOG, { id: input.residentId })).resident?.accessLog);
  return {
    record: {
      name: resident.name as string,
      idNumber: resident.idNumber as string | null,
      phone: resident.phone as string | null,
      encounters: nodes<any>(resident.encounters),
      conditions: nodes<any>(resident.conditions),
      labReports: nodes<any>(resident.labReports),
      prescriptions: nodes<any>(resident.prescriptions),
      referrals: nodes<any>(resident.referrals),
      careRelationships: resident.careRelationships as any[],
    },
    consentBefore: before,
    consent: consent as { restrictedCategories: string[]; blockedOrganizations: { code: string }[]; updatedAt: string },
    /** The doctor's view of the visits before and after the change (null without a doctor's token). */
    doctorSawBefore,
    doctorSeesAfter,
    accessLog: log as {
      at: string;
      organization: { code: string; name: string } | null;
      roles: string[];
      purposeOfUse: string;
      dataKinds: string[];
      outcome: string;
      action: string;
    }[],
    /** Organizations that looked at the record, other than the resident. */
    lookedAtBy: [...new Set(log.filter((event) => event.organization).map((event) => `${event.organization.code} ${event.organization.name ?? ''}`.trim()))],
  };
}

export async function main() {
  const demo = demoCity();
  // The demo resident keeps MENTAL_HEALTH private already; a sexual-health visit is not restricted yet.
  return residentConsent({
    gatewayUrl: demo.gatewayUrl,
    residentToken: demo.tokens.resident!,
    residentId: demo.residentId,
    restrict: ['HIV_STI'],
    doctorToken: demo.tokens.doctor,
  });
}

if (require.main === module) runMain(main);
