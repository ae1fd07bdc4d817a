/**
 * The system level of the policy's model test: random sequences of valid operations by actors
 * of every role, run against the real stack through the gateway, and after every step each read
 * of the people the step touched (and of one more) compared with the model (system-model.ts,
 * care-model.ts; the contract and prescription steps run in care-steps.ts).
 * Each sequence works on people of its own, so sequences share a stack without meeting.
 * `systemProperty` is what the test and the fuzzer (`npm run fuzz:policy -- --system`) run.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { oneOf } from '../../../platform/database';
import { parseEngine, startEmbeddedDatabase } from '../../../tools/embedded-database';
import { modelsOf } from '../../support/fixtures';
import { TestStack } from '../../support/stack';
import { CareModel } from './care-model';
import { isCareStep, moveCareClock, pharmacistReads, runCareStep } from './care-steps';
import { actorsOf, Coverage, insertOrganizations, peopleOf, STEPS_PER_SEQUENCE, sequenceArbitrary, Violation } from './system-actors';
import { CENTRE, carriesIdCard, clockMove, IMPOSTOR, ORGANIZATIONS, organizationCodeOf, PEOPLE, type Step } from './system-steps';

const REGISTER = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { outcome resident { id } } }`;
const VISIT = `mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`;
const BREAK_GLASS = `mutation($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "昏迷入院，需查既往史与过敏史") { id } }`;
const REFER = `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`;
const ACCEPT = `mutation($id: ID!) { acceptReferral(id: $id) { status } }`;
const CONSENT = `mutation($id: ID!, $restricted: [SensitiveCategory!]!, $blocked: [ID!]!) { setConsent(residentId: $id, restrictedCategories: $restricted, blockedOrganizations: $blocked) { updatedAt } }`;
const MERGE = `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id } }`;
const UNMERGE = `mutation($m: ID!) { unmergeResident(mergedId: $m, reason: "误合并，撤销") { id } }`;

/** Runs one sequence against the stack, comparing every answer with the model; throws a Violation at the first difference. */
export async function runSequence(stack: TestStack, sequence: number, steps: readonly Step[], coverage = new Coverage()): Promise<void> {
  const model = new CareModel();
  const people = peopleOf(sequence);
  const touched: string[] = [];
  const actors = actorsOf(stack, sequence, steps, coverage);
  const { practitioner, doctorToken, systemToken, residentToken, privacyOfficer, send, expectOutcome } = actors;

  for (const [index, step] of steps.entries()) {
    const what = JSON.stringify(step);
    coverage.count(`step:${step.op}`);
    const subject = 'person' in step ? step.person : null;
    if (isCareStep(step)) {
      if (!(await runCareStep(actors, model, step, index, sequence, touched))) continue;
    } else if (step.op === 'register') {
      const person = people[step.person]!;
      if (step.hospital === IMPOSTOR && model.recordsOf(step.person).length === 0) continue;
      const expected = model.expectRegistration(step.person, step.hospital);
      const idNumber = step.hospital === IMPOSTOR ? person.invented : carriesIdCard(step.person) ? person.idNumber : undefined;
      const { name, birthDate, gender, phone, district } = person;
      const medicalRecord = step.hospital === IMPOSTOR ? `F${sequence}-${step.person}` : `M${sequence}-${step.person}`;
      const input = {
        name,
        birthDate,
        gender,
        phone,
        district,
        identifier: { system: 'MEDICAL_RECORD_NUMBER', value: medicalRecord },
        ...(idNumber ? { idNumber } : {}),
      };
      const { data, outcome } = await send(systemToken(step.hospital), REGISTER, { input });
      expectOutcome(index, 'ok', outcome);
      const answer = data!.registerResident as { outcome: string; resident: { id: string } };
      if (answer.outcome !== expected.outcome || (expected.outcome === 'MATCHED' && answer.resident.id !== expected.record)) {
        throw new Violation(`step ${index} (${what}): expected ${JSON.stringify(expected)}, got ${answer.outcome} ${answer.resident.id}`);
      }
      coverage.count(`register:${answer.outcome}${step.hospital === IMPOSTOR ? ':impostor' : ''}`);
      model.applyRegistration(step.person, step.hospital, answer.resident.id, answer.outcome !== 'MATCHED');
    } else if (step.op === 'clock') {
      await moveClock(
        stack,
        model.records.map((record) => record.id),
        clockMove(step.days),
      );
      model.offset += clockMove(step.days);
    } else if (step.op === 'accept') {
      // Counted from the latest: most acceptances are of the referral just sent.
      const referral = model.referrals.length ? model.referrals[model.referrals.length - 1 - (step.pick % model.referrals.length)]! : undefined;
      if (!referral) continue;
      const expected = model.expectAcceptance(referral);
      const { outcome } = await send(doctorToken(referral.to, step.doctor), ACCEPT, { id: referral.id });
      expectOutcome(index, expected, outcome);
      if (outcome === 'ok' && !referral.accepted) model.applyAcceptance(referral);
      touched.push(referral.record);
    } else if (step.op === 'merge') {
      const pair = model.mergeCandidates(step.person);
      if (!pair) continue;
      const { outcome } = await send(privacyOfficer(), MERGE, { s: pair[0].id, m: pair[1].id });
      expectOutcome(index, 'ok', outcome);
      model.applyMerge(...pair);
    } else {
      const record = model.pickRecord(step.person, step.pick);
      if (!record) continue;
      touched.push(record.id);
      if (step.op === 'visit') {
        const start = Date.now() - 3_600_000;
        const input = {
          residentId: model.survivorOf(record.id),
          sourceRecordId: `V${sequence}-${index}`,
          class: 'OUTPATIENT',
          status: 'FINISHED',
          department: '全科医疗科',
          start: new Date(start).toISOString(),
          diagnoses: [
            step.sensitive ? { code: 'F32.9', display: '抑郁发作', rank: 1, primary: true } : { code: 'I10', display: '原发性高血压', rank: 1, primary: true },
          ],
        };
        const expected = model.expectOrdinary(record.id, step.hospital);
        const { data, outcome } = await send(systemToken(step.hospital), VISIT, { input });
        expectOutcome(index, expected, outcome);
        if (outcome === 'ok') model.applyVisit(record.id, step.hospital, data!.recordEncounter.id, start + model.offset, step.sensitive);
      } else if (step.op === 'breakGlass') {
        const { outcome } = await send(doctorToken(step.hospital, step.doctor), BREAK_GLASS, { id: record.id });
        expectOutcome(index, 'ok', outcome);
        model.applyBreakGlass(record.id, step.hospital, practitioner(step.hospital, step.doctor));
      } else if (step.op === 'refer') {
        const input = {
          residentId: record.id,
          direction: 'UP',
          toOrganizationCode: ORGANIZATIONS[step.to],
          toDepartment: '心血管内科',
          reason: '血压控制不佳',
          diagnoses: [{ code: 'I10', display: '原发性高血压' }],
        };
        const expected = model.expectReferral(record.id, step.hospital, step.to);
        const { data, outcome } = await send(doctorToken(step.hospital, step.doctor), REFER, { input });
        expectOutcome(index, expected, outcome);
        if (outcome === 'ok') model.applyReferral(record.id, data!.requestReferral.id, step.hospital, step.to);
      } else if (step.op === 'consent') {
        const blocked = step.block === null ? [] : [step.block];
        const variables = { id: record.id, restricted: step.restrict ? ['MENTAL_HEALTH'] : [], blocked: blocked.map(organizationCodeOf) };
        const { outcome } = await send(residentToken(record.id), CONSENT, variables);
        expectOutcome(index, 'ok', outcome);
        model.applyConsent(record.id, step.restrict, blocked);
      } else if (step.op === 'unmerge') {
        if (record.survivor === record.id) continue;
        const { outcome } = await send(privacyOfficer(), UNMERGE, { m: record.id });
        expectOutcome(index, 'ok', outcome);
        model.applyUnmerge(record);
      }
    }
    // Every read of the records the step touched, and of one more person's, against the model.
    const others = model.recordsOf((index + (subject ?? 0) + 1) % PEOPLE).map((record) => record.id);
    const checked = [
      ...new Set([
        ...touched.flatMap((id) => model.aliasesOf(id)),
        ...(subject === null ? [] : model.recordsOf(subject).map((record) => record.id)),
        ...others,
      ]),
    ];
    touched.length = 0;
    await compareReads(index, what, checked);
  }

  /**
   * Each reader's view of the records, against the model: a doctor reads them all in one request
   * (aliases), a resident their own record; the readers ask side by side, as workstations do.
   */
  async function compareReads(index: number, what: string, ids: readonly string[]): Promise<void> {
    const where = `step ${index} (${what})`;
    const readers: { hospital: number | null; who: string; token: string; ids: string[] }[] = [
      ...ORGANIZATIONS.flatMap((_, hospital) =>
        [0, 1].map((doctor) => ({ hospital, who: practitioner(hospital, doctor), token: doctorToken(hospital, doctor), ids: [...ids] })),
      ),
      ...ids.map((id) => ({ hospital: null, who: 'the resident', token: residentToken(id), ids: [id] })),
    ];
    const reads = readers.flatMap((reader) =>
      chunks(
        reader.ids.filter((id) => !undecided(reader.hospital, id)),
        READS_PER_REQUEST,
      ).map((batch) => ({ reader, batch })),
    );
    await inTurns(
      [
        ...reads.map(
          ({ reader, batch }) =>
            () =>
              compareBatch(where, reader, batch),
        ),
        ...ids.map((id) => () => pharmacistReads(stack, actors, model, coverage, id, where)),
      ],
      SIDE_BY_SIDE,
    );
  }

  /** A contract ending on its date, at an hour the docs leave open: not foretold, so not read. */
  function undecided(hospital: number | null, id: string): boolean {
    if (hospital === null || !model.undecided(id, hospital)) return false;
    coverage.count('read:undecided');
    return true;
  }

  async function compareBatch(where: string, reader: { hospital: number | null; who: string; token: string }, ids: readonly string[]): Promise<void> {
    const { body } = await stack.query(reader.token, readQuery(ids.length), Object.fromEntries(ids.map((id, n) => [`i${n}`, id])));
    const refused = new Set((body.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN').map((error) => String(error.path?.[0])));
    const other = (body.errors ?? []).find((error) => error.extensions?.code !== 'FORBIDDEN');
    if (other) throw new Violation(`${where}: ${reader.who} reading ${ids.join(', ')} got ${other.extensions?.code}: ${other.message}`);
    for (const [n, id] of ids.entries()) {
      const expected = reader.hospital === null ? { demographics: true, encounters: true } : model.canRead(id, reader.hospital, reader.who);
      const seenByModel = model.visibleEncounters(id, reader.hospital ?? 'resident');
      const answer = body.data?.[`e${n}`];
      // Refused, or answered with nothing (an offered referral shows the receiver demographics only).
      const actual = { demographics: !refused.has(`d${n}`) && body.data?.[`d${n}`] != null, encounters: !refused.has(`e${n}`) && answer?.encounters != null };
      if (actual.demographics !== expected.demographics || actual.encounters !== expected.encounters) {
        throw new Violation(`${where}: ${reader.who} reading ${id}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
      const shape = `${actual.demographics ? 'demographics' : 'nothing'}${actual.encounters ? '+encounters' : ''}`;
      coverage.count(`read:${shape}`);
      if (reader.hospital === CENTRE) coverage.count(`read:family-doctor:${shape}${!actual.demographics && model.contractEnded(id) ? ':contract-ended' : ''}`);
      if (!actual.encounters) continue;
      if (seenByModel.length < model.visibleEncounters(id, 'resident').length) coverage.count('read:restricted-left-out');
      const seen = (answer.encounters.edges as { node: { id: string } }[]).map((edge) => edge.node.id).sort();
      if (JSON.stringify(seen) !== JSON.stringify(seenByModel))
        throw new Violation(`${where}: ${reader.who} reading ${id} saw ${JSON.stringify(seen)}, expected ${JSON.stringify(seenByModel)}`);
    }
  }
}

/** Records read in one request: two aliases each, well inside the gateway's alias limit. */
const READS_PER_REQUEST = 5;
/** Requests in flight at once while the readers compare: enough to keep the services and the database busy together. */
const SIDE_BY_SIDE = 4;

/** One request reading `count` records: `d<n>` their demographics, `e<n>` their visits, the ids in `$i<n>`. */
function readQuery(count: number): string {
  const ids = Array.from({ length: count }, (_, n) => n);
  return `query(${ids.map((n) => `$i${n}: ID!`).join(', ')}) { ${ids
    .map((n) => `d${n}: resident(id: $i${n}) { id } e${n}: resident(id: $i${n}) { encounters(first: 100) { edges { node { id } } } }`)
    .join(' ')} }`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, n) => items.slice(n * size, (n + 1) * size));
}

/** Runs the tasks with at most `width` in flight; after a failure no more start, and the first failure is thrown once all have stopped. */
async function inTurns(tasks: readonly (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (next < tasks.length && failure === null) {
      const task = tasks[next++]!;
      await task().catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * Moves the clock of one sequence's records forward by putting every time their standing rests
 * on back by `ms` (relationships, referrals, contracts and prescriptions), through the
 * fixtures' own connection.
 */
async function moveClock(stack: TestStack, residentIds: readonly string[], ms: number): Promise<void> {
  if (residentIds.length === 0) return;
  const models = modelsOf(stack);
  const back = (value: Date | null | undefined) => (value ? new Date(value.getTime() - ms) : (value ?? null));
  const facts = await models.access.CareRelationship.find({ residentId: oneOf(residentIds) }).lean();
  if (facts.length) {
    await models.access.CareRelationship.bulkWrite(
      facts.map((fact) => ({
        updateOne: {
          filter: { _id: fact._id },
          update: { $set: { since: back(fact.since), lastSeenAt: back(fact.lastSeenAt), careSeenAt: back(fact.careSeenAt), endsAt: back(fact.endsAt) } },
        },
      })),
    );
  }
  const referrals = await models.referrals.Referral.find({ residentId: oneOf(residentIds) }).lean();
  if (referrals.length) {
    await models.referrals.Referral.bulkWrite(
      referrals.map((referral) => ({
        updateOne: { filter: { _id: referral._id }, update: { $set: { requestedAt: back(referral.requestedAt), expiresAt: back(referral.expiresAt) } } },
      })),
    );
  }
  await moveCareClock(stack, residentIds, ms);
}

/** The property both levels of the test run: every sequence agrees with the model. Sequence numbers keep their people apart. */
export function systemProperty(stack: TestStack, coverage = new Coverage()): fc.IAsyncPropertyWithHooks<[Step[]]> {
  let sequence = 0;
  return fc.asyncProperty(sequenceArbitrary, async (steps) => {
    sequence += 1;
    await runSequence(stack, sequence, steps, coverage);
  });
}

/**
 * For `npm run fuzz:policy -- --system`: its own embedded database and stack, `runs` sequences
 * from `seed` (or as many as `minutes` allow). Prints what was reached; returns the exit code.
 */
export async function runSystemFuzz({ seed, runs, minutes = null }: { seed: number; runs: number; minutes?: number | null }): Promise<number> {
  let database: Awaited<ReturnType<typeof startEmbeddedDatabase>> | null = null;
  if (!process.env.MONGODB_URI) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-fuzz-'));
    chmodSync(dataDir, 0o755);
    database = await startEmbeddedDatabase({ dataDir, engine: parseEngine(process.env.EMBEDDED_DB_ENGINE), durable: false, quiet: true, log: () => {} });
    process.env.MONGODB_URI = database.uri;
    process.env.JINLING_TEST_EMBEDDED = '1';
  }
  const stack = await TestStack.start({ checkQueries: false });
  try {
    await insertOrganizations(stack);
    const started = performance.now();
    const coverage = new Coverage();
    const limit = minutes === null ? {} : { interruptAfterTimeLimit: minutes * 60_000, markInterruptAsFailure: false };
    const result = await fc.check(systemProperty(stack, coverage), { seed, numRuns: runs, ...limit });
    const done = result.numRuns;
    console.log('steps and answers:', Object.fromEntries([...coverage.counts].sort()));
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (!result.failed) {
      console.log(`agreed on ${done} sequences of ${STEPS_PER_SEQUENCE} steps in ${seconds} s`);
      return 0;
    }
    console.log(`DISAGREED after ${done} sequences (${result.numShrinks} shrinks) in ${seconds} s`);
    console.log(`replay: npm run fuzz:policy -- --system --seed ${seed} --runs ${runs}`);
    console.log('shrunk steps:', fc.stringify(result.counterexample?.[0]));
    console.log(result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance));
    return 1;
  } finally {
    await stack.stop();
    await database?.stop();
  }
}
