/**
 * The health commission's cockpit page, served by the gateway itself: GET /cockpit, its
 * scripts and styles, ECharts and the Chinese font from their npm packages (no CDN, nothing
 * fetched from elsewhere). The page holds no data; it asks POST /graphql with the token the
 * person signs in with, so the API decides what it shows.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fontServer } from './cockpit-fonts';
import { assetServer, packageFile } from './static-assets';

const page = (name: string, type: string) => ({ file: path.join(__dirname, 'cockpit', name), type });

const serveFiles = assetServer({
  '/cockpit': page('index.html', 'text/html'),
  '/cockpit/cockpit.js': page('cockpit.js', 'text/javascript'),
  '/cockpit/cockpit-charts.js': page('cockpit-charts.js', 'text/javascript'),
  '/cockpit/cockpit-tables.js': page('cockpit-tables.js', 'text/javascript'),
  '/cockpit/cockpit-views.js': page('cockpit-views.js', 'text/javascript'),
  '/cockpit/cockpit-headline.js': page('cockpit-headline.js', 'text/javascript'),
  '/cockpit/cockpit.css': page('cockpit.css', 'text/css'),
  '/cockpit/echarts.js': { file: packageFile('echarts', 'dist/echarts.min.js'), type: 'text/javascript' },
});
const serveFonts = fontServer();

export const serveCockpit = (request: IncomingMessage, response: ServerResponse, pathname: string): boolean =>
  serveFiles(request, response, pathname) || serveFonts(request, response, pathname);
