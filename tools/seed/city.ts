/**
 * The demo city: Nanjing's real hospitals and monthly volumes from the September 2024 health
 * bulletin, with synthetic residents and records shaped like a real city's. Pure and
 * deterministic: the caller passes `now`, and the same options always give the same city.
 */

import { makeIdNumber } from '../../access-control/id-number';
import bulletin from './nanjing-2024-09.json';

export type OrganizationLevel = 'TERTIARY' | 'SECONDARY' | 'COMMUNITY' | 'INTERNET_HOSPITAL' | 'PHARMACY';
export interface Coding {
  system: string;
  code: string;
  display: string;
}
export interface OrganizationSeed {
  code: string;
  name: string;
  level: OrganizationLevel;
  district: string;
  outpatientVisits: number;
  discharges: number;
}
export interface ResidentSeed {
  id: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  idNumber: string;
  phone: string;
  district: string;
}
export interface EncounterSeed {
  id: string;
  residentId: string;
  organizationCode: string;
  encounterClass: 'OUTPATIENT' | 'EMERGENCY' | 'INPATIENT' | 'VIRTUAL';
  department: string;
  start: string;
  end: string;
  diagnoses: Coding[];
}
export interface ObservationSeed {
  code: Coding;
  value: number;
  unit: string;
  referenceLow: number | null;
  referenceHigh: number | null;
  referenceText: string;
  abnormalFlag: 'N' | 'H' | 'L';
}
export interface LabReportSeed {
  id: string;
  residentId: string;
  organizationCode: string;
  category: 'LABORATORY' | 'IMAGING';
  code: Coding;
  issuedAt: string;
  status: 'FINAL' | 'PRELIMINARY' | 'AMENDED';
  results: ObservationSeed[];
}
export interface PrescriptionItemSeed {
  drug: Coding;
  inn: string;
  dose: string;
  frequency: string;
  days: number;
}
export interface PrescriptionSeed {
  id: string;
  residentId: string;
  organizationCode: string;
  issuedAt: string;
  status: 'SIGNED' | 'APPROVED' | 'DISPENSED' | 'CANCELLED';
  items: PrescriptionItemSeed[];
}
export interface ReferralSeed {
  id: string;
  residentId: string;
  fromOrganizationCode: string;
  toOrganizationCode: string;
  toDepartment: string;
  reason: string;
  status: 'REQUESTED' | 'ACCEPTED' | 'COMPLETED' | 'REJECTED';
  requestedAt: string;
}
export interface City {
  organizations: OrganizationSeed[];
  residents: ResidentSeed[];
  encounters: EncounterSeed[];
  labReports: LabReportSeed[];
  prescriptions: PrescriptionSeed[];
  referrals: ReferralSeed[];
}

type Gender = ResidentSeed['gender'];
type EncounterClass = EncounterSeed['encounterClass'];

export const ICD10 = 'ICD-10';
export const LOINC = 'http://loinc.org';
export const NMPA = 'NMPA';
export const CITY_REGION_CODE = '3201';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365.2425 * DAY;
/** Opening hours and calendar days are Beijing time; stored timestamps are UTC. */
const BEIJING_OFFSET = 8 * HOUR;

// ---------------------------------------------------------------- randomness

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`No item at index ${index} of ${items.length}`);
  return item;
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }
  /** `weights[i]` is the relative weight of outcome i. */
  index(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) total += weight;
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] ?? 0;
      if (target < 0) return i;
    }
    return weights.length - 1;
  }
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [at(copy, j), at(copy, i)];
    }
    return copy;
  }
  hex(length: number): string {
    let text = '';
    while (text.length < length)
      text += Math.floor(this.next() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0');
    return text.slice(0, length);
  }
}

/** Repeated weighted picks from a fixed list, by binary search over cumulative weights. */
class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private total = 0;
  constructor(
    private readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    for (const item of items) {
      this.total += Math.max(0, weightOf(item));
      this.cumulative.push(this.total);
    }
    if (!(this.total > 0)) throw new Error('A weighted table needs a positive total weight');
  }
  pick(random: Random): T {
    const target = random.float() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (at(this.cumulative, middle) > target) high = middle;
      else low = middle + 1;
    }
    return at(this.items, low);
  }
}

/** FNV-1a: a stable hash of a name, for choices that must not depend on the seed. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? at(sorted, middle) : Math.round((at(sorted, middle - 1) + at(sorted, middle)) / 2);
}

const words = (text: string): string[] => text.split(' ');

// ---------------------------------------------------------------- districts and organizations

/** Each district, the region code of its residents' ID numbers, and the places its community health centres are named after. */
const DISTRICTS: readonly { name: string; regionCode: string; places: readonly string[] }[] = [
  { name: '玄武区', regionCode: '320102', places: words('梅园新村 新街口 玄武门 孝陵卫 锁金村 红山 玄武湖 兰园') },
  { name: '秦淮区', regionCode: '320104', places: words('夫子庙 秦虹 中华门 双塘 红花 五老村 大光路 瑞金路 朝天宫 洪武路 月牙湖 光华路') },
  { name: '建邺区', regionCode: '320105', places: words('莫愁湖 沙洲 双闸 兴隆 南苑 江心洲 滨湖 南湖') },
  { name: '鼓楼区', regionCode: '320106', places: words('宁海路 华侨路 湖南路 中央门 挹江门 江东 凤凰 阅江楼 热河南路 幕府山 建宁路 宝塔桥 小市') },
  { name: '浦口区', regionCode: '320111', places: words('江浦 桥林 汤泉 星甸 永宁 珠江 石桥 乌江 老山 求雨山 东门 万寿') },
  { name: '栖霞区', regionCode: '320113', places: words('尧化 马群 迈皋桥 燕子矶 仙林 栖霞 龙潭 西岗 八卦洲 靖安') },
  { name: '雨花台区', regionCode: '320114', places: words('雨花新村 赛虹桥 西善桥 板桥 铁心桥 梅山 古雄 宁南 安德门 岱山') },
  {
    name: '江宁区',
    regionCode: '320115',
    places: words(
      '东山 秣陵 汤山 淳化 禄口 江宁 谷里 湖熟 横溪 麒麟 上坊 百家湖 岔路口 土桥 周岗 龙都 陶吴 铜井 殷巷 上峰 东善桥 小丹阳 铜山 科学园 高桥 方山 竹山 将军山',
    ),
  },
  { name: '六合区', regionCode: '320116', places: words('雄州 龙池 龙袍 横梁 竹镇 程桥 马鞍 冶山 金牛湖 八百桥 马集 新篁 东沟 瓜埠 城东') },
  { name: '溧水区', regionCode: '320117', places: words('永阳 洪蓝 白马 东屏 石湫 和凤 晶桥 柘塘 渔歌 明觉 孔镇 群力 共和 乌山 在城 东庐') },
  { name: '高淳区', regionCode: '320118', places: words('淳溪 古柏 阳江 砖墙 东坝 桠溪 漆桥 固城 顾陇 定埠 沧溪 薛城 武家嘴 花山 塘沟 青山') },
  // The new area has no region code of its own yet: its residents' numbers were issued in 浦口.
  { name: '江北新区', regionCode: '320111', places: words('泰山 顶山 沿江 盘城 大厂 葛塘 长芦') },
];

export const REGION_CODES: Readonly<Record<string, string>> = Object.fromEntries(DISTRICTS.map((district) => [district.name, district.regionCode]));

const BULLETIN_DISTRICTS = bulletin.dataCollectionByDistrict.map((district) => district.name);
for (const name of BULLETIN_DISTRICTS) if (!REGION_CODES[name]) throw new Error(`No region code for district ${name}`);

/** Words in a hospital's name that place it, checked in order (江北 before 鼓楼 for 鼓楼医院江北国际医院). */
const NAME_DISTRICT_HINTS: readonly [string, string][] = [
  ['溧水', '溧水区'],
  ['高淳', '高淳区'],
  ['江宁', '江宁区'],
  ['浦口', '浦口区'],
  ['六合', '六合区'],
  ['江北', '江北新区'],
  ['栖霞', '栖霞区'],
  ['仙林', '栖霞区'],
  ['雨花', '雨花台区'],
  ['玄武', '玄武区'],
  ['秦淮', '秦淮区'],
  ['建邺', '建邺区'],
  ['鼓楼', '鼓楼区'],
];

function districtOfHospital(name: string): string {
  const hint = NAME_DISTRICT_HINTS.find(([word]) => name.includes(word));
  return hint ? hint[1] : at(BULLETIN_DISTRICTS, hashOf(name) % BULLETIN_DISTRICTS.length);
}

/** Which diagnoses an organization sees: a letter of each condition's `pools`. */
interface Specialty {
  pool: string;
  childPool?: string;
  maxAge?: number;
  children?: true;
  dental?: true;
}
const GENERAL: Specialty = { pool: 'g' };
const COMMUNITY: Specialty = { pool: 'c' };
const SPECIALTIES: readonly [RegExp, Specialty][] = [
  [/儿童医院/, { pool: 'k', maxAge: 17, children: true }],
  [/妇幼/, { pool: 'w', childPool: 'k' }],
  [/口腔/, { pool: 'd', dental: true }],
  [/眼科/, { pool: 'e' }],
  [/脑科/, { pool: 'n' }],
  [/胸科/, { pool: 't' }],
  [/肿瘤/, { pool: 'o' }],
  [/皮肤病/, { pool: 's' }],
  [/整形/, { pool: 'p' }],
  [/耳鼻喉/, { pool: 'h' }],
  [/职业病/, { pool: 'x' }],
];
const specialtyOf = (name: string): Specialty => SPECIALTIES.find(([pattern]) => pattern.test(name))?.[1] ?? GENERAL;

interface Organization {
  seed: OrganizationSeed;
  specialty: Specialty;
  /** Monthly outpatient visits, with the median standing in where the bulletin printed none. */
  visitWeight: number;
  dischargeWeight: number;
}

const COMMUNITY_CENTRES = 131;
const INTERNET_HOSPITALS = 23;
const PHARMACIES: readonly [string, string][] = [
  ['鼓楼', '鼓楼区'],
  ['玄武', '玄武区'],
  ['秦淮', '秦淮区'],
  ['建邺', '建邺区'],
  ['雨花', '雨花台区'],
  ['栖霞', '栖霞区'],
  ['仙林', '栖霞区'],
  ['江宁', '江宁区'],
  ['浦口', '浦口区'],
  ['江北', '江北新区'],
  ['六合', '六合区'],
  ['溧水', '溧水区'],
  ['高淳', '高淳区'],
];

const code = (prefix: string, index: number, digits: number) => `${CITY_REGION_CODE}-${prefix}${String(index + 1).padStart(digits, '0')}`;

/** Each district's monthly outpatient visits; 秦淮 reported none, so it counts as the mean. */
function districtWeights(): { name: string; weight: number }[] {
  const reported = bulletin.dataCollectionByDistrict.filter((district) => district.outpatientVisits > 0);
  const mean = reported.reduce((sum, district) => sum + district.outpatientVisits, 0) / reported.length;
  return bulletin.dataCollectionByDistrict.map((district) => ({ name: district.name, weight: district.outpatientVisits || mean }));
}

/** Community centres per district, in proportion to the district's outpatient visits, at least 3 each. */
export function communityCentresPerDistrict(): Map<string, number> {
  const weights = districtWeights();
  const total = weights.reduce((sum, district) => sum + district.weight, 0);
  const quotas = weights.map(({ name, weight }) => ({ name, quota: (COMMUNITY_CENTRES * weight) / total, count: 0 }));
  for (const entry of quotas) entry.count = Math.max(3, Math.floor(entry.quota));
  const sum = () => quotas.reduce((acc, entry) => acc + entry.count, 0);
  while (sum() < COMMUNITY_CENTRES) {
    const entry = quotas.reduce((best, candidate) => (candidate.quota - candidate.count > best.quota - best.count ? candidate : best));
    entry.count++;
  }
  while (sum() > COMMUNITY_CENTRES) {
    const entry = quotas
      .filter((candidate) => candidate.count > 3)
      .reduce((best, candidate) => (candidate.quota - candidate.count < best.quota - best.count ? candidate : best));
    entry.count--;
  }
  return new Map(quotas.map(({ name, count }) => [name, count]));
}

function buildOrganizations(): Organization[] {
  const tertiary = bulletin.dataCollectionByHospital.map((hospital) => ({
    name: hospital.name,
    level: 'TERTIARY' as const,
    outpatientVisits: hospital.outpatientVisits,
    discharges: hospital.discharges,
  }));
  const known = new Set(tertiary.map((hospital) => hospital.name));
  const secondary = bulletin.appointmentsByHospital
    .filter((hospital) => !known.has(hospital.name))
    .map((hospital) => ({ name: hospital.name, level: 'SECONDARY' as const, outpatientVisits: hospital.total * 20, discharges: 0 }));
  const hospitalRows = [...tertiary, ...secondary];
  // A 0 in the bulletin means "not reported", not "no patients".
  const medianVisits = median(hospitalRows.map((row) => row.outpatientVisits).filter((visits) => visits > 0));
  const medianDischarges = median(tertiary.map((row) => row.discharges).filter((discharges) => discharges > 0));
  const hospitals: Organization[] = hospitalRows.map((row, index) => ({
    seed: {
      code: code('H', index, 3),
      name: row.name,
      level: row.level,
      district: districtOfHospital(row.name),
      outpatientVisits: row.outpatientVisits,
      discharges: row.discharges,
    },
    specialty: specialtyOf(row.name),
    visitWeight: row.outpatientVisits || medianVisits,
    dischargeWeight: row.level === 'TERTIARY' ? row.discharges || medianDischarges : 0,
  }));

  const community: Organization[] = [];
  const perDistrict = communityCentresPerDistrict();
  for (const district of bulletin.dataCollectionByDistrict) {
    const count = perDistrict.get(district.name) ?? 0;
    const places = DISTRICTS.find((candidate) => candidate.name === district.name)?.places ?? [];
    if (places.length < count) throw new Error(`Not enough place names for ${count} centres in ${district.name}`);
    for (const place of places.slice(0, count)) {
      community.push({
        seed: {
          code: code('C', community.length, 3),
          name: `南京市${district.name}${place}社区卫生服务中心`,
          level: 'COMMUNITY',
          district: district.name,
          outpatientVisits: Math.round(district.outpatientVisits / count),
          discharges: Math.round(district.discharges / count),
        },
        specialty: COMMUNITY,
        visitWeight: 1,
        dischargeWeight: 0,
      });
    }
  }

  const busiest = [...hospitals].sort((a, b) => b.visitWeight - a.visitWeight).slice(0, INTERNET_HOSPITALS);
  const internet: Organization[] = busiest.map((hospital, index) => ({
    seed: {
      code: code('I', index, 2),
      name: `${hospital.seed.name}互联网医院`,
      level: 'INTERNET_HOSPITAL',
      district: hospital.seed.district,
      outpatientVisits: 0,
      discharges: 0,
    },
    specialty: hospital.specialty,
    visitWeight: hospital.visitWeight,
    dischargeWeight: 0,
  }));

  const pharmacies: Organization[] = PHARMACIES.map(([label, district], index) => ({
    seed: { code: code('P', index, 2), name: `南京医药云药房（${label}）`, level: 'PHARMACY', district, outpatientVisits: 0, discharges: 0 },
    specialty: GENERAL,
    visitWeight: 0,
    dischargeWeight: 0,
  }));
  return [...hospitals, ...community, ...internet, ...pharmacies];
}

// ---------------------------------------------------------------- people

const SURNAMES: readonly [string, number][] = [
  ['王', 7.1],
  ['李', 7.0],
  ['张', 6.8],
  ['刘', 5.4],
  ['陈', 5.2],
  ['杨', 3.1],
  ['黄', 2.2],
  ['赵', 2.0],
  ['吴', 2.2],
  ['周', 2.0],
  ['徐', 1.8],
  ['孙', 1.5],
  ['马', 1.1],
  ['朱', 1.5],
  ['胡', 1.1],
  ['郭', 1.0],
  ['何', 0.9],
  ['林', 0.9],
  ['高', 0.9],
  ['罗', 0.7],
  ['郑', 0.8],
  ['梁', 0.6],
  ['谢', 0.6],
  ['宋', 0.6],
  ['唐', 0.6],
  ['许', 0.7],
  ['韩', 0.5],
  ['冯', 0.5],
  ['邓', 0.4],
  ['曹', 0.6],
  ['彭', 0.4],
  ['曾', 0.3],
  ['肖', 0.4],
  ['田', 0.4],
  ['董', 0.4],
  ['袁', 0.4],
  ['潘', 0.4],
  ['于', 0.3],
  ['蒋', 0.5],
  ['蔡', 0.4],
  ['余', 0.3],
  ['杜', 0.3],
  ['叶', 0.4],
  ['程', 0.3],
  ['苏', 0.4],
  ['魏', 0.3],
  ['吕', 0.3],
  ['丁', 0.4],
  ['任', 0.3],
  ['沈', 0.5],
  ['姚', 0.3],
  ['卢', 0.2],
  ['姜', 0.3],
  ['崔', 0.2],
  ['钟', 0.2],
  ['谭', 0.2],
  ['陆', 0.5],
  ['汪', 0.3],
  ['范', 0.2],
  ['金', 0.3],
  ['石', 0.2],
  ['廖', 0.1],
  ['贾', 0.2],
  ['夏', 0.3],
  ['韦', 0.1],
  ['方', 0.2],
  ['白', 0.1],
  ['邹', 0.2],
  ['孟', 0.2],
  ['秦', 0.2],
  ['邱', 0.2],
  ['江', 0.2],
  ['尹', 0.1],
  ['薛', 0.2],
  ['顾', 0.4],
  ['葛', 0.2],
  ['倪', 0.2],
  ['严', 0.2],
  ['殷', 0.1],
  ['缪', 0.1],
];

/** Given names by generation (born before 1970, 1970-1999, since 2000) and gender. */
const GIVEN_NAMES: Readonly<Record<'older' | 'middle' | 'younger', Readonly<Record<Gender, readonly string[]>>>> = {
  older: {
    MALE: words('建国 国强 建华 志强 国平 德明 永康 长林 国华 建平 福生 宝林 金根 家明 明华 正清 文斌 建军 卫东 学文 军 强 勇 平 刚 明 华 林'),
    FEMALE: words('秀英 桂英 玉兰 秀兰 淑珍 桂兰 凤英 玉珍 美华 丽华 秀珍 素芬 月娥 金凤 红梅 爱华 建英 翠英 英 芳 兰 珍 萍 霞'),
  },
  middle: {
    MALE: words('志明 海涛 晓东 建伟 文杰 俊杰 志伟 家豪 明辉 小龙 立新 晓峰 振宇 云飞 国栋 伟 磊 涛 杰 斌 超 鹏 俊 晨 浩 凯 宇 阳 亮 鑫'),
    FEMALE: words('丽娟 晓燕 秀梅 海燕 雪梅 婷婷 雅琴 慧敏 晓丽 文静 玉婷 春燕 丹丹 静怡 敏 静 丽 艳 娟 婷 燕 芳 洁 琳 晶 颖 佳 倩 蕾 莉'),
  },
  younger: {
    MALE: words('子轩 浩然 宇轩 一鸣 子墨 俊熙 宇航 浩宇 皓轩 博文 奕辰 沐阳 明轩 思远 子豪 天佑 嘉懿 泽宇 晨阳 若凡 景行 睿 铭 昊 煜'),
    FEMALE: words('欣怡 梓萱 一诺 诗涵 子涵 雨桐 可馨 语嫣 思彤 佳怡 梦瑶 紫涵 雨涵 若汐 依诺 芷若 馨怡 安琪 语桐 清妍 悦 彤 玥'),
  },
};

/** Share of residents per 5-year age band from 0-4 to 90-94, roughly a large Chinese city's (about 20% over 60). */
const AGE_BANDS = [4.5, 5.2, 5.0, 4.3, 6.0, 7.5, 9.0, 8.0, 7.0, 7.5, 7.8, 7.0, 5.5, 5.3, 4.0, 2.6, 1.7, 1.0, 0.4];

const MOBILE_PREFIXES = words(
  '130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 198 199',
);

// ---------------------------------------------------------------- conditions

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

interface Condition {
  coding: Coding;
  department: string;
  classes: string;
  minAge: number;
  maxAge: number;
  sex: Gender | null;
  weight: number;
  pools: string;
}
const CONDITIONS = new Map<string, Condition>(
  CONDITION_ROWS.map(([code, display, department, classes, minAge, maxAge, sex, weight, pools]) => [
    code,
    { coding: { system: ICD10, code, display }, department, classes, minAge, maxAge, sex: sex === 'M' ? 'MALE' : sex === 'F' ? 'FEMALE' : null, weight, pools },
  ]),
);
const condition = (code: string): Condition => {
  const found = CONDITIONS.get(code);
  if (!found) throw new Error(`Unknown condition ${code}`);
  return found;
};
const fits = (item: Condition, age: number, gender: Gender) => age >= item.minAge && age <= item.maxAge && (item.sex === null || item.sex === gender);

/** Diagnoses that often come with another one. */
const COMPANIONS: Readonly<Record<string, readonly string[]>> = {
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
const CHRONIC: readonly [code: string, prevalence: (age: number) => number][] = [
  ['I10', (age) => (age >= 65 ? 0.4 : age >= 50 ? 0.25 : age >= 40 ? 0.12 : 0)],
  ['E11.9', (age) => (age >= 60 ? 0.17 : age >= 40 ? 0.08 : 0)],
  ['J44.9', (age) => (age >= 60 ? 0.1 : age >= 50 ? 0.05 : 0)],
  ['E78.5', (age) => (age >= 40 ? 0.15 : 0)],
  ['I25.1', (age) => (age >= 65 ? 0.1 : age >= 55 ? 0.05 : 0)],
];

const CHILDREN_HOSPITAL_DEPARTMENTS: Readonly<Record<string, string>> = { 普通外科: '小儿外科', 骨科: '小儿骨科', 心血管内科: '心内科', 肾内科: '肾脏科' };
const DENTAL_DEPARTMENTS = new Set(['牙体牙髓科', '牙周科', '口腔正畸科', '口腔颌面外科']);

/** Upward referrals from a community centre: the department that takes them, and why. */
const REFERRAL_REASONS: Readonly<Record<string, readonly [department: string, reason: string]>> = {
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

// ---------------------------------------------------------------- drugs

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

interface Drug {
  inn: string;
  coding: Coding;
  dose: string;
  frequency: string;
}
const DRUGS = new Map<string, Drug>(
  DRUG_ROWS.map(([key, code, display, dose, frequency]) => [key, { inn: key, coding: { system: NMPA, code, display }, dose, frequency }]),
);
const drug = (key: string): Drug => {
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
const TREATMENTS = new Map(TREATMENT_ROWS.map((row) => [row[0], row]));

// ---------------------------------------------------------------- lab tests

/** UCUM units; sex-specific ranges where the reference intervals differ (WS/T 404). `null`: no bound on that side. */
type AnalyteRow = [
  loinc: string,
  display: string,
  unit: string,
  decimals: number,
  referenceDecimals: number,
  maleLow: number | null,
  maleHigh: number | null,
  femaleLow: number | null,
  femaleHigh: number | null,
  plausibleMin: number,
  plausibleMax: number,
  highShareOfAbnormal: number,
];
const ANALYTE_ROWS: readonly AnalyteRow[] = [
  ['6690-2', '白细胞计数', '10*9/L', 2, 1, 3.5, 9.5, 3.5, 9.5, 1.8, 18, 0.6],
  ['789-8', '红细胞计数', '10*12/L', 2, 1, 4.3, 5.8, 3.8, 5.1, 2.5, 6.8, 0.25],
  ['718-7', '血红蛋白', 'g/L', 0, 0, 130, 175, 115, 150, 70, 195, 0.15],
  ['777-3', '血小板计数', '10*9/L', 0, 0, 125, 350, 125, 350, 40, 600, 0.45],
  ['14749-6', '葡萄糖', 'mmol/L', 2, 1, 3.9, 6.1, 3.9, 6.1, 2.8, 18, 0.9],
  ['4548-4', '糖化血红蛋白', '%', 1, 1, 4.0, 6.0, 4.0, 6.0, 3.5, 13, 1],
  ['14647-2', '总胆固醇', 'mmol/L', 2, 1, null, 5.2, null, 5.2, 2.8, 8.5, 1],
  ['14927-8', '甘油三酯', 'mmol/L', 2, 1, null, 1.7, null, 1.7, 0.4, 6.5, 1],
  ['22748-8', '低密度脂蛋白胆固醇', 'mmol/L', 2, 1, null, 3.4, null, 3.4, 1.2, 6, 1],
  ['14646-4', '高密度脂蛋白胆固醇', 'mmol/L', 2, 2, 1.04, null, 1.04, null, 0.6, 2.4, 0],
  ['1742-6', '丙氨酸氨基转移酶', 'U/L', 0, 0, 9, 50, 7, 40, 4, 240, 0.95],
  ['1920-8', '天门冬氨酸氨基转移酶', 'U/L', 0, 0, 15, 40, 13, 35, 8, 200, 0.9],
  ['14682-9', '肌酐', 'umol/L', 0, 0, 57, 111, 41, 81, 30, 450, 0.85],
];

interface Analyte {
  coding: Coding;
  unit: string;
  decimals: number;
  referenceDecimals: number;
  range: Record<Gender, [number | null, number | null]>;
  plausible: [number, number];
  highShareOfAbnormal: number;
}
const ANALYTES = new Map<string, Analyte>(
  ANALYTE_ROWS.map(([loinc, display, unit, decimals, referenceDecimals, maleLow, maleHigh, femaleLow, femaleHigh, min, max, highShare]) => [
    loinc,
    {
      coding: { system: LOINC, code: loinc, display },
      unit,
      decimals,
      referenceDecimals,
      range: { MALE: [maleLow, maleHigh], FEMALE: [femaleLow, femaleHigh] },
      plausible: [min, max],
      highShareOfAbnormal: highShare,
    },
  ]),
);

type PanelKey = 'CBC' | 'GLUCOSE' | 'HBA1C' | 'LIPIDS' | 'LIVER' | 'KIDNEY' | 'CHEST_CT';
const PANELS: Readonly<Record<PanelKey, { category: LabReportSeed['category']; coding: Coding; analytes: readonly string[] }>> = {
  CBC: { category: 'LABORATORY', coding: { system: LOINC, code: '58410-2', display: '血常规' }, analytes: ['6690-2', '789-8', '718-7', '777-3'] },
  GLUCOSE: { category: 'LABORATORY', coding: { system: LOINC, code: '14749-6', display: '血糖' }, analytes: ['14749-6'] },
  HBA1C: { category: 'LABORATORY', coding: { system: LOINC, code: '4548-4', display: '糖化血红蛋白' }, analytes: ['4548-4'] },
  LIPIDS: { category: 'LABORATORY', coding: { system: LOINC, code: '57698-3', display: '血脂四项' }, analytes: ['14647-2', '14927-8', '22748-8', '14646-4'] },
  LIVER: { category: 'LABORATORY', coding: { system: LOINC, code: '24325-3', display: '肝功能' }, analytes: ['1742-6', '1920-8'] },
  KIDNEY: { category: 'LABORATORY', coding: { system: LOINC, code: '24362-6', display: '肾功能' }, analytes: ['14682-9'] },
  CHEST_CT: { category: 'IMAGING', coding: { system: LOINC, code: '24627-2', display: '胸部CT平扫' }, analytes: [] },
};

/** Which tests a diagnosis leads to; anything else gets the default. */
const PANELS_FOR: Readonly<Record<string, readonly PanelKey[]>> = {
  'E11.9': ['GLUCOSE', 'HBA1C', 'GLUCOSE', 'HBA1C', 'LIPIDS', 'KIDNEY'],
  I10: ['LIPIDS', 'KIDNEY', 'GLUCOSE', 'CBC'],
  'E78.5': ['LIPIDS', 'LIPIDS', 'LIVER'],
  'I25.1': ['LIPIDS', 'CBC', 'GLUCOSE', 'KIDNEY'],
  'J44.9': ['CBC', 'CHEST_CT'],
  'J18.9': ['CBC', 'CHEST_CT'],
  'J20.9': ['CBC'],
  'J06.9': ['CBC'],
  'R50.9': ['CBC'],
  'N39.0': ['CBC'],
  'K35.8': ['CBC'],
  'R10.4': ['CBC', 'LIVER'],
  'K80.2': ['LIVER', 'CBC'],
  'C34.9': ['CHEST_CT', 'CBC', 'LIVER'],
  'A15.0': ['CHEST_CT', 'CBC', 'LIVER'],
  J47: ['CHEST_CT', 'CBC'],
  'J62.8': ['CHEST_CT'],
  'N18.9': ['KIDNEY', 'CBC'],
  'Z00.0': ['CBC', 'GLUCOSE', 'LIPIDS', 'LIVER', 'KIDNEY'],
};
const DEFAULT_PANELS: readonly PanelKey[] = ['CBC', 'LIVER', 'KIDNEY', 'GLUCOSE'];

/** Diagnoses that push a result out of range: [diagnosis, analyte, probability of an abnormal value]. */
const ABNORMAL_BIASES: readonly [string, string, number][] = [
  ['E11.9', '14749-6', 0.75],
  ['E11.9', '4548-4', 0.8],
  ['E78.5', '14647-2', 0.55],
  ['E78.5', '14927-8', 0.5],
  ['E78.5', '22748-8', 0.55],
  ['E78.5', '14646-4', 0.35],
  ['J18.9', '6690-2', 0.7],
  ['N18.9', '14682-9', 0.8],
  ['I25.1', '22748-8', 0.4],
];
const BASE_ABNORMAL_CHANCE = 0.14;

export function abnormalFlagOf(value: number, low: number | null, high: number | null): ObservationSeed['abnormalFlag'] {
  if (high !== null && value > high) return 'H';
  if (low !== null && value < low) return 'L';
  return 'N';
}

function referenceTextOf(low: number | null, high: number | null, decimals: number): string {
  const format = (bound: number) => bound.toFixed(decimals);
  if (low !== null && high !== null) return `${format(low)}-${format(high)}`;
  if (high !== null) return `<${format(high)}`;
  return low !== null ? `>${format(low)}` : '';
}

// ---------------------------------------------------------------- the generator

interface Person {
  seed: ResidentSeed;
  birthMs: number;
  chronic: string[];
  /** The drugs a resident takes for each chronic condition, prescribed again at every refill. */
  regimen: Map<string, Drug[]>;
  home: Organization;
  /** Visits drawn from a volume profile, or null for the demo's everyday spread. */
  visits: number | null;
}

/**
 * A heavy-tailed spread of visits per resident (log-normal around the median, plus a share
 * of heavy users such as dialysis or oncology patients), for load tests. Lab reports and
 * prescriptions grow with the visits instead of staying at the demo's handful.
 */
export interface VolumeProfile {
  medianVisits: number;
  heavyShare: number;
  heavyVisits: [min: number, max: number];
}

/** The load tests' city: a median of about 50 records per resident, 1% heavy residents with 1,000 to 2,000. */
export const LOAD_TEST_VOLUME: VolumeProfile = { medianVisits: 30, heavyShare: 0.01, heavyVisits: [660, 1130] };

/** Lab reports and prescriptions per visit under a volume profile. */
const REPORTS_PER_VISIT = 0.35;
const PRESCRIPTIONS_PER_VISIT = 0.3;

/** Resident number `index`'s visits; heavy residents are spread evenly, so even a small city has its share. */
function visitsOf(volume: VolumeProfile, index: number, random: Random): number {
  if (Math.floor((index + 1) * volume.heavyShare) > Math.floor(index * volume.heavyShare)) return random.int(...volume.heavyVisits);
  // Box-Muller: a standard normal draw, spread so a tenth of residents have under a third of the median.
  const normal = Math.sqrt(-2 * Math.log(1 - random.float())) * Math.cos(2 * Math.PI * random.float());
  return Math.max(1, Math.round(volume.medianVisits * Math.exp(0.85 * normal)));
}

interface Pool {
  all: Condition[];
  table: WeightedTable<Condition> | null;
}

export function generateCity(options: { seed: number; residents: number; now: Date; volume?: VolumeProfile }): City {
  const random = new Random(options.seed);
  const now = Math.floor(options.now.getTime() / MINUTE) * MINUTE;
  if (!Number.isFinite(now)) throw new Error('generateCity needs a valid `now`');
  const windowStart = now - 3 * 365 * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();

  const organizations = buildOrganizations();
  const byCode = new Map(organizations.map((organization) => [organization.seed.code, organization]));
  const organizationOf = (organizationCode: string): Organization => {
    const found = byCode.get(organizationCode);
    if (!found) throw new Error(`Unknown organization ${organizationCode}`);
    return found;
  };
  const ofLevel = (...levels: OrganizationLevel[]) => organizations.filter((organization) => levels.includes(organization.seed.level));
  const outpatientTable = new WeightedTable(ofLevel('TERTIARY', 'SECONDARY'), (organization) => organization.visitWeight);
  const inpatientTable = new WeightedTable(ofLevel('TERTIARY', 'SECONDARY'), (organization) => organization.dischargeWeight);
  const internetTable = new WeightedTable(ofLevel('INTERNET_HOSPITAL'), (organization) => organization.visitWeight);
  const referralTargets = new WeightedTable(
    ofLevel('TERTIARY').filter((organization) => organization.specialty === GENERAL),
    (organization) => organization.visitWeight,
  );
  const centresByDistrict = new Map<string, Organization[]>();
  for (const centre of ofLevel('COMMUNITY')) centresByDistrict.set(centre.seed.district, [...(centresByDistrict.get(centre.seed.district) ?? []), centre]);
  const districtTable = new WeightedTable(districtWeights(), (district) => district.weight);
  const surnameTable = new WeightedTable(SURNAMES, ([, weight]) => weight);

  const usedIds = new Set<string>();
  const newId = (): string => {
    for (;;) {
      const id = random.hex(24);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };

  const pools = new Map<string, Pool>();
  const poolFor = (organization: Organization, age: number, gender: Gender, classLetter: string): Pool => {
    const { specialty } = organization;
    const letter = age < 14 && specialty.childPool ? specialty.childPool : specialty.pool;
    const key = `${letter}|${specialty.maxAge !== undefined && age > specialty.maxAge ? 'none' : age}|${gender}|${classLetter}`;
    let pool = pools.get(key);
    if (!pool) {
      const all = key.includes('none')
        ? []
        : [...CONDITIONS.values()].filter((item) => item.pools.includes(letter) && item.classes.includes(classLetter) && fits(item, age, gender));
      const weighted = all.filter((item) => item.weight > 0);
      pool = { all, table: weighted.length ? new WeightedTable(weighted, (item) => item.weight) : null };
      pools.set(key, pool);
    }
    return pool;
  };

  const ageAt = (person: Person, ms: number) => Math.max(0, Math.floor((ms - person.birthMs) / YEAR));

  /** A time on a whole minute between opening and closing (Beijing time) on a day inside [from, to]. */
  const visitTime = (from: number, to: number, openMinute: number, closeMinute: number): number => {
    const firstDay = Math.floor((from + BEIJING_OFFSET) / DAY) + 1;
    const lastDay = Math.floor((to + BEIJING_OFFSET) / DAY) - 1;
    if (lastDay < firstDay) return Math.floor((from + random.float() * Math.max(0, to - from)) / MINUTE) * MINUTE;
    return random.int(firstDay, lastDay) * DAY - BEIJING_OFFSET + random.int(openMinute, closeMinute - 1) * MINUTE;
  };

  // ------------------------------------------------------------ residents

  const usedIdNumbers = new Set<string>();
  const usedPhones = new Set<string>();
  const people: Person[] = [];
  for (let i = 0; i < options.residents; i++) {
    const gender: Gender = random.chance(0.5) ? 'MALE' : 'FEMALE';
    const band = random.index(AGE_BANDS);
    // Nobody younger than two months: every resident has had time for a first visit.
    const birthMs = Math.floor((now - Math.max(60 * DAY, (band * 5 + random.float() * 5) * YEAR)) / DAY) * DAY;
    const birthDate = iso(birthMs).slice(0, 10);
    const birthYear = Number(birthDate.slice(0, 4));
    const district = districtTable.pick(random).name;
    const regionCode = REGION_CODES[district] ?? '320106';
    let idNumber: string;
    do idNumber = makeIdNumber(regionCode, birthDate, random.int(0, 499) * 2 + (gender === 'MALE' ? 1 : 0));
    while (usedIdNumbers.has(idNumber));
    usedIdNumbers.add(idNumber);
    let phone: string;
    do phone = random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
    while (usedPhones.has(phone));
    usedPhones.add(phone);
    const era = birthYear < 1970 ? 'older' : birthYear < 2000 ? 'middle' : 'younger';
    const name = surnameTable.pick(random)[0] + random.pick(GIVEN_NAMES[era][gender]);

    const age = Math.floor((now - birthMs) / YEAR);
    const chronic = CHRONIC.filter(([, prevalence]) => random.chance(prevalence(age))).map(([chronicCode]) => chronicCode);
    const regimen = new Map<string, Drug[]>();
    for (const chronicCode of chronic) {
      const drugOptions = TREATMENTS.get(chronicCode)?.[1] ?? [];
      const count = chronicCode === 'I25.1' ? 2 : random.chance(0.3) ? 2 : 1;
      regimen.set(chronicCode, random.shuffled(drugOptions).slice(0, count).map(drug));
    }
    const home = random.pick(centresByDistrict.get(district) ?? ofLevel('COMMUNITY'));
    const visits = options.volume ? visitsOf(options.volume, i, random) : null;
    people.push({ seed: { id: newId(), name, gender, birthDate, idNumber, phone, district }, birthMs, chronic, regimen, home, visits });
  }

  // ------------------------------------------------------------ encounters

  const encountersOf = new Map<Person, EncounterSeed[]>();
  const addEncounter = (
    person: Person,
    organization: Organization,
    encounterClass: EncounterClass,
    department: string,
    start: number,
    end: number,
    diagnoses: Condition[],
  ): EncounterSeed => {
    const encounter: EncounterSeed = {
      id: newId(),
      residentId: person.seed.id,
      organizationCode: organization.seed.code,
      encounterClass,
      department,
      start: iso(start),
      end: iso(end),
      diagnoses: diagnoses.map((item) => item.coding),
    };
    encountersOf.get(person)?.push(encounter);
    return encounter;
  };

  const departmentFor = (item: Condition, organization: Organization, encounterClass: EncounterClass, age: number): string => {
    if (encounterClass === 'EMERGENCY') return '急诊科';
    if (organization.seed.level === 'COMMUNITY') return item.coding.code === 'Z00.1' ? '儿童保健科' : '全科医学科';
    let department = item.department;
    if (DENTAL_DEPARTMENTS.has(department) && !organization.specialty.dental) department = '口腔科';
    if (organization.specialty.children)
      return CHILDREN_HOSPITAL_DEPARTMENTS[department] ?? (department.endsWith('内科') ? `${department.slice(0, -2)}科` : department);
    if (age < 14 && department.endsWith('内科')) return '儿科';
    return department;
  };

  /** The primary diagnosis first, then chronic conditions and companions, at most three. */
  const diagnosesFor = (person: Person, primary: Condition, organization: Organization, encounterClass: EncounterClass, age: number): Condition[] => {
    const diagnoses = [primary];
    const wanted = encounterClass === 'INPATIENT' ? random.int(1, 2) : (random.chance(0.35) ? 1 : 0) + (random.chance(0.1) ? 1 : 0);
    const listsComorbidities = encounterClass === 'INPATIENT' || 'gc'.includes(organization.specialty.pool);
    const candidates = [...(listsComorbidities ? random.shuffled(person.chronic) : []), ...(COMPANIONS[primary.coding.code] ?? [])];
    for (const candidate of candidates) {
      if (diagnoses.length > wanted) break;
      const item = condition(candidate);
      if (!diagnoses.includes(item) && fits(item, age, person.seed.gender)) diagnoses.push(item);
    }
    return diagnoses;
  };

  const durationOf = (encounterClass: EncounterClass, community: boolean, age: number): number => {
    if (encounterClass === 'INPATIENT') return (random.int(3, 10) + (age >= 65 ? random.int(0, 5) : 0)) * DAY + random.int(-180, 180) * MINUTE;
    if (encounterClass === 'EMERGENCY') return random.int(60, 360) * MINUTE;
    if (encounterClass === 'VIRTUAL') return random.int(5, 15) * MINUTE;
    return random.int(community ? 5 : 8, community ? 20 : 45) * MINUTE;
  };

  /** One visit: where, when, why. Specialist hospitals that do not see this resident are drawn again. */
  const visit = (person: Person) => {
    const roll = random.float();
    const setting = roll < 0.05 ? 'community' : roll < 0.08 ? 'virtual' : 'hospital';
    const currentAge = ageAt(person, now);
    let encounterClass: EncounterClass = 'OUTPATIENT';
    if (setting === 'virtual') encounterClass = 'VIRTUAL';
    else if (setting === 'hospital') {
      const inpatientShare = currentAge >= 60 ? 0.09 : currentAge < 5 ? 0.05 : 0.04;
      const classRoll = random.float();
      encounterClass = classRoll < inpatientShare ? 'INPATIENT' : classRoll < inpatientShare + 0.11 ? 'EMERGENCY' : 'OUTPATIENT';
    }
    const duration = durationOf(encounterClass, setting === 'community', currentAge);
    const from = Math.max(windowStart, person.birthMs + DAY);
    const start =
      encounterClass === 'EMERGENCY'
        ? visitTime(from, now - duration, 0, 24 * 60)
        : encounterClass === 'VIRTUAL'
          ? visitTime(from, now - duration, 8 * 60, 22 * 60)
          : visitTime(from, now - duration, 8 * 60, 17 * 60);
    const age = ageAt(person, start);
    const gender = person.seed.gender;

    for (let attempt = 0; ; attempt++) {
      // Emergencies and admissions that no drawn hospital takes become ordinary outpatient visits.
      if (attempt === 30 && (encounterClass === 'EMERGENCY' || encounterClass === 'INPATIENT')) encounterClass = 'OUTPATIENT';
      if (attempt === 1000) throw new Error(`No organization sees resident ${person.seed.id}`);
      const organization =
        setting === 'community'
          ? person.home
          : setting === 'virtual'
            ? internetTable.pick(random)
            : encounterClass === 'INPATIENT'
              ? inpatientTable.pick(random)
              : outpatientTable.pick(random);
      const classLetter = encounterClass === 'EMERGENCY' ? 'E' : encounterClass === 'INPATIENT' ? 'I' : 'O';
      const pool = poolFor(organization, age, gender, classLetter);
      const chronicHere = pool.all.filter((item) => person.chronic.includes(item.coding.code));
      const followUpShare =
        setting === 'virtual' ? 0.85 : setting === 'community' ? 0.75 : { OUTPATIENT: 0.55, INPATIENT: 0.25, EMERGENCY: 0.1, VIRTUAL: 0.85 }[encounterClass];
      let primary: Condition | null = null;
      if (chronicHere.length && (random.chance(followUpShare) || !pool.table)) primary = random.pick(chronicHere);
      else if (pool.table) primary = pool.table.pick(random);
      if (!primary) continue;
      const end = start + (encounterClass === 'OUTPATIENT' && duration > DAY ? random.int(8, 45) * MINUTE : duration);
      const department = departmentFor(primary, organization, encounterClass, age);
      return addEncounter(
        person,
        organization,
        encounterClass,
        department,
        start,
        Math.min(end, now),
        diagnosesFor(person, primary, organization, encounterClass, age),
      );
    }
  };

  // ------------------------------------------------------------ referrals

  const referrals: ReferralSeed[] = [];
  const referralStatus = (requestedAt: number): ReferralSeed['status'] => {
    const daysAgo = (now - requestedAt) / DAY;
    const statuses: ReferralSeed['status'][] = ['REQUESTED', 'ACCEPTED', 'COMPLETED', 'REJECTED'];
    if (daysAgo < 3) return at(statuses, random.index([60, 30, 0, 10]));
    if (daysAgo < 21) return at(statuses, random.index([5, 50, 35, 10]));
    return at(statuses, random.index([0, 4, 84, 12]));
  };

  /** A hospital hands a discharged inpatient back to the community centre near home. */
  const referDown = (person: Person, stay: EncounterSeed) => {
    const diagnosis = at(stay.diagnoses, 0);
    const requestedAt = Date.parse(stay.end) - random.int(60, 240) * MINUTE;
    let status = referralStatus(requestedAt);
    if (status === 'COMPLETED') {
      const duration = random.int(5, 20) * MINUTE;
      const after = Date.parse(stay.end) + 2 * DAY;
      if (after + 8 * DAY > now - duration) status = 'ACCEPTED';
      else {
        const start = visitTime(after, after + 8 * DAY, 8 * 60, 17 * 60);
        addEncounter(person, person.home, 'OUTPATIENT', '全科医学科', start, start + duration, [condition(diagnosis.code)]);
      }
    }
    const reason = random.chance(0.5) ? `${diagnosis.display}出院后社区康复随访` : `${diagnosis.display}病情稳定，转社区继续治疗`;
    referrals.push({
      id: newId(),
      residentId: person.seed.id,
      fromOrganizationCode: stay.organizationCode,
      toOrganizationCode: person.home.seed.code,
      toDepartment: '全科医学科',
      reason,
      status,
      requestedAt: iso(requestedAt),
    });
  };

  /** A family doctor sends a resident up to a tertiary hospital's specialist department. */
  const referUp = (person: Person) => {
    const gender = person.seed.gender;
    const age = ageAt(person, now);
    // Adults only: the visit may lie three years back, and children go to paediatrics.
    if (age < 18) return;
    const chronicReasons = person.chronic.filter((chronicCode) => REFERRAL_REASONS[chronicCode]);
    const otherReasons = Object.keys(REFERRAL_REASONS).filter((reasonCode) => condition(reasonCode).weight > 0 && fits(condition(reasonCode), age, gender));
    const reasonCode = chronicReasons.length && random.chance(0.8) ? random.pick(chronicReasons) : otherReasons.length ? random.pick(otherReasons) : null;
    const reason = reasonCode ? REFERRAL_REASONS[reasonCode] : undefined;
    if (!reasonCode || !reason) return;
    const [department, text] = reason;
    const primary = condition(reasonCode);
    const duration = random.int(8, 20) * MINUTE;
    const from = Math.max(windowStart, person.birthMs + DAY);
    const start = random.chance(0.15)
      ? visitTime(Math.max(from, now - 30 * DAY), now - duration, 8 * 60, 17 * 60)
      : visitTime(from, now - duration, 8 * 60, 17 * 60);
    addEncounter(person, person.home, 'OUTPATIENT', '全科医学科', start, start + duration, diagnosesFor(person, primary, person.home, 'OUTPATIENT', age));
    const requestedAt = start + random.int(3, Math.round(duration / MINUTE)) * MINUTE;
    const target = referralTargets.pick(random);
    let status = referralStatus(requestedAt);
    if (status === 'COMPLETED') {
      const visitDuration = random.int(10, 40) * MINUTE;
      const after = requestedAt + DAY;
      const latest = Math.min(requestedAt + 14 * DAY, now - visitDuration);
      if (latest - after < 2 * DAY) status = 'ACCEPTED';
      else {
        const visitStart = visitTime(after, latest, 8 * 60, 17 * 60);
        addEncounter(person, target, 'OUTPATIENT', department, visitStart, visitStart + visitDuration, [primary]);
      }
    }
    referrals.push({
      id: newId(),
      residentId: person.seed.id,
      fromOrganizationCode: person.home.seed.code,
      toOrganizationCode: target.seed.code,
      toDepartment: department,
      reason: text,
      status,
      requestedAt: iso(requestedAt),
    });
  };

  for (const person of people) {
    encountersOf.set(person, []);
    // At most 10 here, leaving room for the two a referral may add.
    const count = person.visits ?? Math.min(10, 1 + Math.floor(-Math.log(1 - random.float()) * (1.3 + 0.8 * person.chronic.length)));
    for (let i = 0; i < count; i++) visit(person);
    // 12% asked, since children and residents with no reason for one are skipped: about 10% get one.
    if (random.chance(0.12)) {
      const stays = (encountersOf.get(person) ?? []).filter(
        (encounter) => encounter.encounterClass === 'INPATIENT' && organizationOf(encounter.organizationCode).seed.level === 'TERTIARY',
      );
      if (stays.length && random.chance(0.35)) referDown(person, random.pick(stays));
      else referUp(person);
    }
    encountersOf.get(person)?.sort((a, b) => a.start.localeCompare(b.start));
  }

  // ------------------------------------------------------------ lab reports

  const observe = (person: Person, loinc: string, diagnoses: readonly string[]): ObservationSeed => {
    const analyte = ANALYTES.get(loinc);
    if (!analyte) throw new Error(`Unknown analyte ${loinc}`);
    const [low, high] = analyte.range[person.seed.gender];
    const [min, max] = analyte.plausible;
    const bias = ABNORMAL_BIASES.find(([diagnosis, biased]) => biased === loinc && diagnoses.includes(diagnosis));
    const abnormal = random.chance(bias ? bias[2] : BASE_ABNORMAL_CHANCE);
    const goesHigh = bias ? analyte.highShareOfAbnormal > 0 : random.chance(analyte.highShareOfAbnormal);
    const step = 10 ** -analyte.decimals;
    const round = (value: number) => Number(value.toFixed(analyte.decimals));
    let value = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const u = random.float();
      if (abnormal && goesHigh && high !== null) value = high + step + (max - high) * u ** 2;
      else if (abnormal && low !== null) value = low - step - (low - min) * u ** 2;
      else {
        // One-sided ranges: healthy values still cluster well inside the plausible span.
        const normalLow = low ?? min + ((high ?? max) - min) * 0.15;
        const normalHigh = high ?? max - (max - (low ?? min)) * 0.3;
        value = normalLow + (normalHigh - normalLow) * ((u + random.float()) / 2);
      }
      value = round(Math.min(max, Math.max(min, value)));
      // A value on a bound would contradict a text like "<5.2".
      if (value !== low && value !== high) break;
    }
    return {
      code: analyte.coding,
      value,
      unit: analyte.unit,
      referenceLow: low,
      referenceHigh: high,
      referenceText: referenceTextOf(low, high, analyte.referenceDecimals),
      abnormalFlag: abnormalFlagOf(value, low, high),
    };
  };

  const labReports: LabReportSeed[] = [];
  for (const person of people) {
    const candidates = (encountersOf.get(person) ?? []).filter((encounter) => encounter.encounterClass !== 'VIRTUAL');
    const wanted =
      person.visits !== null
        ? Math.round(person.visits * REPORTS_PER_VISIT)
        : person.chronic.length
          ? random.int(1, 6)
          : random.index([35, 30, 18, 10, 4, 2, 1]);
    const done = new Set<string>();
    for (let i = 0; i < wanted && candidates.length; i++) {
      const encounter = random.pick(candidates);
      const codes = encounter.diagnoses.map((diagnosis) => diagnosis.code);
      const start = Date.parse(encounter.start);
      const child = ageAt(person, start) < 14;
      const panelKey: PanelKey = child
        ? 'CBC'
        : random.pick(encounter.encounterClass === 'INPATIENT' ? DEFAULT_PANELS.concat('LIPIDS') : (PANELS_FOR[at(codes, 0)] ?? DEFAULT_PANELS));
      if (done.has(`${encounter.id}:${panelKey}`)) continue;
      done.add(`${encounter.id}:${panelKey}`);
      const panel = PANELS[panelKey];
      const issuedAt =
        encounter.encounterClass === 'INPATIENT'
          ? start + random.int(2 * 60, Math.max(2 * 60, Math.round((Date.parse(encounter.end) - start) / MINUTE))) * MINUTE
          : start + random.int(40, panel.category === 'IMAGING' ? 24 * 60 : 240) * MINUTE;
      const issued = Math.min(issuedAt, now);
      const statusRoll = random.float();
      const status: LabReportSeed['status'] =
        now - issued < 7 * DAY && statusRoll < 0.4 ? 'PRELIMINARY' : statusRoll < 0.015 ? 'PRELIMINARY' : statusRoll < 0.045 ? 'AMENDED' : 'FINAL';
      const diagnoses = [...codes, ...person.chronic];
      labReports.push({
        id: newId(),
        residentId: person.seed.id,
        organizationCode: encounter.organizationCode,
        category: panel.category,
        code: panel.coding,
        issuedAt: iso(issued),
        status,
        results: panel.analytes.map((loinc) => observe(person, loinc, diagnoses)),
      });
    }
  }

  // ------------------------------------------------------------ prescriptions

  const prescriptions: PrescriptionSeed[] = [];
  for (const person of people) {
    const chronic = person.chronic.length > 0;
    const candidates = (encountersOf.get(person) ?? []).filter((encounter) => {
      const level = organizationOf(encounter.organizationCode).seed.level;
      // Internet hospitals renew prescriptions for chronic conditions.
      const renewal = level === 'INTERNET_HOSPITAL' && encounter.diagnoses.some((diagnosis) => person.chronic.includes(diagnosis.code));
      const prescribes = level === 'TERTIARY' || level === 'SECONDARY' || renewal;
      return prescribes && encounter.diagnoses.some((diagnosis) => TREATMENTS.has(diagnosis.code));
    });
    const wanted = person.visits !== null ? Math.round(person.visits * PRESCRIPTIONS_PER_VISIT) : chronic ? random.int(1, 4) : random.index([40, 35, 18, 5, 2]);
    for (const encounter of random.shuffled(candidates).slice(0, wanted)) {
      const start = Date.parse(encounter.start);
      const child = ageAt(person, start) < 14;
      const items: PrescriptionItemSeed[] = [];
      for (const diagnosis of encounter.diagnoses) {
        const treatment = TREATMENTS.get(diagnosis.code);
        if (!treatment) continue;
        const [, adults, children, minDays, maxDays] = treatment;
        const regimen = person.regimen.get(diagnosis.code);
        const options = child ? children : adults;
        const drugs =
          regimen ??
          (options.length
            ? random
                .shuffled(options)
                .slice(0, random.chance(0.3) ? 2 : 1)
                .map(drug)
            : []);
        for (const chosen of drugs) {
          if (items.length >= 4 || items.some((item) => item.drug.code === chosen.coding.code)) continue;
          const days = chosen.frequency === 'prn' ? Math.min(maxDays, 7) : regimen ? random.pick([14, 28, 28, 28]) : random.int(minDays, maxDays);
          items.push({ drug: chosen.coding, inn: chosen.inn, dose: chosen.dose, frequency: chosen.frequency, days: Math.max(3, days) });
        }
      }
      if (!items.length) continue;
      const end = Date.parse(encounter.end);
      // Inpatients get their prescription on the day they go home.
      const issuedAt =
        encounter.encounterClass === 'INPATIENT'
          ? end - random.int(60, 180) * MINUTE
          : start + Math.round(((end - start) * (0.5 + 0.4 * random.float())) / MINUTE) * MINUTE;
      const daysAgo = (now - issuedAt) / DAY;
      const statuses: PrescriptionSeed['status'][] = ['SIGNED', 'APPROVED', 'DISPENSED', 'CANCELLED'];
      const status = at(statuses, random.index(daysAgo < 2 ? [30, 30, 35, 5] : [2, 3, 88, 7]));
      prescriptions.push({
        id: newId(),
        residentId: person.seed.id,
        organizationCode: encounter.organizationCode,
        issuedAt: iso(Math.min(issuedAt, now)),
        status,
        items,
      });
    }
  }

  return {
    organizations: organizations.map(({ seed }) => ({ ...seed })),
    residents: people.map(({ seed }) => seed),
    encounters: people.flatMap((person) => encountersOf.get(person) ?? []),
    labReports,
    prescriptions,
    referrals,
  };
}
