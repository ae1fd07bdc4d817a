/**
 * The offline API console: GraphiQL served by the gateway itself from npm packages (no CDN,
 * no request off this host), at GET /graphql for a browser. The page and its scripts hold no
 * data; every query it sends is an ordinary POST with the bearer token from its header editor.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

interface Asset {
  file: string;
  type: string;
}

// The browser builds are outside the packages' export maps: found beside their package.json.
const packageFile = (name: string, file: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

const ASSETS: Record<string, Asset> = {
  '/console/react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  '/console/react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  '/console/graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  '/console/graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  '/console/console.js': { file: path.join(__dirname, 'console', 'console.js'), type: 'text/javascript' },
  '/graphql': { file: path.join(__dirname, 'console', 'index.html'), type: 'text/html' },
};

// The browser may load and connect to this origin only.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const loaded = new Map<string, Buffer>();

/** Serves the console's page and assets; false when the request is not for them. */
export function serveApiConsole(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
  if (request.method !== 'GET') return false;
  // GET /graphql is the page only for browsers; anything else there stays an API error.
  if (pathname === '/graphql' && !(request.headers.accept ?? '').includes('text/html')) return false;
  const asset = ASSETS[pathname];
  if (!asset) return false;
  const body = loaded.get(pathname) ?? readFileSync(asset.file);
  loaded.set(pathname, body);
  response.statusCode = 200;
  response.setHeader('content-type', `${asset.type}; charset=utf-8`);
  response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  response.setHeader('x-content-type-options', 'nosniff');
  response.end(body);
  return true;
}
