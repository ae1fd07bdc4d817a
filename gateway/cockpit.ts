/**
 * The health commission's cockpit page, served by the gateway itself: GET /cockpit and its
 * scripts, ECharts from its npm package (no CDN, nothing fetched from elsewhere). The page
 * holds no data; it asks POST /graphql with the token the person signs in with, so the API
 * decides what it shows.
 */
import path from 'node:path';
import { assetServer, packageFile } from './static-assets';

export const serveCockpit = assetServer({
  '/cockpit': { file: path.join(__dirname, 'cockpit', 'index.html'), type: 'text/html' },
  '/cockpit/cockpit.js': { file: path.join(__dirname, 'cockpit', 'cockpit.js'), type: 'text/javascript' },
  '/cockpit/cockpit.css': { file: path.join(__dirname, 'cockpit', 'cockpit.css'), type: 'text/css' },
  '/cockpit/echarts.js': { file: packageFile('echarts', 'dist/echarts.min.js'), type: 'text/javascript' },
});
