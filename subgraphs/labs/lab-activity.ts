/** What a lab or exam report counts at the platform (pure): the form it feeds. */
import type { RecordActivity } from '../../monitoring/activity';
import type { LabReportDoc } from './models';

/** Laboratory results feed the lab report form; imaging, pathology and electrophysiology the exam report form. */
export function activityOfLabReport(report: Pick<LabReportDoc, 'category'>): RecordActivity {
  return { counts: {}, feeds: [report.category === 'LABORATORY' ? 'lab-report.laboratory' : 'lab-report.exam'] };
}
