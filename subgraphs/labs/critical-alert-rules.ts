/**
 * Who a critical result is pushed to, and when an unacknowledged one escalates (pure). No
 * timer moves an alert: escalation is a fact of the clock, decided whenever an inbox is read.
 */
import type { CareRelationshipFact, PolicySettings } from '../../access-control/policy';
import { isActive } from '../../access-control/policy';
import type { CriticalAlertDoc, LabReportDoc } from './models';

const MINUTE_MS = 60_000;
/** Statuses whose critical lines are not pushed: the lab withdrew the report. */
const WITHDRAWN: readonly LabReportDoc['status'][] = ['CANCELLED', 'ENTERED_IN_ERROR'];

export interface Recipient {
  organizationCode: string;
  practitionerId: string | null;
  reason: CriticalAlertDoc['reason'];
}

/**
 * The ordering organization (addressed to the ordering practitioner the lab named, if any) and
 * each organization holding an active family-doctor contract with the resident (the contract's
 * organization: its family doctors share the inbox). One alert per organization: an ordering
 * centre that is also the family doctor's keeps the ordering alert.
 */
export function recipientsOf(report: LabReportDoc, contracts: readonly CareRelationshipFact[], now: Date, settings: PolicySettings): Recipient[] {
  if (!report.hasCritical || WITHDRAWN.includes(report.status)) return [];
  const recipients: Recipient[] = [];
  if (report.orderingOrganizationCode)
    recipients.push({ organizationCode: report.orderingOrganizationCode, practitionerId: report.orderingPractitioner, reason: 'ORDERING' });
  for (const contract of contracts) {
    if (contract.kind !== 'CONTRACT' || !isActive(contract, now, settings)) continue;
    if (recipients.some((recipient) => recipient.organizationCode === contract.organizationCode)) continue;
    recipients.push({ organizationCode: contract.organizationCode, practitionerId: null, reason: 'FAMILY_DOCTOR' });
  }
  return recipients;
}

/** When an alert escalates if nobody acknowledges it. */
export function escalatesAt(alert: Pick<CriticalAlertDoc, 'raisedAt'>, escalationMinutes: number): Date {
  return new Date(alert.raisedAt.getTime() + escalationMinutes * MINUTE_MS);
}

/** Escalated: acknowledged only after its time, or still open at it. */
export function isEscalated(alert: Pick<CriticalAlertDoc, 'raisedAt' | 'acknowledgedAt' | 'acknowledgedLate'>, now: Date, escalationMinutes: number): boolean {
  if (alert.acknowledgedAt) return alert.acknowledgedLate;
  return now.getTime() >= escalatesAt(alert, escalationMinutes).getTime();
}

/**
 * Whether an alert of the viewer's organization is in the viewer's inbox: one addressed to the
 * organization, or to the viewer, from the start; one addressed to a colleague once it has
 * escalated (the whole organization is then asked to act), or once the viewer acknowledged it.
 */
export function reachesViewer(
  alert: Pick<CriticalAlertDoc, 'recipientPractitionerId' | 'raisedAt' | 'acknowledgedAt' | 'acknowledgedLate' | 'acknowledgedBy'>,
  practitionerId: string | null,
  now: Date,
  escalationMinutes: number,
): boolean {
  if (alert.recipientPractitionerId === null || alert.recipientPractitionerId === practitionerId) return true;
  if (practitionerId !== null && alert.acknowledgedBy === practitionerId) return true;
  return isEscalated(alert, now, escalationMinutes);
}
