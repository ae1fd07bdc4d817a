/**
 * What every FHIR answer goes through before it is sent: a generated narrative on each resource
 * that carries one (dom-6: a reader without this API's logic still sees what the resource says),
 * and FHIR's JSON rules kept (no empty array, object or string, no null: ele-1). The narrative is
 * made from the resource as the viewer receives it, so it says nothing the resource does not.
 */
import type { Narrative, Resource } from '@medplum/fhirtypes';

/** Resources that are not DomainResources: they carry no narrative. */
const WITHOUT_NARRATIVE = new Set(['Bundle', 'Parameters', 'Binary']);

const XHTML = 'http://www.w3.org/1999/xhtml';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** An XHTML narrative of lines of plain text, escaped. */
export function narrativeOf(lines: readonly string[]): Narrative {
  return { status: 'generated', div: `<div xmlns="${XHTML}">${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</div>` };
}

// biome-ignore lint/suspicious/noExplicitAny: a narrative reads whichever of its fields a resource of any type has
type Loose = Record<string, any>;

/** What a reader needs first: what the resource is about, its status and its time. */
function summaryLines(resource: Loose): string[] {
  if (resource.resourceType === 'OperationOutcome')
    return (resource.issue ?? []).map((issue: Loose) => `${issue.severity} ${issue.code}: ${issue.details?.text ?? issue.diagnostics ?? ''}`.trim());
  const about =
    resource.code?.text ??
    resource.code?.coding?.[0]?.display ??
    resource.code?.coding?.[0]?.code ??
    resource.medicationCodeableConcept?.text ??
    resource.serviceType?.text ??
    resource.title ??
    (typeof resource.name === 'string' ? resource.name : resource.name?.[0]?.text) ??
    resource.identifier?.[0]?.value ??
    resource.implementation?.description ??
    resource.agent?.[0]?.who?.display;
  const when =
    resource.period?.start ??
    resource.effectiveDateTime ??
    resource.onsetDateTime ??
    resource.authoredOn ??
    resource.whenHandedOver ??
    resource.issued ??
    resource.recorded ??
    resource.recordedDate ??
    resource.birthDate ??
    resource.date;
  const status = resource.status ?? resource.clinicalStatus?.coding?.[0]?.code ?? resource.gender;
  const value = resource.valueQuantity
    ? `${resource.valueQuantity.value}${resource.valueQuantity.unit ? ` ${resource.valueQuantity.unit}` : ''}`
    : (resource.valueString ?? resource.valueCodeableConcept?.text);
  return [[resource.resourceType, about, value, status, when].filter((part) => part !== undefined && part !== null && part !== '').join(' · ')];
}

function withNarrative<T extends Loose>(resource: T): T {
  if (WITHOUT_NARRATIVE.has(resource.resourceType) || resource.text) return resource;
  return { ...resource, text: narrativeOf(summaryLines(resource)) };
}

/** Every resource of the answer (a Bundle's entries, a Parameters' resources) with its narrative. */
function narrate(body: Loose): Loose {
  if (body.resourceType === 'Bundle' && Array.isArray(body.entry))
    return {
      ...body,
      entry: body.entry.map((entry: Loose) => ({
        ...entry,
        ...(entry.resource ? { resource: narrate(entry.resource) } : {}),
        ...(entry.response?.outcome ? { response: { ...entry.response, outcome: narrate(entry.response.outcome) } } : {}),
      })),
    };
  if (body.resourceType === 'Parameters' && Array.isArray(body.parameter))
    return {
      ...body,
      parameter: body.parameter.map((parameter: Loose) => (parameter.resource ? { ...parameter, resource: narrate(parameter.resource) } : parameter)),
    };
  return withNarrative(body);
}

/** The value with every empty array, empty object, empty string and null left out (undefined when nothing is left). */
function pruned(value: unknown): unknown {
  if (value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    const items = value.map(pruned).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Loose)
      .map(([key, inner]) => [key, pruned(inner)] as const)
      .filter(([, inner]) => inner !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

/** A FHIR answer as it is sent: narratives added, empty values left out. */
export function finishedFhir(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || typeof (body as Loose).resourceType !== 'string') return body;
  return pruned(narrate(body as Resource as Loose));
}
