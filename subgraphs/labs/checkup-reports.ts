/**
 * Check-up reports (体检报告): a centre's lab system files a check-up's results as a lab
 * report — coded, unit-checked and interpreted like any result, labelled for consent and
 * decided by the same `submit-lab-report` write — with its conclusions and recommendations.
 * Their text is the report's conclusion (so the labels see it); the lists are kept beside it
 * and shown only through a report the viewer may see.
 */
import { z } from 'zod';
import { idIn } from '../../platform/database';
import { badUserInput } from '../../platform/errors';
import { parseInput } from '../runtime/input';
import { textRule } from '../runtime/input-rules';
import type { CheckupFindingsDoc, LabReportDoc, LabsModels } from './models';
import type { LabsRepository } from './repository';

const findingsInput = z.object({
  conclusions: z.array(textRule(500)).min(1, 'must name at least one conclusion').max(50, 'must name at most 50 conclusions'),
  recommendations: z.array(textRule(500)).max(50, 'must name at most 50 recommendations'),
});

/** The report's conclusion text: the conclusions, then the recommendations, one a line. */
export function conclusionOf(findings: Pick<CheckupFindingsDoc, 'conclusions' | 'recommendations'>): string {
  const lines = (title: string, items: readonly string[]) => (items.length ? [title, ...items.map((item, index) => `${index + 1}. ${item}`)] : []);
  return [...lines('体检结论 Conclusions:', findings.conclusions), ...lines('健康建议 Recommendations:', findings.recommendations)].join('\n');
}

export class CheckupReports {
  constructor(
    private readonly models: LabsModels,
    /** Files the report itself, deciding the write by the policy first. */
    private readonly labs: LabsRepository,
  ) {}

  /**
   * Files a check-up report: the findings checked first, then the report through the lab
   * upload path (same id again replaces it, history kept), then its findings beside it.
   */
  async submit(rawInput: unknown, rawFindings: unknown): Promise<LabReportDoc> {
    const findings = parseInput(findingsInput, rawFindings);
    const input = (rawInput ?? {}) as Record<string, unknown>;
    if (input.conclusion !== null && input.conclusion !== undefined)
      throw badUserInput('input.conclusion is left out of a check-up report: give findings.conclusions and findings.recommendations');
    const saved = await this.labs.submitLabReport({ ...input, conclusion: conclusionOf(findings) });
    await this.models.CheckupFindings.replaceOne({ _id: saved._id }, { _id: saved._id, residentId: saved.residentId, ...findings }, { upsert: true }).exec();
    return saved;
  }

  /** The findings of reports already decided for the viewer (null for reports that are not check-ups): one query. */
  async findingsOf(reportIds: readonly string[]): Promise<Map<string, CheckupFindingsDoc>> {
    const rows = await this.models.CheckupFindings.find({ _id: idIn(reportIds) })
      .lean<CheckupFindingsDoc[]>()
      .exec();
    return new Map(rows.map((row) => [row._id, row]));
  }
}
