/**
 * `npm run bench:mpi`: registerResident throughput and match latency with 10,000 and
 * 100,000 residents in the master patient index, and the number of candidates the blocking
 * step hands to scoring per match (the figure that does not depend on the engine).
 *
 * Loopback only, bounded: a fixed number of registrations per index size. Runs against
 * MONGODB_URI when set, else the embedded database in a temporary folder.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessStore, registerAccessStoreModels } from '../access-control/access-store';
import { ResidentAccess } from '../access-control/resident-access';
import { DEFAULT_MATCH_SETTINGS } from '../platform/config';
import { connectDatabase, ensureIndexes, onDatabaseCommand } from '../platform/database';
import { blockingKeys } from '../subgraphs/records/matching';
import { registerModels } from '../subgraphs/records/models';
import { RecordsRepository } from '../subgraphs/records/repository';
import { parseEngine, startEmbeddedDatabase } from '../tools/embedded-database';
import { generateCity, type ResidentSeed } from '../tools/seed/city';

const SIZES = (process.env.BENCH_MPI_SIZES ?? '10000,100000').split(',').map(Number);
const PER_KIND = Number(process.env.BENCH_MPI_REGISTRATIONS ?? 10);
const HOSPITAL = '3201-H001';
type Kind = 'known ID number' | 'typo, no ID number' | 'new person';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-bench-'));
  chmodSync(dataDir, 0o755); // run by root, the embedded PostgreSQL runs as nobody, who must reach its folder inside
  const database = process.env.MONGODB_URI
    ? { uri: process.env.MONGODB_URI, engine: 'MongoDB at MONGODB_URI', stop: async () => {} }
    : await startEmbeddedDatabase({ dataDir, engine: parseEngine(process.env.EMBEDDED_DB_ENGINE), log: () => {} });
  console.log(`engine: ${database.engine}; ${PER_KIND} registrations of each kind per index size`);
  const rows: string[] = [];
  try {
    for (const size of SIZES) rows.push(await benchmark(database.uri, size));
  } finally {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('\n| residents in index | registration | registrations/s | p50 ms | p95 ms | candidates scored (mean / max) | DB round trips (mean) |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(rows.join('\n'));
}

async function benchmark(uri: string, size: number): Promise<string> {
  const dbPrefix = `bench${size}`;
  const connection = await connectDatabase({ uri, dbName: `${dbPrefix}_records`, monitorCommands: true });
  const models = registerModels(connection);
  const accessModels = registerAccessStoreModels(connection.useDb(`${dbPrefix}_access`));
  await connection.dropDatabase();
  await connection.useDb(`${dbPrefix}_access`).dropDatabase();
  await ensureIndexes(connection);
  await ensureIndexes(connection.useDb(`${dbPrefix}_access`));
  await models.Organization.create({ _id: HOSPITAL, name: '江苏省中医院', level: 'TERTIARY', district: '秦淮区', outpatientVisits: 581997, discharges: 6236 });

  const loadStarted = Date.now();
  const { residents } = generateCity({ seed: size, residents: size, now: new Date('2026-11-01T00:00:00Z') });
  for (let start = 0; start < residents.length; start += 2000) {
    const chunk = residents.slice(start, start + 2000);
    await models.Resident.insertMany(chunk.map(residentDoc), { lean: true });
    await models.ResidentIdentifier.insertMany(
      chunk.map((resident) => ({
        _id: `RESIDENT_ID_CARD||${resident.idNumber}`,
        residentId: resident.id,
        system: 'RESIDENT_ID_CARD',
        value: resident.idNumber,
        assignerCode: null,
        createdAt: new Date(),
      })),
      { lean: true },
    );
  }
  console.log(`${size} residents loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

  let commands = 0;
  const stop = onDatabaseCommand(() => commands++);
  const results: { kind: Kind; ms: number; candidates: number; commands: number }[] = [];
  const picks = residents.filter((_, index) => index % Math.floor(size / (PER_KIND * 2)) === 0);
  const started = performance.now();
  for (let index = 0; index < PER_KIND; index++) {
    const known = picks[index]!;
    const typo = picks[PER_KIND + index] ?? picks[index]!;
    const inputs: [Kind, Record<string, unknown>][] = [
      ['known ID number', input(known, { idNumber: known.idNumber })],
      ['typo, no ID number', input(typo, { name: misspell(typo.name), idNumber: null })],
      ['new person', input(typo, { name: `新${typo.name}`, birthDate: '2001-01-01', idNumber: null, phone: null })],
    ];
    for (const [kind, registration] of inputs) {
      const access = new ResidentAccess(
        { subject: 'bench-his', roles: ['hospital_system'], organizationCode: HOSPITAL, purposeOfUse: 'administration' },
        randomUUID(),
        'records',
        new AccessStore(accessModels),
        { encounterWindowDays: 730 },
      );
      const repository = new RecordsRepository(models, access, DEFAULT_MATCH_SETTINGS);
      const before = commands;
      const t0 = performance.now();
      const result = await repository.registerResident(registration);
      await access.flush();
      results.push({ kind, ms: performance.now() - t0, candidates: result.candidatesScored, commands: commands - before });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  stop();
  await connection.close();

  const lines: string[] = [];
  for (const kind of ['known ID number', 'typo, no ID number', 'new person'] as Kind[]) {
    const own = results.filter((result) => result.kind === kind);
    const ms = own.map((result) => result.ms).sort((a, b) => a - b);
    const candidates = own.map((result) => result.candidates);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    lines.push(
      `| ${size.toLocaleString('en')} | ${kind} | ${(own.length / (ms.reduce((a, b) => a + b, 0) / 1000)).toFixed(1)} | ${percentile(ms, 0.5).toFixed(1)} | ${percentile(ms, 0.95).toFixed(1)} | ${mean(candidates).toFixed(1)} / ${Math.max(...candidates)} | ${mean(own.map((result) => result.commands)).toFixed(1)} |`,
    );
  }
  lines.push(`| ${size.toLocaleString('en')} | all (sequential) | ${(results.length / seconds).toFixed(1)} | | | | |`);
  return lines.join('\n');
}

function residentDoc(resident: ResidentSeed) {
  const { id, ...rest } = resident;
  return { _id: id, ...rest, active: true, mergedInto: null, mergedIds: [], mergeHistory: [], allergyAssertion: 'UNKNOWN', ...blockingKeys(resident) };
}

let mrn = 0;
function input(resident: ResidentSeed, overrides: Record<string, unknown>) {
  const { id: _id, ...demographics } = resident;
  return { ...demographics, ...overrides, identifier: { system: 'MEDICAL_RECORD_NUMBER', value: `BENCH${mrn++}` } };
}

/** A registration-desk slip: the last character of the name typed as another one. */
function misspell(name: string): string {
  const chars = [...name];
  chars[chars.length - 1] = chars.at(-1) === '明' ? '鸣' : '明';
  return chars.join('');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
