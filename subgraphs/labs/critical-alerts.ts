/**
 * Critical results pushed to inboxes: raised when a lab files a report with a critical line,
 * listed in the recipient organization's inbox, acknowledged once. Each alert shows only
 * where its report may be seen (the report is read through the policy, audited, under the
 * resident's consent), so an alert derived from a restricted report goes nowhere it may not.
 */
import { createHash } from 'node:crypto';
import { type ResidentAccess, requireEntry } from '../../access-control/resident-access';
import type { CountActivity } from '../../monitoring/activity';
import type { ActivityEntry } from '../../monitoring/activity-store';
import { claim, claimAll } from '../../platform/claims';
import { appError, forbidden } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import { recordIdOf } from '../runtime/ids';
import { escalatesAt, isEscalated, reachesViewer, recipientsOf } from './critical-alert-rules';
import type { CriticalAlertDoc, LabReportDoc, LabsModels } from './models';

/** An alert as the inbox shows it: with its report (as the viewer may see it) and its escalation decided now. */
export interface CriticalAlertView {
  alert: CriticalAlertDoc;
  report: LabReportDoc;
  escalated: boolean;
  escalatesAt: Date;
}

const NOT_IN_INBOX = 'No such critical-result alert in your organization’s inbox';

export class CriticalAlerts {
  constructor(
    private readonly models: LabsModels,
    private readonly access: ResidentAccess,
    private readonly escalationMinutes: number,
    /** Reports by id as the viewer may see them (the repository's, decided and audited). */
    private readonly reportsById: (ids: readonly string[]) => Promise<LabReportDoc[]>,
    private readonly countActivity: CountActivity,
  ) {}

  /**
   * Pushes the critical reports a lab just filed (its write already decided) to their
   * recipients: one alert per report version and organization, so a re-send raises nothing
   * again. The contracts come from the shared access store, under every id the resident's
   * records are filed under.
   */
  async raise(reports: readonly LabReportDoc[]): Promise<void> {
    const critical = reports.filter((report) => report.hasCritical);
    if (critical.length === 0) return;
    const now = new Date();
    const filedUnder = this.access.filedUnderOfWritten(critical.map((report) => report.residentId));
    const facts = filedUnder.length ? await this.access.accessStore.relationshipsOf(filedUnder) : [];
    const alerts = critical.flatMap((report) => {
      const residentId = this.access.survivorOf(report.residentId);
      const contracts = facts.filter((fact) => this.access.survivorOf(fact.residentId) === residentId);
      return recipientsOf(report, contracts, now, this.access.settings).map(
        (recipient): CriticalAlertDoc => ({
          _id: alertId(report, recipient.organizationCode),
          reportId: report._id,
          reportVersion: report.version,
          residentId,
          recipientOrganizationCode: recipient.organizationCode,
          recipientPractitionerId: recipient.practitionerId,
          reason: recipient.reason,
          raisedAt: now,
          state: 'OPEN',
          acknowledgedAt: null,
          acknowledgedBy: null,
          acknowledgedLate: false,
        }),
      );
    });
    if (alerts.length === 0) return;
    const already = await claimAll(this.models.CriticalAlert, alerts);
    const raised = alerts.filter((_alert, position) => !already.has(position));
    await this.countActivity(raised.map((alert) => countOf(alert.recipientOrganizationCode, now, { criticalResultAlerts: 1 })));
  }

  /** The caller's inbox, newest first: open alerts (or those acknowledged), each only if it reaches the caller and its report may be seen. */
  async inbox(state: CriticalAlertDoc['state'], first: number, after: string | null | undefined): Promise<Page<CriticalAlertView>> {
    const viewer = this.access.viewer;
    requireEntry(viewer, 'critical-result-inbox');
    const now = new Date();
    const practitionerId = viewer.practitionerId ?? null;
    const filter = { recipientOrganizationCode: viewer.organizationCode!, state };
    return timePage<CriticalAlertDoc, CriticalAlertView>(
      {
        field: 'raisedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.CriticalAlert.find({ ...filter, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<CriticalAlertDoc[]>()
            .exec(),
        keyOf: (alert) => ({ at: alert.raisedAt, id: alert._id }),
        keep: (alerts) => this.viewsOf(alerts.filter((alert) => reachesViewer(alert, practitionerId, now, this.escalationMinutes))),
        rowOf: (view) => view.alert,
      },
      first,
      after,
    );
  }

  /**
   * Acknowledges an alert of the caller's organization, once: decided by the policy
   * (`acknowledge-critical-result`) before anything is written; the first acknowledgement
   * claims it, any other is a CONFLICT. One addressed to a colleague may be acknowledged once
   * it has escalated.
   */
  async acknowledge(alertIdInput: string): Promise<CriticalAlertView> {
    const id = recordIdOf(alertIdInput, 'Alert');
    const viewer = this.access.viewer;
    const alert = await this.models.CriticalAlert.findById(id).lean<CriticalAlertDoc>().exec();
    // Another organization's alert is not in this inbox: the caller learns nothing of it.
    if (!alert || alert.recipientOrganizationCode !== viewer.organizationCode) throw appError('NOT_FOUND', NOT_IN_INBOX);
    await this.access.requireWrite(alert.residentId, 'acknowledge-critical-result');
    const [view] = await this.viewsOf([alert]);
    if (!view) throw appError('NOT_FOUND', NOT_IN_INBOX);
    const now = new Date();
    const practitionerId = viewer.practitionerId!;
    if (!reachesViewer(alert, practitionerId, now, this.escalationMinutes))
      throw forbidden(`Addressed to the ordering practitioner until it escalates at ${view.escalatesAt.toISOString()}`);
    if (alert.state === 'ACKNOWLEDGED' || !(await claim(this.models.CriticalAlertAck, { _id: id, at: now, by: practitionerId })))
      throw appError('CONFLICT', 'This critical result was already acknowledged');
    const late = isEscalated(alert, now, this.escalationMinutes);
    const acknowledged = { state: 'ACKNOWLEDGED' as const, acknowledgedAt: now, acknowledgedBy: practitionerId, acknowledgedLate: late };
    await this.models.CriticalAlert.updateOne({ _id: id }, { $set: acknowledged }).exec();
    await this.countActivity([
      countOf(alert.recipientOrganizationCode, now, { criticalResultsAcknowledged: 1, ...(late ? { criticalResultsAcknowledgedLate: 1 } : {}) }),
    ]);
    return { ...view, alert: { ...alert, ...acknowledged }, escalated: late };
  }

  /** Alerts with their reports, in one read of the reports; an alert whose report the viewer may not see is left out. */
  private async viewsOf(alerts: CriticalAlertDoc[]): Promise<CriticalAlertView[]> {
    if (alerts.length === 0) return [];
    const now = new Date();
    const reports = new Map((await this.reportsById([...new Set(alerts.map((alert) => alert.reportId))])).map((report) => [report._id, report]));
    return alerts.flatMap((alert) => {
      const report = reports.get(alert.reportId);
      if (!report) return [];
      return [{ alert, report, escalated: isEscalated(alert, now, this.escalationMinutes), escalatesAt: escalatesAt(alert, this.escalationMinutes) }];
    });
  }
}

/** The same report version pushed to the same organization is the same alert. */
const alertId = (report: LabReportDoc, organizationCode: string) =>
  createHash('sha256').update(`critical|${report._id}|${report.version}|${organizationCode}`).digest('hex').slice(0, 24);

const countOf = (organizationCode: string, at: Date, counts: ActivityEntry['counts']): ActivityEntry => ({ organizationCode, at, counts });
