/** The write cases of one-stop settlement and check-ups (bookings, payments, reports), built on one file's scenarios. */
import { newId } from '../support/fixtures';
import { STRANGER, type WriteCase, type WriteScenarios } from './write-scenarios';

export function paymentWriteCases(scenarios: WriteScenarios): Record<string, WriteCase> {
  const { ok, as, doctor, hospitalSystem, labSystem, resident, freshResident, unique, labInput, aboutResident } = scenarios;
  /** A package published by HOSPITAL's system, fresh for each case. */
  const publishedPackage = async () =>
    (
      await ok(hospitalSystem(), `mutation($packages: [CheckupPackageInput!]!) { publishCheckupPackages(packages: $packages) { id } }`, {
        packages: [checkupPackage(unique('PKG'))],
      })
    ).publishCheckupPackages[0].id as string;
  /** A fresh resident's booking of a fresh package. */
  const bookedCheckup = async () => {
    const residentId = await freshResident();
    const packageId = await publishedPackage();
    const { id } = (
      await ok(resident(residentId), `mutation($input: BookCheckupInput!) { bookCheckup(input: $input) { id } }`, {
        input: { residentId, packageId, date: checkupDay() },
      })
    ).bookCheckup;
    return { residentId, id: id as string };
  };
  return {
    submitCheckupReport: aboutResident(
      `mutation($input: SubmitLabReportInput!, $findings: CheckupFindingsInput!) { submitCheckupReport(input: $input, findings: $findings) { id } }`,
      labInput,
      labSystem,
      () => doctor(),
      (input) => ({ input, findings: { conclusions: ['未见明显异常'], recommendations: ['每年体检一次'] } }),
    ),
    settle: aboutResident(
      `mutation($input: SettleInput!) { settle(input: $input) { id } }`,
      (residentId) => settlementInput(residentId, unique('S')),
      hospitalSystem,
      () => doctor(),
    ),
    refundSettlement: {
      query: `mutation($input: RefundInput!) { refundSettlement(input: $input) { id } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const original = unique('S');
        await ok(hospitalSystem(), `mutation($input: SettleInput!) { settle(input: $input) { id } }`, { input: settlementInput(residentId, original) });
        const refund = {
          settlementId: unique('R'),
          originalSettlementId: original,
          items: [{ name: '挂号费', quantity: 1, amountFen: 500 }],
          totalFen: 500,
          insuranceFen: 0,
          selfPaidFen: 500,
        };
        const attempt = (token: string) => ({ token, variables: { input: refund } });
        return {
          residentId,
          allowed: attempt(hospitalSystem()),
          // Another institution names no settlement of its own (NOT_FOUND, nothing written): the outsider below.
          denied: { wrongRole: attempt(doctor()), resident: attempt(resident(residentId)) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    publishCheckupPackages: {
      query: `mutation($packages: [CheckupPackageInput!]!) { publishCheckupPackages(packages: $packages) { id } }`,
      // Not about a resident: a centre's own system publishes its own packages.
      prepare: async () => {
        const attempt = (token: string) => ({ token, variables: { packages: [checkupPackage(unique('PKG'))] } });
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
    bookCheckup: {
      query: `mutation($input: BookCheckupInput!) { bookCheckup(input: $input) { id } }`,
      prepare: async () => {
        const residentId = await freshResident();
        const packageId = await publishedPackage();
        const attempt = (token: string) => ({ token, variables: { input: { residentId, packageId, date: checkupDay() } } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: { otherResident: attempt(resident(newId())), wrongRole: attempt(doctor()), hospitalSystem: attempt(hospitalSystem()) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    payCheckup: {
      query: `mutation($id: ID!) { payCheckup(id: $id, channel: WECHAT_PAY) { status } }`,
      prepare: async () => {
        const { residentId, id } = await bookedCheckup();
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: { otherResident: attempt(resident(newId())), wrongRole: attempt(doctor()), hospitalSystem: attempt(hospitalSystem()) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
    cancelCheckup: {
      query: `mutation($id: ID!) { cancelCheckup(id: $id, reason: "改期") { status } }`,
      prepare: async () => {
        const { residentId, id } = await bookedCheckup();
        const attempt = (token: string) => ({ token, variables: { id } });
        return {
          residentId,
          allowed: attempt(resident(residentId)),
          denied: { otherResident: attempt(resident(newId())), wrongRole: attempt(doctor()), hospitalSystem: attempt(hospitalSystem()) },
          outsider: { attempt: attempt(hospitalSystem(STRANGER)), organizationCode: STRANGER },
        };
      },
    },
  };
}

/** A visit settled for the resident: 1000 fen, half by medical insurance. */
function settlementInput(residentId: string, settlementId: string) {
  return {
    settlementId,
    residentId,
    subject: 'VISIT',
    subjectId: `visit-${settlementId}`,
    items: [{ name: '挂号费', quantity: 1, amountFen: 1000 }],
    totalFen: 1000,
    insuranceFen: 500,
    selfPaidFen: 500,
    channel: 'UNIONPAY',
  };
}

function checkupPackage(code: string) {
  return { code, name: '基础体检', items: [{ code: '2345-7', name: '空腹血糖' }], priceFen: 30000, dailyCapacity: 10 };
}

/** A Beijing date five days ahead: bookable whatever the hour. */
function checkupDay() {
  return new Date(Date.now() + 8 * 3_600_000 + 5 * 86_400_000).toISOString().slice(0, 10);
}
