/** The gateway's authenticated endpoints beside /graphql, each answering through the GraphQL pipeline. */
import type { HttpRoute } from '../platform/http-server';
import type { Logger } from '../platform/logger';
import { fhirRoute } from './fhir/route';
import type { GatewayContext } from './gateway-context';
import type { RunOperation } from './operations';
import { createUploader, type UploadConfig, uploadRoute } from './uploads';

export function gatewayRoutes(runOperation: RunOperation, supergraphSdl: string, config: UploadConfig, logger: Logger): HttpRoute<GatewayContext>[] {
  const uploader = createUploader(runOperation, supergraphSdl, config);
  return [uploadRoute(uploader, config, logger), fhirRoute(runOperation, { uploader, config })];
}
