/**
 * The local demo identity provider's command line, for an installation that trusts it:
 * - `npm run demo -- tokens`: the gateway URL, a seeded resident the demo doctor may read,
 *   the demo organizations, one token per role and one per further demo identity (a physician
 *   of an internet hospital, a second pharmacy, the other hospital's system) (run `npm start` first);
 * - `npm run demo -- token --role R [--org CODE] [--practitioner ID] [--resident ID]
 *   [--purpose P] [--subject S] [--ttl SECONDS]`: one token for any identity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PURPOSES, type PurposeOfUse, ROLES, type Role } from '../access-control/viewer';
import { keyFiles, readKey } from '../bin/keys';
import { type Config, loadConfig } from '../platform/config';
import { type DemoIdentity, issueDemoToken } from './demo-issuer';
import type { DemoFacts } from './seed/demo-facts';

const TOKEN_TTL_SECONDS = 12 * 3600;
const USAGE = `Usage:
  npm run demo -- tokens
  npm run demo -- token --role ROLE [--org CODE] [--practitioner ID] [--resident ID] [--purpose PURPOSE] [--subject SUBJECT] [--ttl SECONDS]
Roles: ${ROLES.join(', ')}
Purposes: ${PURPOSES.join(', ')}`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** The demo city as `demo.json` holds it; a city seeded before a fact existed gets its default. */
type StoredDemo = Pick<DemoFacts, 'residentId' | 'doctorOrganizationCode' | 'familyDoctorOrganizationCode'> & Partial<DemoFacts> & { gatewayUrl: string };

/** The 12320 health hotline's call centre (an operator's token names it). */
const HOTLINE_ORGANIZATION = '3201-T01';

/** The organizations of the demo identities. */
export function demoOrganizations(demo: StoredDemo) {
  return {
    hospital: demo.doctorOrganizationCode,
    otherHospital: demo.otherHospitalCode ?? null,
    communityCentre: demo.familyDoctorOrganizationCode ?? '3201-C001',
    internetHospital: demo.internetHospitalCode ?? '3201-I01',
    pharmacies: demo.pharmacyCodes ?? ['3201-P01', '3201-P02'],
    referralDepartment: demo.referralDepartment ?? null,
  };
}

/**
 * One identity per role (the `tokens` of `npm run demo -- tokens`), then the further people and
 * systems the workflows of docs/getting-started.md need: a physician of an internet hospital, a pharmacist at a
 * second cloud pharmacy, and the hospital system of the other demo hospital.
 */
export function demoIdentities(demo: StoredDemo): Record<Role, DemoIdentity> & Record<string, DemoIdentity> {
  const organizations = demoOrganizations(demo);
  const [pharmacy, secondPharmacy] = organizations.pharmacies;
  return {
    doctor: { subject: 'demo-doctor', roles: ['doctor'], organizationCode: organizations.hospital, practitionerId: 'D0001' },
    family_doctor: { subject: 'demo-family-doctor', roles: ['family_doctor'], organizationCode: organizations.communityCentre, practitionerId: 'F0001' },
    internet_hospital: { subject: 'demo-internet-hospital', roles: ['internet_hospital'], organizationCode: organizations.internetHospital },
    pharmacist: { subject: 'demo-pharmacist', roles: ['pharmacist'], organizationCode: pharmacy, practitionerId: 'P0001' },
    resident: { subject: 'demo-resident', roles: ['resident'], residentId: demo.residentId },
    lab_system: { subject: 'demo-lab-system', roles: ['lab_system'], organizationCode: organizations.hospital },
    hospital_system: { subject: 'demo-his', roles: ['hospital_system'], organizationCode: organizations.hospital },
    health_commission: { subject: 'demo-health-commission', roles: ['health_commission'] },
    privacy_officer: { subject: 'demo-privacy-officer', roles: ['privacy_officer'] },
    // The 12320 hotline's call centre: its operators book appointments for callers.
    hotline_operator: { subject: 'demo-hotline-operator', roles: ['hotline_operator'], organizationCode: HOTLINE_ORGANIZATION, practitionerId: 'OP0001' },
    // A physician signs prescriptions: at an internet hospital too, with the role `doctor`.
    internet_hospital_physician: {
      subject: 'demo-internet-hospital-physician',
      roles: ['doctor'],
      organizationCode: organizations.internetHospital,
      practitionerId: 'IH0001',
    },
    ...(secondPharmacy
      ? {
          second_pharmacist: {
            subject: 'demo-second-pharmacist',
            roles: ['pharmacist'],
            organizationCode: secondPharmacy,
            practitionerId: 'P0002',
          } satisfies DemoIdentity,
        }
      : {}),
    ...(organizations.otherHospital
      ? {
          other_hospital_system: {
            subject: 'demo-his-other',
            roles: ['hospital_system'],
            organizationCode: organizations.otherHospital,
          } satisfies DemoIdentity,
        }
      : {}),
  };
}

function signer(config: Config) {
  if (config.JWT_PUBLIC_KEY_FILE || config.JWT_JWKS_URL) {
    throw new Error('Demo tokens come from the local demo issuer; this installation trusts another identity provider');
  }
  let privateKey: string;
  try {
    privateKey = readKey(keyFiles(config).issuerPrivateKey);
  } catch {
    throw new Error('No demo issuer key found: run `npm start` first');
  }
  return (identity: DemoIdentity, ttlSeconds = TOKEN_TTL_SECONDS) =>
    issueDemoToken(identity, { privateKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds });
}

function allTokens(config: Config): void {
  let demo: StoredDemo;
  try {
    demo = JSON.parse(readFileSync(path.resolve(config.DATA_DIR, 'demo.json'), 'utf8'));
  } catch {
    throw new Error('No demo city found: run `npm start` first');
  }
  const sign = signer(config);
  const all = demoIdentities(demo);
  const tokens = Object.fromEntries(ROLES.map((role) => [role, sign(all[role])]));
  const identities = Object.fromEntries(
    Object.entries(all).map(([name, identity]) => [
      name,
      {
        roles: identity.roles,
        organizationCode: identity.organizationCode,
        practitionerId: identity.practitionerId,
        residentId: identity.residentId,
        token: sign(identity),
      },
    ]),
  );
  console.log(
    JSON.stringify({ gatewayUrl: demo.gatewayUrl, residentId: demo.residentId, organizations: demoOrganizations(demo), tokens, identities }, null, 2),
  );
}

function oneToken(config: Config, args: string[]): void {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      practitioner: { type: 'string' },
      resident: { type: 'string' },
      purpose: { type: 'string' },
      subject: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const purpose = values.purpose as PurposeOfUse | undefined;
  if (purpose !== undefined && !PURPOSES.includes(purpose)) throw new UsageError(`--purpose must be one of ${PURPOSES.join(', ')}`);
  const ttl = values.ttl === undefined ? TOKEN_TTL_SECONDS : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > TOKEN_TTL_SECONDS)
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${TOKEN_TTL_SECONDS}`);
  if (role === 'resident' && !values.resident) throw new UsageError('a resident token needs --resident ID');
  const identity: DemoIdentity = {
    subject: values.subject ?? `demo-${role}-${values.practitioner ?? values.resident ?? values.org ?? 'city'}`,
    roles: [role],
    organizationCode: values.org,
    practitionerId: values.practitioner,
    residentId: values.resident,
    purposeOfUse: purpose,
  };
  console.log(signer(config)(identity, ttl));
}

function main(): void {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  if (command === 'tokens') allTokens(config);
  else if (command === 'token') oneToken(config, args);
  else throw new UsageError(command ? `Unknown command: ${command}` : 'Say which command to run');
}

try {
  main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(message);
  process.exit(1);
}
