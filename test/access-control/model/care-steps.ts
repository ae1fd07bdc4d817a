/**
 * The contract and prescription steps of the system-level model test, run through the gateway
 * and compared with care-model.ts; the pharmacist's reads of a resident; and the clock of
 * contracts and prescriptions. Each write that would create standing is also tried by someone
 * it must not give standing to: the family doctor accepting for the resident, the pharmacist
 * prescribing for their own pharmacy.
 */
import { oneOf } from '../../../platform/database';
import { DRUGS } from '../../../subgraphs/prescriptions/drug-catalogue';
import { modelsOf } from '../../support/fixtures';
import type { TestStack } from '../../support/stack';
import { CareModel, type Contract, type Prescription } from './care-model';
import { type Actors, type Coverage, Violation } from './system-actors';
import { CENTRE, PHARMACY_CODE, type Step } from './system-steps';

type CareStep = Extract<Step, { op: 'offerContract' | 'acceptContract' | 'renewContract' | 'terminateContract' | 'prescribe' | 'dispense' }>;
const CARE_OPS = new Set<Step['op']>(['offerContract', 'acceptContract', 'renewContract', 'terminateContract', 'prescribe', 'dispense']);
export const isCareStep = (step: Step): step is CareStep => CARE_OPS.has(step.op);

const OFFER = `mutation($id: ID!, $until: String!) { signContract(residentId: $id, servicePackage: BASIC, until: $until) { id } }`;
const ACCEPT_CONTRACT = `mutation($id: ID!) { acceptContract(id: $id) { id } }`;
const RENEW = `mutation($id: ID!, $until: String!) { renewContract(id: $id, until: $until) { id } }`;
const TERMINATE = `mutation($id: ID!) { terminateContract(id: $id, reason: "居民迁出服务区") { id } }`;
const ISSUE = `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`;
const SIGN = `mutation($id: ID!) { signPrescription(id: $id) { id } }`;
const APPROVE = `mutation($id: ID!) { reviewPrescription(id: $id, decision: APPROVE, safetyFacts: { allergyGroups: [], diagnosisCodes: [] }) { id } }`;
const ROUTE = `mutation($id: ID!) { routePrescription(id: $id) { id } }`;
const DISPENSE = `mutation($id: ID!) { dispensePrescription(id: $id, lot: "LOT-1") { id } }`;
const COMPLETE = `mutation($id: ID!) { completePrescription(id: $id, kind: PICKED_UP) { id } }`;
const PHARMACIST_READ = `query($id: ID!) { prescription(id: $id) { id resident { id } safetyFacts { diagnosisCodes } } }`;

const AMLODIPINE = [...DRUGS.values()].find((entry) => entry.inn === 'amlodipine')!.code;
const prescriptionInput = (residentId: string, clientRequestId: string) => ({
  residentId,
  clientRequestId,
  diagnoses: [{ code: 'I10', display: '原发性高血压' }],
  items: [{ drugCode: AMLODIPINE, dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
  pharmacyCode: PHARMACY_CODE,
  delivery: { method: 'PICKUP' },
});

/** Counted from the latest: most steps act on what was just offered or prescribed. */
const latest = <T>(items: readonly T[], pick: number): T | undefined => (items.length ? items[items.length - 1 - (pick % items.length)] : undefined);

/**
 * Runs one contract or prescription step; returns false when there was nothing to act on.
 * Adds the records it touched to `touched`, whose reads are compared afterwards.
 */
export async function runCareStep(actors: Actors, model: CareModel, step: CareStep, index: number, sequence: number, touched: string[]): Promise<boolean> {
  const { send, expectOutcome, doctorToken, residentToken, pharmacistToken } = actors;
  if (step.op === 'offerContract') {
    const record = model.pickRecord(step.person, step.pick);
    if (!record) return false;
    const until = CareModel.offeredUntil();
    const { data, outcome } = await send(doctorToken(CENTRE, step.doctor), OFFER, { id: record.id, until });
    expectOutcome(index, model.expectOffer(record.id), outcome);
    if (outcome === 'ok') model.applyOffer(record.id, data!.signContract.id, step.doctor, until);
    touched.push(record.id);
  } else if (step.op === 'acceptContract') {
    const contract = latest(model.contracts, step.pick);
    if (!contract) return false;
    if (step.byFamilyDoctor) {
      // The family doctor cannot accept for the resident: the acceptance is the resident's own.
      const { outcome } = await send(doctorToken(CENTRE, contract.doctor), ACCEPT_CONTRACT, { id: contract.id });
      expectOutcome(index, 'FORBIDDEN', outcome, 'acceptContract:by-family-doctor');
    } else {
      const expected = model.expectContractAcceptance(contract);
      const { outcome } = await send(residentToken(contract.record), ACCEPT_CONTRACT, { id: contract.id });
      expectOutcome(index, expected, outcome);
      if (outcome === 'ok' && contract.status === 'OFFERED') model.applyContractAcceptance(contract);
    }
    touched.push(contract.record);
  } else if (step.op === 'renewContract' || step.op === 'terminateContract') {
    const contract = latest(
      model.contracts.filter((candidate) => candidate.status !== 'OFFERED'),
      step.pick,
    );
    if (!contract) return false;
    await changeContract(actors, model, step.op, contract, index);
    touched.push(contract.record);
  } else if (step.op === 'prescribe') {
    const record = model.pickRecord(step.person, step.pick);
    if (!record) return false;
    touched.push(record.id);
    const input = prescriptionInput(record.id, `rx-model-${sequence}-${index}`);
    if (step.byPharmacist) {
      // A pharmacist cannot prescribe for their own pharmacy to get standing.
      const { outcome } = await send(pharmacistToken(), ISSUE, { input });
      expectOutcome(index, 'FORBIDDEN', outcome, 'prescribe:by-pharmacist');
      return true;
    }
    const { data, outcome } = await send(doctorToken(step.hospital, step.doctor), ISSUE, { input });
    expectOutcome(index, model.expectIssue(record.id, step.hospital, actors.practitioner(step.hospital, step.doctor)), outcome);
    if (outcome !== 'ok') return true;
    model.applyIssue(record.id, data!.issuePrescription.id, step.hospital, step.doctor);
    const prescription = model.prescriptions[model.prescriptions.length - 1]!;
    const expected = model.expectSigning(prescription);
    const signed = await send(doctorToken(step.hospital, step.doctor), SIGN, { id: prescription.id });
    expectOutcome(index, expected, signed.outcome, 'sign');
    if (signed.outcome === 'ok') model.applySigning(prescription);
  } else {
    const prescription = latest(
      model.prescriptions.filter((candidate) => candidate.signed && !candidate.completed),
      step.pick,
    );
    if (!prescription) return false;
    await movePrescription(actors, model, prescription, index);
    touched.push(prescription.record);
  }
  return true;
}

async function changeContract(actors: Actors, model: CareModel, op: 'renewContract' | 'terminateContract', contract: Contract, index: number): Promise<void> {
  const expected = model.expectChange(contract);
  const token = actors.doctorToken(CENTRE, contract.doctor);
  if (op === 'renewContract') {
    const until = model.renewedUntil(contract);
    const { outcome } = await actors.send(token, RENEW, { id: contract.id, until });
    actors.expectOutcome(index, expected, outcome);
    if (outcome === 'ok') model.applyRenewal(contract, until);
  } else {
    const { outcome } = await actors.send(token, TERMINATE, { id: contract.id });
    actors.expectOutcome(index, expected, outcome);
    if (outcome === 'ok' && contract.status === 'ACTIVE') model.applyTermination(contract);
  }
}

/** The prescription's next move: approved by the pharmacist, routed by the prescriber, dispensed; once dispensed, completed. */
async function movePrescription(actors: Actors, model: CareModel, prescription: Prescription, index: number): Promise<void> {
  const pharmacist = actors.pharmacistToken();
  const prescriber = actors.doctorToken(prescription.hospital, prescription.doctor);
  const moves: { op: string; token: string; query: string; expect: () => ReturnType<CareModel['expectPharmacy']>; done: () => boolean; apply: () => void }[] = [
    {
      op: 'approve',
      token: pharmacist,
      query: APPROVE,
      expect: () => model.expectPharmacy(prescription),
      done: () => prescription.approved,
      apply: () => (prescription.approved = true),
    },
    {
      op: 'route',
      token: prescriber,
      query: ROUTE,
      expect: () => model.expectRouting(prescription),
      done: () => prescription.routed,
      apply: () => (prescription.routed = true),
    },
    {
      op: 'dispense',
      token: pharmacist,
      query: DISPENSE,
      expect: () => model.expectPharmacy(prescription),
      done: () => prescription.dispensed,
      apply: () => model.applyDispensing(prescription),
    },
  ];
  if (prescription.dispensed) {
    const expected = model.expectPharmacy(prescription);
    const { outcome } = await actors.send(pharmacist, COMPLETE, { id: prescription.id });
    actors.expectOutcome(index, expected, outcome, 'complete');
    if (outcome === 'ok') model.applyCompletion(prescription);
    return;
  }
  for (const move of moves.filter((candidate) => !candidate.done())) {
    const expected = move.expect();
    const { outcome } = await actors.send(move.token, move.query, { id: prescription.id });
    actors.expectOutcome(index, expected, outcome, move.op);
    if (outcome !== 'ok') return;
    move.apply();
  }
}

/** The pharmacist reads each signed prescription of the record (with its resident and safety facts): all while the pharmacy has standing, nothing after. */
export async function pharmacistReads(stack: TestStack, actors: Actors, model: CareModel, coverage: Coverage, id: string, where: string): Promise<void> {
  for (const prescription of model.signedPrescriptionsOf(id)) {
    const { body } = await stack.query(actors.pharmacistToken(), PHARMACIST_READ, { id: prescription.id });
    const other = (body.errors ?? []).find((error) => error.extensions?.code !== 'FORBIDDEN');
    if (other) throw new Violation(`${where}: the pharmacist reading ${prescription.id} got ${other.extensions?.code}: ${other.message}`);
    const read = body.data?.prescription;
    const parts = [read?.id != null, read?.resident?.id != null, read?.safetyFacts != null];
    const expected = model.pharmacistReads(prescription);
    if (parts.some((part) => part !== expected)) {
      throw new Violation(
        `${where}: the pharmacist reading ${prescription.id} of ${id}: expected ${expected ? 'all' : 'nothing'}, got ${JSON.stringify(parts)}`,
      );
    }
    coverage.count(`read:pharmacist:${pharmacistReadKind(model, prescription, expected)}`);
  }
}

/** What a pharmacist's read was, for coverage: all of it, or nothing, and after which end. */
function pharmacistReadKind(model: CareModel, prescription: Prescription, sees: boolean): string {
  if (sees) return 'prescription+resident+safety-facts';
  if (model.pharmacyBlocked(prescription)) return 'nothing-while-blocked';
  if (!model.dispensingEnded(prescription)) return 'nothing';
  // Dispensed and never completed: its standing ran out `DISPENSING_RELATIONSHIP_DAYS` after dispensing.
  return prescription.dispensed && !prescription.completed ? 'nothing-after-dispensing-window' : 'nothing-after-standing-ended';
}

/** Puts the times of the records' contracts and prescriptions back by `ms`, as the rest of the clock is. */
export async function moveCareClock(stack: TestStack, residentIds: readonly string[], ms: number): Promise<void> {
  const models = modelsOf(stack);
  const back = (value: Date | null | undefined) => (value ? new Date(value.getTime() - ms) : (value ?? null));
  const contracts = await models.referrals.Contract.find({ residentId: oneOf(residentIds) }).lean();
  if (contracts.length) {
    await models.referrals.Contract.bulkWrite(
      contracts.map((contract) => ({
        updateOne: { filter: { _id: contract._id }, update: { $set: { since: back(contract.since), until: back(contract.until) } } },
      })),
    );
  }
  const prescriptions = await models.prescriptions.Prescription.find({ residentId: oneOf(residentIds) }).lean();
  if (prescriptions.length) {
    await models.prescriptions.Prescription.bulkWrite(
      prescriptions.map((prescription) => ({
        updateOne: {
          filter: { _id: prescription._id },
          update: {
            $set: {
              issuedAt: back(prescription.issuedAt),
              validUntil: back(prescription.validUntil),
              ...(prescription.signature ? { 'signature.signedAt': back(prescription.signature.signedAt) } : {}),
              ...(prescription.review ? { 'review.at': back(prescription.review.at) } : {}),
              ...(prescription.dispensing ? { 'dispensing.at': back(prescription.dispensing.at) } : {}),
            },
          },
        },
      })),
    );
  }
}
