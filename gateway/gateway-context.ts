import type { Viewer } from '../subgraphs/kit/viewer';

/** What the gateway knows about a request: the verified viewer and the id that audits carry. */
export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
}
