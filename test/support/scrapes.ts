/** Reading the services' Prometheus scrapes in a stack test: every service's text, a metric's sum, what moved. */
import type { TestStack } from './stack';

type Samples = Record<string, [service: string, name: string, labels?: Record<string, string>]>;

/** Every service's scrape, by service name (the stack was started with `metrics: true`). */
export async function scrapeAll(stack: TestStack): Promise<Record<string, string>> {
  const services = { gateway: stack.gateway, ...stack.subgraphs };
  const texts: Record<string, string> = {};
  for (const [name, service] of Object.entries(services)) {
    const response = await fetch(service.metricsUrl!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    texts[name] = await response.text();
  }
  return texts;
}

/** The sum of a metric's samples whose labels include all of `labels` (0 when none). */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1]!, pair[2]!]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) sum += Number(match[3]);
  }
  return sum;
}

/** How much each named sample moved while `action` ran. */
export async function movedDuring(stack: TestStack, action: () => Promise<unknown>, samples: Samples): Promise<Record<string, number>> {
  const before = await scrapeAll(stack);
  await action();
  const after = await scrapeAll(stack);
  return Object.fromEntries(
    Object.entries(samples).map(([key, [service, name, labels]]) => [
      key,
      sampleSum(after[service]!, name, labels) - sampleSum(before[service]!, name, labels),
    ]),
  );
}
