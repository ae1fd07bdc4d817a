/**
 * Observation?patient=…&code=…: one analyte across hospitals over time, every value in the
 * catalogue's canonical UCUM unit (the labs subgraph converts). A value whose reported unit
 * does not convert is given as reported, in its own unit, never silently mixed.
 */
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { categoriesOf, sensitivityOfLoinc } from '../../access-control/sensitivity';
import type { FhirTrendQuery } from '../__generated__/operations';
import type { Ask } from './api';
import { warningsOutcome } from './api';
import { entry, organizationsIn, referencedResources, searchset } from './bundle';
import { interpretationConcept, observationId } from './diagnostic-report';
import { badRequest, notFound } from './operation-outcome';
import { categoryParameter, patientParameter, patientSearch } from './patient-search';
import { TREND } from './queries';
import { organizationReference, patientReference } from './references';
import { coding, SYSTEMS, securityLabels, ucumQuantity } from './terminology';

const PARAMETERS = new Set(['patient', 'subject', 'code', 'category', 'date', '_format']);

function parse(params: URLSearchParams) {
  for (const name of params.keys()) if (!PARAMETERS.has(name)) throw badRequest(`Observation search does not support the parameter ${name}`);
  const patient = patientParameter(params, 'Observation');
  // A trend's values are laboratory results.
  const category = params.get('category');
  if (category !== null && categoryParameter(category) !== 'laboratory') throw badRequest('A code search finds laboratory Observations only');
  const code = params.get('code');
  if (!code) throw badRequest('Observation search needs code (a LOINC code, optionally http://loinc.org|code)');
  const [system, value] = code.includes('|') ? (code.split('|', 2) as [string, string]) : [SYSTEMS.loinc, code];
  if (system !== SYSTEMS.loinc || !value || value.includes(',')) throw badRequest('code must be one LOINC code, optionally as http://loinc.org|code');
  const date = params.get('date');
  if (date !== null && !/^ge\d{4}-\d{2}-\d{2}/.test(date)) throw badRequest('date supports ge (on or after) only, e.g. date=ge2026-01-01');
  return { patient, code: value, since: date ? date.slice(2) : null };
}

/** By code: one analyte's trend; by category alone: the resident's result lines, report by report (patient-search.ts). */
export async function observationSearch(ask: Ask, base: string, params: URLSearchParams): Promise<Bundle> {
  if (!params.has('code') && params.has('category')) return patientSearch(ask, base, 'Observation', params);
  const { patient, code, since } = parse(params);
  const answer = await ask<FhirTrendQuery>(TREND, { id: patient, code, since });
  const resident = answer.data.resident;
  if (!resident) throw notFound(`Patient/${patient} is not known`);
  const trend = resident.labTrend;
  const labels = securityLabels(categoriesOf([sensitivityOfLoinc(code)]));
  const observations: Observation[] = (trend?.points ?? []).map((point) => {
    const quantity =
      point.value !== null
        ? ucumQuantity(point.value, trend!.unit)
        : point.reportedValue !== null
          ? ucumQuantity(point.reportedValue, point.reportedUnit)
          : null;
    return {
      resourceType: 'Observation',
      id: observationId(point.reportId, code),
      ...(labels.length ? { meta: { security: labels } } : {}),
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [coding(trend!.code)], text: trend!.code.display },
      subject: patientReference(resident.id),
      effectiveDateTime: point.at,
      performer: [organizationReference(point.organization)],
      ...(quantity ? { valueQuantity: quantity } : {}),
      interpretation: interpretationConcept(point.interpretation),
    };
  });
  const included = referencedResources(observations, organizationsIn(answer.data));
  const incomplete = warningsOutcome(answer.warnings);
  return searchset(
    [
      ...observations.map((observation) => entry(base, observation, 'match')),
      ...included.map((resource) => entry(base, resource, 'include')),
      ...(incomplete ? [entry(base, incomplete, 'outcome')] : []),
    ],
    [{ relation: 'self', url: `${base}/Observation?${params.toString()}` }],
    observations.length,
  );
}
