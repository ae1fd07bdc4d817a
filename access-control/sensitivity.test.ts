import fc from 'fast-check';
import sensitiveTerms from './sensitive-terms.json';
import {
  categoriesOf,
  foldText,
  SENSITIVE_CATEGORIES,
  type SensitiveCategory,
  sensitivitiesOfDiagnosis,
  sensitivitiesOfText,
  sensitivitiesOfTexts,
  sensitivityOfDepartment,
  sensitivityOfDrug,
  sensitivityOfIcd10,
  sensitivityOfLoinc,
  unionOf,
} from './sensitivity';

it('labels diagnoses by the chapter or block they fall in', () => {
  expect(sensitivityOfIcd10('F32.9')).toBe('MENTAL_HEALTH');
  expect(sensitivityOfIcd10('B20')).toBe('HIV_STI');
  expect(sensitivityOfIcd10('A53.9')).toBe('HIV_STI');
  expect(sensitivityOfIcd10('O03.9')).toBe('REPRODUCTIVE');
  expect(sensitivityOfIcd10('Q90.9')).toBe('GENETIC');
});

it('leaves ordinary diagnoses unlabelled', () => {
  for (const code of ['I10', 'E11.9', 'J44.9', 'A09', 'B19.9', 'O10.0', 'Z00.0']) expect(sensitivityOfIcd10(code)).toBeNull();
});

it('labels lab items and drugs that reveal a condition', () => {
  expect(sensitivityOfLoinc('75622-1')).toBe('HIV_STI');
  expect(sensitivityOfLoinc('2106-3')).toBe('REPRODUCTIVE');
  expect(sensitivityOfLoinc('14749-6')).toBeNull();
  expect(sensitivityOfDrug('Tenofovir')).toBe('HIV_STI');
  expect(sensitivityOfDrug('sertraline')).toBe('MENTAL_HEALTH');
  expect(sensitivityOfDrug('metformin')).toBeNull();
  expect(categoriesOf(['HIV_STI', null, 'HIV_STI', 'GENETIC'])).toEqual(['HIV_STI', 'GENETIC']);
  expect(unionOf(['GENETIC'], undefined, ['HIV_STI', 'GENETIC'])).toEqual(['GENETIC', 'HIV_STI']);
});

it('labels departments whose name reveals what is treated there', () => {
  expect(sensitivityOfDepartment('精神科')).toBe('MENTAL_HEALTH');
  expect(sensitivityOfDepartment('生殖医学科')).toBe('REPRODUCTIVE');
  expect(sensitivityOfDepartment('心血管内科')).toBeNull();
  expect(sensitivityOfDepartment('妇产科')).toBeNull();
});

it('labels free text by the codes and terms it names', () => {
  expect(sensitivitiesOfText('复诊 F32.9，调整用药')).toEqual(['MENTAL_HEALTH']);
  expect(sensitivitiesOfText('重度抑郁发作，门诊疗效欠佳')).toEqual(['MENTAL_HEALTH']);
  expect(sensitivitiesOfText('HIV 感染随访, B20')).toEqual(['HIV_STI']);
  expect(sensitivitiesOfText('血压控制不佳 I10')).toEqual([]);
  expect(sensitivitiesOfText('MRN-F320 复查')).toEqual([]);
});

/** How clinicians write each category in free text: codes in odd forms, Chinese and English terms, abbreviations. */
const PHRASINGS: Record<SensitiveCategory, string[]> = {
  MENTAL_HEALTH: [
    'hx of f32.9',
    'Ｆ３２．９ 复诊',
    'F 32 recurrent',
    'dx: F33.1',
    '诊断：F20.0',
    'f329',
    'F32.900x001',
    'X61.9 服药',
    'ｆ４１．１',
    '(F43.1)',
    '患者有抑郁症病史',
    '抑 郁 状 态',
    '焦虑状态，睡眠差',
    '精神分裂症，规律服药',
    '双相情感障碍',
    '躁狂发作',
    '有自杀念头',
    '自伤行为两次',
    '割腕后清创',
    '酒精依赖，戒酒中',
    '强迫症复诊',
    '创伤后应激障碍',
    '阿尔茨海默病性痴呆',
    '请精神科会诊',
    '心理咨询每周一次',
    '美沙酮维持治疗',
    'Major depression, stable',
    'DEPRESSIVE episode',
    'depressed mood for 2 weeks',
    'generalised anxiety',
    'psychiatric follow-up',
    'acute psychosis',
    'Schizophrenia, stable',
    'schizoaffective',
    'bipolar II',
    'suicidal ideation',
    'self-harm',
    'self harm',
    'Self Injury',
    'h/o MDD',
    'PTSD after accident',
    'ocd',
    'ADHD in childhood',
    'on an SSRI',
    'CBT sessions',
    'eating disorder',
    'anorexia nervosa',
    'opioid dependence',
    'dementia',
    'ｄｅｐｒｅｓｓｉｏｎ',
  ],
  HIV_STI: [
    'AIDS',
    'aids',
    'HIV+',
    'hiv-1 rna',
    'HIV1 viral load',
    'b20',
    'B 20',
    'Ｂ２０',
    'B24',
    'Z21',
    'z21 asymptomatic',
    'A51.0',
    'a53.9',
    'A54',
    'A56.0',
    'a60.0',
    'A63.0',
    '艾滋病',
    '艾 滋',
    '爱滋病',
    '梅毒',
    'RPR 1:8',
    'TPPA阳性',
    'VDRL reactive',
    '淋病',
    '淋球菌培养',
    '性病门诊',
    '性传播疾病',
    '尖锐湿疣',
    '生殖器疱疹',
    '衣原体感染',
    '暴露前预防用药',
    '暴露后预防',
    '领取阻断药',
    'syphilis',
    'secondary SYPHILITIC rash',
    'gonorrhoea',
    'gonorrhea',
    'chlamydia',
    'genital herpes',
    'genital warts',
    'sexually transmitted infection',
    'STI screen',
    'STD clinic',
    'PEP started',
    'on PrEP',
    'ｐｒｅｐ',
    'antiretroviral therapy',
    'HAART',
    'cART',
    'ARVs',
    'PLHIV',
    'MSM',
    'condylomata',
    'treponemal test',
    'human immunodeficiency virus',
  ],
  REPRODUCTIVE: [
    'O03.9',
    'o04',
    'O 00.1',
    'Ｏ０２．１',
    'N97.0',
    'n97',
    'N96',
    'Z30.0',
    'z31.2',
    'Z31',
    '人工流产术后',
    '人流',
    '药流',
    '引产',
    '不孕症',
    '男性不育',
    '试管婴儿',
    '去年做试管',
    '辅助生殖',
    '取卵术',
    '胚胎移植',
    '人工授精',
    '避孕',
    '紧急避孕药',
    '计划生育',
    '输卵管结扎',
    '宫外孕',
    '异位妊娠',
    '终止妊娠',
    'abortion',
    'spontaneous abortion',
    'miscarriage',
    'infertility',
    'infertile',
    'IVF',
    'ivf cycle 2',
    'ICSI',
    'IUI',
    'in vitro fertilisation',
    'embryo transfer',
    'contraception',
    'oral contraceptive',
    'morning-after pill',
    'vasectomy',
    'tubal ligation',
    'ectopic pregnancy',
    'termination of pregnancy',
  ],
  GENETIC: [
    'Q90.9',
    'q90',
    'Q 91.3',
    'Ｑ９６',
    'q99.2',
    'Q93',
    '基因检测',
    '遗传咨询',
    '染色体核型',
    '核型分析',
    '唐氏筛查',
    '唐氏综合征',
    '21三体',
    '18-三体',
    '特纳综合征',
    '克氏综合征',
    '脆性X',
    '产前诊断',
    '无创DNA',
    '羊水穿刺',
    'BRCA',
    'BRCA1 mutation',
    'brca2',
    'genetic testing',
    'Genetic counselling',
    'gene panel',
    'two genes',
    'genome sequencing',
    'whole-genome',
    'chromosomal',
    'karyotype',
    'trisomy 21',
    'Down syndrome',
    'down-syndrome',
    'Turner syndrome',
    'Klinefelter',
    'fragile X',
    'hereditary cancer',
    'NIPT',
    'amniocentesis',
    'ＢＲＣＡ',
  ],
};

/** Ordinary clinical text: nothing in it is a restricted category. */
const ORDINARY = [
  // 性病变 (a lesion), not 性病: the phrase holds the term without meaning it.
  '右肺上叶占位性病变，建议增强 CT',
  '双肺纹理清晰，未见明显实质性病变。',
  '肝脏良性病变可能',
  'I10 hypertension, follow up in 2 weeks',
  'F/U 3 months',
  '血压控制不佳 I10',
  'MRN-F320 复查',
  'E11.9 2型糖尿病，二甲双胍 0.5g bid',
  'a 50 year old man with chest pain',
  'A 60-year-old woman',
  'metformin 500mg x60 tablets',
  'amlodipine 5mg qd x 30 days',
  'q 90 days refill',
  'COVID-19 vaccine',
  'HbA1c 7.2%',
  'K21.9 胃食管反流',
  'J44.9 慢阻肺急性加重',
  '神志清，精神可，饮食睡眠可',
  '复查血常规',
  'preparation for surgery',
  'prepared for discharge',
  'general surgery',
  'hearing aid fitted',
  'pepsin',
  'stimulation',
  'standard dose',
  'artery',
  'B12 deficiency',
  'vitamin D3',
  'chest X-ray',
  'O2 sat 98%',
  'N/V',
  '转诊至 3201-H001',
  'ICD10 I25.1',
  'GAD65 antibody',
  'ECT骨扫描',
  '乙肝抗病毒治疗',
  '采血试管',
  'Z00.0 体检',
  'O10.0',
  'A09 腹泻',
  'B19.9',
  'q8h',
  'F/U in 2/52',
];

describe('free text', () => {
  for (const category of SENSITIVE_CATEGORIES) {
    it(`labels ${PHRASINGS[category].length} phrasings of ${category}, each with that category alone`, () => {
      expect(PHRASINGS[category].length).toBeGreaterThanOrEqual(40);
      const wrong = PHRASINGS[category].filter((text) => JSON.stringify(sensitivitiesOfText(text)) !== JSON.stringify([category]));
      expect(wrong).toEqual([]);
    });
  }

  it('leaves ordinary clinical text unlabelled', () => {
    expect(ORDINARY.filter((text) => sensitivitiesOfText(text).length > 0)).toEqual([]);
  });

  it('labels the referral reason of the attack, whatever its coded diagnosis', () => {
    expect(sensitivitiesOfText('hx of f32.9 and AIDS on PrEP')).toEqual(['MENTAL_HEALTH', 'HIV_STI']);
  });

  it('labels a listed term beside a phrase that holds it without meaning it', () => {
    expect(sensitivitiesOfText('性病门诊随访，皮肤占位性病变已切除')).toEqual(['HIV_STI']);
    expect(sensitivitiesOfText('占位性 病变')).toEqual([]);
  });

  it('labels "aids" as a word whatever it means there: a false positive hides, a false negative leaks', () => {
    expect(sensitivitiesOfText('aids digestion')).toEqual(['HIV_STI']);
    expect(sensitivitiesOfText('bowel prep before colonoscopy')).toEqual(['HIV_STI']);
  });

  it('labels a diagnosis by its code and by the display it was written with', () => {
    expect(sensitivitiesOfDiagnosis({ code: 'I10', display: '原发性高血压，伴抑郁状态' })).toEqual(['MENTAL_HEALTH']);
    expect(sensitivitiesOfDiagnosis({ code: 'F32.9', display: '高血压；HIV 感染随访' })).toEqual(['MENTAL_HEALTH', 'HIV_STI']);
    expect(sensitivitiesOfDiagnosis({ code: 'I10', display: '原发性高血压' })).toEqual([]);
  });

  it('unites what several fields of one record reveal', () => {
    expect(sensitivitiesOfTexts(['血压控制不佳', null, '既往 B20', undefined, '唐氏筛查低风险'])).toEqual(['HIV_STI', 'GENETIC']);
    expect(sensitivitiesOfTexts([null, '', 'F/U 3 months'])).toEqual([]);
  });

  it('keeps the term lists folded, unique and for the four categories only', () => {
    expect(Object.keys(sensitiveTerms).sort()).toEqual([...SENSITIVE_CATEGORIES].sort());
    const all = Object.values(sensitiveTerms).flatMap(({ zh, en }) => [...zh, ...en]);
    expect(all.filter((term) => foldText(term) !== term)).toEqual([]);
    expect(all.filter((term, index) => all.indexOf(term) !== index)).toEqual([]);
  });
});

/** ASCII as its full-width form (what a Chinese input method types), the space as the ideographic space. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

/** Each character in upper or lower case, as the flags say. */
const recased = (text: string, upper: boolean[]) =>
  [...text].map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char.toLowerCase())).join('');

/** Listed terms as written: a stem with an ending, a phrase's words joined by a space or a hyphen, Chinese with spaces between characters. */
const termOf = (category: SensitiveCategory) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...sensitiveTerms[category].zh), fc.boolean()).map(([term, spaced]) => (spaced ? [...term].join(' ') : term)),
    fc
      .tuple(fc.constantFrom(...sensitiveTerms[category].en), fc.constantFrom(' ', '-'), fc.constantFrom('', 'al', 'ic', 'ies'))
      .map(([term, joint, ending]) => (term.endsWith('*') ? `${term.slice(0, -1).replaceAll(' ', joint)}${ending}` : term.replaceAll(' ', joint))),
  );

/** A code of the category's ICD-10 ranges in one of the forms codes are written in. */
const CODE_RANGES: Record<SensitiveCategory, [letter: string, from: number, to: number][]> = {
  MENTAL_HEALTH: [
    ['f', 0, 99],
    ['x', 60, 84],
  ],
  HIV_STI: [
    ['b', 20, 24],
    ['z', 21, 21],
    ['a', 50, 64],
  ],
  REPRODUCTIVE: [
    ['o', 0, 8],
    ['n', 96, 98],
    ['z', 30, 31],
  ],
  GENETIC: [['q', 90, 99]],
};
const codeOf = (category: SensitiveCategory) =>
  fc
    .tuple(fc.constantFrom(...CODE_RANGES[category]), fc.nat(99), fc.constantFrom('', '.9', '.900x001', '1'), fc.boolean())
    .map(([[letter, from, to], offset, tail, spaced]) => {
      const digits = String(from + (offset % (to - from + 1))).padStart(2, '0');
      // A bare x is "times", and a spaced a or q an article or "every": those need their dotted part.
      const dotted = letter === 'x' || (spaced && 'aq'.includes(letter)) ? '.9' : tail;
      return `${letter}${spaced ? ' ' : ''}${digits}${dotted}`;
    });

const filler = fc
  .array(fc.constantFrom('血压', '复查', '患者', 'follow', 'up', '2', 'weeks', '，', '。', 'I10', 'bid', '(', ')'), { maxLength: 6 })
  .map((words) => words.join(' '));
const category = fc.constantFrom(...SENSITIVE_CATEGORIES);

describe('free text, for every input', () => {
  it('labels any text naming a listed term or code, in any case, width or spacing', () => {
    fc.assert(
      fc.property(
        category.chain((chosen) =>
          fc.tuple(fc.constant(chosen), fc.oneof(termOf(chosen), codeOf(chosen)), filler, filler, fc.array(fc.boolean(), { minLength: 1 }), fc.boolean()),
        ),
        ([chosen, named, before, after, upper, wide]) => {
          const written = recased(named, upper);
          const text = `${before} ${wide ? fullWidth(written) : written}，${after}`;
          expect(sensitivitiesOfText(text)).toContain(chosen);
        },
      ),
    );
  });

  it('labels a text as its NFKC form, its upper and lower case and its full-width form', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      category.chain((chosen) => fc.oneof(termOf(chosen), codeOf(chosen))),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(' ')),
        (text) => {
          const label = sensitivitiesOfText(text).sort();
          for (const variant of [text.normalize('NFKC'), text.toUpperCase(), text.toLowerCase(), fullWidth(text)])
            expect(sensitivitiesOfText(variant).sort()).toEqual(label);
        },
      ),
    );
  });
});
