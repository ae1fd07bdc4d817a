/**
 * The drug catalogue prescriptions are checked against: NMPA approval number, Chinese display name,
 * therapeutic group (duplicate therapy), allergy groups (contraindications), chronic renewal rules
 * and what the drug reveals. Every drug the demo seeder prescribes (tools/seed/city.ts DRUG_ROWS) is
 * here under the same code and name. Pure data and functions.
 */

import { badUserInput } from '../../platform/errors';
import { searchMatcher } from '../runtime/input';

/** Most codes one `drugs(codes:)` may name: more than the catalogue holds. */
const MAX_CODES = 100;

export type DrugClass =
  | 'ANTIHYPERTENSIVE'
  | 'ANTIDIABETIC'
  | 'STATIN'
  | 'ANTIPLATELET'
  | 'ANTICOAGULANT'
  | 'BRONCHODILATOR'
  | 'INHALED_CORTICOSTEROID'
  | 'ANTIBIOTIC'
  | 'ANALGESIC'
  | 'NSAID'
  | 'PPI'
  | 'ANTIDEPRESSANT'
  | 'ANTIPSYCHOTIC'
  | 'ANTIRETROVIRAL'
  | 'OPIOID_SUBSTITUTION'
  | 'OTHER';
export type DrugSensitivity = 'HIV_STI' | 'MENTAL_HEALTH' | 'REPRODUCTIVE' | null;
/** Allergy substance codes (system 'NMPA-class') a drug can conflict with. */
export const ALLERGY_GROUPS = ['penicillins', 'cephalosporins', 'sulfonamides', 'nsaids', 'macrolides', 'fluoroquinolones'] as const;
export type AllergyGroup = (typeof ALLERGY_GROUPS)[number];
export interface AllergyConflict {
  group: string;
  severity: 'HIGH' | 'MODERATE';
}

export interface Drug {
  code: string; // NMPA approval number, e.g. 'H20093454' (the catalogue key)
  name: string; // Chinese display with strength, e.g. '苯磺酸氨氯地平片 5mg'
  inn: string; // lower-case international non-proprietary name, e.g. 'amlodipine'
  strength: string; // e.g. '5mg', '0.5g', '100μg/揿'
  doseUnit: string; // unit of one dose as prescribed: 'mg', 'g', 'μg', '揿' (puffs), 'ml', '片'
  routes: string[]; // allowed routes: 'oral', 'inhalation', 'subcutaneous', 'topical', 'intravenous'...
  drugClass: DrugClass;
  /** Subclass used for duplicate-therapy warnings: two active drugs with the same therapeutic group are a duplicate. */
  therapeuticGroup: string;
  /** True for long-term medication of a chronic condition: quantity limits for chronic medication apply, and online renewal is allowed. */
  chronic: boolean;
  /** ICD-10 code prefixes a renewal of this drug needs on record; [] when not chronic. */
  renewalDiagnoses: string[];
  /** Allergy groups that conflict: an allergy whose substance code is one of these is a contraindication. */
  allergyGroups: AllergyConflict[];
  /** What the drug reveals, for the resident's consent. */
  sensitivity: DrugSensitivity;
  /** Most days one prescription may cover. */
  maxDays: number;
}

// ---------------------------------------------------------------- building blocks

/** Default limit for chronic medication (configuration may raise it, e.g. long prescriptions of up to 12 weeks). */
export const CHRONIC_MAX_DAYS = 28;
const CHRONIC = CHRONIC_MAX_DAYS;

/** Renewal diagnoses (ICD-10 prefixes). A drug with any is chronic; ACUTE drugs are never renewed online. */
const ACUTE: readonly string[] = [];
const HYPERTENSION = ['I10', 'I11', 'I12', 'I13', 'I15'];
const HEART_FAILURE = [...HYPERTENSION, 'I50'];
const BETA_BLOCKER_USES = [...HYPERTENSION, 'I20', 'I25', 'I48', 'I50'];
const DIABETES = ['E11', 'E10', 'E14'];
const LIPIDS = ['E78', 'I25', 'I63'];
const ATHEROSCLEROSIS = ['I20', 'I25', 'I63', 'I65', 'I70', 'Z95'];
const ANGINA = ['I20', 'I25'];
const THROMBOEMBOLISM = ['I48', 'I26', 'I80', 'I82'];
const AIRWAYS = ['J44', 'J45'];
const RHINITIS = ['J30'];
const DEPRESSION_ANXIETY = ['F32', 'F33', 'F34', 'F40', 'F41', 'F42', 'F43'];
const PSYCHOSIS = ['F20', 'F22', 'F25', 'F31'];
const HIV = ['B20', 'B21', 'B22', 'B23', 'B24', 'Z21'];
const PROSTATE = ['N40'];
const HYPOTHYROIDISM = ['E03', 'E89'];
const OSTEOPOROSIS = ['M80', 'M81', 'M82'];

const high = (group: AllergyGroup): AllergyConflict => ({ group, severity: 'HIGH' });
const moderate = (group: AllergyGroup): AllergyConflict => ({ group, severity: 'MODERATE' });
const PENICILLIN = [high('penicillins')];
/** About 1-2% of penicillin-allergic patients react to a cephalosporin: a warning, not a bar. */
const CEPHALOSPORIN = [high('cephalosporins'), moderate('penicillins')];
const FLUOROQUINOLONE = [high('fluoroquinolones')];
const MACROLIDE = [high('macrolides')];
const SULFONAMIDE = [high('sulfonamides')];
/** Non-antibiotic sulfonamides (diuretics, sulfonylureas): cross-reactivity is rare but the labels warn. */
const SULFONAMIDE_MOIETY = [moderate('sulfonamides')];
const NSAID_ALLERGY = [high('nsaids')];

const ORAL = ['oral'];
const INHALED = ['inhalation'];

interface Options {
  routes?: readonly string[];
  allergy?: readonly AllergyConflict[];
  sensitivity?: DrugSensitivity;
}
type Row = readonly [
  code: string,
  name: string,
  inn: string,
  strength: string,
  doseUnit: string,
  therapeuticGroup: string,
  renewalDiagnoses: readonly string[],
  maxDays: number,
  options?: Options,
];

/** Classes whose every drug reveals what it treats. */
const CLASS_SENSITIVITY: Partial<Record<DrugClass, DrugSensitivity>> = {
  ANTIRETROVIRAL: 'HIV_STI',
  ANTIDEPRESSANT: 'MENTAL_HEALTH',
  ANTIPSYCHOTIC: 'MENTAL_HEALTH',
  OPIOID_SUBSTITUTION: 'MENTAL_HEALTH',
};

// ---------------------------------------------------------------- the table

const TABLE: Record<DrugClass, readonly Row[]> = {
  ANTIHYPERTENSIVE: [
    ['H20093454', '苯磺酸氨氯地平片 5mg', 'amlodipine', '5mg', 'mg', 'CCB', HYPERTENSION, CHRONIC],
    ['H20103231', '硝苯地平控释片 30mg', 'nifedipine', '30mg', 'mg', 'CCB', HYPERTENSION, CHRONIC],
    ['H20040217', '缬沙坦胶囊 80mg', 'valsartan', '80mg', 'mg', 'ARB', HYPERTENSION, CHRONIC],
    ['H20053788', '厄贝沙坦片 0.15g', 'irbesartan', '0.15g', 'g', 'ARB', HYPERTENSION, CHRONIC],
    // Contains valsartan: with another ARB (or an ACEI) it is a duplicate, not an add-on.
    ['H20203398', '沙库巴曲缬沙坦钠片 100mg', 'sacubitril/valsartan', '100mg', 'mg', 'ARB', HEART_FAILURE, CHRONIC],
    ['H20033190', '马来酸依那普利片 10mg', 'enalapril', '10mg', 'mg', 'ACEI', HEART_FAILURE, CHRONIC],
    ['H32025391', '酒石酸美托洛尔片 25mg', 'metoprolol', '25mg', 'mg', 'BETA_BLOCKER', BETA_BLOCKER_USES, CHRONIC],
  ],
  ANTIDIABETIC: [
    ['H20023370', '盐酸二甲双胍片 0.5g', 'metformin', '0.5g', 'g', 'BIGUANIDE', DIABETES, CHRONIC],
    ['H19990205', '阿卡波糖片 50mg', 'acarbose', '50mg', 'mg', 'ALPHA_GLUCOSIDASE_INHIBITOR', DIABETES, CHRONIC],
    ['H20057718', '格列美脲片 2mg', 'glimepiride', '2mg', 'mg', 'SULFONYLUREA', DIABETES, CHRONIC, { allergy: SULFONAMIDE_MOIETY }],
    ['H20213456', '达格列净片 10mg', 'dapagliflozin', '10mg', 'mg', 'SGLT2', [...DIABETES, 'I50', 'N18'], CHRONIC],
    ['H20153176', '甘精胰岛素注射液 3ml:300单位', 'insulin glargine', '3ml:300单位', '单位', 'BASAL_INSULIN', DIABETES, CHRONIC, { routes: ['subcutaneous'] }],
  ],
  STATIN: [
    ['H19990258', '阿托伐他汀钙片 20mg', 'atorvastatin', '20mg', 'mg', 'STATIN', LIPIDS, CHRONIC],
    ['H20080619', '瑞舒伐他汀钙片 10mg', 'rosuvastatin', '10mg', 'mg', 'STATIN', LIPIDS, CHRONIC],
  ],
  // Aspirin and clopidogrel together are dual antiplatelet therapy, not a duplicate: separate groups.
  ANTIPLATELET: [
    ['H32023366', '阿司匹林肠溶片 100mg', 'aspirin', '100mg', 'mg', 'ASPIRIN', ATHEROSCLEROSIS, CHRONIC, { allergy: NSAID_ALLERGY }],
    ['H20000542', '硫酸氢氯吡格雷片 75mg', 'clopidogrel', '75mg', 'mg', 'P2Y12_INHIBITOR', ATHEROSCLEROSIS, CHRONIC],
  ],
  ANTICOAGULANT: [
    ['H20213711', '利伐沙班片 20mg', 'rivaroxaban', '20mg', 'mg', 'ANTICOAGULANT', THROMBOEMBOLISM, CHRONIC],
    ['H31022123', '华法林钠片 2.5mg', 'warfarin', '2.5mg', 'mg', 'ANTICOAGULANT', [...THROMBOEMBOLISM, 'Z95'], CHRONIC],
  ],
  BRONCHODILATOR: [
    // The seeder prescribes salbutamol and mometasone doses in μg (two puffs = '200 μg').
    ['H20090257', '硫酸沙丁胺醇吸入气雾剂 100μg/揿', 'salbutamol', '100μg/揿', 'μg', 'SABA', AIRWAYS, CHRONIC, { routes: INHALED }],
    ['H20060454', '噻托溴铵粉吸入剂 18μg', 'tiotropium', '18μg', 'μg', 'LAMA', AIRWAYS, CHRONIC, { routes: INHALED }],
  ],
  INHALED_CORTICOSTEROID: [
    ['H20140474', '布地奈德福莫特罗吸入粉雾剂 160μg/4.5μg', 'budesonide/formoterol', '160μg/4.5μg', '吸', 'ICS_LABA', AIRWAYS, CHRONIC, { routes: INHALED }],
  ],
  ANTIBIOTIC: [
    ['H20003263', '阿莫西林胶囊 0.25g', 'amoxicillin', '0.25g', 'g', 'PENICILLIN', ACUTE, 10, { allergy: PENICILLIN }],
    ['H20023568', '阿莫西林克拉维酸钾干混悬剂 228.5mg', 'amoxicillin/clavulanate', '228.5mg', '袋', 'PENICILLIN', ACUTE, 10, { allergy: PENICILLIN }],
    ['H20073856', '头孢克肟胶囊 0.1g', 'cefixime', '0.1g', 'g', 'CEPHALOSPORIN', ACUTE, 10, { allergy: CEPHALOSPORIN }],
    ['H20052453', '头孢呋辛酯片 0.25g', 'cefuroxime', '0.25g', 'g', 'CEPHALOSPORIN', ACUTE, 10, { allergy: CEPHALOSPORIN }],
    [
      'H20064113',
      '注射用头孢曲松钠 1.0g',
      'ceftriaxone',
      '1.0g',
      'g',
      'CEPHALOSPORIN',
      ACUTE,
      14,
      { allergy: CEPHALOSPORIN, routes: ['intravenous', 'intramuscular'] },
    ],
    ['H20040410', '左氧氟沙星片 0.5g', 'levofloxacin', '0.5g', 'g', 'FLUOROQUINOLONE', ACUTE, 14, { allergy: FLUOROQUINOLONE }],
    ['H10960112', '阿奇霉素片 0.25g', 'azithromycin', '0.25g', 'g', 'MACROLIDE', ACUTE, 10, { allergy: MACROLIDE }],
    ['H20030375', '阿奇霉素干混悬剂 0.1g', 'azithromycin', '0.1g', 'g', 'MACROLIDE', ACUTE, 10, { allergy: MACROLIDE }],
    ['H32020451', '复方磺胺甲噁唑片 0.4g:80mg', 'sulfamethoxazole/trimethoprim', '0.4g:80mg', '片', 'SULFONAMIDE', ACUTE, 14, { allergy: SULFONAMIDE }],
    ['H20050335', '磷霉素氨丁三醇散 3g', 'fosfomycin', '3g', 'g', 'FOSFOMYCIN', ACUTE, 7],
    ['H20050543', '甲硝唑阴道泡腾片 0.2g', 'metronidazole', '0.2g', 'g', 'NITROIMIDAZOLE', ACUTE, 7, { routes: ['vaginal'] }],
    // Eye drops next to an oral quinolone are not duplicate therapy: a group of their own.
    [
      'H20093217',
      '左氧氟沙星滴眼液 0.5%',
      'levofloxacin',
      '0.5%',
      '滴',
      'OPHTHALMIC_ANTIBIOTIC',
      ACUTE,
      7,
      { allergy: FLUOROQUINOLONE, routes: ['ophthalmic'] },
    ],
  ],
  // Paracetamol in a combination cold medicine on top of plain paracetamol is the classic overdose: same group.
  ANALGESIC: [
    ['H11020687', '对乙酰氨基酚片 0.5g', 'paracetamol', '0.5g', 'g', 'PARACETAMOL', ACUTE, 7],
    ['H20063845', '小儿氨酚黄那敏颗粒', 'paracetamol/chlorphenamine', '125mg:0.5mg:5mg', '袋', 'PARACETAMOL', ACUTE, 7],
  ],
  NSAID: [
    ['H20013062', '布洛芬缓释胶囊 0.3g', 'ibuprofen', '0.3g', 'g', 'NSAID', ACUTE, 14, { allergy: NSAID_ALLERGY }],
    ['H20013303', '布洛芬混悬液 100ml:2g', 'ibuprofen', '100ml:2g', 'ml', 'NSAID', ACUTE, 7, { allergy: NSAID_ALLERGY }],
    ['H20051848', '双氯芬酸钠缓释片 75mg', 'diclofenac', '75mg', 'mg', 'NSAID', ACUTE, 14, { allergy: NSAID_ALLERGY }],
    ['H20064525', '洛索洛芬钠片 60mg', 'loxoprofen', '60mg', 'mg', 'NSAID', ACUTE, 14, { allergy: NSAID_ALLERGY }],
    // The label contraindicates celecoxib after a sulfonamide allergy as well as an NSAID one.
    ['H20133160', '塞来昔布胶囊 0.2g', 'celecoxib', '0.2g', 'g', 'NSAID', ACUTE, 14, { allergy: [high('nsaids'), high('sulfonamides')] }],
  ],
  PPI: [
    ['H20033285', '奥美拉唑肠溶胶囊 20mg', 'omeprazole', '20mg', 'mg', 'PPI', ACUTE, 28],
    ['H20040380', '雷贝拉唑钠肠溶片 10mg', 'rabeprazole', '10mg', 'mg', 'PPI', ACUTE, 28],
  ],
  ANTIDEPRESSANT: [
    ['H20010510', '草酸艾司西酞普兰片 10mg', 'escitalopram', '10mg', 'mg', 'SSRI', DEPRESSION_ANXIETY, CHRONIC],
    ['H10950129', '盐酸舍曲林片 50mg', 'sertraline', '50mg', 'mg', 'SSRI', DEPRESSION_ANXIETY, CHRONIC],
  ],
  ANTIPSYCHOTIC: [
    ['H20052688', '奥氮平片 5mg', 'olanzapine', '5mg', 'mg', 'ATYPICAL_ANTIPSYCHOTIC', PSYCHOSIS, CHRONIC],
    ['H20045471', '富马酸喹硫平片 0.1g', 'quetiapine', '0.1g', 'g', 'ATYPICAL_ANTIPSYCHOTIC', PSYCHOSIS, CHRONIC],
  ],
  // A tenofovir + lamivudine + efavirenz (or dolutegravir) regimen is one drug per group. Tenofovir and
  // lamivudine also treat chronic hepatitis B, so B18 renews them too.
  ANTIRETROVIRAL: [
    ['H20133293', '富马酸替诺福韦二吡呋酯片 300mg', 'tenofovir', '300mg', 'mg', 'NRTI_TENOFOVIR', [...HIV, 'B18'], CHRONIC],
    ['H20113216', '拉米夫定片 0.3g', 'lamivudine', '0.3g', 'g', 'NRTI_CYTIDINE', [...HIV, 'B18'], CHRONIC],
    ['H20103591', '依非韦伦片 0.2g', 'efavirenz', '0.2g', 'g', 'NNRTI', HIV, CHRONIC],
    ['H20193145', '多替拉韦钠片 50mg', 'dolutegravir', '50mg', 'mg', 'INSTI', HIV, CHRONIC],
  ],
  // A narcotic taken daily under observation at the maintenance clinic: never renewed online.
  OPIOID_SUBSTITUTION: [['H20055926', '盐酸美沙酮口服溶液 1mg/ml', 'methadone', '1mg/ml', 'mg', 'OPIOID_AGONIST', ACUTE, 1]],
  OTHER: [
    ['H20050271', '单硝酸异山梨酯缓释片 40mg', 'isosorbide mononitrate', '40mg', 'mg', 'NITRATE', ANGINA, CHRONIC],
    [
      'H20033293',
      '呋塞米片 20mg',
      'furosemide',
      '20mg',
      'mg',
      'LOOP_DIURETIC',
      [...HEART_FAILURE, 'N18', 'K74', 'R60'],
      CHRONIC,
      { allergy: SULFONAMIDE_MOIETY },
    ],
    ['H20064460', '螺内酯片 20mg', 'spironolactone', '20mg', 'mg', 'MINERALOCORTICOID_ANTAGONIST', [...HEART_FAILURE, 'K74', 'E26'], CHRONIC],
    ['H20110106', '孟鲁司特钠片 10mg', 'montelukast', '10mg', 'mg', 'LEUKOTRIENE_ANTAGONIST', [...AIRWAYS, ...RHINITIS], CHRONIC],
    ['H20083374', '孟鲁司特钠咀嚼片 4mg', 'montelukast', '4mg', 'mg', 'LEUKOTRIENE_ANTAGONIST', [...AIRWAYS, ...RHINITIS], CHRONIC],
    ['H20140101', '糠酸莫米松鼻喷雾剂 50μg/揿', 'mometasone', '50μg/揿', 'μg', 'NASAL_CORTICOSTEROID', RHINITIS, CHRONIC, { routes: ['nasal'] }],
    ['H20050437', '盐酸坦索罗辛缓释胶囊 0.2mg', 'tamsulosin', '0.2mg', 'mg', 'ALPHA_BLOCKER', PROSTATE, CHRONIC],
    ['H20050180', '非那雄胺片 5mg', 'finasteride', '5mg', 'mg', '5_ALPHA_REDUCTASE_INHIBITOR', PROSTATE, CHRONIC],
    ['H20010447', '左甲状腺素钠片 50μg', 'levothyroxine', '50μg', 'μg', 'THYROID_HORMONE', HYPOTHYROIDISM, CHRONIC],
    ['H20052187', '阿仑膦酸钠片 70mg', 'alendronate', '70mg', 'mg', 'BISPHOSPHONATE', OSTEOPOROSIS, CHRONIC],
    ['H20043215', '碳酸钙D3片 600mg', 'calcium carbonate/colecalciferol', '600mg', 'mg', 'CALCIUM_VITAMIN_D', OSTEOPOROSIS, CHRONIC],
    ['Z20040063', '连花清瘟胶囊 0.35g', 'lianhua qingwen', '0.35g', 'g', 'TCM_COLD', ACUTE, 7],
    ['H20044389', '盐酸氨溴索片 30mg', 'ambroxol', '30mg', 'mg', 'MUCOLYTIC', ACUTE, 7],
    ['H20030458', '铝碳酸镁咀嚼片 0.5g', 'hydrotalcite', '0.5g', 'g', 'ANTACID', ACUTE, 14],
    ['H20050127', '枸橼酸莫沙必利片 5mg', 'mosapride', '5mg', 'mg', 'PROKINETIC', ACUTE, 28],
    ['H20000690', '蒙脱石散 3g', 'diosmectite', '3g', 'g', 'ANTIDIARRHOEAL_ADSORBENT', ACUTE, 7],
    ['H20065730', '乳果糖口服溶液 100ml:66.7g', 'lactulose', '100ml:66.7g', 'ml', 'OSMOTIC_LAXATIVE', ACUTE, 14],
    // Second-class psychotropics: 7 days as a rule, extended for chronic insomnia, never renewed online.
    ['H19980008', '右佐匹克隆片 3mg', 'eszopiclone', '3mg', 'mg', 'Z_HYPNOTIC', ACUTE, 14],
    ['H20010541', '酒石酸唑吡坦片 10mg', 'zolpidem', '10mg', 'mg', 'Z_HYPNOTIC', ACUTE, 14],
    ['H20053622', '丁酸氢化可的松乳膏 0.1%', 'hydrocortisone', '0.1%', 'g', 'TOPICAL_CORTICOSTEROID', ACUTE, 14, { routes: ['topical'] }],
    ['H20010787', '氯雷他定片 10mg', 'loratadine', '10mg', 'mg', 'H1_ANTIHISTAMINE', ACUTE, 28],
    ['H20070018', '盐酸西替利嗪片 10mg', 'cetirizine', '10mg', 'mg', 'H1_ANTIHISTAMINE', ACUTE, 28],
    ['H20040132', '甲磺酸倍他司汀片 6mg', 'betahistine', '6mg', 'mg', 'HISTAMINE_ANALOGUE', ACUTE, 7],
    ['H20043540', '盐酸氟桂利嗪胶囊 5mg', 'flunarizine', '5mg', 'mg', 'FLUNARIZINE', ACUTE, 14],
    ['H20010283', '盐酸伐昔洛韦片 0.3g', 'valaciclovir', '0.3g', 'g', 'ANTIHERPES', ACUTE, 10],
    ['H20063021', '左炔诺孕酮片 1.5mg', 'levonorgestrel', '1.5mg', 'mg', 'EMERGENCY_CONTRACEPTIVE', ACUTE, 1, { sensitivity: 'REPRODUCTIVE' }],
  ],
};

function build(): Map<string, Drug> {
  const drugs = new Map<string, Drug>();
  for (const [drugClass, rows] of Object.entries(TABLE) as [DrugClass, readonly Row[]][]) {
    for (const [code, name, inn, strength, doseUnit, therapeuticGroup, renewal, maxDays, options = {}] of rows) {
      if (drugs.has(code)) throw new Error(`Duplicate NMPA code ${code} in the drug catalogue`);
      drugs.set(code, {
        code,
        name,
        inn,
        strength,
        doseUnit,
        routes: [...(options.routes ?? ORAL)],
        drugClass,
        therapeuticGroup,
        chronic: renewal.length > 0,
        renewalDiagnoses: [...renewal],
        allergyGroups: (options.allergy ?? []).map((conflict) => ({ ...conflict })),
        sensitivity: options.sensitivity ?? CLASS_SENSITIVITY[drugClass] ?? null,
        maxDays,
      });
    }
  }
  return drugs;
}

export const DRUGS: ReadonlyMap<string, Drug> = build();

export function drugByCode(code: string): Drug | undefined {
  return DRUGS.get(code);
}

/**
 * The catalogue by code, those whose code, name or INN contain the search (ignoring case) and,
 * when codes are given, whose code is one of them; at most `first`.
 */
export function searchDrugs(search: string | null | undefined, first: number, codes?: readonly string[] | null): Drug[] {
  const matches = searchMatcher(search);
  const listed = codesFilter(codes);
  return [...DRUGS.values()]
    .filter((drug) => listed(drug.code) && matches(drug.code, drug.name, drug.inn))
    .sort((a, b) => a.code.localeCompare(b.code))
    .slice(0, first);
}

/** A client's list of drug codes as a filter; BAD_USER_INPUT unless 1-100 codes. */
function codesFilter(codes: readonly string[] | null | undefined): (code: string) => boolean {
  if (codes === null || codes === undefined) return () => true;
  if (codes.length < 1 || codes.length > MAX_CODES) throw badUserInput(`codes must list 1-${MAX_CODES} drug codes`);
  const wanted = new Set(codes);
  return (code) => wanted.has(code);
}

/** The conflicts between a drug and a resident's allergy substance codes, most severe first. */
export function allergyConflicts(drug: Drug, substanceCodes: readonly string[]): AllergyConflict[] {
  return drug.allergyGroups
    .filter((conflict) => substanceCodes.includes(conflict.group))
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'HIGH' ? -1 : 1));
}

/** Whether two drugs duplicate each other's therapy (the same drug twice counts). */
export function isDuplicateTherapy(a: Drug, b: Drug): boolean {
  return a.therapeuticGroup === b.therapeuticGroup;
}

/** Whether a renewal of the drug is backed by one of the resident's ICD-10 diagnoses. */
export function renewalSupported(drug: Drug, diagnosisCodes: readonly string[]): boolean {
  return drug.chronic && diagnosisCodes.some((code) => drug.renewalDiagnoses.some((prefix) => code.toUpperCase().startsWith(prefix)));
}
