/**
 * The gateway is ready when every subgraph says it is (each checks its own database), so a
 * load balancer sends no traffic to a gateway that could only answer SUBGRAPH_UNAVAILABLE.
 */
import type { SubgraphName } from '../platform/config';

export async function subgraphsNotReady(urls: Record<SubgraphName, string>, timeoutMs: number): Promise<string[]> {
  const answers = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return response.ok ? null : name;
      } catch {
        return name;
      }
    }),
  );
  return answers.filter((name): name is string => name !== null);
}
