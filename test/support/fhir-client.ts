/**
 * Requests to the gateway's FHIR API as a client sends them, each answer checked against the
 * FHIR R4 specification by the independent validator before a test looks at it (narratives included).
 */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { expectValidFhir } from './fhir-validator';
import type { TestStack } from './stack';

export interface FhirResponse<T extends Resource = Resource> {
  status: number;
  contentType: string | null;
  requestId: string | null;
  body: T;
  text: string;
}

export const fhirBase = (stack: TestStack) => stack.gateway.url.replace(/\/graphql$/, '/fhir/R4');

/** GET (or another method) of a path under /fhir/R4, or of an absolute URL (a next link). */
export async function fhirRequest<T extends Resource = Resource>(
  stack: TestStack,
  token: string | null,
  pathOrUrl: string,
  init: RequestInit = {},
): Promise<FhirResponse<T>> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${fhirBase(stack)}${pathOrUrl}`;
  const response = await fetch(url, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await response.text();
  const body = JSON.parse(text) as T;
  expectValidFhir(body, { narratives: true });
  return { status: response.status, contentType: response.headers.get('content-type'), requestId: response.headers.get('x-request-id'), body, text };
}

/** Every page of a searchset, following next links; each page validated. */
export async function allPages(stack: TestStack, token: string, path: string): Promise<{ pages: Bundle[]; text: string }> {
  const pages: Bundle[] = [];
  const texts: string[] = [];
  let next: string | undefined = path;
  while (next) {
    const page: FhirResponse<Bundle> = await fhirRequest<Bundle>(stack, token, next);
    texts.push(page.text);
    if (page.status !== 200) break;
    pages.push(page.body);
    next = page.body.link?.find((link) => link.relation === 'next')?.url;
  }
  return { pages, text: texts.join('\n') };
}

export const resourcesOf = (bundle: Bundle, type?: string): Resource[] =>
  (bundle.entry ?? []).map((entry: BundleEntry) => entry.resource!).filter((resource) => !type || resource.resourceType === type);

export const typesOf = (bundle: Bundle) => [...new Set(resourcesOf(bundle).map((resource) => resource.resourceType))].sort();
