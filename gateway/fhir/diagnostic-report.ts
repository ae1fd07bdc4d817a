/**
 * Lab report → DiagnosticReport with one Observation per result line, in the unit the lab
 * reported (Observation search gives one analyte in the canonical unit: observation-search.ts).
 */
import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { categoriesOf, sensitivitiesOfTexts, sensitivityOfLoinc, unionOf } from '../../access-control/sensitivity';
import type { LabReportRecord, ObservationRecord } from './records';
import { organizationReference, patientReference } from './references';
import { coding, concept, SYSTEMS, securityLabels, sourceRecordSystem, ucumQuantity } from './terminology';

const CATEGORIES = {
  LABORATORY: { code: 'LAB', display: 'Laboratory' },
  IMAGING: { code: 'RAD', display: 'Radiology' },
  PATHOLOGY: { code: 'SP', display: 'Surgical Pathology' },
  ELECTROPHYSIOLOGY: { code: 'EC', display: 'Electrocardiac (e.g., EKG, EEC, Holter)' },
} as const;

const REPORT_STATUSES: Readonly<Record<string, DiagnosticReport['status']>> = {
  REGISTERED: 'registered',
  PARTIAL: 'partial',
  PRELIMINARY: 'preliminary',
  FINAL: 'final',
  AMENDED: 'amended',
  CORRECTED: 'corrected',
  CANCELLED: 'cancelled',
  ENTERED_IN_ERROR: 'entered-in-error',
};

const OBSERVATION_STATUSES: Readonly<Record<string, Observation['status']>> = { ...REPORT_STATUSES, PARTIAL: 'preliminary' } as Record<
  string,
  Observation['status']
>;

const INTERPRETATIONS: Readonly<Record<string, string>> = { N: 'Normal', H: 'High', L: 'Low', HH: 'Critical high', LL: 'Critical low', A: 'Abnormal' };

/** Result line ids: the report's id and the analyte's code, numbered when an analyte repeats. */
export function observationId(reportId: string, code: string, repeat = 0): string {
  return repeat === 0 ? `${reportId}-${code}` : `${reportId}-${code}-${repeat + 1}`;
}

export function interpretationConcept(interpretation: string) {
  return [{ coding: [{ system: SYSTEMS.v3Interpretation, code: interpretation, display: INTERPRETATIONS[interpretation] ?? interpretation }] }];
}

export function labCategory(category: LabReportRecord['category']) {
  return [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', ...CATEGORIES[category] }] }];
}

function labLabels(report: LabReportRecord) {
  const codes = categoriesOf([report.code, ...report.results.map((result) => result.code)].map((code) => sensitivityOfLoinc(code.code)));
  const texts = sensitivitiesOfTexts([
    report.conclusion,
    ...report.results.flatMap((result) => [result.valueText, result.method, result.referenceRange?.text]),
  ]);
  return securityLabels(unionOf(codes, texts));
}

function observationResource(
  residentId: string,
  report: LabReportRecord,
  result: ObservationRecord,
  id: string,
  labels: ReturnType<typeof labLabels>,
): Observation {
  const range = result.referenceRange;
  return {
    resourceType: 'Observation',
    id,
    ...(labels.length ? { meta: { security: labels } } : {}),
    status: OBSERVATION_STATUSES[report.status] ?? 'unknown',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: report.category === 'LABORATORY' ? 'laboratory' : 'imaging' }] },
    ],
    code: concept(result.code),
    subject: patientReference(residentId),
    ...((report.effectiveAt ?? report.collectedAt) ? { effectiveDateTime: (report.effectiveAt ?? report.collectedAt)! } : {}),
    issued: report.issuedAt,
    performer: [organizationReference(report.organization)],
    ...(result.value !== null ? { valueQuantity: ucumQuantity(result.value, result.unit) } : {}),
    ...(result.value === null && result.valueCoded ? { valueCodeableConcept: { coding: [coding(result.valueCoded)], text: result.valueCoded.display } } : {}),
    ...(result.value === null && !result.valueCoded && result.valueText ? { valueString: result.valueText } : {}),
    interpretation: interpretationConcept(result.interpretation),
    ...(result.method ? { method: { text: result.method } } : {}),
    ...(range && (range.low !== null || range.high !== null || range.text)
      ? {
          referenceRange: [
            {
              ...(range.low !== null ? { low: ucumQuantity(range.low, result.unit) } : {}),
              ...(range.high !== null ? { high: ucumQuantity(range.high, result.unit) } : {}),
              ...(range.text ? { text: range.text } : {}),
            },
          ],
        }
      : {}),
  };
}

/** The report and its result lines. */
export function labReportResources(residentId: string, report: LabReportRecord): [DiagnosticReport, ...Observation[]] {
  const labels = labLabels(report);
  const seen = new Map<string, number>();
  const observations = report.results.map((result) => {
    const repeat = seen.get(result.code.code) ?? 0;
    seen.set(result.code.code, repeat + 1);
    return observationResource(residentId, report, result, observationId(report.id, result.code.code, repeat), labels);
  });
  const diagnosticReport: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: report.id,
    ...(labels.length ? { meta: { security: labels } } : {}),
    identifier: [{ system: sourceRecordSystem(report.source.organization.code), value: report.source.recordId }],
    status: REPORT_STATUSES[report.status] ?? 'unknown',
    category: labCategory(report.category),
    code: {
      coding: [
        coding(report.code),
        ...(report.localCode ? [{ system: `urn:jinling-hie:local-item:${report.organization.code}`, code: report.localCode }] : []),
      ],
      text: report.code.display,
    },
    subject: patientReference(residentId),
    ...((report.effectiveAt ?? report.collectedAt) ? { effectiveDateTime: (report.effectiveAt ?? report.collectedAt)! } : {}),
    issued: report.issuedAt,
    performer: [organizationReference(report.organization)],
    ...(observations.length ? { result: observations.map((observation) => ({ reference: `Observation/${observation.id}` })) } : {}),
    ...(report.conclusion ? { conclusion: report.conclusion } : {}),
  };
  return [diagnosticReport, ...observations];
}
