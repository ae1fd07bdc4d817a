/**
 * The demo city's districts: the region code of their residents' ID numbers, the places their
 * community health centres are named after, which district a hospital stands in, and how many
 * centres each district gets by its share of the bulletin's outpatient visits.
 */

import { at, hashOf, words } from './city-random';
import bulletin from './nanjing-2024-09.json';

/** Each district, the region code of its residents' ID numbers, and the places its community health centres are named after. */
export const DISTRICTS: readonly { name: string; regionCode: string; places: readonly string[] }[] = [
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

export function districtOfHospital(name: string): string {
  const hint = NAME_DISTRICT_HINTS.find(([word]) => name.includes(word));
  return hint ? hint[1] : at(BULLETIN_DISTRICTS, hashOf(name) % BULLETIN_DISTRICTS.length);
}

/** Community health centres in the city. */
const COMMUNITY_CENTRES = 131;

/** Each district's monthly outpatient visits; 秦淮 reported none, so it counts as the mean. */
export function districtWeights(): { name: string; weight: number }[] {
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
