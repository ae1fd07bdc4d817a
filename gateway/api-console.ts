/**
 * The offline API console: GraphiQL served by the gateway itself from npm packages (no CDN,
 * no request off this host), at GET /graphql for a browser. The page and its scripts hold no
 * data; every query it sends is an ordinary POST with the bearer token from its header editor.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { assetServer, packageFile } from './static-assets';

const serveAssets = assetServer({
  '/console/react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  '/console/react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  '/console/graphiql.js': { file: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  '/console/graphiql.css': { file: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  '/console/console.js': { file: path.join(__dirname, 'console', 'console.js'), type: 'text/javascript' },
  '/graphql': { file: path.join(__dirname, 'console', 'index.html'), type: 'text/html' },
});

/** Serves the console's page and assets; false when the request is not for them. */
export function serveApiConsole(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
  // GET /graphql is the page only for browsers; anything else there stays an API error.
  if (pathname === '/graphql' && !(request.headers.accept ?? '').includes('text/html')) return false;
  return serveAssets(request, response, pathname);
}
