/**
 * What the demo resident's record needs beyond the generated city so that every client
 * workflow can be shown on it: lab result lines, an online visit at an internet hospital (its
 * registration), one item in a sensitive category from another hospital, and the resident's
 * consent keeping that category private. Pure: the seeder stores what it returns.
 */
import { createHash } from 'node:crypto';
import type { ConsentDoc } from '../../access-control/access-store';
import { type City, type EncounterSeed, ICD10, type LabReportSeed } from './city';
import type { DemoFacts } from './demo-facts';

const DAY_MS = 86_400_000;
const hexId = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** The restricted item: an anxiety diagnosis at a psychiatry clinic of another hospital. */
export const RESTRICTED_DIAGNOSIS = { system: ICD10, code: 'F41.1', display: '广泛性焦虑障碍' } as const;

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
  ];
  // Result lines: a laboratory report from another hospital, shaped like one of the city's.
  const hasResultLines = city.labReports.some((report) => report.residentId === facts.residentId && report.results.length > 0);
  const template = city.labReports.find((report) => report.category === 'LABORATORY' && report.results.length >= 2);
  const labReports: LabReportSeed[] =
    hasResultLines || !template
      ? []
      : [
          {
            ...template,
            id: hexId(`demo-story|lab|${facts.residentId}`),
            residentId: facts.residentId,
            organizationCode: facts.otherHospitalCode,
            issuedAt: at(20).start,
            status: 'FINAL',
          },
        ];
  return {
    encounters,
    labReports,
    consent: { _id: facts.residentId, restrictedCategories: [facts.restrictedCategory], blockedOrganizations: [], updatedAt: now },
  };
}
