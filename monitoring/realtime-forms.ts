/**
 * The city's real-time upload forms (实时上传表单): what the platform expects each hospital to
 * send as it happens, and which kinds of accepted writes feed each form. The catalogue is
 * configuration: REALTIME_FORMS_FILE may point at a JSON array of the same shape to replace it
 * (validated at load; a bad file stops the process naming the variable).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The kinds of accepted writes the subgraphs tell apart when they count activity. */
export const RECORD_FEEDS = [
  'encounter.outpatient',
  'encounter.emergency',
  'encounter.virtual',
  'encounter.outpatient-charges',
  'encounter.inpatient',
  'encounter.discharge',
  'encounter.inpatient-charges',
  'condition',
  'allergy',
  'lab-report.laboratory',
  'lab-report.exam',
  'prescription',
  'dispense',
  'referral',
] as const;
export type RecordFeed = (typeof RECORD_FEEDS)[number];

export interface RealtimeForm {
  /** Stable code, stored in the rollups. */
  code: string;
  name: string;
  /** The kinds of writes that count as this form arriving. */
  feeds: RecordFeed[];
}

export const DEFAULT_REALTIME_FORMS: readonly RealtimeForm[] = [
  { code: 'OUTPATIENT_REGISTRATION', name: '门急诊挂号', feeds: ['encounter.outpatient', 'encounter.emergency', 'encounter.virtual'] },
  { code: 'OUTPATIENT_SETTLEMENT', name: '门急诊收费结算', feeds: ['encounter.outpatient-charges'] },
  { code: 'ADMISSION_DISCHARGE', name: '入出院记录', feeds: ['encounter.inpatient', 'encounter.discharge'] },
  { code: 'INPATIENT_SETTLEMENT', name: '住院收费结算', feeds: ['encounter.inpatient-charges'] },
  { code: 'DIAGNOSIS', name: '诊断记录', feeds: ['condition'] },
  { code: 'ALLERGY', name: '过敏史', feeds: ['allergy'] },
  { code: 'LAB_REPORT', name: '检验报告', feeds: ['lab-report.laboratory'] },
  { code: 'EXAM_REPORT', name: '检查报告', feeds: ['lab-report.exam'] },
  { code: 'PRESCRIPTION', name: '门急诊处方', feeds: ['prescription'] },
  { code: 'DISPENSING', name: '药品调剂发药', feeds: ['dispense'] },
  { code: 'REFERRAL', name: '双向转诊', feeds: ['referral'] },
];

const catalogueSchema = z
  .array(z.object({ code: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/), name: z.string().min(1).max(40), feeds: z.array(z.enum(RECORD_FEEDS)).min(1) }).strict())
  .min(1)
  .max(50)
  .refine((forms) => new Set(forms.map((form) => form.code)).size === forms.length, 'form codes must be unique');

function loadCatalogue(): readonly RealtimeForm[] {
  const file = process.env.REALTIME_FORMS_FILE;
  if (!file) return DEFAULT_REALTIME_FORMS;
  try {
    return catalogueSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`REALTIME_FORMS_FILE (${file}) is not a valid forms catalogue: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export const REALTIME_FORMS: readonly RealtimeForm[] = loadCatalogue();

/** The codes of the forms these kinds of writes feed, in catalogue order. */
export function formsFedBy(feeds: readonly RecordFeed[]): string[] {
  return REALTIME_FORMS.filter((form) => form.feeds.some((feed) => feeds.includes(feed))).map((form) => form.code);
}
