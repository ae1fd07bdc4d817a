/**
 * A hospital's information system sends its scheduled batches: the day's visits to
 * /upload/encounters and what its pharmacy dispensed to /upload/prescriptions, as NDJSON with
 * its bearer token, and reads the counts in each answer. It sends the same batch again (a
 * retry after a lost answer changes nothing), then reads its own row of the cockpit for the
 * month, before and after, through GraphQL.
 *
 *   npm run example -- hospital-batch-upload
 */
import { gql } from '@apollo/client';
import { connect, demoCity, runMain } from './client';

export interface HospitalBatchUploadInput {
  gatewayUrl: string;
  /** A hospital_system token of the uploading hospital. */
  hospitalToken: string;
  organizationCode: string;
  residentId: string;
  /** Prefix of the hospital's own record ids in this batch (re-using one re-sends the same records). */
  batchId: string;
  /** Now, as the hospital's clock says. */
  at?: Date;
}

const ROW = gql`
  query OwnRow($month: String!) {
    cockpitMonth(month: $month) {
      organizations { organization { code } scheduledUploadRecords verifiedRecords outpatientVisits outpatientRevenueFen }
    }
  }
`;

export async function hospitalBatchUpload({ gatewayUrl, hospitalToken, organizationCode, residentId, batchId, at = new Date() }: HospitalBatchUploadInput) {
  const api = connect(gatewayUrl, hospitalToken);
  // Months are Beijing time, as the bulletin's.
  const month = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
  const ownRow = async () => {
    const { cockpitMonth } = await api.query(ROW, { month });
    return cockpitMonth.organizations.find((row: { organization: { code: string } }) => row.organization.code === organizationCode) ?? null;
  };
  const minutesAgo = (minutes: number) => new Date(at.getTime() - minutes * 60_000).toISOString();

  const visits = [
    {
      residentId,
      sourceRecordId: `${batchId}-V1`,
      class: 'OUTPATIENT',
      status: 'FINISHED',
      department: '内分泌科',
      start: minutesAgo(90),
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病', rank: 1, primary: true }],
      chargesFen: 12_800,
    },
    // A line the hospital's system got wrong: it is refused with its line number, the others are kept.
    { residentId, sourceRecordId: `${batchId}-V2`, class: 'OUTPATIENT', status: 'FINISHED', department: '内分泌科', start: 'yesterday', diagnoses: [] },
  ];
  const dispensed = [
    {
      residentId,
      sourceRecordId: `${batchId}-RX1`,
      encounterSourceRecordId: `${batchId}-V1`,
      prescriberPractitioner: 'D1001',
      issuedAt: minutesAgo(80),
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病' }],
      items: [{ drugCode: 'H20023370', dose: 0.5, route: 'oral', frequency: 'tid', days: 14, quantity: 84, instructions: '餐后服用' }],
      dispensing: { at: minutesAgo(60), pharmacist: 'P3001', lot: `${batchId}-LOT` },
    },
  ];

  const before = await ownRow();
  const encounters = await upload(gatewayUrl, hospitalToken, 'encounters', visits);
  const prescriptions = await upload(gatewayUrl, hospitalToken, 'prescriptions', dispensed);
  const resent = await upload(gatewayUrl, hospitalToken, 'prescriptions', dispensed);
  const after = await ownRow();
  return { month, encounters, prescriptions, resent, before, after };
}

/** One batch: NDJSON lines in, the counts out (any HTTP client does this). */
async function upload(gatewayUrl: string, token: string, kind: string, lines: object[]) {
  const response = await fetch(new URL(`/upload/${kind}`, gatewayUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`,
  });
  const answer = (await response.json()) as {
    accepted: number;
    unchanged: number;
    rejected: number;
    errors: { line: number; code: string; message: string }[];
  };
  if (!response.ok) throw new Error(`/upload/${kind} answered ${response.status}: ${JSON.stringify(answer)}`);
  return { accepted: answer.accepted, unchanged: answer.unchanged, rejected: answer.rejected, errors: answer.errors };
}

export async function main() {
  const demo = demoCity();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return hospitalBatchUpload({
    gatewayUrl: demo.gatewayUrl,
    hospitalToken: demo.tokens.hospital_system!,
    organizationCode: demo.organizations.hospital,
    residentId: demo.residentId,
    batchId: `HIS-${stamp}`,
  });
}

if (require.main === module) runMain(main);
