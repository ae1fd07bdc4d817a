/**
 * The drugs the demo city's doctors prescribe (NMPA approval numbers, dose, frequency) and
 * what each diagnosis is treated with. The prescriptions subgraph's drug catalogue holds every
 * one of them (its test reads DRUG_ROWS and TREATMENT_ROWS from this file).
 */

import { type Coding, NMPA } from './city-records';

type DrugRow = [key: string, code: string, display: string, dose: string, frequency: string];
const DRUG_ROWS: readonly DrugRow[] = [
  ['amlodipine', 'H20093454', '苯磺酸氨氯地平片 5mg', '5 mg', 'qd'],
  ['valsartan', 'H20040217', '缬沙坦胶囊 80mg', '80 mg', 'qd'],
  ['nifedipine', 'H20103231', '硝苯地平控释片 30mg', '30 mg', 'qd'],
  ['irbesartan', 'H20053788', '厄贝沙坦片 0.15g', '0.15 g', 'qd'],
  ['metoprolol', 'H32025391', '酒石酸美托洛尔片 25mg', '25 mg', 'bid'],
  ['metformin', 'H20023370', '盐酸二甲双胍片 0.5g', '0.5 g', 'tid'],
  ['acarbose', 'H19990205', '阿卡波糖片 50mg', '50 mg', 'tid'],
  ['glimepiride', 'H20057718', '格列美脲片 2mg', '2 mg', 'qd'],
  ['dapagliflozin', 'H20213456', '达格列净片 10mg', '10 mg', 'qd'],
  ['atorvastatin', 'H19990258', '阿托伐他汀钙片 20mg', '20 mg', 'qn'],
  ['rosuvastatin', 'H20080619', '瑞舒伐他汀钙片 10mg', '10 mg', 'qn'],
  ['aspirin', 'H32023366', '阿司匹林肠溶片 100mg', '100 mg', 'qd'],
  ['clopidogrel', 'H20000542', '硫酸氢氯吡格雷片 75mg', '75 mg', 'qd'],
  ['isosorbide', 'H20050271', '单硝酸异山梨酯缓释片 40mg', '40 mg', 'qd'],
  ['salbutamol', 'H20090257', '硫酸沙丁胺醇吸入气雾剂 100μg/揿', '200 μg', 'prn'],
  ['tiotropium', 'H20060454', '噻托溴铵粉吸入剂 18μg', '18 μg', 'qd'],
  ['budesonideFormoterol', 'H20140474', '布地奈德福莫特罗吸入粉雾剂 160μg/4.5μg', '1 吸', 'bid'],
  ['montelukast', 'H20110106', '孟鲁司特钠片 10mg', '10 mg', 'qn'],
  ['ibuprofen', 'H20013062', '布洛芬缓释胶囊 0.3g', '0.3 g', 'bid'],
  ['paracetamol', 'H11020687', '对乙酰氨基酚片 0.5g', '0.5 g', 'prn'],
  ['lianhua', 'Z20040063', '连花清瘟胶囊 0.35g', '1.4 g', 'tid'],
  ['amoxicillin', 'H20003263', '阿莫西林胶囊 0.25g', '0.5 g', 'tid'],
  ['levofloxacin', 'H20040410', '左氧氟沙星片 0.5g', '0.5 g', 'qd'],
  ['azithromycin', 'H10960112', '阿奇霉素片 0.25g', '0.5 g', 'qd'],
  ['cefixime', 'H20073856', '头孢克肟胶囊 0.1g', '0.1 g', 'bid'],
  ['ambroxol', 'H20044389', '盐酸氨溴索片 30mg', '30 mg', 'tid'],
  ['omeprazole', 'H20033285', '奥美拉唑肠溶胶囊 20mg', '20 mg', 'bid'],
  ['hydrotalcite', 'H20030458', '铝碳酸镁咀嚼片 0.5g', '1.0 g', 'tid'],
  ['rabeprazole', 'H20040380', '雷贝拉唑钠肠溶片 10mg', '10 mg', 'qd'],
  ['mosapride', 'H20050127', '枸橼酸莫沙必利片 5mg', '5 mg', 'tid'],
  ['smectite', 'H20000690', '蒙脱石散 3g', '3 g', 'tid'],
  ['smectiteChild', 'H20000690', '蒙脱石散 3g', '1.5 g', 'tid'],
  ['lactulose', 'H20065730', '乳果糖口服溶液 100ml:66.7g', '15 ml', 'qd'],
  ['diclofenac', 'H20051848', '双氯芬酸钠缓释片 75mg', '75 mg', 'qd'],
  ['celecoxib', 'H20133160', '塞来昔布胶囊 0.2g', '0.2 g', 'qd'],
  ['loxoprofen', 'H20064525', '洛索洛芬钠片 60mg', '60 mg', 'tid'],
  ['fosfomycin', 'H20050335', '磷霉素氨丁三醇散 3g', '3 g', 'qod'],
  ['eszopiclone', 'H19980008', '右佐匹克隆片 3mg', '3 mg', 'qn'],
  ['zolpidem', 'H20010541', '酒石酸唑吡坦片 10mg', '10 mg', 'qn'],
  ['escitalopram', 'H20010510', '草酸艾司西酞普兰片 10mg', '10 mg', 'qd'],
  ['sertraline', 'H10950129', '盐酸舍曲林片 50mg', '50 mg', 'qd'],
  ['hydrocortisone', 'H20053622', '丁酸氢化可的松乳膏 0.1%', '适量', 'bid'],
  ['loratadine', 'H20010787', '氯雷他定片 10mg', '10 mg', 'qd'],
  ['cetirizine', 'H20070018', '盐酸西替利嗪片 10mg', '10 mg', 'qd'],
  ['mometasone', 'H20140101', '糠酸莫米松鼻喷雾剂 50μg/揿', '100 μg', 'qd'],
  ['levofloxacinEye', 'H20093217', '左氧氟沙星滴眼液 0.5%', '1 滴', 'qid'],
  ['rivaroxaban', 'H20213711', '利伐沙班片 20mg', '20 mg', 'qd'],
  ['furosemide', 'H20033293', '呋塞米片 20mg', '20 mg', 'qd'],
  ['sacubitrilValsartan', 'H20203398', '沙库巴曲缬沙坦钠片 100mg', '100 mg', 'bid'],
  ['spironolactone', 'H20064460', '螺内酯片 20mg', '20 mg', 'qd'],
  ['tamsulosin', 'H20050437', '盐酸坦索罗辛缓释胶囊 0.2mg', '0.2 mg', 'qn'],
  ['finasteride', 'H20050180', '非那雄胺片 5mg', '5 mg', 'qd'],
  ['levothyroxine', 'H20010447', '左甲状腺素钠片 50μg', '50 μg', 'qd'],
  ['alendronate', 'H20052187', '阿仑膦酸钠片 70mg', '70 mg', 'qw'],
  ['calcium', 'H20043215', '碳酸钙D3片 600mg', '600 mg', 'qd'],
  ['betahistine', 'H20040132', '甲磺酸倍他司汀片 6mg', '12 mg', 'tid'],
  ['flunarizine', 'H20043540', '盐酸氟桂利嗪胶囊 5mg', '10 mg', 'qn'],
  ['metronidazole', 'H20050543', '甲硝唑阴道泡腾片 0.2g', '0.2 g', 'qn'],
  ['valaciclovir', 'H20010283', '盐酸伐昔洛韦片 0.3g', '0.3 g', 'bid'],
  ['ibuprofenSuspension', 'H20013303', '布洛芬混悬液 100ml:2g', '5 ml', 'prn'],
  ['amoxiclav', 'H20023568', '阿莫西林克拉维酸钾干混悬剂 228.5mg', '1 袋', 'bid'],
  ['childCold', 'H20063845', '小儿氨酚黄那敏颗粒', '1 袋', 'tid'],
  ['azithromycinSuspension', 'H20030375', '阿奇霉素干混悬剂 0.1g', '0.1 g', 'qd'],
  ['montelukastChild', 'H20083374', '孟鲁司特钠咀嚼片 4mg', '4 mg', 'qn'],
];

export interface Drug {
  inn: string;
  coding: Coding;
  dose: string;
  frequency: string;
}
const DRUGS = new Map<string, Drug>(
  DRUG_ROWS.map(([key, code, display, dose, frequency]) => [key, { inn: key, coding: { system: NMPA, code, display }, dose, frequency }]),
);
export const drug = (key: string): Drug => {
  const found = DRUGS.get(key);
  if (!found) throw new Error(`Unknown drug ${key}`);
  return found;
};

/** What each diagnosis is treated with, for adults and for children under 14, and for how many days. */
type TreatmentRow = [code: string, adults: readonly string[], children: readonly string[], minDays: number, maxDays: number];
const TREATMENT_ROWS: readonly TreatmentRow[] = [
  ['I10', ['amlodipine', 'valsartan', 'nifedipine', 'irbesartan', 'metoprolol'], [], 14, 28],
  ['E11.9', ['metformin', 'acarbose', 'glimepiride', 'dapagliflozin'], [], 14, 28],
  ['E78.5', ['atorvastatin', 'rosuvastatin'], [], 28, 28],
  ['I25.1', ['aspirin', 'atorvastatin', 'isosorbide', 'clopidogrel', 'metoprolol'], [], 14, 28],
  ['J44.9', ['tiotropium', 'budesonideFormoterol', 'salbutamol'], [], 14, 28],
  ['J45.9', ['budesonideFormoterol', 'montelukast', 'salbutamol'], ['montelukastChild'], 7, 28],
  ['J06.9', ['ibuprofen', 'paracetamol', 'lianhua'], ['ibuprofenSuspension', 'childCold'], 3, 5],
  ['R50.9', ['ibuprofen', 'paracetamol'], ['ibuprofenSuspension'], 3, 3],
  ['J20.9', ['amoxicillin', 'ambroxol', 'cefixime'], ['amoxiclav'], 5, 7],
  ['J18.9', ['levofloxacin', 'azithromycin', 'cefixime', 'amoxicillin'], ['amoxiclav', 'azithromycinSuspension'], 5, 10],
  ['K29.7', ['omeprazole', 'hydrotalcite', 'rabeprazole'], [], 7, 14],
  ['K21.9', ['omeprazole', 'rabeprazole', 'mosapride'], [], 14, 28],
  ['K52.9', ['smectite'], ['smectiteChild'], 3, 5],
  ['K59.0', ['lactulose'], [], 7, 14],
  ['M54.5', ['ibuprofen', 'diclofenac', 'celecoxib', 'loxoprofen'], [], 5, 10],
  ['M47.8', ['celecoxib', 'loxoprofen', 'diclofenac'], [], 7, 14],
  ['M17.9', ['celecoxib', 'diclofenac'], [], 7, 14],
  ['M81.9', ['alendronate', 'calcium'], [], 28, 28],
  ['N39.0', ['levofloxacin', 'fosfomycin'], ['amoxiclav'], 3, 7],
  ['G47.0', ['eszopiclone', 'zolpidem'], [], 7, 14],
  ['G43.9', ['flunarizine', 'ibuprofen'], [], 7, 14],
  ['R42', ['betahistine'], [], 5, 7],
  ['F41.9', ['escitalopram', 'sertraline'], [], 14, 28],
  ['F32.9', ['escitalopram', 'sertraline'], [], 14, 28],
  ['L30.9', ['hydrocortisone', 'loratadine'], ['hydrocortisone'], 7, 14],
  ['L20.9', ['hydrocortisone', 'loratadine'], ['hydrocortisone'], 7, 14],
  ['L50.9', ['loratadine', 'cetirizine'], [], 7, 14],
  ['J30.4', ['mometasone', 'loratadine'], ['mometasone'], 14, 28],
  ['H10.9', ['levofloxacinEye'], ['levofloxacinEye'], 5, 7],
  ['I63.9', ['aspirin', 'clopidogrel', 'atorvastatin'], [], 14, 28],
  ['I48.9', ['rivaroxaban', 'metoprolol'], [], 14, 28],
  ['I50.9', ['sacubitrilValsartan', 'furosemide', 'spironolactone'], [], 14, 28],
  ['N40', ['tamsulosin', 'finasteride'], [], 28, 28],
  ['E03.9', ['levothyroxine'], [], 28, 28],
  ['N76.0', ['metronidazole'], [], 7, 7],
  ['B02.9', ['valaciclovir'], [], 7, 10],
];
export const TREATMENTS = new Map(TREATMENT_ROWS.map((row) => [row[0], row]));
