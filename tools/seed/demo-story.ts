/**
 * What the demo resident's record needs beyond the generated city so that every client
 * workflow can be shown on it: three lab reports on which the duplicate-test reminder gives
 * each of its answers, an online visit at an internet hospital (its registration), one item in
 * a sensitive category from another hospital under the resident's consent keeping that
 * category private, and one in another sensitive category the resident has not restricted
 * yet. Pure: the seeder stores what it returns.
 */
import { createHash } from 'node:crypto';
import type { ConsentDoc } from '../../access-control/access-store';
import { type City, type EncounterSeed, ICD10, type LabReportSeed, LOINC } from './city';
import type { DemoFacts } from './demo-facts';

const DAY_MS = 86_400_000;
const hexId = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** The restricted item: an anxiety diagnosis at a psychiatry clinic of another hospital. */
export const RESTRICTED_DIAGNOSIS = { system: ICD10, code: 'F41.1', display: '广泛性焦虑障碍' } as const;

/** A sensitive item the resident has not restricted (yet): the consent example restricts its category. */
export const UNRESTRICTED_DIAGNOSIS = { system: ICD10, code: 'A63.0', display: '尖锐湿疣' } as const;
export const UNRESTRICTED_CATEGORY = 'HIV_STI';

/**
 * The reports the duplicate-test reminder (`checkOrderItem` in subgraphs/labs/lab-rules.ts)
 * answers on, each a city-recognised item: REUSE for an HbA1c (valid 90 days) from the demo
 * hospital's certified laboratory 30 days ago; CONSIDER for a total cholesterol (valid 30
 * days) 10 days ago from a laboratory that is not certified (the community centre's, or a
 * secondary hospital's: only tertiary ones are); ORDER for a TSH (valid 90 days) 200 days ago.
 */
export const DEMO_LAB_CHECKS = [
  { recommendation: 'REUSE', code: '4548-4', display: '糖化血红蛋白', value: 6.8, unit: '%', daysAgo: 30, lab: 'doctor' },
  { recommendation: 'CONSIDER', code: '14647-2', display: '总胆固醇', value: 5.6, unit: 'mmol/L', daysAgo: 10, lab: 'uncertified' },
  { recommendation: 'ORDER', code: '3016-3', display: '促甲状腺激素', value: 2.1, unit: 'm[IU]/L', daysAgo: 200, lab: 'other' },
] as const;

export interface DemoStory {
  encounters: EncounterSeed[];
  labReports: LabReportSeed[];
  consent: ConsentDoc;
}

export function demoStoryOf(city: City, facts: DemoFacts, now: Date): DemoStory {
  const at = (daysAgo: number, hours = 1) => {
    const start = new Date(now.getTime() - daysAgo * DAY_MS);
    return { start: start.toISOString(), end: new Date(start.getTime() + hours * 3_600_000).toISOString() };
  };
  const encounters: EncounterSeed[] = [
    {
      id: hexId(`demo-story|restricted|${facts.residentId}`),
      residentId: facts.residentId,
      organizationCode: facts.otherHospitalCode,
      encounterClass: 'OUTPATIENT',
      department: '精神科',
      ...at(40),
      diagnoses: [RESTRICTED_DIAGNOSIS],
    },
    {
      id: hexId(`demo-story|online|${facts.residentId}`),
      residentId: facts.residentId,
      organizationCode: facts.internetHospitalCode,
      encounterClass: 'VIRTUAL',
      department: '全科医学科',
      ...at(10, 0.25),
      diagnoses: [{ system: ICD10, code: 'Z76.0', display: '开具重复处方' }],
    },
    {
      id: hexId(`demo-story|unrestricted|${facts.residentId}`),
      residentId: facts.residentId,
      organizationCode: facts.otherHospitalCode,
      encounterClass: 'OUTPATIENT',
      department: '皮肤科',
      ...at(60),
      diagnoses: [UNRESTRICTED_DIAGNOSIS],
    },
  ];
  const levels = new Map(city.organizations.map((organization) => [organization.code, organization.level]));
  const uncertified =
    (facts.familyDoctorOrganizationCode && levels.get(facts.familyDoctorOrganizationCode) === 'COMMUNITY' ? facts.familyDoctorOrganizationCode : null) ??
    city.organizations.find((organization) => organization.level === 'SECONDARY')!.code;
  const labOf = { doctor: facts.doctorOrganizationCode, uncertified, other: facts.otherHospitalCode } as const;
  const labReports: LabReportSeed[] = DEMO_LAB_CHECKS.map((check) => {
    const code = { system: LOINC, code: check.code, display: check.display };
    return {
      id: hexId(`demo-story|lab|${check.recommendation}|${facts.residentId}`),
      residentId: facts.residentId,
      organizationCode: labOf[check.lab],
      category: 'LABORATORY',
      code,
      issuedAt: at(check.daysAgo).start,
      status: 'FINAL',
      // The labs seeder interprets the value through the catalogue; these fields are the upload's own.
      results: [{ code, value: check.value, unit: check.unit, referenceLow: null, referenceHigh: null, referenceText: '', abnormalFlag: 'N' }],
    };
  });
  return {
    encounters,
    labReports,
    consent: { _id: facts.residentId, restrictedCategories: [facts.restrictedCategory], blockedOrganizations: [], updatedAt: now },
  };
}
