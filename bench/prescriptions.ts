/**
 * `npm run bench:prescriptions` (with `npm start` running): issue-to-dispense latency through
 * the gateway (issue, sign, safety check, approve, route, dispense), and the throughput of
 * concurrent `issuePrescription` calls. Loopback only, a bounded number of requests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { keyFiles, readKey } from '../bin/keys';
import { loadConfig } from '../platform/config';
import { drugByCode } from '../subgraphs/prescriptions/drug-catalogue';
import { type DemoIdentity, issueDemoToken } from '../tools/demo-issuer';

const CYCLES = Number(process.env.BENCH_CYCLES ?? 20);
const ISSUES = Number(process.env.BENCH_ISSUES ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const PHARMACY = '3201-P01';

async function main(): Promise<void> {
  const config = loadConfig();
  const demo = JSON.parse(readFileSync(path.resolve(config.DATA_DIR, 'demo.json'), 'utf8')) as {
    gatewayUrl: string;
    residentId: string;
    doctorOrganizationCode: string;
  };
  const privateKey = readKey(keyFiles(config).issuerPrivateKey);
  const token = (identity: DemoIdentity) =>
    issueDemoToken(identity, { privateKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: 3600 });
  const doctor = token({ subject: 'bench-doctor', roles: ['doctor'], organizationCode: demo.doctorOrganizationCode, practitionerId: 'D9001' });
  const pharmacist = token({ subject: 'bench-pharmacist', roles: ['pharmacist'], organizationCode: PHARMACY });
  const call = async (bearer: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(demo.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0]!.message);
    return body.data!;
  };
  const amlodipine = 'H20093454';
  if (!drugByCode(amlodipine)) throw new Error('amlodipine is missing from the drug catalogue');
  let request = 0;
  const issue = () =>
    call(doctor, `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`, {
      input: {
        residentId: demo.residentId,
        clientRequestId: `bench-${Date.now()}-${request++}`,
        diagnoses: [{ code: 'I10', display: '原发性高血压' }],
        items: [{ drugCode: amlodipine, dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
        pharmacyCode: PHARMACY,
      },
    }).then((data) => data.issuePrescription.id as string);

  const cycles: number[] = [];
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const started = performance.now();
    const id = await issue();
    await call(doctor, `mutation($id: ID!) { signPrescription(id: $id) { id } }`, { id });
    const { prescription } = await call(
      pharmacist,
      `query($id: ID!) { prescription(id: $id) { warnings { code severity } safetyFacts { allergyGroups { group criticality } diagnosisCodes } } }`,
      { id },
    );
    const high = (prescription.warnings as { code: string; severity: string }[])
      .filter((warning) => warning.severity === 'HIGH')
      .map((warning) => warning.code);
    await call(
      pharmacist,
      `mutation($id: ID!, $ack: [String!], $facts: SafetyFactsInput) { reviewPrescription(id: $id, decision: APPROVE, acknowledgedWarnings: $ack, safetyFacts: $facts) { id } }`,
      { id, ack: high, facts: prescription.safetyFacts },
    );
    await call(doctor, `mutation($id: ID!) { routePrescription(id: $id) { id } }`, { id });
    await call(pharmacist, `mutation($id: ID!) { dispensePrescription(id: $id, lot: "BENCH-LOT") { id } }`, { id });
    cycles.push(performance.now() - started);
  }
  cycles.sort((a, b) => a - b);

  const started = performance.now();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ISSUES) {
        next++;
        await issue().catch(() => failed++);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const at = (p: number) => cycles[Math.min(cycles.length - 1, Math.floor(p * cycles.length))]!.toFixed(0);
  console.log(`issue-to-dispense (6 requests, ${CYCLES} cycles): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`);
  console.log(
    `issuePrescription: ${ISSUES} calls at concurrency ${CONCURRENCY} in ${seconds.toFixed(1)} s = ${((ISSUES - failed) / seconds).toFixed(1)} per second (${failed} failed)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
