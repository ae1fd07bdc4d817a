/**
 * The diagnoses of the demo city (ICD-10): where each is seen and by whom, which come
 * together, how common the chronic ones are by age, which departments take them, and why a
 * community centre refers a resident up.
 */

import { type Coding, type Gender, ICD10 } from './city-records';

/**
 * Diagnoses, where they are seen and by whom. `classes`: O outpatient (and virtual, community),
 * E emergency, I inpatient. `pools`: g general hospital, c community centre, k children's,
 * w women's, d dental, e eye, n brain, t chest, o cancer, s skin, p plastic, h ENT, x occupational.
 * A weight of 0 marks a chronic condition: only residents who have it are diagnosed with it.
 */
type ConditionRow = [
  code: string,
  display: string,
  department: string,
  classes: string,
  minAge: number,
  maxAge: number,
  sex: '' | 'M' | 'F',
  weight: number,
  pools: string,
];
const CONDITION_ROWS: readonly ConditionRow[] = [
  ['I10', '原发性高血压', '心血管内科', 'O', 18, 120, '', 0, 'gc'],
  ['E11.9', '2型糖尿病', '内分泌科', 'OI', 18, 120, '', 0, 'gc'],
  ['J44.9', '慢性阻塞性肺疾病', '呼吸内科', 'OEI', 40, 120, '', 0, 'gct'],
  ['E78.5', '高脂血症', '心血管内科', 'O', 18, 120, '', 0, 'gc'],
  ['I25.1', '动脉粥样硬化性心脏病', '心血管内科', 'OI', 40, 120, '', 0, 'gc'],
  ['J06.9', '急性上呼吸道感染', '呼吸内科', 'OE', 0, 120, '', 10, 'gck'],
  ['J20.9', '急性支气管炎', '呼吸内科', 'O', 0, 120, '', 5, 'gckt'],
  ['J18.9', '肺炎', '呼吸内科', 'OEI', 0, 120, '', 3, 'gkt'],
  ['J45.9', '哮喘', '呼吸内科', 'OE', 3, 120, '', 1.5, 'gkt'],
  ['J47', '支气管扩张', '呼吸内科', 'OI', 30, 120, '', 0.8, 'gt'],
  ['A15.0', '肺结核', '结核科', 'OI', 15, 120, '', 1.5, 't'],
  ['R50.9', '发热', '发热门诊', 'OE', 0, 120, '', 3, 'gk'],
  ['K29.7', '胃炎', '消化内科', 'O', 14, 120, '', 6, 'gc'],
  ['K21.9', '胃食管反流病', '消化内科', 'O', 18, 120, '', 2, 'g'],
  ['K52.9', '胃肠炎', '消化内科', 'OE', 0, 120, '', 3, 'gk'],
  ['K59.0', '便秘', '消化内科', 'O', 0, 120, '', 1.5, 'gk'],
  ['R10.4', '腹痛', '消化内科', 'OE', 3, 120, '', 2, 'gk'],
  ['K80.2', '胆囊结石', '普通外科', 'OI', 25, 120, '', 2, 'g'],
  ['K35.8', '急性阑尾炎', '普通外科', 'EI', 6, 120, '', 1.5, 'gk'],
  ['K40.9', '腹股沟疝', '普通外科', 'OI', 0, 120, 'M', 1, 'gk'],
  ['E04.1', '甲状腺结节', '内分泌科', 'O', 20, 120, '', 2, 'g'],
  ['E03.9', '甲状腺功能减退症', '内分泌科', 'O', 18, 120, '', 1, 'g'],
  ['C34.9', '肺恶性肿瘤', '肿瘤内科', 'OI', 45, 120, '', 0.5, 'got'],
  ['C50.9', '乳腺恶性肿瘤', '乳腺外科', 'OI', 30, 120, 'F', 0.4, 'go'],
  ['C16.9', '胃恶性肿瘤', '肿瘤内科', 'OI', 45, 120, '', 0.3, 'go'],
  ['C18.9', '结肠恶性肿瘤', '肿瘤内科', 'OI', 45, 120, '', 0.3, 'go'],
  ['C22.0', '肝细胞癌', '肿瘤内科', 'OI', 40, 120, '', 0.2, 'go'],
  ['M54.5', '腰痛', '骨科', 'O', 20, 120, '', 5, 'gc'],
  ['M47.8', '颈椎病', '骨科', 'O', 30, 120, '', 3, 'g'],
  ['M17.9', '膝骨关节炎', '骨科', 'OI', 45, 120, '', 3, 'g'],
  ['M81.9', '骨质疏松', '骨科', 'O', 50, 120, '', 1.5, 'g'],
  ['S52.5', '桡骨下端骨折', '骨科', 'EI', 5, 120, '', 1, 'gk'],
  ['S93.4', '踝关节扭伤', '骨科', 'OE', 6, 80, '', 1.5, 'gk'],
  ['S72.0', '股骨颈骨折', '骨科', 'EI', 65, 120, '', 1, 'g'],
  ['N39.0', '泌尿道感染', '肾内科', 'OE', 1, 120, '', 3, 'gck'],
  ['N20.0', '肾结石', '泌尿外科', 'OEI', 20, 120, '', 1.5, 'g'],
  ['N40', '前列腺增生', '泌尿外科', 'OI', 50, 120, 'M', 2, 'g'],
  ['N18.9', '慢性肾脏病', '肾内科', 'OI', 50, 120, '', 1, 'g'],
  ['I63.9', '脑梗死', '神经内科', 'EI', 50, 120, '', 1.5, 'gn'],
  ['G43.9', '偏头痛', '神经内科', 'O', 14, 65, '', 1.5, 'gn'],
  ['G47.0', '失眠症', '神经内科', 'O', 18, 120, '', 2, 'gn'],
  ['R42', '头晕', '神经内科', 'OE', 18, 120, '', 2, 'gn'],
  ['G40.9', '癫痫', '神经内科', 'OEI', 3, 120, '', 0.5, 'nk'],
  ['G20', '帕金森病', '神经内科', 'OI', 55, 120, '', 0.5, 'gn'],
  ['F41.9', '焦虑障碍', '心理科', 'O', 14, 120, '', 1, 'gn'],
  ['F32.9', '抑郁发作', '精神科', 'OI', 14, 120, '', 1, 'gn'],
  ['F20.9', '精神分裂症', '精神科', 'OI', 16, 80, '', 1, 'n'],
  ['F31.9', '双相情感障碍', '精神科', 'OI', 16, 80, '', 0.6, 'n'],
  ['I48.9', '心房颤动', '心血管内科', 'OEI', 55, 120, '', 1, 'g'],
  ['I50.9', '心力衰竭', '心血管内科', 'EI', 60, 120, '', 0.8, 'g'],
  ['R07.4', '胸痛', '心血管内科', 'OE', 30, 120, '', 1.5, 'g'],
  ['N76.0', '急性阴道炎', '妇产科', 'O', 18, 70, 'F', 2, 'gw'],
  ['N92.0', '月经过多', '妇产科', 'O', 14, 52, 'F', 1, 'gw'],
  ['D25.9', '子宫平滑肌瘤', '妇产科', 'OI', 30, 60, 'F', 1, 'gw'],
  ['N95.1', '围绝经期综合征', '妇产科', 'O', 45, 58, 'F', 1, 'gw'],
  ['Z34.9', '正常妊娠监督', '妇产科', 'O', 20, 42, 'F', 2, 'gw'],
  ['O80.0', '单胎顺产', '妇产科', 'I', 20, 42, 'F', 1.5, 'gw'],
  ['N97.9', '女性不孕症', '妇产科', 'O', 22, 45, 'F', 0.5, 'w'],
  ['L30.9', '皮炎', '皮肤科', 'O', 0, 120, '', 2, 'gks'],
  ['L50.9', '荨麻疹', '皮肤科', 'OE', 0, 120, '', 1.5, 'gks'],
  ['L20.9', '特应性皮炎', '皮肤科', 'O', 0, 60, '', 0.8, 'ks'],
  ['L70.0', '寻常痤疮', '皮肤科', 'O', 12, 35, '', 1, 'gs'],
  ['B35.3', '足癣', '皮肤科', 'O', 14, 120, '', 0.8, 'gs'],
  ['L40.0', '寻常型银屑病', '皮肤科', 'OI', 14, 120, '', 0.6, 's'],
  ['B02.9', '带状疱疹', '皮肤科', 'OE', 40, 120, '', 0.8, 'gs'],
  ['H10.9', '结膜炎', '眼科', 'OE', 0, 120, '', 1, 'gek'],
  ['H25.9', '老年性白内障', '眼科', 'OI', 55, 120, '', 1, 'ge'],
  ['H52.1', '近视', '眼科', 'O', 6, 40, '', 1, 'gek'],
  ['H40.9', '青光眼', '眼科', 'OI', 40, 120, '', 0.6, 'e'],
  ['H11.0', '翼状胬肉', '眼科', 'OI', 40, 120, '', 0.5, 'e'],
  ['J30.4', '过敏性鼻炎', '耳鼻咽喉科', 'O', 3, 120, '', 2, 'gkh'],
  ['J35.0', '慢性扁桃体炎', '耳鼻咽喉科', 'OI', 3, 40, '', 0.8, 'gkh'],
  ['H66.9', '中耳炎', '耳鼻咽喉科', 'O', 1, 12, '', 1, 'gkh'],
  ['J32.9', '慢性鼻窦炎', '耳鼻咽喉科', 'OI', 14, 120, '', 0.8, 'gh'],
  ['H91.9', '听力减退', '耳鼻咽喉科', 'O', 50, 120, '', 0.6, 'gh'],
  ['K02.9', '龋病', '牙体牙髓科', 'O', 3, 120, '', 1, 'gdk'],
  ['K04.0', '牙髓炎', '牙体牙髓科', 'OE', 6, 120, '', 1, 'gd'],
  ['K05.1', '慢性牙龈炎', '牙周科', 'O', 14, 120, '', 0.8, 'gd'],
  ['K07.3', '牙列拥挤', '口腔正畸科', 'O', 8, 30, '', 0.8, 'd'],
  ['K01.1', '阻生牙', '口腔颌面外科', 'OI', 16, 60, '', 1, 'gd'],
  ['J62.8', '矽肺', '职业病科', 'OI', 30, 90, '', 1, 'x'],
  ['H83.3', '噪声性听力损失', '职业病科', 'O', 20, 70, '', 1, 'x'],
  ['T56.0', '铅中毒', '职业病科', 'OI', 18, 70, '', 0.5, 'x'],
  ['Z10.0', '职业健康检查', '职业病科', 'O', 18, 65, '', 3, 'x'],
  ['L91.0', '瘢痕疙瘩', '整形外科', 'OI', 14, 120, '', 1, 'p'],
  ['L90.5', '皮肤瘢痕', '整形外科', 'OI', 6, 120, '', 1, 'p'],
  ['H02.4', '上睑下垂', '整形外科', 'OI', 3, 80, '', 0.5, 'p'],
  ['Z00.0', '健康体检', '健康管理中心', 'O', 18, 120, '', 2, 'gc'],
  ['Z00.1', '儿童常规健康检查', '儿童保健科', 'O', 0, 6, '', 4, 'kc'],
];

export interface Condition {
  coding: Coding;
  department: string;
  classes: string;
  minAge: number;
  maxAge: number;
  sex: Gender | null;
  weight: number;
  pools: string;
}
export const CONDITIONS = new Map<string, Condition>(
  CONDITION_ROWS.map(([code, display, department, classes, minAge, maxAge, sex, weight, pools]) => [
    code,
    { coding: { system: ICD10, code, display }, department, classes, minAge, maxAge, sex: sex === 'M' ? 'MALE' : sex === 'F' ? 'FEMALE' : null, weight, pools },
  ]),
);
export const condition = (code: string): Condition => {
  const found = CONDITIONS.get(code);
  if (!found) throw new Error(`Unknown condition ${code}`);
  return found;
};
export const fits = (item: Condition, age: number, gender: Gender) => age >= item.minAge && age <= item.maxAge && (item.sex === null || item.sex === gender);

/** Diagnoses that often come with another one. */
export const COMPANIONS: Readonly<Record<string, readonly string[]>> = {
  'J06.9': ['R50.9'],
  'J18.9': ['R50.9'],
  'J20.9': ['R50.9'],
  'K80.2': ['R10.4'],
  'K35.8': ['R10.4'],
  'S72.0': ['M81.9'],
  'G47.0': ['F41.9'],
  'I63.9': ['R42'],
  'M47.8': ['R42'],
  'K29.7': ['K21.9'],
  'I50.9': ['I48.9'],
};

/** Chronic conditions: the share of residents who have them, by age. */
export const CHRONIC: readonly [code: string, prevalence: (age: number) => number][] = [
  ['I10', (age) => (age >= 65 ? 0.4 : age >= 50 ? 0.25 : age >= 40 ? 0.12 : 0)],
  ['E11.9', (age) => (age >= 60 ? 0.17 : age >= 40 ? 0.08 : 0)],
  ['J44.9', (age) => (age >= 60 ? 0.1 : age >= 50 ? 0.05 : 0)],
  ['E78.5', (age) => (age >= 40 ? 0.15 : 0)],
  ['I25.1', (age) => (age >= 65 ? 0.1 : age >= 55 ? 0.05 : 0)],
];

export const CHILDREN_HOSPITAL_DEPARTMENTS: Readonly<Record<string, string>> = {
  普通外科: '小儿外科',
  骨科: '小儿骨科',
  心血管内科: '心内科',
  肾内科: '肾脏科',
};
export const DENTAL_DEPARTMENTS = new Set(['牙体牙髓科', '牙周科', '口腔正畸科', '口腔颌面外科']);

/** Upward referrals from a community centre: the department that takes them, and why. */
export const REFERRAL_REASONS: Readonly<Record<string, readonly [department: string, reason: string]>> = {
  I10: ['心血管内科', '血压控制不佳，需调整降压方案'],
  'E11.9': ['内分泌科', '血糖控制不佳，需评估并发症'],
  'J44.9': ['呼吸内科', '慢阻肺急性加重，需专科评估'],
  'E78.5': ['心血管内科', '血脂控制不达标，需专科评估'],
  'I25.1': ['心血管内科', '反复胸闷胸痛，需冠脉评估'],
  'R07.4': ['心血管内科', '胸痛待查'],
  'K29.7': ['消化内科', '上腹痛反复发作，需行胃镜检查'],
  'M54.5': ['骨科', '腰痛伴下肢放射痛，需影像学检查'],
  'E04.1': ['内分泌科', '甲状腺结节，需超声及专科评估'],
  N40: ['泌尿外科', '排尿困难加重，需专科诊治'],
  'H25.9': ['眼科', '视力下降，需评估白内障手术'],
  R42: ['神经内科', '反复头晕，需排除脑血管病变'],
  'J18.9': ['呼吸内科', '肺部感染，基层治疗效果不佳'],
};
