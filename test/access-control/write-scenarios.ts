/**
 * The scenarios the write side of the authorization matrix is built from: the identities of
 * each role, the records a write is attempted on (moved as far as a case needs), and a snapshot
 * of everything every subgraph stored, to show that a refused write changed nothing.
 */
import { SUBGRAPH_NAMES } from '../../platform/config';
import { DRUGS } from '../../subgraphs/prescriptions/drug-catalogue';
import type { DemoIdentity } from '../../tools/demo-issuer';
import { insertResidents, insertSlotPool, modelsOf } from '../support/fixtures';
import type { StackFixture } from '../support/stack-fixture';

export const HOSPITAL = '3201-H001';
export const STRANGER = '3201-H100';
export const CENTRE = '3201-C001';
export const OTHER_CENTRE = '3201-C002';
export const PHARMACY = '3201-P01';
export const OTHER_PHARMACY = '3201-P02';
export const NAME = '测试0';

export interface Attempt {
  token: string;
  variables: Record<string, unknown>;
}
export interface Prepared {
  residentId: string;
  /** The caller with standing: succeeds. */
  allowed: Attempt;
  /** Callers without standing: FORBIDDEN, nothing changes. */
  denied: Record<string, Attempt>;
  /** An organization without standing whose doctors must still not read the resident afterwards. */
  outsider?: { attempt: Attempt; organizationCode: string };
}
export interface WriteCase {
  query: string;
  prepare: () => Promise<Prepared>;
}

/** The scenario builders for one file's stack. */
export function writeScenarios({ stack, ok }: Pick<StackFixture, 'stack' | 'ok'>) {
  const as = (identity: Omit<DemoIdentity, 'subject'> & { subject?: string }) =>
    stack.token({
      subject: identity.subject ?? `${identity.roles[0]}-${identity.organizationCode ?? identity.residentId}-${identity.practitionerId ?? ''}`,
      ...identity,
    });
  const doctor = (organizationCode = HOSPITAL, practitionerId: string | null = 'D1') =>
    as({ roles: ['doctor'], organizationCode, practitionerId: practitionerId ?? undefined });
  const familyDoctor = (organizationCode = CENTRE, practitionerId: string | null = 'F1') =>
    as({ roles: ['family_doctor'], organizationCode, practitionerId: practitionerId ?? undefined });
  const hospitalSystem = (organizationCode = HOSPITAL) => as({ roles: ['hospital_system'], organizationCode });
  const labSystem = (organizationCode = HOSPITAL) => as({ roles: ['lab_system'], organizationCode });
  const pharmacist = (organizationCode = PHARMACY) => as({ roles: ['pharmacist'], organizationCode });
  const internetHospital = (organizationCode = HOSPITAL) => as({ roles: ['internet_hospital'], organizationCode });
  const resident = (residentId: string) => as({ roles: ['resident'], residentId });
  const privacyOfficer = () => as({ roles: ['privacy_officer'], subject: 'po-1' });

  /** The codes of the errors, and of the items a batch upload refused (they answer per item). */
  const codesOf = (body: { errors?: { extensions?: Record<string, unknown> }[]; data?: Record<string, unknown> | null }) => [
    ...(body.errors ?? []).map((error) => error.extensions?.code),
    ...Object.values(body.data ?? {}).flatMap((value) =>
      Array.isArray(value) ? value.filter((item) => item?.status === 'REJECTED').map((item) => item.code) : [],
    ),
  ];

  /** Everything every subgraph stored, except the audit log (refused attempts are audited on purpose). */
  async function snapshot(): Promise<string> {
    const parts: string[] = [];
    for (const name of SUBGRAPH_NAMES) {
      const { db } = stack.connection(name);
      const collections = (await db!.listCollections().toArray()).map((collection) => collection.name).sort();
      for (const collection of collections.filter((collection) => collection !== 'auditEvents')) {
        parts.push(`${name}.${collection} ${JSON.stringify(await db!.collection(collection).find({}).sort({ _id: 1 }).toArray())}`);
      }
    }
    return parts.join('\n');
  }

  // ---- the state each mutation acts on ----------------------------------------------------------

  const drug = (inn: string) => [...DRUGS.values()].find((entry) => entry.inn === inn)!.code;
  const freshResident = async (organizationCode = HOSPITAL) => (await insertResidents(stack, { organizationCode, count: 1 }))[0]!;
  let sequence = 0;
  const nextSequence = () => sequence++;
  const unique = (prefix: string) => `${prefix}-${Date.now()}-${nextSequence()}`;

  /** Two records of one person registered at HOSPITAL, the second without an ID number. */
  async function duplicates(): Promise<[string, string]> {
    const [survivor, duplicate] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 2 })) as [string, string];
    await modelsOf(stack).records.Resident.updateOne({ _id: duplicate }, { $set: { idNumber: null, idLast4: null } });
    return [survivor, duplicate];
  }

  /** A resident registered at HOSPITAL whose duplicate record was merged into it. */
  async function merged(): Promise<{ survivor: string; mergedId: string }> {
    const [survivor, mergedId] = await duplicates();
    await ok(privacyOfficer(), `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id } }`, {
      s: survivor,
      m: mergedId,
    });
    return { survivor, mergedId };
  }

  const ISSUE = `mutation($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }`;
  const issueInput = (residentId: string) => ({
    residentId,
    clientRequestId: unique('rx'),
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    items: [{ drugCode: drug('amlodipine'), dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
    pharmacyCode: PHARMACY,
    delivery: { method: 'DELIVERY', address: '南京市鼓楼区中山路100号', phone: '13800001111' },
  });

  /** A prescription for a fresh resident at HOSPITAL, moved as far as `until`. */
  async function prescription(until: 'DRAFT' | 'SIGNED' | 'APPROVED' | 'ROUTED' | 'DISPENSED'): Promise<{ id: string; residentId: string }> {
    const residentId = await freshResident();
    const { id } = (await ok(doctor(), ISSUE, { input: issueInput(residentId) })).issuePrescription;
    const steps: [typeof until, string, string][] = [
      ['SIGNED', `mutation($id: ID!) { signPrescription(id: $id) { id } }`, doctor()],
      [
        'APPROVED',
        `mutation($id: ID!) { reviewPrescription(id: $id, decision: APPROVE, safetyFacts: { allergyGroups: [], diagnosisCodes: [] }) { id } }`,
        pharmacist(),
      ],
      ['ROUTED', `mutation($id: ID!) { routePrescription(id: $id) { id } }`, doctor()],
      ['DISPENSED', `mutation($id: ID!) { dispensePrescription(id: $id, lot: "LOT-1") { id } }`, pharmacist()],
    ];
    const order = ['DRAFT', 'SIGNED', 'APPROVED', 'ROUTED', 'DISPENSED'];
    for (const [status, query, token] of steps) if (order.indexOf(status) <= order.indexOf(until)) await ok(token, query, { id });
    return { id, residentId };
  }

  /** A resident registered at CENTRE, referred by its family doctor up to HOSPITAL's cardiology, moved as far as `until`. */
  async function referral(until: 'REQUESTED' | 'ACCEPTED' | 'SCHEDULED' | 'ARRIVED'): Promise<{ id: string; residentId: string }> {
    const residentId = await freshResident(CENTRE);
    const input = {
      residentId,
      direction: 'UP',
      toOrganizationCode: HOSPITAL,
      toDepartment: '心血管内科',
      reason: '血压控制不佳',
      diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    };
    const { id } = (await ok(familyDoctor(), `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`, { input })).requestReferral;
    if (until !== 'REQUESTED') await ok(doctor(), `mutation($id: ID!) { acceptReferral(id: $id) { id } }`, { id });
    if (until === 'SCHEDULED' || until === 'ARRIVED') {
      const pool = await insertSlotPool(stack, { capacity: 10, reserved: 3 });
      await ok(
        familyDoctor(),
        `mutation($id: ID!, $pool: ID!, $request: String!) { bookReferralSlot(referralId: $id, poolId: $pool, clientRequestId: $request) { id } }`,
        { id, pool: pool._id, request: unique('book') },
      );
    }
    if (until === 'ARRIVED') await ok(doctor(), `mutation($id: ID!) { markArrived(id: $id) { id } }`, { id });
    return { id, residentId };
  }

  const until = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const OFFER = `mutation($id: ID!, $until: String!) { signContract(residentId: $id, servicePackage: BASIC, until: $until) { id } }`;
  /** A contract offered by CENTRE's family doctor F1 to a resident registered there, accepted unless `offerOnly`. */
  async function contract(offerOnly = false): Promise<{ id: string; residentId: string }> {
    const residentId = await freshResident(CENTRE);
    const { id } = (await ok(familyDoctor(), OFFER, { id: residentId, until: until() })).signContract;
    if (!offerOnly) await ok(resident(residentId), `mutation($id: ID!) { acceptContract(id: $id) { id } }`, { id });
    return { id, residentId };
  }

  // ---- the table: one row per mutation ------------------------------------------------------------

  const encounterInput = (residentId: string) => ({
    residentId,
    sourceRecordId: unique('V'),
    class: 'OUTPATIENT',
    status: 'FINISHED',
    department: '心血管内科',
    start: '2026-06-01T01:00:00.000Z',
    diagnoses: [{ code: 'I10', display: '原发性高血压', rank: 1, primary: true }],
  });
  const conditionInput = (residentId: string) => ({
    residentId,
    sourceRecordId: unique('P'),
    code: 'I10',
    display: '原发性高血压',
    clinicalStatus: 'ACTIVE',
    verificationStatus: 'CONFIRMED',
  });
  const allergyInput = (residentId: string) => ({
    residentId,
    sourceRecordId: unique('A'),
    substance: { system: 'allergy-group', code: 'PENICILLINS', display: '青霉素类' },
    category: 'MEDICATION',
    criticality: 'HIGH',
  });
  const labInput = (residentId: string) => ({
    residentId,
    sourceReportId: unique('R'),
    category: 'LABORATORY',
    code: '14749-6',
    status: 'FINAL',
    issuedAt: new Date(Date.now() - 86_400_000).toISOString(),
    subjectSex: 'FEMALE',
    subjectBirthDate: '1960-03-15',
    results: [{ code: '14749-6', value: 5.4, unit: 'mmol/L' }],
  });
  const filedPrescriptionInput = (residentId: string) => ({
    residentId,
    sourceRecordId: unique('RX'),
    prescriberPractitioner: 'D1001',
    issuedAt: '2026-06-01T01:00:00.000Z',
    diagnoses: [{ code: 'I10', display: '原发性高血压' }],
    items: [{ drugCode: drug('amlodipine'), dose: 5, route: 'oral', frequency: 'qd', days: 28, quantity: 28 }],
    dispensing: { at: '2026-06-01T02:00:00.000Z', pharmacist: 'P3001', lot: 'LOT-2606' },
  });
  const referralInput = (residentId: string) => ({
    residentId,
    direction: 'UP',
    toOrganizationCode: '3201-H002',
    toDepartment: '心血管内科',
    reason: '胸痛待查',
    diagnoses: [],
  });

  /** A batch upload's variables: the one input as a batch of one. */
  const asBatch = (value: Record<string, unknown>) => ({ inputs: [value] });

  /**
   * A mutation whose input names the resident: HOSPITAL's `allowed` caller has standing (the
   * resident registered there); the same role at STRANGER has none; `wrongRole` may not call it;
   * a merged-away id changes nothing for a caller without standing with the survivor.
   */
  function aboutResident(
    query: string,
    input: (residentId: string, organizationCode: string) => Record<string, unknown>,
    allowed: (organizationCode: string) => string,
    wrongRole: () => string,
    wrap: (value: Record<string, unknown>) => Record<string, unknown> = (value) => ({ input: value }),
  ): WriteCase {
    return {
      query,
      prepare: async () => {
        const residentId = await freshResident();
        const { mergedId } = await merged();
        const outsider = { token: allowed(STRANGER), variables: wrap(input(residentId, STRANGER)) };
        return {
          residentId,
          allowed: { token: allowed(HOSPITAL), variables: wrap(input(residentId, HOSPITAL)) },
          denied: {
            otherOrganization: outsider,
            wrongRole: { token: wrongRole(), variables: wrap(input(residentId, HOSPITAL)) },
            mergedAway: { token: allowed(STRANGER), variables: wrap(input(mergedId, STRANGER)) },
          },
          outsider: { attempt: outsider, organizationCode: STRANGER },
        };
      },
    };
  }

  /** A mutation on a prescription moved as far as `status`; the outsider is `otherOrganization`'s. */
  function onPrescription(
    query: string,
    status: Parameters<typeof prescription>[0],
    allowed: () => string,
    otherOrganization: () => string,
    wrongRole: () => string,
    outsiderOrganization = STRANGER,
  ): WriteCase {
    return {
      query,
      prepare: async () => {
        const { id, residentId } = await prescription(status);
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(allowed()),
          denied: { otherOrganization: attempt(otherOrganization()), wrongRole: attempt(wrongRole()) },
          outsider: { attempt: attempt(otherOrganization()), organizationCode: outsiderOrganization },
        };
      },
    };
  }

  /** A mutation on a referral moved as far as `status`; STRANGER is the outsider. */
  function onReferral(query: string, status: Parameters<typeof referral>[0], allowed: () => string, others: Record<string, () => string>): WriteCase {
    return {
      query,
      prepare: async () => {
        const { id, residentId } = await referral(status);
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(allowed()),
          denied: Object.fromEntries(Object.entries(others).map(([label, token]) => [label, attempt(token())])),
          outsider: { attempt: attempt(doctor(STRANGER)), organizationCode: STRANGER },
        };
      },
    };
  }

  /** A mutation on a contract (offered only, or accepted); another centre is the outsider. */
  function onContract(
    query: string,
    offerOnly: boolean,
    allowed: (residentId: string) => string,
    others: Record<string, (residentId: string) => string>,
    extra: Record<string, unknown> = {},
  ): WriteCase {
    return {
      query,
      prepare: async () => {
        const { id, residentId } = await contract(offerOnly);
        const attempt = (token: string) => ({ token, variables: { id, ...extra } });
        return {
          residentId,
          allowed: attempt(allowed(residentId)),
          denied: Object.fromEntries(Object.entries(others).map(([label, token]) => [label, attempt(token(residentId))])),
          outsider: { attempt: attempt(familyDoctor(OTHER_CENTRE, 'F9')), organizationCode: OTHER_CENTRE },
        };
      },
    };
  }
  return {
    stack,
    ok,
    nextSequence,
    as,
    doctor,
    familyDoctor,
    hospitalSystem,
    labSystem,
    pharmacist,
    internetHospital,
    resident,
    privacyOfficer,
    codesOf,
    snapshot,
    drug,
    freshResident,
    unique,
    duplicates,
    merged,
    ISSUE,
    issueInput,
    prescription,
    referral,
    until,
    OFFER,
    contract,
    encounterInput,
    conditionInput,
    allergyInput,
    labInput,
    filedPrescriptionInput,
    referralInput,
    asBatch,
    aboutResident,
    onPrescription,
    onReferral,
    onContract,
  };
}

export type WriteScenarios = ReturnType<typeof writeScenarios>;
