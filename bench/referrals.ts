/**
 * `npm run bench:referrals` (with `npm start` running): `availableSlots` latency over the
 * 14-day horizon through the gateway, and booking throughput under concurrency. Loopback
 * only, a bounded number of requests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { keyFiles, readKey } from '../bin/keys';
import { loadConfig } from '../platform/config';
import { addDays, beijingDate } from '../subgraphs/referrals/referral-rules';
import { issueDemoToken } from '../tools/demo-issuer';

const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 20);
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DEPARTMENT = '心血管内科';

async function main(): Promise<void> {
  const config = loadConfig();
  const demo = JSON.parse(readFileSync(path.resolve(config.DATA_DIR, 'demo.json'), 'utf8')) as {
    gatewayUrl: string;
    residentId: string;
    familyDoctorOrganizationCode: string | null;
  };
  const privateKey = readKey(keyFiles(config).issuerPrivateKey);
  const familyDoctor = issueDemoToken(
    { subject: 'bench-family-doctor', roles: ['family_doctor'], organizationCode: demo.familyDoctorOrganizationCode ?? '3201-C001', practitionerId: 'F9001' },
    { privateKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: 3600 },
  );
  const call = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(demo.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${familyDoctor}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors) throw Object.assign(new Error(body.errors[0]!.message), { code: body.errors[0]!.extensions?.code });
    return body.data!;
  };
  const from = addDays(beijingDate(new Date()), 1);
  const to = addDays(from, 13);
  const slots = `query($org: ID!, $from: String!, $to: String!) { availableSlots(organizationCode: $org, department: "${DEPARTMENT}", from: $from, to: $to) { poolId date session bookableByYou } }`;

  let hospital = '';
  for (let number = 1; number <= 60 && !hospital; number++) {
    const code = `3201-H${String(number).padStart(3, '0')}`;
    if ((await call(slots, { org: code, from, to })).availableSlots.length > 0) hospital = code;
  }
  if (!hospital) throw new Error('No participating hospital found: is the demo city seeded?');

  const timings: number[] = [];
  let pools: { poolId: string; bookableByYou: number }[] = [];
  for (let lookup = 0; lookup < LOOKUPS; lookup++) {
    const started = performance.now();
    pools = (await call(slots, { org: hospital, from, to })).availableSlots;
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);

  const referrals: string[] = [];
  for (let index = 0; index < BOOKINGS; index++) {
    const { requestReferral } = await call(`mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, {
      input: {
        residentId: demo.residentId,
        direction: 'UP',
        toOrganizationCode: hospital,
        toDepartment: DEPARTMENT,
        reason: '血压控制不佳，需专科调整方案',
        diagnoses: [{ code: 'I10', display: '原发性高血压' }],
      },
    });
    referrals.push(requestReferral.id);
  }
  const open = pools.filter((pool) => pool.bookableByYou > 0);
  let next = 0;
  let booked = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < referrals.length) {
        const index = next++;
        const pool = open[index % open.length]!;
        try {
          await call(`mutation($r: ID!, $p: ID!, $q: String!) { bookReferralSlot(referralId: $r, poolId: $p, clientRequestId: $q) { id } }`, {
            r: referrals[index],
            p: pool.poolId,
            q: `bench-${Date.now()}-${index}`,
          });
          booked++;
        } catch {
          refused++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const at = (p: number) => timings[Math.min(timings.length - 1, Math.floor(p * timings.length))]!.toFixed(0);
  console.log(`availableSlots, 14 days at ${hospital} (${pools.length} sessions): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`);
  console.log(
    `bookReferralSlot: ${BOOKINGS} bookings at concurrency ${CONCURRENCY} in ${seconds.toFixed(1)} s = ${(BOOKINGS / seconds).toFixed(1)} per second (${booked} booked, ${refused} refused)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
