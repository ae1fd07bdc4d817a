/**
 * `npm run bench:uploads`: one hospital system uploads a batch of encounters (100,000 lines by
 * default, `BENCH_UPLOAD_LINES`) through the gateway's /upload/encounters, or of prescriptions
 * its pharmacy dispensed to /upload/prescriptions (`BENCH_UPLOAD_KIND=prescriptions`), then
 * sends the same batch again (every line unchanged). The records spread over 150 days of care
 * (`BENCH_UPLOAD_DAYS`; a nightly batch covers one). It reports records per second, CPU
 * milliseconds per record of the services (gateway and the five subgraphs, which run in this
 * process) and of the database server (its whole process tree, from /proc), and database
 * round trips per 1,000 lines, counted from the driver's command monitoring.
 *
 * Loopback only, bounded by the batch. Runs against MONGODB_URI when set (then the database
 * CPU is not measured), else the embedded database in a temporary folder.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { makeIdNumber } from '../access-control/id-number';
import { SUPERGRAPH_FILE } from '../bin/services';
import { staticKey } from '../gateway/client-auth';
import { createGatewayServer } from '../gateway/gateway-server';
import { DEFAULT_UPLOAD_SETTINGS } from '../gateway/uploads';
import { SUBGRAPH_NAMES, type SubgraphName } from '../platform/config';
import { connectDatabase, onDatabaseCommand } from '../platform/database';
import { SUBGRAPHS } from '../subgraphs';
import { registerModels } from '../subgraphs/records/models';
import { createSubgraphServer, databaseName, type RunningSubgraph } from '../subgraphs/runtime/subgraph-server';
import { issueDemoToken } from '../tools/demo-issuer';
import { parseEngine, startEmbeddedDatabase } from '../tools/embedded-database';
import { usageOf } from './processes';

const PATIENT_CLIENT = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

const LINES = Number(process.env.BENCH_UPLOAD_LINES ?? 100_000);
const KIND = process.env.BENCH_UPLOAD_KIND ?? 'encounters';
/** Over how many days of care the batch's records spread (each day of care is its own rollup to update). */
const DAYS = Number(process.env.BENCH_UPLOAD_DAYS ?? 150);
const RESIDENTS = Number(process.env.BENCH_UPLOAD_RESIDENTS ?? 200);
const HOSPITAL = '3201-H001';
const ISSUER = 'https://idp.bench.local';
const AUDIENCE = 'jinling-hie-bench';
const REQUEST_LIMIT = 100_000;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-bench-uploads-'));
  chmodSync(dataDir, 0o755); // run by root, the embedded PostgreSQL runs as nobody, who must reach its folder inside
  const database = process.env.MONGODB_URI
    ? { uri: process.env.MONGODB_URI, engine: 'MongoDB at MONGODB_URI', pid: undefined, stop: async () => {} }
    : await startEmbeddedDatabase({ dataDir, engine: parseEngine(process.env.EMBEDDED_DB_ENGINE), log: () => {}, quiet: true });
  const dbPrefix = `benchup${Date.now().toString(36)}`;
  const keys = { issuer: generateKeyPairSync('rsa', { modulusLength: 2048 }), internal: generateKeyPairSync('ec', { namedCurve: 'P-256' }) };
  const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
  let gateway: Awaited<ReturnType<typeof createGatewayServer>> | undefined;
  try {
    for (const name of SUBGRAPH_NAMES) {
      subgraphs[name] = await createSubgraphServer(SUBGRAPHS[name], {
        mongoUri: database.uri,
        dbPrefix,
        host: '127.0.0.1',
        port: 0,
        internalPublicKey: keys.internal.publicKey,
        policy: { encounterWindowDays: 730 },
        auditFailClosed: true,
        maxBodyBytes: REQUEST_LIMIT,
        monitorCommands: true,
        logLevel: 'silent',
      });
    }
    gateway = await createGatewayServer({
      supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphs[name].url])) as Record<SubgraphName, string>,
      clientTokens: { issuer: ISSUER, audience: AUDIENCE, algorithm: 'RS256', keys: staticKey(keys.issuer.publicKey) },
      internalPrivateKey: keys.internal.privateKey,
      subgraphTimeoutMs: 600_000,
      maxBodyBytes: REQUEST_LIMIT,
      introspection: false,
      apiConsole: false,
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
      uploads: { ...DEFAULT_UPLOAD_SETTINGS, maxLines: Math.max(LINES, DEFAULT_UPLOAD_SETTINGS.maxLines) },
    });
    const token = issueDemoToken(
      { subject: 'his-bench', roles: ['hospital_system'], organizationCode: HOSPITAL },
      { privateKey: keys.issuer.privateKey, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 3 * 3600 },
    );
    const residentIds = await registerResidents(database.uri, dbPrefix, gateway.url, token);
    const lineOf = LINE_BUILDERS[KIND];
    if (!lineOf) throw new Error(`BENCH_UPLOAD_KIND must be one of ${Object.keys(LINE_BUILDERS).join(', ')}`);
    const body = `${Array.from({ length: LINES }, (_, index) => JSON.stringify(lineOf(residentIds[index % residentIds.length]!, index))).join('\n')}\n`;
    console.log(
      `engine: ${database.engine}; ${LINES.toLocaleString('en')} lines of ${KIND} over ${DAYS} days (${(Buffer.byteLength(body) / 1e6).toFixed(1)} MB) for ${RESIDENTS} residents, ${DEFAULT_UPLOAD_SETTINGS.chunkLines} lines per chunk; ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}`,
    );
    const uploadUrl = gateway.url.replace(/\/graphql$/, `/upload/${KIND}`);
    const rows = [
      await measure('new records', uploadUrl, token, body, database.pid),
      await measure('the same batch again (unchanged)', uploadUrl, token, body, database.pid),
    ];
    console.log(
      '\n| batch | lines | accepted | unchanged | rejected | seconds | records/s | CPU ms/record (gateway + subgraphs) | CPU ms/record (database) | DB round trips per 1,000 lines |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(rows.join('\n'));
  } finally {
    await gateway?.stop();
    for (const subgraph of Object.values(subgraphs)) await subgraph.stop();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Residents registered at the hospital's desk through the gateway: the standing the uploads need. */
async function registerResidents(uri: string, dbPrefix: string, gatewayUrl: string, token: string): Promise<string[]> {
  const connection = await connectDatabase({ uri, dbName: databaseName(dbPrefix, 'records') });
  await registerModels(connection).Organization.create({
    _id: HOSPITAL,
    name: '江苏省中医院',
    level: 'TERTIARY',
    district: '秦淮区',
    outpatientVisits: 581997,
    discharges: 6236,
  });
  await connection.close();
  const ids: string[] = [];
  for (let index = 0; index < RESIDENTS; index++) {
    const birthDate = `19${50 + (index % 40)}-0${1 + (index % 9)}-1${index % 10}`;
    const input = {
      name: `压测${'甲乙丙丁戊己庚辛壬癸'[index % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(index / 10) % 12]}`,
      gender: index % 2 ? 'MALE' : 'FEMALE',
      birthDate,
      idNumber: makeIdNumber('320106', birthDate, (index * 2 + (index % 2)) % 1000),
      district: '鼓楼区',
      identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `MRN-${index}` },
    };
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }', variables: { input } }),
    });
    const { data, errors } = (await response.json()) as { data?: { registerResident: { resident: { id: string } } }; errors?: unknown[] };
    if (!data?.registerResident) throw new Error(`registerResident failed: ${JSON.stringify(errors)}`);
    ids.push(data.registerResident.resident.id);
  }
  return ids;
}

/** One line of each kind the bench uploads, for a resident: the index varies dates, charges and ids. */
const LINE_BUILDERS: Record<string, (residentId: string, index: number) => object> = {
  // Outpatient, emergency and inpatient encounters with charges.
  encounters(residentId, index) {
    const classes = ['OUTPATIENT', 'OUTPATIENT', 'OUTPATIENT', 'EMERGENCY', 'INPATIENT'] as const;
    const encounterClass = classes[index % classes.length]!;
    const start = new Date(Date.UTC(2026, 5, 1) + (index % DAYS) * 86_400_000);
    return {
      residentId,
      sourceRecordId: `HIS-${String(index).padStart(7, '0')}`,
      class: encounterClass,
      status: 'FINISHED',
      department: encounterClass === 'EMERGENCY' ? '急诊科' : '内分泌科',
      start: start.toISOString(),
      ...(encounterClass === 'INPATIENT' ? { end: new Date(start.getTime() + 5 * 86_400_000).toISOString() } : {}),
      attendingPractitioner: `D${index % 40}`,
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病', rank: 1, primary: true }],
      chargesFen: 5_000 + (index % 20_000),
    };
  },
  // Two-item prescriptions the hospital's pharmacy dispensed.
  prescriptions(residentId, index) {
    const issuedAt = new Date(Date.UTC(2026, 5, 1) + (index % DAYS) * 86_400_000);
    return {
      residentId,
      sourceRecordId: `RX-${String(index).padStart(7, '0')}`,
      prescriberPractitioner: `D${index % 40}`,
      issuedAt: issuedAt.toISOString(),
      diagnoses: [{ code: 'E11.9', display: '2型糖尿病' }],
      items: [
        { drugCode: 'H20023370', dose: 0.5, route: 'oral', frequency: 'tid', days: 14, quantity: 84 },
        { drugCode: 'H20093454', dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 },
      ],
      dispensing: { at: new Date(issuedAt.getTime() + 1_800_000).toISOString(), pharmacist: `P${index % 12}`, lot: `LOT-${index % 500}` },
    };
  },
};

async function measure(label: string, url: string, token: string, body: string, databasePid: number | undefined): Promise<string> {
  let commands = 0;
  const stopCounting = onDatabaseCommand(() => commands++);
  const databaseBefore = databasePid ? usageOf(databasePid).cpuMs : 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // The answer comes when the whole batch is done: the client must not give up on it first.
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
    body,
    dispatcher: PATIENT_CLIENT,
  });
  const summary = (await response.json()) as { lines: number; accepted: number; unchanged: number; rejected: number; errors: unknown[] };
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const databaseMs = databasePid ? usageOf(databasePid).cpuMs - databaseBefore : NaN;
  stopCounting();
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${JSON.stringify(summary).slice(0, 500)}`);
  if (summary.rejected > 0) console.log(`${label}: ${summary.rejected} rejected, e.g. ${JSON.stringify(summary.errors.slice(0, 3))}`);
  const servicesMs = (cpu.user + cpu.system) / 1000;
  const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  return `| ${label} | ${summary.lines} | ${summary.accepted} | ${summary.unchanged} | ${summary.rejected} | ${seconds.toFixed(1)} | ${Math.round(summary.lines / seconds)} | ${fixed(servicesMs / summary.lines, 2)} | ${fixed(databaseMs / summary.lines, 2)} | ${fixed((commands / summary.lines) * 1000, 1)} |`;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
