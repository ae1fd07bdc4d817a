/**
 * One-stop settlement from an internet hospital's system: it settles a consultation and a
 * prescription for a resident it cares for (the medical-insurance and self-paid parts in fen),
 * sends the consultation again (a retry: the same settlement), refunds part of the
 * prescription (the delivery fee), then lists its day and reconciles it against its own ledger.
 *
 *   npm run example -- one-stop-settlement
 */
import { gql } from '@apollo/client';
import { connect, demoCity, requestId, runMain } from './client';

const SETTLEMENT_FIELDS = gql`
  fragment SettlementLine on Settlement {
    id subject subjectId items { name quantity amountFen } totalFen insuranceFen selfPaidFen channel refundOf day
  }
`;
const SETTLE = gql`
  mutation Settle($input: SettleInput!) { settle(input: $input) { ...SettlementLine } }
  ${SETTLEMENT_FIELDS}
`;
const REFUND = gql`
  mutation Refund($input: RefundInput!) { refundSettlement(input: $input) { ...SettlementLine } }
  ${SETTLEMENT_FIELDS}
`;
const OWN_DAY = gql`
  query OwnDay($day: String!) { institutionSettlements(day: $day) { id totalFen refundOf } }
`;
const RECONCILE = gql`
  query Reconcile($day: String!, $lines: [LedgerLineInput!]!) {
    settlementReconciliation(day: $day, lines: $lines) {
      day exchange { count totalFen } institution { count totalFen } mismatches { settlementId kind exchangeTotalFen institutionTotalFen } balanced
    }
  }
`;

export interface OneStopSettlementInput {
  gatewayUrl: string;
  /** The internet hospital's own system (role `internet_hospital`, with its `org`), which cares for the resident. */
  internetHospitalToken: string;
  residentId: string;
}

export async function oneStopSettlement(input: OneStopSettlementInput) {
  const hospital = connect(input.gatewayUrl, input.internetHospitalToken);
  // The hospital's own settlement ids: unique in its ledger, so a retry under the same id settles once.
  const prefix = requestId('IH');
  const consultation = {
    settlementId: `${prefix}-C`,
    residentId: input.residentId,
    subject: 'INTERNET_CONSULTATION',
    subjectId: `${prefix}-visit`,
    items: [{ name: '图文问诊（复诊）', quantity: 1, amountFen: 3000 }],
    totalFen: 3000,
    insuranceFen: 1800,
    selfPaidFen: 1200,
    channel: 'WECHAT_PAY',
  };
  const prescription = {
    settlementId: `${prefix}-P`,
    residentId: input.residentId,
    subject: 'PRESCRIPTION',
    subjectId: `${prefix}-rx`,
    items: [
      { name: '苯磺酸氨氯地平片 5mg×28', quantity: 2, amountFen: 5600 },
      { name: '药品配送费', quantity: 1, amountFen: 1000 },
    ],
    totalFen: 6600,
    insuranceFen: 4200,
    selfPaidFen: 2400,
    channel: 'ALIPAY',
  };

  const settledConsultation = (await hospital.mutate(SETTLE, { input: consultation })).settle;
  const settledPrescription = (await hospital.mutate(SETTLE, { input: prescription })).settle;
  // A retry (the answer was lost on the way, say): the same settlement, not a second one.
  const retried = (await hospital.mutate(SETTLE, { input: consultation })).settle;
  // The resident collects the medicine at the pharmacy instead: the delivery fee is refunded, self-paid.
  const refund = (
    await hospital.mutate(REFUND, {
      input: {
        settlementId: `${prefix}-P-R1`,
        originalSettlementId: prescription.settlementId,
        items: [{ name: '药品配送费', quantity: 1, amountFen: 1000 }],
        totalFen: 1000,
        insuranceFen: 0,
        selfPaidFen: 1000,
      },
    })
  ).refundSettlement;

  // Each day they count on (one, unless the run crossed midnight in Beijing), reconciled against the hospital's own ledger of them.
  const lines = [settledConsultation, settledPrescription, refund];
  const ours = new Set(lines.map((line) => line.id as string));
  const days = [...new Set(lines.map((line) => line.day as string))];
  const inOwnDay: { id: string; totalFen: number }[] = [];
  const reconciliations = [];
  for (const day of days) {
    const listed: { id: string; totalFen: number }[] = (await hospital.query(OWN_DAY, { day })).institutionSettlements;
    inOwnDay.push(...listed.filter((line) => ours.has(line.id)));
    const ledger = lines.filter((line) => line.day === day).map((line) => ({ settlementId: line.id, totalFen: line.totalFen }));
    reconciliations.push((await hospital.query(RECONCILE, { day, lines: ledger })).settlementReconciliation);
  }

  return {
    settlements: [settledConsultation, settledPrescription],
    retrySettledOnce: JSON.stringify(retried) === JSON.stringify(settledConsultation),
    refund,
    inOwnDay,
    reconciliations,
    /** Mismatches of this run's own lines (earlier runs of the same day show as MISSING_AT_INSTITUTION). */
    ownMismatches: reconciliations.flatMap((day) => day.mismatches).filter((mismatch: { settlementId: string }) => ours.has(mismatch.settlementId)),
  };
}

export async function main() {
  const demo = demoCity();
  return oneStopSettlement({
    gatewayUrl: demo.gatewayUrl,
    internetHospitalToken: demo.identities.internet_hospital!.token,
    residentId: demo.residentId,
  });
}

if (require.main === module) runMain(main);
