/**
 * Queries and rules of the labs subgraph. Reads return only what the viewer may see (and
 * never withdrawn reports in lists); writes validate everything before they write anything.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PermittedRecords } from '../../access-control/resident-access';
import { type ResidentAccess, visibleRecords, withoutRestricted } from '../../access-control/resident-access';
import { unionOf } from '../../access-control/sensitivity';
import { type CountActivity, countNothing, realtimeEntry, scheduledEntry } from '../../monitoring/activity';
import { claimAll } from '../../platform/claims';
import { bulkWriteFailures, idIn, noneOf, oneOf, operator, RECORDS_BATCH_SIZE } from '../../platform/database';
import { appError, badUserInput } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import { accepted, decideByPolicy, refused, type UploadOutcome } from '../runtime/batch-upload';
import { type Filing, fileBatch, type WriteResult } from '../runtime/filing-pipeline';
import { organizationCodeOf, residentIdOf } from '../runtime/ids';
import { dayOrTimeOf, monthOf, parseInput } from '../runtime/input';
import { isoDateRule, isoTimeRule } from '../runtime/input-rules';
import { activityOfLabReport } from './lab-activity';
import { ageInYears, checkOrderItem, type OrderCheckView, observationOf, requireItem } from './lab-rules';
import {
  LAB_CATEGORIES,
  LAB_REPORT_STATUSES,
  type LaboratoryDoc,
  type LabReportDoc,
  type LabReportVersionDoc,
  type LabsModels,
  labSensitivities,
  type ReminderEventDoc,
} from './models';

/** Reports withdrawn by the lab are not shown in normal reads. */
const HIDDEN_STATUSES: LabReportDoc['status'][] = ['ENTERED_IN_ERROR'];
const MAX_ORDER_ITEMS = 30;
const REPLACED_MEANWHILE = 'The report was replaced by another upload meanwhile; retry';

export interface ReportFilter {
  category?: LabReportDoc['category'] | null;
  code?: string | null;
  codes?: string[] | null;
  since?: string | null;
  until?: string | null;
}

export interface ReminderStatisticsRow {
  organizationCode: string;
  month: string;
  shown: number;
  reuse: number;
  consider: number;
  order: number;
}

const submission = z.object({
  residentId: z.string().regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters'),
  sourceReportId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -'),
  category: z.enum(LAB_CATEGORIES),
  code: z.string().min(1).max(20),
  localCode: z.string().max(40).nullish(),
  status: z.enum(LAB_REPORT_STATUSES),
  specimen: z.string().max(40).nullish(),
  collectedAt: isoTimeRule.nullish(),
  effectiveAt: isoTimeRule.nullish(),
  issuedAt: isoTimeRule,
  orderingPractitioner: z.string().max(64).nullish(),
  orderingOrganizationCode: z.string().nullish(),
  conclusion: z.string().max(4000).nullish(),
  subjectSex: z.enum(['MALE', 'FEMALE', 'UNKNOWN']),
  subjectBirthDate: isoDateRule,
  results: z
    .array(
      z.object({
        code: z.string(),
        value: z.number().nullish(),
        unit: z.string().nullish(),
        valueCode: z.string().nullish(),
        valueText: z.string().nullish(),
        method: z.string().max(64).nullish(),
      }),
    )
    .max(100),
});

export class LabsRepository {
  constructor(
    private readonly models: LabsModels,
    private readonly access: ResidentAccess,
    /** Counts accepted real-time reports at the platform (monitoring rollups). */
    private readonly countActivity: CountActivity = countNothing,
    /** Told of every report filed new or changed (critical results are pushed from there). */
    private readonly onFiled: (reports: readonly LabReportDoc[]) => Promise<void> = async () => {},
  ) {}

  /**
   * The reports of many residents matching a filter, with one query; newest first. Without
   * `withResults` the result lines are left out (a list that does not show them).
   */
  async reportsOfResidents(residentIds: readonly string[], filter: ReportFilter = {}, withResults = true): Promise<PermittedRecords<LabReportDoc>> {
    return this.access.read(
      'labs',
      residentIds,
      (filedUnder) =>
        this.models.LabReport.find(reportQuery(filedUnder, filter), withResults ? null : WITHOUT_RESULTS)
          .sort({ issuedAt: -1, _id: -1 })
          .batchSize(RECORDS_BATCH_SIZE)
          .lean<LabReportDoc[]>()
          .exec(),
      label,
    );
  }

  /** One resident's page of reports, newest first, `first + 1` rows at a time; null when the viewer may not see them. */
  async reportPage(
    residentId: string,
    filter: ReportFilter,
    first: number,
    after: string | null | undefined,
    withResults: boolean,
  ): Promise<Page<LabReportDoc> | null> {
    return this.access.readPage('labs', residentId, (filedUnder) => {
      const query = reportQuery(filedUnder, filter);
      return timePage(
        {
          field: 'issuedAt',
          fetch: ({ keyset, sort, limit }) =>
            this.models.LabReport.find({ ...query, ...keyset }, withResults ? null : WITHOUT_RESULTS)
              .sort(sort)
              .limit(limit)
              .batchSize(RECORDS_BATCH_SIZE)
              .lean<LabReportDoc[]>()
              .exec(),
          keyOf: reportKey,
          keep: (rows) => withoutRestricted(this.access, rows, label),
        },
        first,
        after,
      );
    });
  }

  /** By id, withdrawn reports included (shown as such): the one place they still appear. */
  async reportsById(ids: readonly string[]): Promise<LabReportDoc[]> {
    const records = await this.models.LabReport.find({ _id: idIn(ids) })
      .lean<LabReportDoc[]>()
      .exec();
    return visibleRecords(this.access, records, 'labs', label);
  }

  /**
   * The earlier versions of reports the viewer already sees, newest first, one query: each
   * version is labelled on its own (a corrected HIV result stays restricted in the history).
   */
  async historyOf(reports: readonly LabReportDoc[]): Promise<Map<string, LabReportVersionDoc[]>> {
    const byId = new Map(reports.map((report) => [report._id, report]));
    const rows = await this.models.LabReportVersion.find({ reportId: oneOf([...byId.keys()]) })
      .sort({ version: -1 })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<LabReportVersionDoc[]>()
      .exec();
    const versions = rows.map((version) => ({ version, residentId: byId.get(version.reportId)!.residentId }));
    const visible = await withoutRestricted(this.access, versions, ({ version }) => versionLabel(version, byId.get(version.reportId)!));
    const history = new Map(reports.map((report) => [report._id, [] as LabReportVersionDoc[]]));
    for (const { version } of visible) history.get(version.reportId)!.push(version);
    return history;
  }

  /**
   * A lab system's upload. The same (organization, report id) again replaces the report and
   * keeps the previous version in the history; an identical re-upload changes nothing.
   */
  async submitLabReport(rawInput: unknown): Promise<LabReportDoc> {
    const input = parseInput(submission, rawInput);
    const organizationCode = await this.laboratoryOfViewer();
    // Filed under the survivor when the id was merged away.
    const residentId = await this.access.requireWrite(input.residentId, 'submit-lab-report');
    const { saved, outcome } = await this.store(reportOf(input, organizationCode, residentId));
    // Referrals may attach it: they check whose it is against this note.
    await this.access.noteRecordOwner('lab-report', saved._id, saved.residentId);
    // A new report or a new version counts as a record received; an identical re-send counts nothing.
    if (outcome !== 'unchanged') await this.countActivity([realtimeEntry(organizationCode, new Date(), activityOfLabReport(saved))]);
    if (outcome !== 'unchanged') await this.onFiled([saved]);
    return saved;
  }

  /**
   * A lab system's batch, through the filing pipeline: each item parsed, decided and built as
   * submitLabReport does; new reports inserted in one bulk write, identical re-uploads writing
   * nothing, changed ones replaced as submitLabReport replaces one (history kept) in two.
   */
  async uploadLabReports(rawInputs: unknown[]): Promise<UploadOutcome[]> {
    const { outcomes } = await fileBatch(
      rawInputs,
      {
        schema: submission,
        sourceIdField: 'sourceReportId',
        organization: () => this.laboratoryOfViewer(),
        decide: (parsed, refusals) => decideByPolicy(this.access, 'submit-lab-report', parsed, refusals),
        build: reportOf,
        storedVersions: (built) => this.storedReports(built.map(({ doc }) => doc._id)),
        // Filed before a merge under the merged id, a report is the survivor's (storedReports resolved whose).
        compare: (filed, stored, residentId) => {
          if (this.access.survivorOf(stored.residentId) !== residentId) return refused('CONFLICT', 'This report id was uploaded for another resident');
          return sameContent(stored, filed) ? accepted('UNCHANGED') : null;
        },
        write: (filings) => this.writeReports(filings),
        owner: 'lab-report',
        afterWrite: (written) => this.onFiled(written.map(({ saved }) => saved)),
        countOf: ({ saved }, organizationCode, at) => [scheduledEntry(organizationCode, at, activityOfLabReport(saved))],
      },
      this.access,
      this.countActivity,
    );
    return outcomes;
  }

  /** Stored reports by id, in one query, with whom each is filed under resolved as a survivor (one batched lookup). */
  private async storedReports(ids: string[]): Promise<Map<string, LabReportDoc>> {
    const stored = await this.models.LabReport.find({ _id: idIn(ids) })
      .batchSize(RECORDS_BATCH_SIZE)
      .lean<LabReportDoc[]>()
      .exec();
    await Promise.all(stored.map((doc) => this.access.survivorIdOf(doc.residentId)));
    return new Map(stored.map((doc) => [doc._id, doc]));
  }

  /** A batch's changed reports replaced (replaceReports), then its new ones inserted in one bulk write. */
  private async writeReports(filings: readonly Filing<LabReportDoc>[]): Promise<WriteResult<LabReportDoc>[]> {
    const results: WriteResult<LabReportDoc>[] = [];
    const changes = filings.flatMap(({ doc, previous }, position) => (previous ? [{ position, existing: previous, report: doc }] : []));
    const inserts = filings.flatMap(({ previous }, position) => (previous ? [] : [position]));
    const replaced = await this.replaceReports(changes);
    changes.forEach(({ position }, change) => {
      const saved = replaced[change];
      results[position] = saved ? { saved } : refused('CONFLICT', REPLACED_MEANWHILE);
    });
    const failed = await bulkWriteFailures(
      this.models.LabReport,
      inserts.map((position) => ({ insertOne: { document: filings[position]!.doc } })),
    );
    inserts.forEach((position, insert) => {
      results[position] = failed.has(insert)
        ? refused('CONFLICT', 'The report was uploaded by another request meanwhile; retry')
        : { saved: filings[position]!.doc };
    });
    return results;
  }

  /** The caller's laboratory: its organization must be a registered laboratory. */
  private async laboratoryOfViewer(): Promise<string> {
    const organizationCode = this.access.viewer.organizationCode;
    if (!organizationCode || !(await this.models.Laboratory.findById(organizationCode).lean().exec())) {
      throw badUserInput('Unknown organization: the caller is not a registered laboratory');
    }
    return organizationCode;
  }

  /** Inserts a new report, or replaces an existing one as its next version, keeping the one it replaces in the history. */
  private async store(report: LabReportDoc): Promise<{ saved: LabReportDoc; outcome: 'created' | 'replaced' | 'unchanged' }> {
    const existing = await this.models.LabReport.findById(report._id).lean<LabReportDoc>().exec();
    if (!existing) {
      try {
        await this.models.LabReport.create(report);
        return { saved: report, outcome: 'created' };
      } catch {
        throw appError('CONFLICT', 'The report was uploaded by another request meanwhile; retry');
      }
    }
    if (existing.residentId !== report.residentId) {
      // Filed before a merge under the merged id: it is the survivor's, and stays filed there.
      if ((await this.access.survivorIdOf(existing.residentId)) !== report.residentId)
        throw appError('CONFLICT', 'This report id was uploaded for another resident');
      report = { ...report, residentId: existing.residentId };
    }
    if (sameContent(existing, report)) return { saved: existing, outcome: 'unchanged' };
    const [replaced] = await this.replaceReports([{ existing, report }]);
    if (!replaced) throw appError('CONFLICT', REPLACED_MEANWHILE);
    return { saved: replaced, outcome: 'replaced' };
  }

  /**
   * Replaces reports whose content changed (single or batch alike), each as the next version
   * of the one read, the one read kept in the history. Archiving a version claims it (its _id
   * is report and version), so of two uploads changing the same report at once exactly one
   * wins; the other gets null here, and a re-send applies it to the new version. A claim
   * made for the same content (an upload that failed after its claim, re-sent) is finished
   * instead. Two round trips however many reports: the claims, then the replacements (and one
   * read of the claims already taken, if any).
   */
  private async replaceReports(changes: readonly { existing: LabReportDoc; report: LabReportDoc }[]): Promise<(LabReportDoc | null)[]> {
    if (changes.length === 0) return [];
    const replacedAt = new Date();
    const archives = changes.map(({ existing, report }) => archiveOf(existing, replacedAt, contentKey(report)));
    const lost = await claimAll(this.models.LabReportVersion, archives);
    const claimedFor = new Map(
      lost.size
        ? (
            await this.models.LabReportVersion.find({ _id: idIn([...lost].map((position) => archives[position]!._id)) }, { replacedBy: 1 })
              .lean<Pick<LabReportVersionDoc, '_id' | 'replacedBy'>[]>()
              .exec()
          ).map((archive) => [archive._id, archive.replacedBy])
        : [],
    );
    const won = changes.flatMap(({ existing, report }, position) =>
      lost.has(position) && claimedFor.get(archives[position]!._id) !== archives[position]!.replacedBy
        ? []
        : [{ position, from: existing.version, next: { ...report, version: existing.version + 1 } }],
    );
    if (won.length === 0) return changes.map(() => null);
    // By resident too: the collection is sharded on it, and a replacement keeps the report where it is filed.
    const { matchedCount } = await this.models.LabReport.bulkWrite(
      won.map(({ from, next }) => ({ replaceOne: { filter: { _id: next._id, residentId: next.residentId, version: from }, replacement: next } })),
      { ordered: false },
    );
    // A replacement that matched nothing: the same change finished by a concurrent re-send (the report is past the
    // version read, which counts as written), or the report gone meanwhile (it is not).
    const versionNow =
      matchedCount === won.length
        ? null
        : new Map(
            (
              await this.models.LabReport.find(
                { residentId: oneOf(new Set(won.map(({ next }) => next.residentId))), _id: idIn(won.map(({ next }) => next._id)) },
                { version: 1 },
              )
                .lean<Pick<LabReportDoc, '_id' | 'version'>[]>()
                .exec()
            ).map((doc) => [doc._id, doc.version]),
          );
    const saved = new Map(won.filter(({ from, next }) => !versionNow || (versionNow.get(next._id) ?? 0) > from).map(({ position, next }) => [position, next]));
    return changes.map((_change, position) => saved.get(position) ?? null);
  }

  /** The duplicate-test reminder for items a doctor is about to order; every item shown is recorded. */
  async checkOrder(residentIdInput: string, itemCodes: string[], orderingOrganizationCode: string): Promise<OrderCheckView[]> {
    const requested = residentIdOf(residentIdInput);
    if (itemCodes.length === 0 || itemCodes.length > MAX_ORDER_ITEMS) throw badUserInput(`Give 1 to ${MAX_ORDER_ITEMS} item codes`);
    const items = [...new Set(itemCodes)].map((code) => requireItem(code, 'item'));
    if (organizationCodeOf(orderingOrganizationCode) !== this.access.viewer.organizationCode)
      throw badUserInput('orderingOrganizationCode must be your own organization');
    const residentId = await this.access.requireWrite(requested, 'check-order');
    const { records } = await this.reportsOfResidents([residentId], { codes: items.map((item) => item.code) });
    const laboratoryCodes = [...new Set(records.map((report) => report.organizationCode))];
    const laboratories = new Map(
      laboratoryCodes.length
        ? (
            await this.models.Laboratory.find({ _id: idIn(laboratoryCodes) })
              .lean<LaboratoryDoc[]>()
              .exec()
          ).map((lab) => [lab._id, lab])
        : [],
    );
    const now = new Date();
    const checks = items.map((item) => checkOrderItem(item, records, laboratories, now));
    const month = now.toISOString().slice(0, 7);
    const events: ReminderEventDoc[] = checks.map((check) => ({
      _id: randomUUID(),
      residentId,
      organizationCode: orderingOrganizationCode,
      itemCode: check.item.code,
      recommendation: check.recommendation,
      month,
      at: now,
    }));
    await this.models.ReminderEvent.insertMany(events, { lean: true });
    // Each item's reminder shown is a smart reminder served (the bulletin's 智能提示).
    await this.countActivity([{ organizationCode: orderingOrganizationCode, at: now, counts: { smartReminders: events.length } }]);
    return checks;
  }

  /** Aggregates only: counts per organization, never a resident. */
  async reminderStatistics(month: string, organizationCode: string | null | undefined): Promise<ReminderStatisticsRow[]> {
    monthOf(month, 'month');
    const match: Record<string, unknown> = { month };
    if (organizationCode) match.organizationCode = organizationCodeOf(organizationCode);
    const groups = await this.models.ReminderEvent.aggregate<{
      _id: { organizationCode: string; recommendation: ReminderEventDoc['recommendation'] };
      count: number;
    }>([{ $match: match }, { $group: { _id: { organizationCode: '$organizationCode', recommendation: '$recommendation' }, count: { $sum: 1 } } }]).exec();
    const rows = new Map<string, ReminderStatisticsRow>();
    for (const { _id, count } of groups) {
      const row = rows.get(_id.organizationCode) ?? { organizationCode: _id.organizationCode, month, shown: 0, reuse: 0, consider: 0, order: 0 };
      row.shown += count;
      row[_id.recommendation.toLowerCase() as 'reuse' | 'consider' | 'order'] += count;
      rows.set(_id.organizationCode, row);
    }
    return [...rows.values()].sort((a, b) => a.organizationCode.localeCompare(b.organizationCode));
  }
}

function reportQuery(residentIds: Iterable<string>, filter: ReportFilter): Record<string, unknown> {
  const query: Record<string, unknown> = { residentId: oneOf(residentIds), status: noneOf(HIDDEN_STATUSES) };
  if (filter.category) query.category = filter.category;
  const codes = [...(filter.codes ?? []), ...(filter.code ? [filter.code] : [])];
  if (codes.length > 0) query.itemCodes = oneOf(codes);
  const issued: Record<string, Date> = {};
  if (filter.since) issued.$gte = dayOrTimeOf(filter.since, 'since');
  if (filter.until) issued.$lt = dayOrTimeOf(filter.until, 'until');
  if (Object.keys(issued).length > 0) query.issuedAt = operator(issued);
  return query;
}

/** A list that does not show result lines reads reports without them: they are most of a report. */
const WITHOUT_RESULTS = { results: 0 };

/** Where a report stands in a page by time. */
export const reportKey = (report: LabReportDoc) => ({ at: report.issuedAt, id: report._id });

/**
 * What a report reveals (stored label united with a fresh one) and where it came from, for
 * the resident's consent. A report read without its result lines is labelled from its item
 * codes, which hold every result's code.
 */
const label = (report: LabReportDoc) => {
  const results = report.results ?? report.itemCodes.map((code) => ({ code: { system: 'http://loinc.org', code, display: '' } }));
  return { categories: unionOf(report.sensitivities, labSensitivities({ ...report, results })), organizationCode: report.organizationCode };
};

/** A replaced version: labelled by what it showed then (its own code, or the report's where not kept). */
const versionLabel = (version: LabReportVersionDoc, report: LabReportDoc) => ({
  categories: unionOf(version.sensitivities, labSensitivities({ code: version.code ?? report.code, results: version.results, conclusion: version.conclusion })),
  organizationCode: report.organizationCode,
});

type Submission = z.infer<typeof submission>;

/**
 * The report a submission files, single or batch alike: every code and unit checked against
 * the catalogue, each line interpreted for the patient's sex and age (BAD_USER_INPUT otherwise).
 */
function reportOf(input: Submission, organizationCode: string, residentId: string): LabReportDoc {
  const item = requireItem(input.code, 'code');
  if (item.category !== input.category) throw badUserInput(`code ${input.code} is a ${item.category.toLowerCase()} item, not ${input.category.toLowerCase()}`);
  const issuedAt = new Date(input.issuedAt);
  const ageYears = ageInYears(input.subjectBirthDate, new Date(input.collectedAt ?? input.issuedAt));
  const results = input.results.map((result) => observationOf(result, input.subjectSex, ageYears));
  return {
    _id: createHash('sha256').update(`lab|${organizationCode}|${input.sourceReportId}`).digest('hex').slice(0, 24),
    residentId,
    organizationCode,
    category: input.category,
    code: { system: 'http://loinc.org', code: item.code, display: item.name },
    localCode: input.localCode ?? null,
    status: input.status,
    specimen: input.specimen ?? null,
    collectedAt: input.collectedAt ? new Date(input.collectedAt) : null,
    effectiveAt: input.effectiveAt ? new Date(input.effectiveAt) : null,
    issuedAt,
    orderingPractitioner: input.orderingPractitioner ?? null,
    orderingOrganizationCode: input.orderingOrganizationCode ? organizationCodeOf(input.orderingOrganizationCode) : null,
    conclusion: input.conclusion ?? null,
    subjectSex: input.subjectSex,
    subjectAgeYears: ageYears,
    results,
    itemCodes: [...new Set([item.code, ...results.map((result) => result.code.code)])],
    hasCritical: results.some((result) => result.critical),
    sensitivities: labSensitivities({ code: { system: 'http://loinc.org', code: item.code, display: item.name }, results, conclusion: input.conclusion }),
    version: 1,
    source: { organizationCode, recordId: input.sourceReportId, uploadedAt: new Date() },
  };
}

/** The version a replacement archives: what the report showed then, labelled as it was, and the content that replaces it. */
function archiveOf(report: LabReportDoc, replacedAt: Date, replacedBy: string): LabReportVersionDoc {
  return {
    _id: `${report._id}:${report.version}`,
    reportId: report._id,
    version: report.version,
    code: report.code,
    sensitivities: label(report).categories,
    status: report.status,
    issuedAt: report.issuedAt,
    conclusion: report.conclusion,
    results: report.results,
    replacedAt,
    replacedBy,
  };
}

const sameContent = (a: LabReportDoc, b: LabReportDoc): boolean => contentKey(a) === contentKey(b);

/** What a report says, as a key: its version and where it came from aside. */
function contentKey(report: LabReportDoc): string {
  const { source: _source, version: _version, ...content } = report;
  return createHash('sha256')
    .update(JSON.stringify(normalize(content)))
    .digest('hex');
}

/** Dates and key order as they come back from the database, so equal content compares equal. */
function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, normalize((value as Record<string, unknown>)[key])]),
    );
  return value;
}
