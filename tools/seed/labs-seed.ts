/**
 * The labs subgraph's view of the demo city: every generated report interpreted through the
 * catalogue for the resident's sex and age (as a lab system's upload would be), a few
 * amended reports with their earlier version, recent repeats at another hospital for the
 * duplicate-test reminder to find, and the laboratory registry with certifications.
 */
import { createHash } from 'node:crypto';
import { ageInYears, observationOf } from '../../subgraphs/labs/lab-rules';
import { type LaboratoryDoc, type LabReportDoc, type LabReportVersionDoc, labSensitivities } from '../../subgraphs/labs/models';
import type { City, LabReportSeed } from './city';

const CT_CONCLUSIONS = ['双肺纹理清晰，未见明显实质性病变。', '右肺上叶见小结节影，建议随访复查。', '双肺纹理增多，考虑慢性支气管炎改变。'];
const DAY_MS = 86_400_000;

export interface LabsSeed {
  reports: LabReportDoc[];
  versions: LabReportVersionDoc[];
  laboratories: LaboratoryDoc[];
}

/** `placed`: ids of reports put on a record on purpose (the demo story's), which get no repeat. */
export function labsOf(city: City, now: Date, placed: ReadonlySet<string> = new Set()): LabsSeed {
  const residents = new Map(city.residents.map((resident) => [resident.id, resident]));
  const levels = new Map(city.organizations.map((organization) => [organization.code, organization.level]));
  const tertiary = city.organizations.filter((organization) => organization.level === 'TERTIARY').map((organization) => organization.code);
  const versions: LabReportVersionDoc[] = [];

  const toReport = (seed: LabReportSeed, id = seed.id, organizationCode = seed.organizationCode, issuedAt = new Date(seed.issuedAt)): LabReportDoc => {
    const resident = residents.get(seed.residentId)!;
    const ageYears = ageInYears(resident.birthDate, issuedAt);
    const results = seed.results.map((result) => observationOf({ code: result.code.code, value: result.value, unit: result.unit }, resident.gender, ageYears));
    return {
      _id: id,
      residentId: seed.residentId,
      organizationCode,
      category: seed.category,
      code: seed.code,
      localCode: `LIS-${seed.code.code}`,
      status: seed.status,
      specimen: seed.category === 'LABORATORY' ? (seed.code.code === '58410-2' ? '全血' : '血清') : null,
      collectedAt: new Date(issuedAt.getTime() - 3 * 3_600_000),
      effectiveAt: null,
      issuedAt,
      orderingPractitioner: null,
      orderingOrganizationCode: organizationCode,
      conclusion: seed.category === 'IMAGING' ? CT_CONCLUSIONS[parseInt(id.slice(-2), 16) % CT_CONCLUSIONS.length]! : null,
      subjectSex: resident.gender,
      subjectAgeYears: ageYears,
      results,
      itemCodes: [...new Set([seed.code.code, ...results.map((result) => result.code.code)])],
      hasCritical: results.some((result) => result.critical),
      sensitivities: labSensitivities({ code: seed.code, results }),
      version: seed.status === 'AMENDED' ? 2 : 1,
      source: { organizationCode, recordId: `L${id.slice(0, 10).toUpperCase()}`, uploadedAt: issuedAt },
    };
  };

  const reports = city.labReports.map((seed) => toReport(seed));
  for (const report of reports.filter((candidate) => candidate.version === 2)) {
    versions.push({
      _id: `${report._id}:1`,
      reportId: report._id,
      version: 1,
      status: 'FINAL',
      issuedAt: new Date(report.issuedAt.getTime() - DAY_MS),
      conclusion: report.conclusion,
      results: report.results.map((result) => (result.value === null ? result : { ...result, value: Math.round(result.value * 1.1 * 100) / 100 })),
      replacedAt: report.issuedAt,
    });
  }

  // Recent repeats of the same test at another hospital: what the reminder exists to catch.
  const recent = city.labReports.filter(
    (seed) => seed.category === 'LABORATORY' && !placed.has(seed.id) && now.getTime() - Date.parse(seed.issuedAt) < 60 * DAY_MS,
  );
  for (const [index, seed] of recent.filter((_, position) => position % 3 === 0).entries()) {
    const elsewhere = tertiary[(index * 7 + 3) % tertiary.length]!;
    if (elsewhere === seed.organizationCode) continue;
    const issuedAt = new Date(Math.min(now.getTime() - DAY_MS, Date.parse(seed.issuedAt) + 3 * DAY_MS));
    reports.push(toReport(seed, createHash('sha256').update(`repeat|${seed.id}`).digest('hex').slice(0, 24), elsewhere, issuedAt));
  }

  const performing = [...new Set(reports.map((report) => report.organizationCode))].sort();
  const laboratories = performing.map(
    (code, index): LaboratoryDoc => ({
      _id: code,
      certifiedScope: levels.get(code) === 'TERTIARY' ? (index % 3 === 0 ? 'PROVINCE' : 'CITY') : null,
    }),
  );
  return { reports, versions, laboratories };
}
