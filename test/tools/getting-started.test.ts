/**
 * The commands of the docs, pasted as a new integrator pastes them: `npm start` at an address
 * of its own (HOST=127.0.0.2, any port), then every shell block of the quick start, the
 * examples, FHIR, uploads and the appointment booking run by bash exactly as written, each
 * answer checked against what the page says. A block added to those pages fails here until
 * this test knows what it answers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, type RunningStart, startNpmStart } from '../support/npm-start';

const HOST = '127.0.0.2';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-getting-started-'));
const run = promisify(execFile);
let started: RunningStart;

beforeAll(async () => {
  started = await startNpmStart(HOST, dataDir);
});

afterAll(async () => {
  expect(await started?.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.join(ROOT, 'visits.ndjson'), { force: true }); // written by the uploads page's block
});

/** The fenced `sh` blocks of a page, in order, dedented (a block may sit in a list item). */
function shellBlocks(page: string): string[] {
  const text = readFileSync(path.join(ROOT, page), 'utf8');
  return [...text.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)].map(([, indent, body]) =>
    body!
      .split('\n')
      .map((line) => line.slice(indent!.length))
      .join('\n')
      .trim(),
  );
}

/** Runs a block as a terminal with `npm start`'s HOST and DATA_DIR would, in the checkout. */
async function paste(block: string): Promise<string> {
  const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', block], { cwd: ROOT, env: started.env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Every JSON value of an output, in order (curl prints them back to back; npm a header before). */
function jsonValues(output: string): any[] {
  const values: any[] = [];
  let depth = 0;
  let from = -1;
  let inString = false;
  for (let at = 0; at < output.length; at++) {
    const char = output[at];
    if (inString) {
      if (char === '\\') at++;
      else if (char === '"') inString = false;
    } else if (char === '"' && depth > 0) inString = true;
    else if (char === '{' || char === '[') {
      if (depth++ === 0) from = at;
    } else if ((char === '}' || char === ']') && depth > 0 && --depth === 0) values.push(JSON.parse(output.slice(from, at + 1)));
  }
  return values;
}

const gettingStarted = shellBlocks('docs/getting-started.md');
const answerOf = async (block: string) => {
  const values = jsonValues(await paste(block));
  expect(values).toHaveLength(1);
  return values[0];
};

describe('docs/getting-started.md, pasted at HOST=127.0.0.2', () => {
  let demo: any;

  it('has the blocks this test knows, the carried build and the quick start as written', () => {
    expect(gettingStarted.map((block) => block.split('\n')[0])).toEqual([
      "npm run build:ferretdb     # on a connected machine: the launcher, and the unpatched one the patch's test compares with",
      'npm install',
      'npm run demo -- tokens',
      'npm run --silent demo -- token --role doctor --org 3201-I03 --practitioner IH0007 --ttl 3600',
      'DEMO=$(npm run --silent demo -- tokens)',
      "npm run example -- doctor-workstation           # a resident's record from every hospital, then checkOrder",
    ]);
    // npm install is not run by tests; npm start is what started the stack above.
    expect(gettingStarted[1]).toBe('npm install\nnpm start');
  });

  it('prints the gateway URL at HOST with every token', async () => {
    demo = jsonValues(await paste(gettingStarted[2]!)).at(-1);
    expect(demo.gatewayUrl).toBe(started.gatewayUrl);
    expect(demo.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/graphql$/);
    expect(Object.keys(demo.tokens).sort()).toEqual(
      [
        'doctor',
        'family_doctor',
        'health_commission',
        'hospital_system',
        'hotline_operator',
        'internet_hospital',
        'lab_system',
        'pharmacist',
        'privacy_officer',
        'resident',
      ].sort(),
    );
  });

  it('signs one token for any identity', async () => {
    expect((await paste(gettingStarted[3]!)).trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('answers the first query with the record, masked, the latest three lab reports first', async () => {
    const answer = await answerOf(gettingStarted[4]!);
    expect(answer.errors).toBeUndefined();
    const resident = answer.data.resident;
    expect(resident.idNumber).toMatch(/^3201\*{10}\d{3}[\dX]$/);
    expect(resident.labReports.edges.map((edge: any) => edge.node.code.display)).toEqual(['总胆固醇', '糖化血红蛋白', '促甲状腺激素']);
    expect(resident.careRelationships.length).toBeGreaterThan(0);
  });

  describe('the examples, in the order of the page', () => {
    const examples = () => gettingStarted[5]!.split('\n').map((line) => line.replace(/\s+#.*$/, ''));
    const example = async (index: number) => answerOf(examples()[index]!);

    it('lists them all', () => {
      expect(examples()).toEqual([
        'npm run example -- doctor-workstation',
        'npm run example -- internet-hospital-pharmacy',
        'npm run example -- family-doctor-referral',
        'npm run example -- resident-consent',
        'npm run example -- fhir-everything',
        'npm run example -- hospital-batch-upload',
        'npm run example -- internet-nursing',
        'npm run example -- smart-reminders',
        'npm run example -- family-doctor-exams-and-beds',
        'npm run example -- one-stop-settlement',
        'npm run example -- health-checkup',
      ]);
    });

    it('doctor-workstation: REUSE, CONSIDER and ORDER, and no restricted visit', async () => {
      const found = await example(0);
      const checks = Object.fromEntries(found.checks.map((check: any) => [check.itemCode, [check.recommendation, check.ageDays]]));
      expect(checks).toMatchObject({ '4548-4': ['REUSE', 30], '14647-2': ['CONSIDER', 10], '3016-3': ['ORDER', 200] });
      expect(found.checks.find((check: any) => check.itemCode === '3016-3').reason).toBe('older than its 90-day validity');
      expect(found.encounters.map((encounter: any) => encounter.department)).not.toContain('精神科');
    });

    it('internet-hospital-pharmacy: from DRAFT to PICKED_UP', async () => {
      const found = await example(1);
      expect(found.statuses).toEqual(['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED', 'DISPENSED', 'PICKED_UP']);
      expect(found.finalStatus).toBe('PICKED_UP');
    });

    it('family-doctor-referral: a contract, up into a reserved place, and back down', async () => {
      const found = await example(2);
      expect(found.contract.status).toBe('ACTIVE');
      expect(found.upward.statuses).toEqual(['REQUESTED', 'REQUESTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED']);
      expect(found.downward.status).toBe('REQUESTED');
    });

    it('resident-consent: HIV_STI restricted, and the doctor sees the visit before and not after', async () => {
      const found = await example(3);
      expect(found.consentBefore.restrictedCategories).toEqual(['MENTAL_HEALTH']);
      expect(found.consent.restrictedCategories).toEqual(['HIV_STI', 'MENTAL_HEALTH']);
      expect(found.doctorSawBefore).toContain('皮肤科 A63.0');
      expect(found.doctorSeesAfter).not.toContain('皮肤科 A63.0');
      expect(found.doctorSeesAfter).toEqual(found.doctorSawBefore.filter((visit: string) => visit !== '皮肤科 A63.0'));
    });

    it('fhir-everything: the Patient and its summary', async () => {
      const found = await example(4);
      expect(found.patient.id).toBe(demo.residentId);
      expect(found.summary.title).toMatch(/Patient Summary/);
    });

    it('hospital-batch-upload: one visit kept, one refused with its line, the prescription once', async () => {
      const found = await example(5);
      expect(found.encounters).toMatchObject({ accepted: 1, rejected: 1, errors: [{ line: 2, code: 'BAD_USER_INPUT' }] });
      expect(found.prescriptions).toMatchObject({ accepted: 1 });
      expect(found.resent).toMatchObject({ unchanged: 1 });
    });

    it('internet-nursing: ordered, accepted, visited, completed', async () => {
      const found = await example(6);
      expect(found.statuses).toEqual(['ORDERED', 'ACCEPTED', 'VISITED', 'COMPLETED']);
      expect(found.inCentreInbox).toBe(true);
      expect(found.service).toEqual({ code: 'INJECTION', display: '肌内/皮下注射', preconditions: 3 });
    });

    it('smart-reminders: the critical result acknowledged by the family doctor, the duplicate medication named, overdue follow-ups listed', async () => {
      const found = await example(7);
      expect(found.criticalResult.familyDoctorAlert).toMatchObject({ reason: 'FAMILY_DOCTOR', state: 'OPEN' });
      expect(found.criticalResult.acknowledged).toMatchObject({ state: 'ACKNOWLEDGED', acknowledgedBy: 'F0001' });
      expect(found.criticalResult.orderingDoctorAlert).toMatchObject({ reason: 'ORDERING', addressedTo: 'D0001', state: 'OPEN' });
      expect(found.duplicateMedication.warning).toMatchObject({
        code: 'DUPLICATE_THERAPY:CCB',
        acrossOrganizations: true,
        duplicates: { id: found.duplicateMedication.activePrescriptionId },
      });
      // Whatever the seeded demo centre holds (none on a fresh city), each one listed is a lapsed hypertension follow-up.
      expect(Array.isArray(found.overdueFollowUps)).toBe(true);
      for (const followUp of found.overdueFollowUps)
        expect(followUp).toMatchObject({ rule: 'HYPERTENSION_VISIT', condition: { code: { code: expect.stringMatching(/^I1[0-5]/) } } });
    });

    it('family-doctor-exams-and-beds: a CT and a virtual bed, the report and the discharge back in the inbox', async () => {
      const found = await example(8);
      expect(found.exam.booked).toEqual({ status: 'BOOKED', share: 'RESERVED', examType: 'CT' });
      expect(found.exam.back).toMatchObject({ status: 'COMPLETED', examReport: { code: { code: '24627-2', display: '胸部CT平扫' } } });
      expect(found.bed.booked).toEqual({ status: 'BOOKED', share: 'RESERVED' });
      expect(found.bed.back).toMatchObject({ status: 'COMPLETED', discharge: { class: 'INPATIENT', status: 'FINISHED' } });
    });

    it('one-stop-settlement: two settlements, a retry settled once, a refund of the delivery fee, its own lines reconciled', async () => {
      const found = await example(9);
      expect(found.settlements.map((settlement: any) => settlement.totalFen)).toEqual([3000, 6600]);
      expect(found.retrySettledOnce).toBe(true);
      expect(found.refund).toMatchObject({ totalFen: -1000, refundOf: found.settlements[1].id });
      expect(found.ownMismatches).toEqual([]);
    });

    it('health-checkup: booked and paid, two reports filed, glucose across both years', async () => {
      const found = await example(10);
      expect(found.booking.status).toBe('PAID');
      const ours = new Set(found.reports.map((report: any) => report.id));
      expect(found.trend.points.filter((point: any) => ours.has(point.reportId)).map((point: any) => [point.value, point.interpretation])).toEqual([
        [5.6, 'N'],
        [6.5, 'H'],
      ]);
    });
  });
});

describe('the other pages’ commands, pasted at HOST=127.0.0.2', () => {
  it('docs/fhir.md: metadata, the Patient, $everything, $summary, a trend, and the Patient by its MRN', async () => {
    const [block, ...rest] = shellBlocks('docs/fhir.md');
    expect(rest).toEqual([]);
    const answers = jsonValues(await paste(block!));
    expect(answers.map((answer) => answer.resourceType)).toEqual(['CapabilityStatement', 'Patient', 'Bundle', 'Bundle', 'Bundle', 'Bundle']);
    const [, patient, everything, summary, trend, byIdentifier] = answers;
    expect(everything.type).toBe('searchset');
    expect(everything.entry[0].resource).toMatchObject({ resourceType: 'Patient', id: patient.id });
    expect(summary.type).toBe('document');
    expect(summary.entry[0].resource.resourceType).toBe('Composition');
    const matches = trend.entry.filter((entry: any) => entry.search.mode === 'match');
    expect(matches.map((entry: any) => [entry.resource.resourceType, entry.resource.valueQuantity.value, entry.resource.valueQuantity.unit])).toEqual([
      ['Observation', 6.8, '%'],
    ]);
    expect(byIdentifier).toMatchObject({ type: 'searchset', total: 1, entry: [{ resource: { resourceType: 'Patient', id: patient.id } }] });
  });

  it('docs/uploads.md: two visits of yesterday, one accepted, the other refused as the page shows', async () => {
    const blocks = shellBlocks('docs/uploads.md');
    expect(blocks).toHaveLength(1);
    expect(await answerOf(blocks[0]!)).toEqual({
      kind: 'encounters',
      lines: 2,
      accepted: 1,
      unchanged: 0,
      rejected: 1,
      failed: 0,
      errors: [{ line: 2, code: 'BAD_USER_INPUT', message: 'chargesFen: Int cannot represent non-integer value: "a lot"' }],
      complete: true,
    });
  });

  it('docs/referrals-and-appointments.md: the operator books a place in three days, once', async () => {
    const blocks = shellBlocks('docs/referrals-and-appointments.md');
    expect(blocks).toHaveLength(1);
    const booked = await answerOf(blocks[0]!);
    expect(booked.errors).toBeUndefined();
    expect(booked.data.bookAppointment).toMatchObject({
      department: '心血管内科',
      session: 'MORNING',
      share: 'PUBLIC',
      channel: 'PHONE_12320',
      platform: null,
      status: 'BOOKED',
    });
    const again = await answerOf(blocks[0]!);
    expect(again.errors.map((error: any) => error.extensions.code)).toEqual(['CONFLICT']);
  });
});
