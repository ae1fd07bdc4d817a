/**
 * Counts what the audit log records, from the events themselves: writes and failures,
 * consent omissions, break-the-glass grants and alerts. Only the events' vocabularies become
 * labels; who and whom stay in the audit log.
 */

import type { SubgraphMetrics } from '../platform/metrics';
import type { AuditObserver } from './access-store';

export function auditMetrics(metrics: SubgraphMetrics): AuditObserver {
  return (events, written) => {
    if (!written) return void metrics.auditFailures.inc(events.length);
    for (const event of events) {
      metrics.auditEvents.inc({ action: event.action, outcome: event.outcome });
      if (event.outcome === 'omitted') metrics.consentOmissions.inc();
      if (event.alert) metrics.auditAlerts.inc();
      // The grant itself is the allowed 'break-glass' disclosure; later reads under it are alerts only.
      if (event.outcome !== 'denied' && event.dataKinds.includes('break-glass')) metrics.breakGlassGrants.inc();
    }
  };
}
