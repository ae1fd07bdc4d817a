/** The demo token command, run as a user runs it: claims as asked, usage errors as exit code 2. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { ensureLocalKeys } from '../bin/keys';
import { loadConfig } from '../platform/config';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jinling-demo-'));
const env = { ...process.env, DATA_DIR: dataDir };
const demo = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'demo.ts'), ...args], { env, encoding: 'utf8' });

beforeAll(() => {
  ensureLocalKeys(loadConfig(env));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('signs a token for the identity asked, verifiable with the demo issuer key', () => {
  const run = demo('token', '--role', 'internet_hospital', '--org', '3201-I03', '--practitioner', 'IH0007', '--ttl', '600');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const publicKey = readFileSync(path.join(dataDir, 'keys', 'demo-issuer-public.pem'), 'utf8');
  const claims = jwt.verify(run.stdout.trim(), publicKey, {
    algorithms: ['RS256'],
    issuer: 'https://idp.jinling-hie.local/demo',
    audience: 'jinling-hie',
  }) as jwt.JwtPayload;
  expect(claims).toMatchObject({ sub: 'demo-internet_hospital-IH0007', roles: ['internet_hospital'], org: '3201-I03', practitioner_id: 'IH0007' });
  expect(claims.exp! - claims.iat!).toBe(600);
});

it.each([
  [['token'], '--role must be one of doctor'],
  [['token', '--role', 'surgeon'], '--role must be one of doctor'],
  [['token', '--role', 'resident'], 'a resident token needs --resident ID'],
  [['token', '--role', 'doctor', '--ttl', '99999'], '--ttl must be a whole number of seconds from 1 to 43200'],
  [['token', '--role', 'doctor', '--purpose', 'curiosity'], '--purpose must be one of treatment'],
  [['token', '--role', 'doctor', '--colour', 'red'], "Unknown option '--colour'"],
  [['mint'], 'Unknown command: mint'],
])('refuses %j with a usage message and exit code 2', (args, message) => {
  const run = demo(...args);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(message);
  expect(run.stderr).toContain('Usage:');
});

it('says to start the demo first when there is no demo city', () => {
  const run = demo('tokens');
  expect(run.status).toBe(1);
  expect(run.stderr.trim()).toBe('No demo city found: run `npm start` first');
});

it('prints a token for every demo identity the workflows need, with the demo organizations', () => {
  const facts = {
    gatewayUrl: 'http://127.0.0.1:4000/graphql',
    residentId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
    doctorOrganizationCode: '3201-H022',
    familyDoctorOrganizationCode: '3201-C128',
    otherHospitalCode: '3201-H020',
    internetHospitalCode: '3201-I10',
    pharmacyCodes: ['3201-P01', '3201-P02'],
    referralDepartment: '心血管内科',
    restrictedCategory: 'MENTAL_HEALTH',
  };
  writeFileSync(path.join(dataDir, 'demo.json'), JSON.stringify(facts));
  try {
    const run = demo('tokens');
    expect(run.stderr).toBe('');
    const printed = JSON.parse(run.stdout);
    expect(printed.organizations).toEqual({
      hospital: '3201-H022',
      otherHospital: '3201-H020',
      communityCentre: '3201-C128',
      internetHospital: '3201-I10',
      pharmacies: ['3201-P01', '3201-P02'],
      referralDepartment: '心血管内科',
    });
    const publicKey = readFileSync(path.join(dataDir, 'keys', 'demo-issuer-public.pem'), 'utf8');
    const claims = (name: string) => jwt.verify(printed.identities[name].token, publicKey, { algorithms: ['RS256'] }) as jwt.JwtPayload;
    expect(claims('internet_hospital_physician')).toMatchObject({ roles: ['doctor'], org: '3201-I10', practitioner_id: 'IH0001' });
    expect(claims('internet_hospital')).toMatchObject({ roles: ['internet_hospital'], org: '3201-I10' });
    expect(claims('pharmacist')).toMatchObject({ roles: ['pharmacist'], org: '3201-P01' });
    expect(claims('second_pharmacist')).toMatchObject({ roles: ['pharmacist'], org: '3201-P02' });
    expect(claims('hospital_system')).toMatchObject({ roles: ['hospital_system'], org: '3201-H022' });
    expect(claims('other_hospital_system')).toMatchObject({ roles: ['hospital_system'], org: '3201-H020' });
    expect(claims('family_doctor')).toMatchObject({ roles: ['family_doctor'], org: '3201-C128', practitioner_id: 'F0001' });
    expect(Object.keys(printed.tokens)).toEqual(
      expect.arrayContaining(['doctor', 'family_doctor', 'internet_hospital', 'pharmacist', 'resident', 'hospital_system']),
    );
  } finally {
    rmSync(path.join(dataDir, 'demo.json'));
  }
});
