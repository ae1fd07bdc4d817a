/**
 * Records written straight into a test stack's databases, as the subgraphs store them. Consent
 * labels are stated by the caller (default: none), never computed by the code under test.
 */
import { createHash, randomBytes } from 'node:crypto';
import { careRelationshipDoc, recordOwnerKey } from '../../access-control/access-store';
import { makeIdNumber } from '../../access-control/id-number';
import type { CareRelationshipKind } from '../../access-control/policy';
import type { SensitiveCategory } from '../../access-control/sensitivity';
import { registerActivityStoreModels } from '../../monitoring/activity-store';
import { registerModels as registerAccess } from '../../subgraphs/access/models';
import { observationOf, requireItem } from '../../subgraphs/labs/lab-rules';
import { type LabReportDoc, registerModels as registerLabs } from '../../subgraphs/labs/models';
import { DRUGS, drugByCode } from '../../subgraphs/prescriptions/drug-catalogue';
import { type PrescriptionDoc, registerModels as registerPrescriptions } from '../../subgraphs/prescriptions/models';
import { validUntilOf } from '../../subgraphs/prescriptions/prescription-rules';
import { blockingKeys } from '../../subgraphs/records/matching';
import { type AllergyDoc, type ConditionDoc, type EncounterDoc, registerModels as registerRecords } from '../../subgraphs/records/models';
import { type NursingOrderDoc, type ReferralDoc, registerModels as registerReferrals, type SlotPoolDoc } from '../../subgraphs/referrals/models';
import { nursingExpiresAt } from '../../subgraphs/referrals/nursing-rules';
import { addDays, beijingDate } from '../../subgraphs/referrals/referral-rules';
import type { TestStack } from './stack';

export const newId = () => randomBytes(12).toString('hex');

const modelsByStack = new WeakMap<TestStack, ReturnType<typeof registerAll>>();

function registerAll(stack: TestStack) {
  return {
    records: registerRecords(stack.connection('records')),
    labs: registerLabs(stack.connection('labs')),
    prescriptions: registerPrescriptions(stack.connection('prescriptions')),
    referrals: registerReferrals(stack.connection('referrals')),
    access: registerAccess(stack.connection('access')),
    activity: registerActivityStoreModels(stack.monitoringConnection()),
  };
}

export function modelsOf(stack: TestStack) {
  let models = modelsByStack.get(stack);
  if (!models) {
    models = registerAll(stack);
    modelsByStack.set(stack, models);
  }
  return models;
}

export interface ResidentFixture {
  /** Organization where each resident had a recent encounter (a care relationship). */
  organizationCode: string;
  count: number;
  reportsEach?: number;
  prescriptionsEach?: number;
  referralsEach?: number;
  encountersEach?: number;
  /** Active problems on each resident's problem list. */
  conditionsEach?: number;
  allergiesEach?: number;
  /**
   * Further organizations each resident was seen at: encounters come from them and
   * `organizationCode` in turn, and each holds a care relationship. Queries that ask for
   * their names need them in the registry (insertHospitals).
   */
  alsoSeenAt?: readonly string[];
}

/** One record in every list field of a resident's full record. */
export const ONE_OF_EACH = {
  encountersEach: 1,
  conditionsEach: 1,
  allergiesEach: 1,
  reportsEach: 1,
  prescriptionsEach: 1,
  referralsEach: 1,
} satisfies Partial<ResidentFixture>;

let sequence = 0;

/** Residents with clinical records, lab reports, prescriptions and referrals, each cared for at `organizationCode`. */
export async function insertResidents(stack: TestStack, fixture: ResidentFixture): Promise<string[]> {
  const models = modelsOf(stack);
  const now = Date.now();
  const ids = Array.from({ length: fixture.count }, newId);
  const seenAt = [fixture.organizationCode, ...(fixture.alsoSeenAt ?? [])];
  await models.records.Resident.insertMany(
    ids.map((_id, index) => {
      const person = {
        name: `测试${index}`,
        gender: index % 2 ? ('MALE' as const) : ('FEMALE' as const),
        birthDate: '1960-03-15',
        idNumber: makeIdNumber('320106', '1960-03-15', (sequence++ % 500) * 2 + (index % 2)),
      };
      return { _id, ...person, phone: '13812345678', district: '鼓楼区', ...blockingKeys(person) };
    }),
  );
  const times = (n: number | undefined) => Array.from({ length: n ?? 0 }, (_, index) => index);
  const encounters = ids.flatMap((residentId) =>
    times(fixture.encountersEach).map((index) =>
      encounterDoc({ residentId, organizationCode: seenAt[index % seenAt.length]!, start: new Date(now - index * 86_400_000) }),
    ),
  );
  await models.records.Encounter.insertMany(encounters);
  await models.records.Condition.insertMany(
    ids.flatMap((residentId) => times(fixture.conditionsEach).map(() => conditionDoc({ residentId, organizationCode: fixture.organizationCode }))),
  );
  await models.records.Allergy.insertMany(
    ids.flatMap((residentId) => times(fixture.allergiesEach).map(() => allergyDoc({ residentId, organizationCode: fixture.organizationCode }))),
  );
  const reports = ids.flatMap((residentId) =>
    times(fixture.reportsEach).map((index) =>
      labReport({
        residentId,
        organizationCode: fixture.organizationCode,
        code: '14749-6',
        results: [{ code: '14749-6', value: 5.1, unit: 'mmol/L' }],
        issuedAt: new Date(now - index * 86_400_000),
      }),
    ),
  );
  await models.labs.LabReport.insertMany(reports);
  // Filed as the subgraphs file them: referrals check attachments against these notes.
  await models.access.RecordOwner.insertMany([
    ...encounters.map((encounter) => ({ _id: recordOwnerKey('encounter', encounter._id), residentId: encounter.residentId })),
    ...reports.map((report) => ({ _id: recordOwnerKey('lab-report', report._id), residentId: report.residentId })),
  ]);
  await models.prescriptions.Prescription.insertMany(
    ids.flatMap((residentId) =>
      times(fixture.prescriptionsEach).map((index) =>
        prescriptionDoc({
          residentId,
          organizationCode: fixture.organizationCode,
          drugCodes: [firstChronicDrug()],
          status: 'DISPENSED',
          issuedAt: new Date(now - index * 86_400_000),
        }),
      ),
    ),
  );
  await models.referrals.Referral.insertMany(
    ids.flatMap((residentId) =>
      times(fixture.referralsEach).map((index) =>
        referralDoc({
          residentId,
          fromOrganizationCode: '3201-C001',
          toOrganizationCode: fixture.organizationCode,
          requestedAt: new Date(now - index * 86_400_000),
        }),
      ),
    ),
  );
  await models.access.CareRelationship.insertMany(
    ids.flatMap((residentId) =>
      seenAt.map((organizationCode) =>
        careRelationshipDoc({
          residentId,
          organizationCode,
          kind: 'REGISTRATION',
          since: new Date(now - 30 * 86_400_000),
          lastSeenAt: new Date(now - 86_400_000),
          source: { subgraph: 'records', recordId: `registration/${residentId}` },
        }),
      ),
    ),
  );
  return ids;
}

/** Hospitals the tests register residents at. */
export const TEST_HOSPITALS = [
  { _id: '3201-H001', name: '江苏省中医院', level: 'TERTIARY', district: '秦淮区', outpatientVisits: 581997, discharges: 6236 },
  { _id: '3201-H002', name: '南京鼓楼医院', level: 'TERTIARY', district: '鼓楼区', outpatientVisits: 556208, discharges: 15982 },
  ...Array.from({ length: 10 }, (_, index) => ({
    _id: `3201-H1${String(index).padStart(2, '0')}`,
    name: `测试医院${index}`,
    level: 'SECONDARY',
    district: '江宁区',
    outpatientVisits: 1000,
    discharges: 10,
  })),
] as const;

export async function insertHospitals(stack: TestStack): Promise<void> {
  await modelsOf(stack).records.Organization.insertMany(TEST_HOSPITALS);
}

/** The 12320 hotline centre, where hotline_operator tokens work (the registry holds it at level HOTLINE). */
export const HOTLINE_CENTRE = '3201-T01';

export async function insertHotlineCentre(stack: TestStack): Promise<void> {
  await modelsOf(stack).records.Organization.create({
    _id: HOTLINE_CENTRE,
    name: '南京12320卫生热线',
    level: 'HOTLINE',
    district: '鼓楼区',
    outpatientVisits: 0,
    discharges: 0,
  });
}

/**
 * What a lab system sends for one report (submitLabReport's input): a fasting glucose of
 * 5.4 mmol/L for a woman born in 1970, issued a day ago, under a fresh report id.
 */
export function labSubmission(residentId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    residentId,
    sourceReportId: `R-${newId().slice(0, 8)}`,
    category: 'LABORATORY',
    code: '14749-6',
    status: 'FINAL',
    issuedAt: new Date(Date.now() - 86_400_000).toISOString(),
    subjectSex: 'FEMALE',
    subjectBirthDate: '1970-05-01',
    results: [{ code: '14749-6', value: 5.4, unit: 'mmol/L' }],
    ...overrides,
  };
}
/** A lab report as a lab system's upload would store it, interpreted through the catalogue. */
export function labReport(input: {
  residentId: string;
  organizationCode: string;
  code: string;
  results: { code: string; value?: number; unit?: string; valueCode?: string }[];
  issuedAt?: Date;
  status?: LabReportDoc['status'];
  sex?: 'MALE' | 'FEMALE';
  ageYears?: number;
  id?: string;
  sensitivities?: SensitiveCategory[];
}): LabReportDoc {
  const item = requireItem(input.code, 'code');
  const results = input.results.map((result) => observationOf(result, input.sex ?? 'MALE', input.ageYears ?? 60));
  const code = { system: 'http://loinc.org', code: item.code, display: item.name };
  const _id = input.id ?? newId();
  const issuedAt = input.issuedAt ?? new Date();
  return {
    _id,
    residentId: input.residentId,
    organizationCode: input.organizationCode,
    category: item.category,
    code,
    localCode: null,
    status: input.status ?? 'FINAL',
    specimen: null,
    collectedAt: null,
    effectiveAt: null,
    issuedAt,
    orderingPractitioner: null,
    orderingOrganizationCode: null,
    conclusion: null,
    subjectSex: input.sex ?? 'MALE',
    subjectAgeYears: input.ageYears ?? 60,
    results,
    itemCodes: [...new Set([item.code, ...results.map((result) => result.code.code)])],
    hasCritical: results.some((result) => result.critical),
    sensitivities: input.sensitivities ?? [],
    version: 1,
    source: { organizationCode: input.organizationCode, recordId: `L-${_id.slice(0, 8)}`, uploadedAt: issuedAt },
  };
}

const hypertension = { system: 'ICD-10', code: 'I10', display: '原发性高血压' };
const fixtureSource = (organizationCode: string, at: Date) => ({ organizationCode, recordId: `R-${newId().slice(0, 8)}`, uploadedAt: at });

/** A finished outpatient encounter, as a hospital system's upload would store it. */
function encounterDoc(input: { residentId: string; organizationCode: string; start: Date }): EncounterDoc {
  return {
    _id: newId(),
    residentId: input.residentId,
    organizationCode: input.organizationCode,
    encounterClass: 'OUTPATIENT',
    status: 'FINISHED',
    department: '心血管内科',
    start: input.start,
    end: input.start,
    attendingPractitioner: 'D0001',
    diagnoses: [{ code: hypertension, rank: 1, primary: true, sensitivity: null }],
    sensitivities: [],
    chargesFen: 12_000,
    source: fixtureSource(input.organizationCode, input.start),
  };
}

/** An active, confirmed problem on the problem list. */
function conditionDoc(input: { residentId: string; organizationCode: string }): ConditionDoc {
  return {
    _id: newId(),
    residentId: input.residentId,
    code: hypertension,
    clinicalStatus: 'ACTIVE',
    verificationStatus: 'CONFIRMED',
    onset: '2020-01-01',
    sensitivity: null,
    source: fixtureSource(input.organizationCode, new Date()),
  };
}

/** A penicillin allergy. */
function allergyDoc(input: { residentId: string; organizationCode: string }): AllergyDoc {
  return {
    _id: newId(),
    residentId: input.residentId,
    substance: { system: 'NMPA-class', code: 'penicillins', display: '青霉素类' },
    category: 'MEDICATION',
    criticality: 'HIGH',
    reactions: ['皮疹'],
    source: fixtureSource(input.organizationCode, new Date()),
  };
}

const firstChronicDrug = () => [...DRUGS.values()].find((drug) => drug.chronic)!.code;

/** A prescription as the subgraph stores it, with items from the drug catalogue. */
export function prescriptionDoc(input: {
  residentId: string;
  organizationCode: string;
  drugCodes: string[];
  status?: PrescriptionDoc['status'];
  pharmacyCode?: string | null;
  issuedAt?: Date;
  id?: string;
  diagnoses?: PrescriptionDoc['diagnoses'];
  sensitivities?: SensitiveCategory[];
}): PrescriptionDoc {
  const issuedAt = input.issuedAt ?? new Date();
  const items = input.drugCodes.map((code) => {
    const drug = drugByCode(code)!;
    return {
      drug: { system: 'NMPA', code: drug.code, display: drug.name },
      inn: drug.inn,
      strength: drug.strength,
      dose: 1,
      doseUnit: drug.doseUnit,
      route: drug.routes[0]!,
      frequency: 'qd',
      days: 7,
      quantity: 7,
      instructions: null,
    };
  });
  const _id = input.id ?? newId();
  return {
    _id,
    residentId: input.residentId,
    organizationCode: input.organizationCode,
    prescriberPractitioner: 'D0001',
    encounterId: null,
    diagnoses: input.diagnoses ?? [{ system: 'ICD-10', code: 'I10', display: '原发性高血压' }],
    items,
    status: input.status ?? 'DISPENSED',
    version: 1,
    issuedAt,
    validUntil: validUntilOf(issuedAt),
    renewal: false,
    pharmacyCode: input.pharmacyCode ?? null,
    delivery: null,
    signature: null,
    review: null,
    dispensing: null,
    cancellation: null,
    clientRequestId: `fixture-${_id}`,
    requestHash: _id,
    sensitivities: input.sensitivities ?? [],
  };
}

/** A home nursing order as the subgraph stores it: wound care the resident ordered, open (ORDERED). */
export function nursingOrderDoc(input: { id?: string; residentId: string; organizationCode: string; preferredDate: string }): NursingOrderDoc {
  const orderedAt = new Date();
  return {
    _id: input.id ?? newId(),
    residentId: input.residentId,
    organizationCode: input.organizationCode,
    ordererKind: 'RESIDENT',
    ordererOrganizationCode: null,
    serviceCode: 'WOUND_CARE',
    preconditions: ['PRESCRIBED', 'WOUND_ASSESSED'],
    preferredDate: input.preferredDate,
    address: '南京市鼓楼区中山北路 2 号',
    notes: null,
    status: 'ORDERED',
    version: 1,
    orderedAt,
    expiresAt: nursingExpiresAt(orderedAt),
    nurseId: null,
    reason: null,
    visit: null,
    sensitivities: [],
  };
}

/** A referral as the subgraph stores it. */
export function referralDoc(input: {
  residentId: string;
  fromOrganizationCode: string;
  toOrganizationCode: string;
  requestedAt?: Date;
  status?: ReferralDoc['status'];
  attachedEncounterIds?: string[];
  attachedLabReportIds?: string[];
  id?: string;
}): ReferralDoc {
  const requestedAt = input.requestedAt ?? new Date();
  return {
    _id: input.id ?? newId(),
    residentId: input.residentId,
    direction: 'UP',
    fromOrganizationCode: input.fromOrganizationCode,
    fromPractitioner: 'F0001',
    toOrganizationCode: input.toOrganizationCode,
    toDepartment: '心血管内科',
    reason: '血压控制不佳',
    diagnoses: [{ system: 'ICD-10', code: 'I10', display: '原发性高血压' }],
    urgency: 'ROUTINE',
    attachedEncounterIds: input.attachedEncounterIds ?? [],
    attachedLabReportIds: input.attachedLabReportIds ?? [],
    slot: null,
    status: input.status ?? 'REQUESTED',
    version: 1,
    requestedAt,
    expiresAt: new Date(requestedAt.getTime() + 7 * 86_400_000),
    rejectionReason: null,
    dischargeSummary: null,
    followUpPlan: null,
  };
}

let poolCount = 0;

/**
 * A morning specialist session at 3201-H001's cardiology two days ahead (10 places, 3
 * reserved) unless overridden, with `bookedPublic` of its public places already taken.
 */
export async function insertSlotPool(stack: TestStack, overrides: Partial<SlotPoolDoc> & { bookedPublic?: number } = {}): Promise<SlotPoolDoc> {
  const date = overrides.date ?? addDays(beijingDate(new Date()), 2);
  const sessionStart = new Date(Date.parse(`${date}T00:00:00Z`));
  const doc: SlotPoolDoc = {
    _id: createHash('sha256').update(`test-pool-${poolCount++}-${Math.random()}`).digest('hex').slice(0, 24),
    organizationCode: '3201-H001',
    department: '心血管内科',
    date,
    session: 'MORNING',
    kind: 'SPECIALIST',
    capacity: 10,
    reserved: 3,
    sessionStart,
    releaseAt: new Date(sessionStart.getTime() - 86_400_000),
    ...overrides,
  };
  await modelsOf(stack).referrals.SlotPool.create(doc);
  const full = overrides.bookedPublic ?? 0;
  if (full > 0) {
    await modelsOf(stack).referrals.Place.insertMany(
      Array.from({ length: full }, (_, index) => ({
        _id: `${doc._id}:P:${index + 1}`,
        poolId: doc._id,
        share: 'PUBLIC',
        referralId: `walk-in-${index}`,
        bookedBy: 'public',
        bookedAt: new Date(),
      })),
    );
  }
  return doc;
}

/** Care relationships of one kind between an organization and residents, open-ended (one fact each). */
export async function relate(
  stack: TestStack,
  residentIds: string[],
  organizationCode: string,
  kind: CareRelationshipKind = 'REGISTRATION',
  extra: { endsAt?: Date | null; practitionerId?: string } = {},
): Promise<void> {
  const since = new Date(Date.now() - 86_400_000);
  await modelsOf(stack).access.CareRelationship.insertMany(
    residentIds.map((residentId) =>
      careRelationshipDoc({ residentId, organizationCode, kind, since, ...extra, source: { subgraph: 'test', recordId: newId() } }),
    ),
  );
}
