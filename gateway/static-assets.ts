/**
 * Browser pages the gateway serves itself (the API console, the cockpit): files from this
 * folder and from npm packages, never from a CDN, under a content security policy that lets
 * the page load from and connect to this origin only. The pages hold no data: what they show
 * comes from POST /graphql with the bearer token the person gave them.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

export interface Asset {
  file: string;
  type: string;
}

/** A file of an npm package; browser builds are often outside the export map, so found beside its package.json. */
export const packageFile = (name: string, file: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

// The browser may load and connect to this origin only.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // The cockpit's font is served from this origin; no page needs an inline one.
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Answers one asset under the page's policy; `contentType` is the whole header (a text type names its charset). */
export function sendAsset(response: ServerResponse, body: Buffer | string, contentType: string, cacheControl?: string): true {
  response.statusCode = 200;
  response.setHeader('content-type', contentType);
  response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  response.setHeader('x-content-type-options', 'nosniff');
  if (cacheControl) response.setHeader('cache-control', cacheControl);
  response.end(body);
  return true;
}

/** Serves the assets by path to GET requests; false when the request is not for one of them. */
export function assetServer(assets: Record<string, Asset>) {
  const loaded = new Map<string, Buffer>();
  return (request: IncomingMessage, response: ServerResponse, pathname: string): boolean => {
    const asset = assets[pathname];
    if (request.method !== 'GET' || !asset) return false;
    const body = loaded.get(pathname) ?? readFileSync(asset.file);
    loaded.set(pathname, body);
    return sendAsset(response, body, `${asset.type}; charset=utf-8`);
  };
}
