/**
 * The viewer contexts of the authorization matrix (one identity per way of standing, or of
 * having none) and the mutation gates it checks for each of them.
 */
import type { DemoIdentity } from '../../tools/demo-issuer';

export const CONTEXTS = {
  self: { roles: ['resident'] },
  otherResident: { roles: ['resident'], residentId: 'ffffffffffffffffffffffff' },
  doctorOwnOrg: { roles: ['doctor'], organizationCode: '3201-H001' },
  doctorRelated: { roles: ['doctor'], organizationCode: '3201-H002' },
  doctorStranger: { roles: ['doctor'], organizationCode: '3201-H100' },
  doctorBreakGlass: { roles: ['doctor'], organizationCode: '3201-H101', practitionerId: 'P-BG' },
  familyDoctor: { roles: ['family_doctor'], organizationCode: '3201-H102' },
  internetHospital: { roles: ['internet_hospital'], organizationCode: '3201-H103' },
  pharmacist: { roles: ['pharmacist'], organizationCode: '3201-H104' },
  labSystem: { roles: ['lab_system'], organizationCode: '3201-H002' },
  hospitalSystem: { roles: ['hospital_system'], organizationCode: '3201-H001' },
  healthCommission: { roles: ['health_commission'] },
  privacyOfficer: { roles: ['privacy_officer'] },
  hotlineOperator: { roles: ['hotline_operator'], organizationCode: '3201-T01', practitionerId: 'OP1' },
} as const satisfies Record<string, Partial<DemoIdentity>>;
export type Context = keyof typeof CONTEXTS;
export const ALL = Object.keys(CONTEXTS) as Context[];
/** The institutions' own systems: they settle, and see their own settlements. */
export const INSTITUTIONS: Context[] = ['internetHospital', 'hospitalSystem'];
/** A check-up package of the own-organization hospital, for its availability (reference data). */
export const CHECKUP_PACKAGE = {
  _id: 'a'.repeat(24),
  organizationCode: '3201-H001',
  code: 'PKG-M',
  name: '基础体检',
  items: [],
  priceFen: 30000,
  dailyCapacity: 10,
  publishedAt: new Date(),
};
/** Who sees the record through care or an emergency grant. */
export const CLINICIANS: Context[] = ['doctorOwnOrg', 'doctorRelated', 'doctorBreakGlass', 'familyDoctor'];

/** Each mutation with input its gate refuses as bad: the roles that get past the gate see BAD_USER_INPUT, the others FORBIDDEN. */
export const GATES: Record<string, { allowed: Context[]; query: string }> = {
  registerResident: {
    allowed: ['hospitalSystem'],
    query: `mutation { registerResident(input: { name: "无效", gender: MALE, birthDate: "not-a-date", district: "鼓楼区", identifier: { system: MEDICAL_RECORD_NUMBER, value: "MRN-X" } }) { outcome } }`,
  },
  recordEncounter: {
    allowed: ['hospitalSystem'],
    query: `mutation { recordEncounter(input: { residentId: "bad", sourceRecordId: "x", class: OUTPATIENT, status: FINISHED, department: "x", start: "x", diagnoses: [] }) { id } }`,
  },
  recordCondition: {
    allowed: ['hospitalSystem'],
    query: `mutation { recordCondition(input: { residentId: "bad", sourceRecordId: "x", code: "x", display: "x", clinicalStatus: ACTIVE, verificationStatus: CONFIRMED }) { id } }`,
  },
  recordAllergy: { allowed: ['hospitalSystem'], query: `mutation { recordAllergy(input: { residentId: "bad", sourceRecordId: "x" }) { assertion } }` },
  resolveMatchReview: {
    allowed: ['privacyOfficer', 'hospitalSystem'],
    query: `mutation { resolveMatchReview(id: "bad", decision: LINK, reason: "x") { id } }`,
  },
  mergeResidents: {
    allowed: ['privacyOfficer', 'hospitalSystem'],
    query: `mutation { mergeResidents(survivorId: "bad", mergedId: "bad", reason: "x") { id } }`,
  },
  unmergeResident: { allowed: ['privacyOfficer', 'hospitalSystem'], query: `mutation { unmergeResident(mergedId: "bad", reason: "x") { id } }` },
  uploadEncounters: { allowed: ['hospitalSystem'], query: `mutation { uploadEncounters(inputs: []) { status } }` },
  uploadConditions: { allowed: ['hospitalSystem'], query: `mutation { uploadConditions(inputs: []) { status } }` },
  uploadAllergies: { allowed: ['hospitalSystem'], query: `mutation { uploadAllergies(inputs: []) { status } }` },
  uploadLabReports: { allowed: ['labSystem'], query: `mutation { uploadLabReports(inputs: []) { status } }` },
  submitLabReport: {
    allowed: ['labSystem'],
    query: `mutation { submitLabReport(input: { residentId: "bad", sourceReportId: "x", category: LABORATORY, code: "x", status: FINAL, issuedAt: "x", subjectSex: MALE, subjectBirthDate: "x", results: [] }) { id } }`,
  },
  submitCheckupReport: {
    allowed: ['labSystem'],
    query: `mutation { submitCheckupReport(input: { residentId: "bad", sourceReportId: "x", category: LABORATORY, code: "x", status: FINAL, issuedAt: "x", subjectSex: MALE, subjectBirthDate: "x", results: [] }, findings: { conclusions: [], recommendations: [] }) { id } }`,
  },
  checkOrder: {
    allowed: CLINICIANS.concat('doctorStranger'),
    query: `mutation($id: ID!) { checkOrder(residentId: $id, itemCodes: [], orderingOrganizationCode: "3201-H001") { recommendation } }`,
  },
  acknowledgeCriticalResult: { allowed: [...CLINICIANS, 'doctorStranger'], query: `mutation { acknowledgeCriticalResult(alertId: "bad") { id } }` },
  issuePrescription: {
    allowed: [...CLINICIANS, 'doctorStranger', 'internetHospital'],
    query: `mutation { issuePrescription(input: { residentId: "bad", clientRequestId: "x", diagnoses: [], items: [] }) { id } }`,
  },
  revisePrescription: {
    allowed: [...CLINICIANS, 'doctorStranger', 'internetHospital'],
    query: `mutation { revisePrescription(id: "bad", items: [{ drugCode: "x", dose: -1, route: "oral", frequency: "x", days: 0, quantity: 0 }]) { id } }`,
  },
  signPrescription: { allowed: [...CLINICIANS, 'doctorStranger'], query: `mutation { signPrescription(id: "bad") { id } }` },
  reviewPrescription: { allowed: ['pharmacist'], query: `mutation { reviewPrescription(id: "bad", decision: APPROVE) { id } }` },
  routePrescription: { allowed: [...CLINICIANS, 'doctorStranger', 'internetHospital'], query: `mutation { routePrescription(id: "bad") { id } }` },
  dispensePrescription: { allowed: ['pharmacist'], query: `mutation { dispensePrescription(id: "bad", lot: "x") { id } }` },
  completePrescription: { allowed: ['pharmacist'], query: `mutation { completePrescription(id: "bad", kind: DELIVERED) { id } }` },
  cancelPrescription: {
    allowed: [...CLINICIANS, 'doctorStranger', 'internetHospital'],
    query: `mutation { cancelPrescription(id: "bad", reason: "x") { id } }`,
  },
  uploadPrescriptions: { allowed: ['hospitalSystem'], query: `mutation { uploadPrescriptions(inputs: []) { status } }` },
  signContract: { allowed: ['familyDoctor'], query: `mutation { signContract(residentId: "bad", servicePackage: BASIC, until: "x") { id } }` },
  acceptContract: { allowed: ['self', 'otherResident'], query: `mutation { acceptContract(id: "bad!") { id } }` },
  renewContract: { allowed: ['familyDoctor'], query: `mutation { renewContract(id: "bad", until: "x") { id } }` },
  terminateContract: { allowed: ['familyDoctor'], query: `mutation { terminateContract(id: "bad", reason: "x") { id } }` },
  requestReferral: {
    allowed: [...CLINICIANS, 'doctorStranger'],
    query: `mutation { requestReferral(input: { residentId: "bad", direction: UP, toOrganizationCode: "x", toDepartment: "x", reason: "x", diagnoses: [] }) { id } }`,
  },
  bookReferralSlot: {
    allowed: [...CLINICIANS, 'doctorStranger'],
    query: `mutation { bookReferralSlot(referralId: "bad", poolId: "bad", clientRequestId: "x") { id } }`,
  },
  acceptReferral: { allowed: [...CLINICIANS, 'doctorStranger'], query: `mutation { acceptReferral(id: "bad") { id } }` },
  rejectReferral: { allowed: [...CLINICIANS, 'doctorStranger'], query: `mutation { rejectReferral(id: "bad", reason: "x") { id } }` },
  markArrived: { allowed: [...CLINICIANS, 'doctorStranger'], query: `mutation { markArrived(id: "bad") { id } }` },
  completeReferral: { allowed: [...CLINICIANS, 'doctorStranger'], query: `mutation { completeReferral(id: "bad") { id } }` },
  cancelReferral: { allowed: [...CLINICIANS, 'doctorStranger'], query: `mutation { cancelReferral(id: "bad", reason: "x") { id } }` },
  publishSlotPools: {
    allowed: ['hospitalSystem'],
    query: `mutation { publishSlotPools(pools: [{ department: "心血管内科", date: "2026-12-01", session: MORNING, kind: SPECIALIST, capacity: 0 }]) { poolId } }`,
  },
  bookAppointment: {
    allowed: ['self', 'otherResident', 'hospitalSystem', 'hotlineOperator'],
    query: `mutation { bookAppointment(input: { residentId: "bad", channel: QUICK }) { id } }`,
  },
  cancelAppointment: {
    allowed: ['self', 'otherResident', 'hospitalSystem', 'hotlineOperator'],
    query: `mutation { cancelAppointment(id: "bad", reason: "x") { id } }`,
  },
  orderNursing: {
    allowed: ['self', 'otherResident', 'internetHospital'],
    query: `mutation { orderNursing(input: { residentId: "bad", organizationCode: "x", serviceCode: "x", preconditions: [], preferredDate: "x", address: "x" }) { id } }`,
  },
  cancelNursingOrder: { allowed: ['self', 'otherResident', 'internetHospital'], query: `mutation { cancelNursingOrder(id: "bad", reason: "x") { id } }` },
  acceptNursingOrder: { allowed: ['familyDoctor'], query: `mutation { acceptNursingOrder(id: "bad", nurseId: "x") { id } }` },
  refuseNursingOrder: { allowed: ['familyDoctor'], query: `mutation { refuseNursingOrder(id: "bad", reason: "x") { id } }` },
  recordNursingVisit: { allowed: ['familyDoctor'], query: `mutation { recordNursingVisit(id: "bad", input: { performed: "x" }) { id } }` },
  completeNursingOrder: { allowed: ['familyDoctor'], query: `mutation { completeNursingOrder(id: "bad") { id } }` },
  bookHospitalResource: {
    allowed: ['familyDoctor'],
    query: `mutation { bookHospitalResource(input: { residentId: "bad", poolId: "bad", reason: "x", clientRequestId: "x" }) { id } }`,
  },
  cancelHospitalBooking: { allowed: ['familyDoctor'], query: `mutation { cancelHospitalBooking(id: "bad", reason: "x") { id } }` },
  fileHospitalResult: {
    allowed: ['doctorOwnOrg', 'doctorRelated', 'doctorStranger', 'doctorBreakGlass', 'labSystem', 'hospitalSystem'],
    query: `mutation { fileHospitalResult(input: { bookingId: "bad" }) { id } }`,
  },
  settle: {
    allowed: ['internetHospital', 'hospitalSystem'],
    query: `mutation { settle(input: { settlementId: "S-1", residentId: "bad", subject: VISIT, subjectId: "v", items: [{ name: "挂号", quantity: 1, amountFen: 100 }], totalFen: 100, insuranceFen: 0, selfPaidFen: 100, channel: CASH }) { id } }`,
  },
  publishCheckupPackages: {
    allowed: ['hospitalSystem'],
    query: `mutation { publishCheckupPackages(packages: [{ code: "P", name: "基础", items: [], priceFen: 0, dailyCapacity: 1 }]) { id } }`,
  },
  bookCheckup: { allowed: ['self', 'otherResident'], query: `mutation { bookCheckup(input: { residentId: "bad", packageId: "bad", date: "x" }) { id } }` },
  payCheckup: { allowed: ['self', 'otherResident'], query: `mutation { payCheckup(id: "bad", channel: CASH) { id } }` },
  cancelCheckup: { allowed: ['self', 'otherResident'], query: `mutation { cancelCheckup(id: "bad", reason: "x") { id } }` },
  refundSettlement: {
    allowed: ['internetHospital', 'hospitalSystem'],
    query: `mutation { refundSettlement(input: { settlementId: "R-1", originalSettlementId: "S-1", items: [], totalFen: 0, insuranceFen: 0, selfPaidFen: 0 }) { id } }`,
  },
  setConsent: {
    allowed: ['self'],
    query: `mutation($id: ID!) { setConsent(residentId: $id, restrictedCategories: [], blockedOrganizations: ["bad"]) { updatedAt } }`,
  },
  breakGlass: {
    allowed: ['doctorOwnOrg', 'doctorRelated', 'doctorStranger', 'doctorBreakGlass', 'familyDoctor'],
    query: `mutation($id: ID!) { breakGlass(residentId: $id, reason: OTHER, justification: "x") { id } }`,
  },
  recordHotlineCall: {
    allowed: ['hotlineOperator'],
    query: `mutation { recordHotlineCall(input: { callId: "", receivedAt: "x", category: CONSULTATION, channel: OPERATOR, outcome: ANSWERED }) { id } }`,
  },
  uploadHotlineCalls: { allowed: ['hotlineOperator'], query: `mutation { uploadHotlineCalls(inputs: []) { status } }` },
  receiveWorkOrder: {
    allowed: ['hotlineOperator'],
    query: `mutation { receiveWorkOrder(input: { source: DIRECT, ticketNumber: "", receivedAt: "x" }) { id } }`,
  },
  advanceWorkOrder: { allowed: ['hotlineOperator'], query: `mutation { advanceWorkOrder(id: "bad", status: CLOSED) { id } }` },
  closeBreakGlassReview: { allowed: ['privacyOfficer'], query: `mutation { closeBreakGlassReview(id: "x", outcome: JUSTIFIED, note: "x") { id } }` },
};
