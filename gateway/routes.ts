/** The gateway's authenticated endpoints beside /graphql, each answering through the GraphQL pipeline. */
import type { HttpRoute } from '../platform/http-server';
import type { Logger } from '../platform/logger';
import { fhirRoute } from './fhir/route';
import type { GatewayContext } from './gateway-context';
import type { RunOperation } from './operations';
import { createUploader, DEFAULT_UPLOAD_SETTINGS, type UploadSettings, uploadRoute } from './uploads';

export interface RouteOptions {
  supergraphSdl: string;
  /** The request limit every service applies (MAX_REQUEST_BYTES): what the gateway sends a subgraph stays below it. */
  maxBodyBytes: number;
  uploads?: UploadSettings;
  logger: Logger;
}

export function gatewayRoutes(runOperation: RunOperation, options: RouteOptions): HttpRoute<GatewayContext>[] {
  const uploads = options.uploads ?? DEFAULT_UPLOAD_SETTINGS;
  const uploader = createUploader(runOperation, options.supergraphSdl, options.maxBodyBytes, uploads);
  return [uploadRoute(uploader, uploads, options.logger), fhirRoute(runOperation, { uploader, settings: uploads })];
}
