/**
 * Patient/{id}/$summary: an International Patient Summary document. A Composition with the
 * four sections IPS asks of every summary (problems, allergies, medications, results), each
 * pointing at its resources, all in one document Bundle. A section with nothing the viewer
 * may see says so with an empty reason rather than disappearing.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, Composition, CompositionSection, DiagnosticReport, MedicationRequest, Organization, Resource } from '@medplum/fhirtypes';
import type { FhirSummaryMedicationsQuery, FhirSummaryQuery, FhirSummaryResultsQuery } from '../__generated__/operations';
import { allergyResources } from './allergy-intolerance';
import type { Ask } from './api';
import { warningsOutcome } from './api';
import { entry, organizationsIn, referencedResources } from './bundle';
import { conditionResource } from './condition';
import { labReportResources } from './diagnostic-report';
import { drugInns } from './drug-facts';
import { CURRENT_STATUSES, medicationResources } from './medication-request';
import { escapeHtml } from './narrative';
import { notFound } from './operation-outcome';
import { patientResource } from './patient';
import { provenanceResources, type Sourced } from './provenance';
import { SUMMARY, SUMMARY_MEDICATIONS, SUMMARY_RESULTS } from './queries';
import { patientReference } from './references';
import { SYSTEMS } from './terminology';

/** How many recent prescriptions and reports the summary looks through. */
const RECENT = 20;

/** The exchange itself: the author of the summaries it assembles. */
const EXCHANGE: Organization = {
  resourceType: 'Organization',
  id: 'jinling-hie',
  identifier: [{ system: SYSTEMS.organization, value: 'jinling-hie' }],
  name: '金陵健康信息交换平台',
};

const SECTIONS = {
  problems: { code: '11450-4', display: 'Problem list - Reported', title: '问题列表 Problems' },
  allergies: { code: '48765-2', display: 'Allergies and adverse reactions Document', title: '过敏与不耐受 Allergies and intolerances' },
  medications: { code: '10160-0', display: 'History of Medication use Narrative', title: '用药 Medications' },
  results: { code: '30954-2', display: 'Relevant diagnostic tests/laboratory data Narrative', title: '检验检查结果 Results' },
} as const;

function section(kind: keyof typeof SECTIONS, resources: readonly Resource[]): CompositionSection {
  const { code, display, title } = SECTIONS[kind];
  const entries = resources.map((resource) => ({ reference: `${resource.resourceType}/${resource.id}` }));
  const lines = resources.map((resource) => `<li>${escapeHtml(describe(resource))}</li>`).join('');
  return {
    title,
    code: { coding: [{ system: SYSTEMS.loinc, code, display }] },
    text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${entries.length ? `<ul>${lines}</ul>` : '<p>无 None</p>'}</div>` },
    ...(entries.length
      ? { entry: entries }
      : { emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'unavailable', display: 'Unavailable' }] } }),
  };
}

function describe(resource: Resource): string {
  const text =
    (resource as { code?: { text?: string }; medicationCodeableConcept?: { text?: string } }).code?.text ??
    (resource as MedicationRequest).medicationCodeableConcept?.text;
  return `${resource.resourceType}: ${text ?? resource.id}`;
}

export async function summary(ask: Ask, base: string, patientId: string): Promise<Bundle> {
  const [record, medications, results] = await Promise.all([
    ask<FhirSummaryQuery>(SUMMARY, { id: patientId }),
    ask<FhirSummaryMedicationsQuery>(SUMMARY_MEDICATIONS, { id: patientId, first: RECENT }),
    ask<FhirSummaryResultsQuery>(SUMMARY_RESULTS, { id: patientId, first: RECENT }),
  ]);
  const resident = record.data.resident;
  if (!resident) throw notFound(`Patient/${patientId} is not known`);
  const residentId = resident.id;

  const sourced: Sourced[] = [];
  const problems = (resident.summary?.activeProblems ?? []).map((condition) => {
    const resource = conditionResource(residentId, condition);
    sourced.push({ resources: [resource], source: condition.source.organization, at: condition.source.uploadedAt });
    return resource;
  });
  const allergyStatement = resident.summary?.allergies ?? null;
  const allergies = allergyResources(residentId, allergyStatement);
  for (const [index, allergy] of (allergyStatement?.assertion === 'HAS_ALLERGIES' ? allergyStatement.items : []).entries()) {
    sourced.push({ resources: [allergies[index]!], source: allergy.source.organization, at: allergy.source.uploadedAt });
  }
  const current = (medications.data.resident?.prescriptions?.edges ?? [])
    .map((edge) => edge.node)
    .filter((prescription) => CURRENT_STATUSES.has(prescription.status));
  const inns = await drugInns(ask, current);
  const medicationRequests = current.flatMap((prescription) => {
    // The document stands alone: encounters are not part of the summary, so no reference to one.
    const requests = medicationResources(residentId, prescription, inns)
      .filter((resource): resource is MedicationRequest => resource.resourceType === 'MedicationRequest')
      .map(({ encounter: _encounter, ...request }) => request as MedicationRequest);
    sourced.push({ resources: requests, source: prescription.prescriber, at: prescription.issuedAt });
    return requests;
  });
  const reports = (results.data.resident?.labReports?.edges ?? []).map((edge) => edge.node);
  const resultResources = reports.flatMap((report) => {
    const resources = labReportResources(residentId, report);
    sourced.push({ resources, source: report.source.organization, at: report.source.uploadedAt });
    return resources;
  });

  const now = new Date().toISOString();
  const composition: Composition = {
    resourceType: 'Composition',
    id: randomUUID(),
    status: 'final',
    type: { coding: [{ system: SYSTEMS.loinc, code: '60591-5', display: 'Patient summary Document' }] },
    subject: patientReference(residentId),
    date: now,
    author: [{ reference: `Organization/${EXCHANGE.id}`, display: EXCHANGE.name }],
    title: `患者摘要 Patient Summary: ${resident.name}`,
    custodian: { reference: `Organization/${EXCHANGE.id}` },
    section: [
      section('problems', problems),
      section('allergies', allergies),
      section('medications', medicationRequests),
      section(
        'results',
        resultResources.filter((resource): resource is DiagnosticReport => resource.resourceType === 'DiagnosticReport'),
      ),
    ],
  };
  const clinical: Resource[] = [...problems, ...allergies, ...medicationRequests, ...resultResources];
  const organizations = organizationsIn([record.data, medications.data, results.data]);
  const incomplete = warningsOutcome([...record.warnings, ...medications.warnings, ...results.warnings]);
  const patient = patientResource(resident);
  const provenances = provenanceResources(sourced);
  const resources: Resource[] = [
    composition,
    patient,
    ...clinical,
    EXCHANGE,
    ...referencedResources([patient, ...clinical, ...provenances], organizations),
    ...provenances,
    ...(incomplete ? [incomplete] : []),
  ];
  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` },
    type: 'document',
    timestamp: now,
    entry: resources.map((resource) => entry(base, resource)),
  };
}
