/** Every mutation of the supergraph as a write case: who may make it, who may not, and on what. */
import { makeIdNumber } from '../../access-control/id-number';
import { insertResidents, insertSlotPool, modelsOf, newId } from '../support/fixtures';
import { CENTRE, HOSPITAL, OTHER_CENTRE, OTHER_PHARMACY, STRANGER, type WriteCase, type WriteScenarios } from './write-scenarios';

/** The cases, keyed by mutation name, built on one file's scenarios. */
export function writeCases(scenarios: WriteScenarios): Record<string, WriteCase> {
  const {
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
  } = scenarios;
  return {
    registerResident: {
      query: `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { outcome } }`,
      // Registration at a desk is where standing arises: no outsider; only the role is checked.
      prepare: async () => {
        const birthDate = '1958-04-02';
        const input = {
          name: '周登记',
          gender: 'MALE',
          birthDate,
          idNumber: makeIdNumber('320106', birthDate, 101 + 2 * nextSequence()),
          district: '鼓楼区',
          identifier: { system: 'MEDICAL_RECORD_NUMBER', value: unique('MRN') },
        };
        return { residentId: '', allowed: { token: hospitalSystem(), variables: { input } }, denied: { wrongRole: { token: doctor(), variables: { input } } } };
      },
    },
    recordEncounter: aboutResident(`mutation($input: RecordEncounterInput!) { recordEncounter(input: $input) { id } }`, encounterInput, hospitalSystem, () =>
      doctor(),
    ),
    recordCondition: aboutResident(`mutation($input: RecordConditionInput!) { recordCondition(input: $input) { id } }`, conditionInput, hospitalSystem, () =>
      doctor(),
    ),
    recordAllergy: aboutResident(`mutation($input: RecordAllergyInput!) { recordAllergy(input: $input) { assertion } }`, allergyInput, hospitalSystem, () =>
      doctor(),
    ),
    submitLabReport: aboutResident(`mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`, labInput, labSystem, () => doctor()),
    uploadEncounters: aboutResident(
      `mutation($inputs: [RecordEncounterInput!]!) { uploadEncounters(inputs: $inputs) { status code message } }`,
      encounterInput,
      hospitalSystem,
      () => doctor(),
      asBatch,
    ),
    uploadConditions: aboutResident(
      `mutation($inputs: [RecordConditionInput!]!) { uploadConditions(inputs: $inputs) { status code message } }`,
      conditionInput,
      hospitalSystem,
      () => labSystem(),
      asBatch,
    ),
    uploadAllergies: aboutResident(
      `mutation($inputs: [RecordAllergyInput!]!) { uploadAllergies(inputs: $inputs) { status code message } }`,
      allergyInput,
      hospitalSystem,
      () => pharmacist(),
      asBatch,
    ),
    uploadLabReports: aboutResident(
      `mutation($inputs: [SubmitLabReportInput!]!) { uploadLabReports(inputs: $inputs) { status code message } }`,
      labInput,
      labSystem,
      () => hospitalSystem(),
      asBatch,
    ),
    uploadPrescriptions: aboutResident(
      `mutation($inputs: [FilePrescriptionInput!]!) { uploadPrescriptions(inputs: $inputs) { status code message } }`,
      filedPrescriptionInput,
      hospitalSystem,
      () => doctor(),
      asBatch,
    ),
    checkOrder: aboutResident(
      `mutation($residentId: ID!, $org: ID!) { checkOrder(residentId: $residentId, itemCodes: ["14749-6"], orderingOrganizationCode: $org) { recommendation } }`,
      (residentId, org) => ({ residentId, org }),
      (organizationCode) => doctor(organizationCode),
      () => pharmacist(),
      // Each caller orders for its own organization.
      (value) => value,
    ),
    acknowledgeCriticalResult: {
      query: `mutation($id: ID!) { acknowledgeCriticalResult(alertId: $id) { state } }`,
      // A critical glucose HOSPITAL's doctor D1 ordered: pushed to D1 until it escalates.
      prepare: async () => {
        const residentId = await freshResident();
        const input = {
          ...labInput(residentId),
          orderingOrganizationCode: HOSPITAL,
          orderingPractitioner: 'D1',
          results: [{ code: '14749-6', value: 25, unit: 'mmol/L' }],
        };
        const { id: reportId } = (await ok(labSystem(), `mutation($input: SubmitLabReportInput!) { submitLabReport(input: $input) { id } }`, { input }))
          .submitLabReport;
        const alert = await modelsOf(stack).labs.CriticalAlert.findOne({ reportId }).lean();
        const attempt = (token: string) => ({ token, variables: { id: alert!._id } });
        return {
          residentId,
          allowed: attempt(doctor()),
          denied: {
            wrongRole: attempt(pharmacist()),
            colleagueBeforeEscalation: attempt(doctor(HOSPITAL, 'D2')),
            noPractitioner: attempt(doctor(HOSPITAL, null)),
          },
          outsider: { attempt: attempt(doctor(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    issuePrescription: aboutResident(
      ISSUE,
      issueInput,
      (organizationCode) => doctor(organizationCode),
      () => labSystem(),
    ),
    requestReferral: aboutResident(
      `mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }`,
      referralInput,
      (organizationCode) => doctor(organizationCode),
      () => pharmacist(),
    ),
    breakGlass: {
      query: `mutation($id: ID!) { breakGlass(residentId: $id, reason: UNCONSCIOUS_PATIENT, justification: "昏迷入院，需查既往史与过敏史") { id } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const attempt = (token: string) => ({ token, variables: { id: residentId } });
        return {
          residentId,
          allowed: attempt(doctor(STRANGER, 'D-ER')),
          denied: { noPractitioner: attempt(doctor(STRANGER, null)), wrongRole: attempt(hospitalSystem(STRANGER)) },
          outsider: { attempt: attempt(doctor(STRANGER, null)), organizationCode: STRANGER },
        };
      },
    },
    setConsent: {
      query: `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [MENTAL_HEALTH], blockedOrganizations: []) { updatedAt } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const other = await freshResident();
        const attempt = (token: string) => ({ token, variables: { id: residentId } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: { otherResident: attempt(resident(other)), wrongRole: attempt(doctor()) },
          outsider: { attempt: attempt(doctor(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    revisePrescription: onPrescription(
      `mutation($id: ID!) { revisePrescription(id: $id, items: [{ drugCode: "${drug('amlodipine')}", dose: 10, route: "oral", frequency: "qd", days: 28, quantity: 28 }]) { id } }`,
      'DRAFT',
      () => doctor(),
      () => doctor(STRANGER),
      () => pharmacist(),
    ),
    signPrescription: {
      query: `mutation($id: ID!) { signPrescription(id: $id) { id } }`,
      prepare: async () => {
        const { id, residentId } = await prescription('DRAFT');
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(doctor()),
          denied: {
            otherOrganization: attempt(doctor(STRANGER)),
            otherPractitioner: attempt(doctor(HOSPITAL, 'D2')),
            noPractitioner: attempt(doctor(HOSPITAL, null)),
            wrongRole: attempt(internetHospital()),
          },
          outsider: { attempt: attempt(doctor(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    reviewPrescription: onPrescription(
      `mutation($id: ID!) { reviewPrescription(id: $id, decision: REJECT, reason: "剂量超出常规范围") { id } }`,
      'SIGNED',
      () => pharmacist(),
      () => pharmacist(OTHER_PHARMACY),
      () => doctor(),
      OTHER_PHARMACY,
    ),
    routePrescription: onPrescription(
      `mutation($id: ID!) { routePrescription(id: $id) { id } }`,
      'APPROVED',
      () => doctor(),
      () => doctor(STRANGER),
      () => pharmacist(),
    ),
    dispensePrescription: onPrescription(
      `mutation($id: ID!) { dispensePrescription(id: $id, lot: "LOT-2") { id } }`,
      'ROUTED',
      () => pharmacist(),
      () => pharmacist(OTHER_PHARMACY),
      () => doctor(),
      OTHER_PHARMACY,
    ),
    completePrescription: onPrescription(
      `mutation($id: ID!) { completePrescription(id: $id, kind: DELIVERED) { id } }`,
      'DISPENSED',
      () => pharmacist(),
      () => pharmacist(OTHER_PHARMACY),
      () => doctor(),
      OTHER_PHARMACY,
    ),
    cancelPrescription: onPrescription(
      `mutation($id: ID!) { cancelPrescription(id: $id, reason: "患者要求取消") { id } }`,
      'DRAFT',
      () => doctor(),
      () => doctor(STRANGER),
      () => pharmacist(),
    ),
    signContract: {
      query: OFFER,
      prepare: async () => {
        const residentId = await freshResident(CENTRE);
        const { mergedId } = await merged();
        const attempt = (token: string, id = residentId) => ({ token, variables: { id, until: until() } });
        return {
          residentId,
          allowed: attempt(familyDoctor()),
          denied: {
            otherOrganization: attempt(familyDoctor(OTHER_CENTRE, 'F9')),
            noPractitioner: attempt(familyDoctor(CENTRE, null)),
            wrongRole: attempt(doctor(CENTRE)),
            mergedAway: attempt(familyDoctor(OTHER_CENTRE, 'F9'), mergedId),
          },
          outsider: { attempt: attempt(familyDoctor(OTHER_CENTRE, 'F9')), organizationCode: OTHER_CENTRE },
        };
      },
    },
    acceptContract: onContract(`mutation($id: ID!) { acceptContract(id: $id) { status } }`, true, (residentId) => resident(residentId), {
      otherResident: () => resident(newId()),
      wrongRole: () => familyDoctor(),
    }),
    renewContract: onContract(
      `mutation($id: ID!, $until: String!) { renewContract(id: $id, until: $until) { status } }`,
      false,
      () => familyDoctor(),
      { otherOrganization: () => familyDoctor(OTHER_CENTRE, 'F9'), wrongRole: () => doctor(CENTRE) },
      { until: new Date(Date.now() + 700 * 86_400_000).toISOString().slice(0, 10) },
    ),
    terminateContract: onContract(`mutation($id: ID!) { terminateContract(id: $id, reason: "居民迁出辖区") { status } }`, false, () => familyDoctor(), {
      otherOrganization: () => familyDoctor(OTHER_CENTRE, 'F9'),
      wrongRole: () => doctor(CENTRE),
    }),
    bookReferralSlot: {
      query: `mutation($id: ID!, $pool: ID!, $request: String!) { bookReferralSlot(referralId: $id, poolId: $pool, clientRequestId: $request) { id } }`,
      prepare: async () => {
        const { id, residentId } = await referral('REQUESTED');
        const pool = await insertSlotPool(stack, { capacity: 10, reserved: 3 });
        const attempt = (token: string) => ({ token, variables: { id, pool: pool._id, request: unique('book') } });
        return {
          residentId,
          allowed: attempt(familyDoctor()),
          denied: { otherOrganization: attempt(doctor(STRANGER)), wrongRole: attempt(pharmacist()) },
          outsider: { attempt: attempt(doctor(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    acceptReferral: onReferral(`mutation($id: ID!) { acceptReferral(id: $id) { status } }`, 'REQUESTED', () => doctor(), {
      otherOrganization: () => doctor(STRANGER),
      sender: () => familyDoctor(),
      wrongRole: () => pharmacist(),
    }),
    rejectReferral: onReferral(`mutation($id: ID!) { rejectReferral(id: $id, reason: "号源已满") { status } }`, 'REQUESTED', () => doctor(), {
      otherOrganization: () => doctor(STRANGER),
      sender: () => familyDoctor(),
      wrongRole: () => pharmacist(),
    }),
    markArrived: onReferral(`mutation($id: ID!) { markArrived(id: $id) { status } }`, 'SCHEDULED', () => doctor(), {
      otherOrganization: () => doctor(STRANGER),
      sender: () => familyDoctor(),
      wrongRole: () => pharmacist(),
    }),
    completeReferral: onReferral(`mutation($id: ID!) { completeReferral(id: $id) { status } }`, 'ARRIVED', () => doctor(), {
      otherOrganization: () => doctor(STRANGER),
      sender: () => familyDoctor(),
      wrongRole: () => pharmacist(),
    }),
    cancelReferral: onReferral(`mutation($id: ID!) { cancelReferral(id: $id, reason: "患者已在他院就诊") { status } }`, 'REQUESTED', () => familyDoctor(), {
      otherOrganization: () => doctor(STRANGER),
      receiver: () => doctor(),
      wrongRole: () => pharmacist(),
    }),
    publishSlotPools: {
      query: `mutation($pools: [SlotPoolInput!]!) { publishSlotPools(pools: $pools) { poolId } }`,
      // Not about a resident: the hospital's own system publishes for its own organization.
      prepare: async () => {
        const date = new Date(Date.now() + 8 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
        const attempt = (token: string) => ({
          token,
          variables: { pools: [{ department: '心血管内科', date, session: 'MORNING', kind: 'SPECIALIST', capacity: 12 }] },
        });
        return {
          residentId: '',
          allowed: attempt(hospitalSystem()),
          denied: {
            wrongRole: attempt(doctor()),
            labSystem: attempt(labSystem()),
            noOrganization: attempt(as({ roles: ['hospital_system'], subject: 'his-none' })),
          },
        };
      },
    },
    bookAppointment: {
      query: `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const pool = await insertSlotPool(stack, { capacity: 10, reserved: 3 });
        const attempt = (token: string, channel = 'ONLINE_12320') => ({ token, variables: { input: { residentId, poolId: pool._id, channel } } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: {
            otherResident: attempt(resident(newId())),
            wrongChannel: attempt(resident(residentId), 'IN_CLINIC'),
            otherOrganization: attempt(hospitalSystem(STRANGER), 'IN_CLINIC'),
            wrongRole: attempt(doctor()),
          },
          outsider: { attempt: attempt(hospitalSystem(STRANGER), 'IN_CLINIC'), organizationCode: STRANGER },
        };
      },
    },
    cancelAppointment: {
      query: `mutation($id: ID!) { cancelAppointment(id: $id, reason: "时间冲突，改期") { status } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const pool = await insertSlotPool(stack, { capacity: 10, reserved: 3 });
        const { id } = (
          await ok(resident(residentId), `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`, {
            input: { residentId, poolId: pool._id, channel: 'QUICK' },
          })
        ).bookAppointment;
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: { otherResident: attempt(resident(newId())), otherOrganization: attempt(hospitalSystem(STRANGER)), wrongRole: attempt(doctor()) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    mergeResidents: {
      query: `mutation($s: ID!, $m: ID!) { mergeResidents(survivorId: $s, mergedId: $m, reason: "同一人重复建档") { id } }`,
      prepare: async () => {
        const [survivor, other] = await duplicates();
        const attempt = (token: string) => ({ token, variables: { s: survivor, m: other } });
        return {
          residentId: survivor,
          allowed: attempt(hospitalSystem()),
          denied: { otherOrganization: attempt(hospitalSystem(STRANGER)), wrongRole: attempt(doctor()) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    unmergeResident: {
      query: `mutation($m: ID!) { unmergeResident(mergedId: $m, reason: "误合并，撤销") { id } }`,
      prepare: async () => {
        const { survivor, mergedId } = await merged();
        const attempt = (token: string) => ({ token, variables: { m: mergedId } });
        return {
          residentId: survivor,
          allowed: attempt(hospitalSystem()),
          denied: { otherOrganization: attempt(hospitalSystem(STRANGER)), wrongRole: attempt(doctor()) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    resolveMatchReview: {
      query: `mutation($id: ID!) { resolveMatchReview(id: $id, decision: SEPARATE, reason: "不同的人") { id } }`,
      prepare: async () => {
        const [registered, candidate] = (await insertResidents(stack, { organizationCode: HOSPITAL, count: 2 })) as [string, string];
        const id = newId();
        await modelsOf(stack).records.MatchReview.create({
          _id: id,
          status: 'OPEN',
          residentId: registered,
          candidate: { residentId: candidate, score: 0.8, reasons: ['name'] },
          openedAt: new Date(),
          openedBy: 'his',
          organizationCode: HOSPITAL,
          resolvedAt: null,
          resolvedBy: null,
          reason: null,
        });
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId: registered,
          allowed: attempt(hospitalSystem()),
          denied: { otherOrganization: attempt(hospitalSystem(STRANGER)), wrongRole: attempt(doctor()) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    closeBreakGlassReview: {
      query: `mutation($id: ID!) { closeBreakGlassReview(id: $id, outcome: JUSTIFIED, note: "急诊昏迷患者，合理") { id } }`,
      // Oversight of a grant, not a write about the resident's record: only the role is checked.
      prepare: async () => {
        const residentId = await freshResident();
        const { id } = (
          await ok(
            doctor(STRANGER, 'D-ER'),
            `mutation($id: ID!) { breakGlass(residentId: $id, reason: OTHER, justification: "昏迷入院，需查既往史与过敏史") { id } }`,
            { id: residentId },
          )
        ).breakGlass;
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(privacyOfficer()),
          denied: { wrongRole: attempt(doctor(STRANGER, 'D-ER')), otherResident: attempt(resident(residentId)) },
        };
      },
    },
  };
}
