/**
 * `npm run demo -- tokens`: prints the gateway URL, a seeded resident the demo doctor may
 * read, and one demo token per role, signed by the local demo issuer. Run `npm start` first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../subgraphs/kit/config';
import { ROLES, type Role } from '../subgraphs/kit/viewer';
import { issueDemoToken, type DemoIdentity } from './demo-issuer';
import type { DemoFacts } from './seed/demo-facts';
import { keyFiles, readKey } from './keys';

const TOKEN_TTL_SECONDS = 12 * 3600;

function identities(facts: DemoFacts): Record<Role, DemoIdentity> {
  return {
    doctor: { subject: 'demo-doctor', roles: ['doctor'], organizationCode: facts.doctorOrganizationCode, practitionerId: 'D0001' },
    family_doctor: { subject: 'demo-family-doctor', roles: ['family_doctor'], organizationCode: facts.familyDoctorOrganizationCode ?? '3201-C001', practitionerId: 'F0001' },
    internet_hospital: { subject: 'demo-internet-hospital', roles: ['internet_hospital'], organizationCode: '3201-I01' },
    pharmacist: { subject: 'demo-pharmacist', roles: ['pharmacist'], organizationCode: '3201-P01', practitionerId: 'P0001' },
    resident: { subject: 'demo-resident', roles: ['resident'], residentId: facts.residentId },
    lab_system: { subject: 'demo-lab-system', roles: ['lab_system'], organizationCode: facts.doctorOrganizationCode },
    hospital_system: { subject: 'demo-his', roles: ['hospital_system'], organizationCode: facts.doctorOrganizationCode },
    health_commission: { subject: 'demo-health-commission', roles: ['health_commission'] },
    privacy_officer: { subject: 'demo-privacy-officer', roles: ['privacy_officer'] },
  };
}

function main(): void {
  if (process.argv[2] !== 'tokens') {
    console.error('Usage: npm run demo -- tokens');
    process.exit(2);
  }
  const config = loadConfig();
  if (config.JWT_PUBLIC_KEY_FILE || config.JWT_JWKS_URL) {
    throw new Error('Demo tokens come from the local demo issuer; this installation trusts another identity provider');
  }
  let demo: DemoFacts & { gatewayUrl: string };
  try {
    demo = JSON.parse(readFileSync(path.resolve(config.DATA_DIR, 'demo.json'), 'utf8'));
  } catch {
    throw new Error('No demo city found: run `npm start` first');
  }
  const privateKey = readKey(keyFiles(config).issuerPrivateKey);
  const all = identities(demo);
  const tokens = Object.fromEntries(
    ROLES.map((role) => [role, issueDemoToken(all[role], { privateKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: TOKEN_TTL_SECONDS })]),
  );
  console.log(JSON.stringify({ gatewayUrl: demo.gatewayUrl, residentId: demo.residentId, tokens }, null, 2));
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
