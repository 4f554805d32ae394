import type {
  ActivitiesTable,
  ActivityCoorganisersTable,
  ContentItemsTable,
  FundingStandardsTable,
  FundingTable,
  ResourcesTable,
  VolunteerServicesTable,
} from '../../db/schema';
import { newId } from '../../ids';
import { addDays, at } from './demo-reports';

/**
 * The demo's science-popularization resources (issue 13) for the sample city and its counties: 科普教育基地, 示范学校,
 * STEM 基地, 工作室, 科技馆 and 流动科技馆 visits, 专家服务团 with 首席专家, trainings, competitions, volunteer teams and
 * volunteers with service records, activities per county per quarter (some joint ones reported twice), 科普经费 per
 * level and year with the city's 1.5 元/人 standard, and a dozen content items. Names are invented (the demo banner
 * says so); dates fall within the demo's quarters, apart from a few activities in the weeks after `today` (the public
 * calendar and 为您推荐 show upcoming ones). Pure: every draw comes from `rnd`, in a fixed order.
 */

/** A child level of the city: its id, names, the unit standing for it, and a unit of its own (its 科协) if any. */
export interface DemoPlace {
  id: string;
  name: string;
  shortName: string;
  level: string;
  governmentUnitId: string | null;
  ownUnitId: string | null;
}

export interface DemoResourcesInput {
  rnd: () => number;
  batchId: string;
  city: { id: string; name: string };
  places: DemoPlace[];
  /** City units by short name (市科协, 市教育局, 市人社局, 市农业农村局, 市科技局, 团市委 …). */
  cityUnits: Map<string, string>;
  /** First and last day of the demo's quarters, and today. */
  start: string;
  end: string;
  today: string;
  /** jurisdiction|year keys that already have funding (real rows are never doubled), and standards. */
  fundedKeys: Set<string>;
  standardKeys: Set<string>;
}

export interface DemoResources {
  resources: ResourcesTable[];
  activities: ActivitiesTable[];
  coorganisers: ActivityCoorganisersTable[];
  services: VolunteerServicesTable[];
  funding: FundingTable[];
  standards: FundingStandardsTable[];
  content: ContentItemsTable[];
}

/** Rough centres of Xuzhou's county-level divisions (degrees), to place records; others fall near the city centre. */
const CENTRES: Record<string, [number, number]> = {
  鼓楼区: [117.19, 34.29],
  云龙区: [117.25, 34.25],
  贾汪区: [117.45, 34.44],
  泉山区: [117.15, 34.24],
  铜山区: [117.17, 34.18],
  丰县: [116.6, 34.7],
  沛县: [116.94, 34.72],
  睢宁县: [117.94, 33.91],
  新沂市: [118.35, 34.37],
  邳州市: [117.96, 34.33],
};
const BOX = { minLng: 116.366, maxLng: 118.667, minLat: 33.716, maxLat: 34.967 };
/** Invented resident scale per kind of place (for plausible person-times and budgets, not stored as population). */
const scaleOf = (p: DemoPlace) =>
  p.level === 'zone' ? 250_000 : p.shortName.endsWith('区') ? 700_000 : 1_000_000;

const BASE_THEMES = [
  ['生态湿地公园', '生态环保'],
  ['农业科技示范园', '农业科技'],
  ['气象科普馆', '气象防灾'],
  ['地震科普体验馆', '防灾减灾'],
  ['消防科普教育馆', '安全应急'],
  ['科技创新园', '科技创新'],
  ['中医药文化馆', '健康医药'],
  ['水利科普馆', '水利水情'],
  ['天文科普馆', '天文航天'],
  ['植物园', '生态环保'],
  ['矿山遗址公园', '生态修复'],
  ['交通安全教育馆', '安全应急'],
  ['食品安全科普馆', '食品安全'],
  ['新能源科普馆', '能源科技'],
  ['工程机械科普馆', '智能制造'],
  ['禁毒教育馆', '健康生活'],
] as const;
const SCHOOL_KINDS = [
  '实验小学',
  '中心小学',
  '第一中学',
  '第二中学',
  '实验学校',
  '外国语学校',
  '高级中学',
  '第三中学',
];
const EXPERT_FIELDS = [
  '卫生健康',
  '农业技术',
  '应急安全',
  '生态环保',
  '智能制造',
  '气象防灾',
  '心理健康',
  '信息技术',
  '食品安全',
];
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁欣雪梅琳晨阳博文';
const ACTIVITY_TITLES = [
  ['科普进社区健康讲座', ['elderly'], '健康生活'],
  ['青少年科技节', ['youth'], '科技创新'],
  ['农业实用技术培训下乡', ['farmers'], '农业科技'],
  ['防灾减灾科普宣传', ['elderly', 'youth'], '防灾减灾'],
  ['产业工人技能科普讲堂', ['workers'], '智能制造'],
  ['领导干部科学素质报告会', ['officials'], '科学素质'],
  ['科普大篷车进校园', ['youth'], '科学探索'],
  ['老年人防诈骗与智能手机培训', ['elderly'], '数字生活'],
  ['气象科普开放日', ['youth', 'elderly'], '气象防灾'],
  ['乡村振兴科技服务', ['farmers'], '农业科技'],
  ['安全生产科普宣讲', ['workers'], '安全应急'],
  ['科学家精神进校园', ['youth'], '科学家精神'],
] as const;
/** The earlier of two YYYY-MM-DD dates. */
const earlier = (a: string, b: string) => (a < b ? a : b);

const CAMPAIGN_OF_QUARTER: (string | null)[] = [
  '科普进社区',
  '科技活动周',
  '文化科技卫生“三下乡”',
  '全国科普日',
];

export function makeDemoResources(input: DemoResourcesInput): DemoResources {
  const { rnd, batchId, city, places, cityUnits, start, end, today } = input;
  const between = (a: string, b: string) => {
    const from = Date.parse(`${a}T00:00:00Z`);
    const to = Date.parse(`${b}T00:00:00Z`);
    return addDays(a, Math.floor(rnd() * (Math.max(0, to - from) / 86_400_000 + 1)));
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const person = () => pick([...SURNAMES]) + pick([...GIVEN]) + (rnd() < 0.6 ? pick([...GIVEN]) : '');
  const counties = places.filter((p) => p.governmentUnitId !== null || p.ownUnitId !== null);
  const anyCityUnit = [...cityUnits.values()][0]!;
  const cu = (short: string) => cityUnits.get(short) ?? anyCityUnit;
  const unitOf = (p: DemoPlace) => p.ownUnitId ?? p.governmentUnitId!;
  const coords = (p: DemoPlace | null): [number, number] => {
    const [lng, lat] = (p && CENTRES[p.shortName]) ?? [117.18, 34.26];
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi - 0.001, Math.max(lo + 0.001, v));
    return [
      Number(clamp(lng + (rnd() - 0.5) * 0.12, BOX.minLng, BOX.maxLng).toFixed(5)),
      Number(clamp(lat + (rnd() - 0.5) * 0.1, BOX.minLat, BOX.maxLat).toFixed(5)),
    ];
  };
  const years: number[] = [];
  for (let y = Number(start.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) years.push(y);
  const yearStart = (y: number) => (`${y}-01-01` < start ? start : `${y}-01-01`);
  const yearEnd = (y: number) => (`${y}-12-31` > end ? end : `${y}-12-31`);

  const resources: ResourcesTable[] = [];
  const resource = (
    r: Partial<ResourcesTable> & Pick<ResourcesTable, 'kind' | 'jurisdiction_id' | 'unit_id' | 'name'>,
  ) => {
    const on = r.recognised_on ?? null;
    const row: ResourcesTable = {
      id: newId(),
      level: null,
      category: null,
      theme: null,
      recognised_on: on,
      expires_on: null,
      withdrawn_on: null,
      withdrawn_reason: null,
      year: on ? Number(on.slice(0, 4)) : null,
      quantity: null,
      hours: null,
      address: null,
      longitude: null,
      latitude: null,
      open_to_public: null,
      opening_hours: null,
      parent_id: null,
      details_json: '{}',
      version: 1,
      created_by: null,
      created_at: at(on ?? start, 9),
      updated_at: at(on ?? start, 9),
      demo_batch_id: batchId,
      ...r,
    };
    resources.push(row);
    return row;
  };
  const placeAt = (k: number) => counties[k % counties.length] ?? null;

  // 科普教育基地: ~35 市级 and ~12 省级 (some expired or withdrawn), recognised by 市科协, located in the counties.
  for (const [level, n] of [
    ['市级', 35],
    ['省级', 12],
  ] as const) {
    for (let k = 0; k < n; k++) {
      const p = placeAt(k + (level === '省级' ? 3 : 0));
      const [thing, theme] = BASE_THEMES[(k * 7 + (level === '省级' ? 5 : 0)) % BASE_THEMES.length]!;
      const on = between(start, addDays(end, -60));
      const [lng, lat] = coords(p);
      const open = rnd() < 0.6;
      const fate = level === '省级' ? k % 6 : -1; // 省级: one in six expired, one in six withdrawn
      resource({
        kind: 'science_base',
        jurisdiction_id: city.id,
        unit_id: cu('市科协'),
        name: `${p?.shortName ?? '徐州'}${thing}${n > 16 && k >= BASE_THEMES.length ? `（${Math.floor(k / BASE_THEMES.length) + 1}号馆）` : ''}`,
        level,
        theme,
        recognised_on: on,
        expires_on:
          fate === 1 ? between(on, addDays(today, -1)) : addDays(on, level === '省级' ? 5 * 365 : 3 * 365),
        withdrawn_on: fate === 2 ? between(on, addDays(today, -1)) : null,
        withdrawn_reason: fate === 2 ? '复核未通过，予以摘牌' : null,
        address: `${p?.name ?? city.name}${pick(['人民路', '解放路', '建设路', '淮海路', '中山路', '黄河路'])}${int(1, 300)}号`,
        longitude: lng,
        latitude: lat,
        open_to_public: open ? 1 : 0,
        opening_hours: open
          ? pick(['周二至周日 9:00—17:00', '周一至周五 8:30—17:30', '每周六、周日 9:00—16:30'])
          : null,
      });
    }
  }
  // 科学教育综合示范学校: ~13 省级, ~45 市级 (市教育局).
  for (const [level, n] of [
    ['省级', 13],
    ['市级', 45],
  ] as const) {
    for (let k = 0; k < n; k++) {
      const p = placeAt(k + (level === '省级' ? 0 : 4));
      const [lng, lat] = coords(p);
      resource({
        kind: 'demo_school',
        jurisdiction_id: city.id,
        unit_id: cu('市教育局'),
        name: `${p?.shortName ?? '徐州市'}${SCHOOL_KINDS[(k + (level === '省级' ? 3 : 0)) % SCHOOL_KINDS.length]}${k >= SCHOOL_KINDS.length ? `${['东', '西', '南', '北', '新城'][Math.floor(k / SCHOOL_KINDS.length) % 5]}校区` : ''}`,
        level,
        recognised_on: between(start, addDays(end, -30)),
        address: `${p?.name ?? city.name}`,
        longitude: lng,
        latitude: lat,
      });
    }
  }
  // STEM 创新实践基地 ~8 (市教育局), 青少年科学工作室 (two per county, the county's own).
  for (let k = 0; k < 8; k++) {
    const p = placeAt(k * 3);
    resource({
      kind: 'stem_base',
      jurisdiction_id: city.id,
      unit_id: cu('市教育局'),
      name: `${p?.shortName ?? '徐州'}${pick(['机器人', '创客', '人工智能', '航模', '生物探究', '3D打印'])}STEM创新实践基地`,
      level: '市级',
      recognised_on: between(start, addDays(end, -30)),
    });
  }
  for (const p of counties) {
    for (let k = 0; k < 2; k++) {
      resource({
        kind: 'youth_studio',
        jurisdiction_id: p.id,
        unit_id: unitOf(p),
        name: `${p.shortName}${pick(['天文', '无人机', '编程', '植物', '化学', '气象'])}青少年科学工作室${k + 1}`,
        level: '县级',
        recognised_on: between(start, addDays(end, -30)),
      });
    }
  }
  // 科技馆: the city's and one in some counties; 流动科技馆/科普大篷车 visits to the counties.
  const museums: DemoPlace[] = counties.filter((_, k) => k % 3 === 0);
  resource({
    kind: 'science_museum',
    jurisdiction_id: city.id,
    unit_id: cu('市科协'),
    name: `${city.name}科技馆`,
    level: '市级',
    recognised_on: start,
    address: `${city.name}云龙区`,
    ...(() => {
      const [lng, lat] = coords(null);
      return { longitude: lng, latitude: lat };
    })(),
    open_to_public: 1,
    opening_hours: '周二至周日 9:00—16:30（周一闭馆）',
  });
  for (const p of museums) {
    const [lng, lat] = coords(p);
    resource({
      kind: 'science_museum',
      jurisdiction_id: p.id,
      unit_id: unitOf(p),
      name: `${p.shortName}科技馆`,
      level: '县级',
      recognised_on: between(start, addDays(start, 180)),
      address: p.name,
      longitude: lng,
      latitude: lat,
      open_to_public: 1,
      opening_hours: '周三至周日 9:00—17:00',
    });
  }
  for (const y of years) {
    for (const p of counties.filter(() => rnd() < 0.7)) {
      resource({
        kind: 'museum_visit',
        jurisdiction_id: p.id,
        unit_id: unitOf(p),
        name: `${pick(['中国流动科技馆', '科普大篷车'])}${p.shortName}巡展`,
        recognised_on: between(yearStart(y), yearEnd(y)),
        quantity: int(3_000, 40_000),
        address: p.name,
      });
    }
  }
  // 科技传播专家服务团 ~9 with 首席科技传播专家 ~45 (five a team).
  for (const field of EXPERT_FIELDS) {
    const team = resource({
      kind: 'expert_team',
      jurisdiction_id: city.id,
      unit_id: cu('市科协'),
      name: `${city.name}${field}科技传播专家服务团`,
      level: '市级',
      theme: field,
      recognised_on: between(start, addDays(start, 120)),
      quantity: 5,
    });
    for (let k = 0; k < 5; k++) {
      resource({
        kind: 'chief_expert',
        jurisdiction_id: city.id,
        unit_id: cu('市科协'),
        name: person(),
        level: '市级',
        theme: field,
        recognised_on: team.recognised_on,
        parent_id: team.id,
        details_json: JSON.stringify({
          title: pick(['主任医师', '研究员', '高级工程师', '教授', '副教授', '高级农艺师']),
        }),
      });
    }
  }
  // Trainings per year: 科技辅导员 ~300 trainees, 高素质农民 ~1.2万, 带头人, 技能劳动者, 高技能人才.
  const trainings = [
    ['科技辅导员', '市科协', 6, 40, 60, '科技辅导员能力提升培训班'],
    ['高素质农民', '市农业农村局', 24, 420, 580, '高素质农民培育培训班'],
    ['现代农业经营主体带头人', '市农业农村局', 4, 80, 120, '农业经营主体带头人培训班'],
    ['技能劳动者', '市人社局', 10, 250, 350, '职业技能提升培训'],
    ['高技能人才', '市人社局', 6, 120, 180, '高技能人才研修班'],
  ] as const;
  for (const y of years) {
    for (const [category, owner, n, lo, hi, title] of trainings) {
      for (let k = 0; k < n; k++) {
        resource({
          kind: 'training',
          jurisdiction_id: city.id,
          unit_id: cu(owner),
          name: `${y}年${placeAt(k)?.shortName ?? ''}${title}（第${k + 1}期）`,
          category,
          recognised_on: between(yearStart(y), yearEnd(y)),
          quantity: int(lo, hi),
          hours: pick([16, 24, 32, 40]),
        });
      }
    }
    // Competitions ~20 a year: 技能大赛 (市人社局) and 青少年科技创新大赛 (市科协).
    for (let k = 0; k < 20; k++) {
      const skills = k < 15;
      resource({
        kind: 'competition',
        jurisdiction_id: city.id,
        unit_id: cu(skills ? '市人社局' : '市科协'),
        name: skills
          ? `${y}年${city.name}${pick(['焊工', '电工', '数控车工', '汽车维修工', '育婴员', '茶艺师', '电子商务师', '中式烹调师', '工业机器人系统运维员', '农机修理工'])}职业技能竞赛`
          : `${y}年${city.name}${pick(['青少年科技创新大赛', '青少年机器人竞赛', '中小学生科学实验展评', '科普讲解大赛', '青少年航模竞赛'])}`,
        level: k % 7 === 0 ? '省级' : '市级',
        category: skills ? '职业技能' : '青少年科技',
        recognised_on: between(yearStart(y), yearEnd(y)),
        quantity: int(40, 400),
      });
    }
  }
  // 科技志愿服务队 (two per county) and their volunteers.
  const volunteersOf = new Map<string, ResourcesTable[]>();
  for (const p of counties) {
    const own: ResourcesTable[] = [];
    for (let t = 0; t < 2; t++) {
      const team = resource({
        kind: 'volunteer_team',
        jurisdiction_id: p.id,
        unit_id: unitOf(p),
        name: `${p.shortName}${['科技志愿服务队', '银龄科普志愿服务队', '青年科普志愿服务队'][t % 3]}`,
        recognised_on: between(start, addDays(start, 200)),
      });
      const members = int(8, 14);
      team.quantity = members;
      for (let k = 0; k < members; k++) {
        own.push(
          resource({
            kind: 'volunteer',
            jurisdiction_id: p.id,
            unit_id: unitOf(p),
            name: person(),
            recognised_on: team.recognised_on,
            parent_id: team.id,
          }),
        );
      }
    }
    volunteersOf.set(p.id, own);
  }

  // 科普活动: per county per quarter, with participants (人次); a few joint activities reported by the city too.
  const activities: ActivitiesTable[] = [];
  const coorganisers: ActivityCoorganisersTable[] = [];
  const activity = (p: DemoPlace, startDate: string, q: number, organiser: string) => {
    const [title, pops, theme] = pick(ACTIVITY_TITLES);
    const place = `${p.shortName}${pick(['文化广场', '科技馆', '人民公园', '新时代文明实践中心', '体育馆', '中心小学'])}`;
    const mode = rnd() < 0.15 ? 'both' : rnd() < 0.1 ? 'online' : 'offline';
    const row: ActivitiesTable = {
      id: newId(),
      jurisdiction_id: p.id,
      organiser_unit_id: organiser,
      title: `${p.shortName}${title}`,
      theme,
      campaign: CAMPAIGN_OF_QUARTER[q] ?? null,
      place,
      longitude: null,
      latitude: null,
      start_date: startDate,
      end_date: rnd() < 0.2 ? addDays(startDate, 1) : startDate,
      year: Number(startDate.slice(0, 4)),
      mode,
      populations_json: JSON.stringify(pops),
      participants: 0,
      counting_method: mode === 'offline' ? '现场签到统计' : '线上观看人次与现场签到合计',
      summary: null,
      dedupe_key: `${startDate}|${place}|${p.shortName}${title}`,
      duplicate_of: null,
      version: 1,
      created_by: null,
      created_at: at(startDate, 18),
      updated_at: at(startDate, 18),
      demo_batch_id: batchId,
    };
    activities.push(row);
    return row;
  };
  const quarterStarts: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 92)) quarterStarts.push(`${d.slice(0, 7)}-01`);
  for (const p of counties) {
    const perYear = new Map<number, ActivitiesTable[]>();
    for (const qs of quarterStarts) {
      const qEnd = earlier(addDays(qs, 89), end);
      const q = Math.floor((Number(qs.slice(5, 7)) - 1) / 3);
      for (let k = 0; k < 6; k++) {
        const a = activity(p, between(qs, qEnd), q, unitOf(p));
        perYear.set(a.year, [...(perYear.get(a.year) ?? []), a]);
      }
    }
    // Person-times of a year: around 60–100% of the place's (invented) scale, a few large campaign days.
    for (const list of perYear.values()) {
      const total = scaleOf(p) * (0.6 + rnd() * 0.4) * (list.length / 24);
      const weights = list.map(() => 0.3 + rnd() * (rnd() < 0.15 ? 6 : 1));
      const sum = weights.reduce((s, w) => s + w, 0);
      list.forEach((a, k) => {
        a.participants = Math.max(30, Math.round((total * weights[k]!) / sum));
      });
    }
    // A joint activity: the same event reported again by the city's 科协 (same date, place, title), counted once.
    for (const a of (perYear.get(Number(end.slice(0, 4))) ?? []).slice(0, 2)) {
      activities.push({ ...a, id: newId(), organiser_unit_id: cu('市科协'), duplicate_of: a.id });
      coorganisers.push({ activity_id: a.id, unit_id: cu('市科协') });
    }
    // Upcoming: a couple in the weeks after today.
    for (let k = 0; k < 2; k++) {
      const a = activity(
        p,
        between(addDays(today, 3), addDays(today, 45)),
        Math.floor(Number(today.slice(5, 7)) / 3.01),
        unitOf(p),
      );
      a.participants = 0;
      a.created_at = at(today, 8);
      a.updated_at = a.created_at;
    }
  }
  // Service records: each volunteer served at a few of the county's past activities.
  const services: VolunteerServicesTable[] = [];
  for (const p of counties) {
    const past = activities.filter(
      (a) => a.jurisdiction_id === p.id && a.duplicate_of === null && a.start_date < today,
    );
    for (const v of volunteersOf.get(p.id) ?? []) {
      for (let k = int(1, 4); k > 0; k--) {
        const a = past.length > 0 ? pick(past) : null;
        services.push({
          id: newId(),
          volunteer_id: v.id,
          activity_id: a?.id ?? null,
          served_on: a?.start_date ?? between(start, end),
          hours: pick([2, 3, 4, 4, 6, 8]),
          description: a ? `参与“${a.title}”现场讲解与引导` : '科普宣传咨询服务',
          created_by: null,
          created_at: at(a?.start_date ?? start, 19),
          demo_batch_id: batchId,
        });
      }
    }
  }

  // 科普经费 per level and year (budgets around 1.2–2.2 元 per invented resident), the city's 1.5 元/人 standard.
  const funding: FundingTable[] = [];
  const standards: FundingStandardsTable[] = [];
  const cityPlace: DemoPlace = {
    id: city.id,
    name: city.name,
    shortName: city.name,
    level: 'city',
    governmentUnitId: null,
    ownUnitId: null,
  };
  for (const y of years) {
    if (!input.standardKeys.has(`${city.id}|${y}`))
      standards.push({
        jurisdiction_id: city.id,
        year: y,
        per_resident: 1.5,
        updated_by: null,
        updated_at: at(yearStart(y), 9),
        demo_batch_id: batchId,
      });
    for (const p of [cityPlace, ...counties]) {
      if (input.fundedKeys.has(`${p.id}|${y}`)) continue;
      const scale = p === cityPlace ? 3_000_000 : scaleOf(p);
      const total = Math.round(scale * (1.2 + rnd() * 1.0));
      const settled = yearEnd(y) < today;
      for (const [source, share] of [
        ['本级财政预算', 0.7],
        ['上级转移支付', 0.2],
        ['社会资金', 0.1],
      ] as const) {
        const budgeted = Math.round(total * share * 100) / 100;
        funding.push({
          id: newId(),
          jurisdiction_id: p.id,
          year: y,
          source,
          budgeted,
          spent: settled ? Math.round(budgeted * (0.85 + rnd() * 0.15) * 100) / 100 : null,
          note: settled ? null : '年度执行中',
          version: 1,
          updated_by: null,
          created_at: at(yearStart(y), 10),
          updated_at: at(yearStart(y), 10),
          demo_batch_id: batchId,
        });
      }
    }
  }

  // A dozen content items for 精准推送: the city's for everyone or a group, a few aimed at one county.
  const CONTENT = [
    [
      '秋冬季呼吸道疾病预防小知识',
      '勤洗手、常通风、科学佩戴口罩，老年人和慢性病患者按时接种疫苗。',
      ['elderly', 'public'],
      ['健康'],
    ],
    [
      '青少年近视防控十问',
      '每天户外活动两小时，读写姿势正确，电子屏幕使用有节制。',
      ['youth'],
      ['健康', '青少年'],
    ],
    ['小麦春季田间管理技术要点', '适时追肥浇水，做好纹枯病、赤霉病的监测与防治。', ['farmers'], ['农业技术']],
    [
      '识别电信网络诈骗的八种套路',
      '冒充客服、刷单返利、虚假投资理财……牢记“不点、不信、不转账”。',
      ['elderly', 'public'],
      ['防诈骗', '数字生活'],
    ],
    [
      '家庭应急包里该放什么',
      '饮用水、应急食品、手电、收音机、常用药品和重要证件复印件。',
      ['public'],
      ['应急安全'],
    ],
    [
      '工业机器人的基本原理',
      '从示教编程到视觉识别，了解智能产线上的“机械臂”。',
      ['workers', 'youth'],
      ['智能制造'],
    ],
    [
      '领导干部应知的人工智能常识',
      '大模型能做什么、不能做什么，以及数据安全的底线。',
      ['officials'],
      ['人工智能'],
    ],
    [
      '夏季防溺水安全提示',
      '不私自下水游泳，不到无安全设施、无救援人员的水域游泳。',
      ['youth', 'public'],
      ['安全'],
    ],
    ['设施蔬菜节水灌溉技术', '滴灌、微喷灌的布设方法和水肥一体化要点。', ['farmers'], ['农业技术', '节水']],
    ['职业病防护知识问答', '粉尘、噪声作业岗位的个人防护用品选用与佩戴。', ['workers'], ['健康', '安全生产']],
    ['观星入门：四季星空', '不借助望远镜也能认出的亮星与星座。', ['youth', 'public'], ['天文']],
    ['老年人智能手机使用指南', '视频通话、扫码就医、网上缴费，一步步学会。', ['elderly'], ['数字生活']],
  ] as const;
  const content: ContentItemsTable[] = CONTENT.map(([title, summary, audiences, themes], k) => {
    const target = k % 4 === 3 ? placeAt(k) : null;
    const on = between(start, earlier(addDays(today, -1), end));
    return {
      id: newId(),
      jurisdiction_id: city.id,
      title,
      summary,
      url: k % 3 === 0 ? 'https://www.kepuchina.cn/' : null,
      themes_json: JSON.stringify(themes),
      audiences_json: JSON.stringify(audiences),
      jurisdictions_json: JSON.stringify(target ? [target.id] : []),
      published_on: on,
      version: 1,
      created_by: null,
      created_at: at(on, 10),
      updated_at: at(on, 10),
      demo_batch_id: batchId,
    };
  });
  return { resources, activities, coorganisers, services, funding, standards, content };
}
