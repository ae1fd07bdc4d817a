/**
 * `npm run bulletin -- 2024-09`: prints the city bulletin's figures for a month (its headline
 * counters, the 12320 hotline, data collection and appointment tables with their totals), read from the running exchange's cockpit through the gateway
 * (GATEWAY_URL, default http://127.0.0.1:4000/graphql) with a health commission token signed
 * by the local demo issuer, as `npm run demo -- token` signs one.
 */

import { keyFiles, readKey } from '../bin/keys';
import { loadConfig, serviceUrl } from '../platform/config';
import { fetchBulletin, formatBulletin } from './bulletin-tables';
import { issueDemoToken } from './demo-issuer';

const USAGE = 'Usage: npm run bulletin -- YYYY-MM   (e.g. 2024-09; needs `npm start` running)';

async function main(): Promise<void> {
  const month = process.argv[2];
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  if (config.JWT_PUBLIC_KEY_FILE || config.JWT_JWKS_URL)
    throw new Error('The bulletin signs its token with the local demo issuer; this installation trusts another identity provider');
  let privateKey: string;
  try {
    privateKey = readKey(keyFiles(config).issuerPrivateKey);
  } catch {
    throw new Error('No demo issuer key found: run `npm start` first');
  }
  const token = issueDemoToken(
    { subject: 'bulletin', roles: ['health_commission'] },
    { privateKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: 300 },
  );
  const gatewayUrl = process.env.GATEWAY_URL || serviceUrl(config.HOST, config.GATEWAY_PORT, '/graphql');
  console.log(formatBulletin(month, await fetchBulletin(gatewayUrl, token, month)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
