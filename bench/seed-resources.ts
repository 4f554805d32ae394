// Seeding for bench/resources.bench.ts: science-popularization registries, activities and volunteer services (issue
// 13, migration 0170) generated on top of the Xuzhou sample and written straight to the tables (seed.ts bulk writer).
import type { Db } from '../server/src/db/database';
import type {
  ActivitiesTable,
  ActivityCoorganisersTable,
  Database,
  ResourcesTable,
  VolunteerServicesTable,
} from '../server/src/db/schema';
import { addDays, benchId, bulkTransaction, rng } from './seed';

export const RESOURCE_BENCH = {
  activities: 200_000,
  /** Share of activity rows that are another unit's report of a joint activity (duplicate_of set, not counted). */
  jointShare: 0.03,
  volunteers: 50_000,
  teams: 500,
  services: 100_000,
  unitsPerCounty: 8,
  /** The five years of activities; registry records are recognised over a few years more. */
  years: [2022, 2023, 2024, 2025, 2026],
} as const;

/** ~5,000 records of the other kinds: [kind, count, levels it takes (none: null)]. */
const OTHER_KINDS: [string, number, readonly string[] | null][] = [
  ['science_base', 600, ['市级', '市级', '市级', '省级', '国家级']],
  ['demo_school', 400, ['市级', '市级', '省级']],
  ['stem_base', 200, ['市级', '省级', '国家级']],
  ['youth_studio', 300, ['县级', '市级', '省级']],
  ['science_museum', 50, ['县级', '市级', '省级']],
  ['museum_visit', 800, null],
  ['expert_team', 50, ['县级', '市级', '省级']],
  ['chief_expert', 300, ['县级', '市级', '省级']],
  ['training', 1500, null],
  ['competition', 800, ['县级', '市级', '省级', '国家级']],
];
const TRAINING_CATEGORIES = ['科技辅导员', '高素质农民', '技能劳动者', '高技能人才', '领导干部和公务员'];
const CAMPAIGNS = ['全国科普日', '科技活动周', '文化科技卫生“三下乡”', '科普进社区', '其他'];
const POPULATIONS = ['youth', 'farmers', 'workers', 'elderly', 'officials'];
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彩春菊辉鹏飞斌宇浩凯健俊帆帅旭宁龙林欣悦',
];
const UNIT_NAMES = ['科协', '教育局', '科技局', '农业农村局', '文化馆', '图书馆', '实验小学', '卫生健康委'];
const THEMES = [
  '防灾减灾',
  '健康生活',
  '航空航天',
  '人工智能',
  '生态环保',
  '食品安全',
  '应急避险',
  '农业技术',
];

/**
 * Joint-activity key as the activities module computes it (packages/shared activityDedupeKey): start date, place and
 * title, each NFKC-normalised, without blanks, punctuation or symbols, lower-cased.
 */
function dedupeKey(startDate: string, place: string, title: string): string {
  const n = (s: string) =>
    s
      .normalize('NFKC')
      .replace(/[\s\p{P}\p{S}]/gu, '')
      .toLowerCase();
  return `${startDate}|${n(place)}|${n(title)}`;
}

export interface ResourceSample {
  city: { id: string; name: string };
  /** The city's children: its 10 counties (level 'county') and 3 function zones ('zone'). */
  counties: { id: string; name: string; level: string }[];
  counts: Record<string, number>;
}

/**
 * On a database holding the Xuzhou sample (the city, its 10 counties and function zones, its units): 8 units in
 * each county; a county population row (population_margins, dimension 'county', level = the county's name) and the
 * city's total for each of the five years; 200,000 activities over the counties (weighted, so coverage ranges from
 * well below 80% to above) and the five years, 3% of them a second unit's report of a joint activity (same
 * start date, place, title and dedupe_key as the counted row, duplicate_of set), 20–2,000 person-times, a tenth with
 * co-organisers; 500 volunteer teams and 50,000 volunteers (each in its team's county, registered over 2019–2026,
 * 5% 注销); ~5,000 records of the other registries (levels and years varied); 100,000 volunteer services, half of
 * them at an activity of the volunteer's county. Year = year of recognised_on / start_date, demo_batch_id null,
 * JSON columns '[]' / '{}' as migration 0170 has them. Deterministic (same data every run).
 */
export async function seedResources(db: Db): Promise<ResourceSample> {
  const random = rng(20261304);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const now = new Date().toISOString();
  const today = now.slice(0, 10);
  const dayIn = (year: number) =>
    `${year}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const personName = () => pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : '');

  const city = await db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'name', 'path'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const counties = await db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'name', 'level'])
    .where('parent_id', '=', city.id)
    .orderBy('sort_order')
    .execute();
  if (counties.length === 0) throw new Error('the Xuzhou sample has no counties (SEED_SAMPLE=false?)');
  const existingMargins = new Set(
    (await db.kysely.selectFrom('population_margins').select(['year', 'dimension', 'level']).execute()).map(
      (r) => `${r.year}|${r.dimension}|${r.level}`,
    ),
  );

  const counts: Record<string, number> = {};
  await bulkTransaction(db, async (_trx, bulk) => {
    // Units of each county (organisers, keepers of records).
    const unitsOf = new Map<string, string[]>();
    const units: Database['units'][] = [];
    for (const [ci, c] of counties.entries()) {
      const ids: string[] = [];
      for (const [k, suffix] of UNIT_NAMES.slice(0, RESOURCE_BENCH.unitsPerCounty).entries()) {
        const id = benchId();
        ids.push(id);
        units.push({
          id,
          jurisdiction_id: c.id,
          kind: 'department',
          name: `${c.name}${suffix}（基准测试）`,
          short_name: `${c.name}${suffix}`,
          aliases: '[]',
          region_code: null,
          is_active: 1,
          sort_order: 9000 + ci * 10 + k,
          merged_into_id: null,
          version: 1,
          created_at: now,
          updated_at: now,
        });
      }
      unitsOf.set(c.id, ids);
    }
    await bulk.insert('units', units);
    counts.units = units.length;

    // Residents of each county (and the city) in each year, so every county's coverage is computed.
    const popOf = counties.map((_, i) => 500_000 + 90_000 * i);
    const margins: Database['population_margins'][] = [];
    for (const year of RESOURCE_BENCH.years) {
      const add = (dimension: string, level: string, population: number, sort: number) => {
        if (existingMargins.has(`${year}|${dimension}|${level}`)) return;
        margins.push({
          id: benchId(),
          year,
          dimension,
          level,
          population,
          source: '基准测试生成（非真实数据）',
          sort_order: sort,
          updated_by: null,
          updated_at: now,
        });
      };
      counties.forEach((c, i) => {
        add('county', c.name, popOf[i]!, i);
      });
      add(
        'total',
        '全市',
        popOf.reduce((a, b) => a + b, 0),
        0,
      );
    }
    await bulk.insert('population_margins', margins);
    counts.population_rows = margins.length;

    // Activities: county i gets a share proportional to i + 1, so coverage ranges from ~20% to well above 80%.
    const weights = counties.map((_, i) => i + 1);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const countyByWeight = (r: number) => {
      let acc = 0;
      for (const [i, w] of weights.entries()) {
        acc += w / weightSum;
        if (r < acc) return counties[i]!;
      }
      return counties[counties.length - 1]!;
    };
    const activities: ActivitiesTable[] = [];
    const coorganisers: ActivityCoorganisersTable[] = [];
    const activitiesOf = new Map<string, string[]>(counties.map((c) => [c.id, []]));
    const joint = Math.round(RESOURCE_BENCH.activities * RESOURCE_BENCH.jointShare);
    const counted = RESOURCE_BENCH.activities - joint;
    for (let i = 0; i < counted; i++) {
      const c = countyByWeight(random());
      const year = RESOURCE_BENCH.years[i % RESOURCE_BENCH.years.length]!;
      const start = dayIn(year);
      const theme = pick(THEMES);
      const title = `${theme}科普${pick(['讲座', '展览', '进社区', '进校园', '体验日', '宣传周'])}第${i}场`;
      const place = `${c.name}${pick(['文化广场', '科技馆', '社区服务中心', '中心小学', '图书馆', '村委会'])}${i % 997}`;
      const organisers = unitsOf.get(c.id)!;
      const organiser = pick(organisers);
      // Participants 20–2,000 person-times, most events small.
      const participants = 20 + Math.floor(1980 * random() ** 2);
      const row: ActivitiesTable = {
        id: benchId(),
        jurisdiction_id: c.id,
        organiser_unit_id: organiser,
        title,
        theme,
        campaign: random() < 0.4 ? pick(CAMPAIGNS) : null,
        place,
        longitude: null,
        latitude: null,
        start_date: start,
        end_date: random() < 0.8 ? start : addDays(start, int(1, 3)),
        year,
        mode: random() < 0.8 ? 'offline' : random() < 0.5 ? 'online' : 'both',
        populations_json: JSON.stringify([pick(POPULATIONS)]),
        participants,
        counting_method: pick(['签到', '线上浏览量', '门票', '估算']),
        summary: null,
        dedupe_key: dedupeKey(start, place, title),
        duplicate_of: null,
        version: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
        demo_batch_id: null,
      };
      activities.push(row);
      activitiesOf.get(c.id)!.push(row.id);
      if (random() < 0.1) {
        for (const u of new Set([pick(organisers), pick(organisers)]))
          if (u !== organiser) coorganisers.push({ activity_id: row.id, unit_id: u });
      }
    }
    // Joint activities: another unit of the same county reports a counted one (same date, place, title).
    for (let i = 0; i < joint; i++) {
      const twin = activities[Math.floor(random() * counted)]!;
      const others = unitsOf.get(twin.jurisdiction_id)!.filter((u) => u !== twin.organiser_unit_id);
      activities.push({
        ...twin,
        id: benchId(),
        organiser_unit_id: pick(others),
        participants: 20 + Math.floor(1980 * random() ** 2),
        duplicate_of: twin.id,
      });
    }
    for (let i = 0; i < activities.length; i += 20_000)
      await bulk.insert('activities', activities.slice(i, i + 20_000));
    await bulk.insert('activity_coorganisers', coorganisers);
    counts.activities = activities.length;
    counts.joint_duplicates = joint;
    counts.coorganisers = coorganisers.length;

    // Registry records. recognised_on between 2019 and 2026; year is its year.
    const resources: ResourcesTable[] = [];
    const resource = (
      kind: string,
      jurisdictionId: string,
      fields: Partial<ResourcesTable> & { name: string },
    ): ResourcesTable => {
      const recognised = fields.recognised_on ?? dayIn(int(2019, 2026));
      const r: ResourcesTable = {
        id: benchId(),
        kind,
        jurisdiction_id: jurisdictionId,
        unit_id: pick(unitsOf.get(jurisdictionId)!),
        level: null,
        category: null,
        theme: null,
        expires_on: null,
        withdrawn_on: null,
        withdrawn_reason: null,
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
        created_at: now,
        updated_at: now,
        demo_batch_id: null,
        ...fields,
        recognised_on: recognised,
        year: Number(recognised.slice(0, 4)),
      };
      resources.push(r);
      return r;
    };
    const teams: ResourcesTable[] = [];
    for (let i = 0; i < RESOURCE_BENCH.teams; i++) {
      const c = counties[i % counties.length]!;
      teams.push(
        resource('volunteer_team', c.id, {
          name: `${c.name}${pick(THEMES)}科技志愿服务队${i + 1}`,
          theme: pick(THEMES),
          quantity: RESOURCE_BENCH.volunteers / RESOURCE_BENCH.teams,
          recognised_on: dayIn(int(2018, 2022)),
        }),
      );
    }
    const volunteers: ResourcesTable[] = [];
    for (let i = 0; i < RESOURCE_BENCH.volunteers; i++) {
      const team = teams[i % teams.length]!;
      const withdrawn = random() < 0.05 ? dayIn(2026) : null;
      volunteers.push(
        resource('volunteer', team.jurisdiction_id, {
          name: personName(),
          unit_id: team.unit_id,
          parent_id: team.id,
          theme: random() < 0.7 ? pick(THEMES) : null,
          withdrawn_on: withdrawn,
          withdrawn_reason: withdrawn ? '本人申请注销' : null,
          details_json: JSON.stringify({ phone: `139${String(10_000_000 + i).slice(-8)}` }),
        }),
      );
    }
    const experts = new Map<string, ResourcesTable[]>();
    for (const [kind, n, levels] of OTHER_KINDS) {
      for (let i = 0; i < n; i++) {
        const c = counties[i % counties.length]!;
        const recognised = dayIn(int(2019, 2026));
        const recognition = !['museum_visit', 'training', 'competition'].includes(kind);
        const f: Partial<ResourcesTable> & { name: string } = {
          name: `${c.name}${pick(THEMES)}${kind === 'chief_expert' ? personName() : ''}${i + 1}`,
          level: levels ? pick(levels) : null,
          recognised_on: recognised,
          theme: pick(THEMES),
        };
        if (recognition) {
          // Reviews every three years; some lapse, a few are withdrawn (摘牌).
          f.expires_on = addDays(recognised, 3 * 365);
          if (random() < 0.04) {
            f.withdrawn_on = addDays(recognised, int(100, 900));
            f.withdrawn_reason = '复核不合格';
          }
        }
        if (kind === 'science_base') {
          f.open_to_public = random() < 0.8 ? 1 : 0;
          f.opening_hours = '周二至周日 9:00–17:00';
          f.address = `${c.name}${pick(['人民路', '解放路', '淮海路'])}${int(1, 300)}号`;
        }
        if (kind === 'training') {
          f.category = pick(TRAINING_CATEGORIES);
          f.quantity = int(20, 300);
          f.hours = int(4, 40);
        }
        if (kind === 'competition') f.quantity = int(30, 2000);
        if (kind === 'museum_visit') f.quantity = int(200, 8000);
        if (kind === 'chief_expert') {
          const teamsHere = experts.get(c.id);
          if (teamsHere?.length) f.parent_id = pick(teamsHere).id;
        }
        const r = resource(kind, c.id, f);
        if (kind === 'expert_team') experts.set(c.id, [...(experts.get(c.id) ?? []), r]);
      }
    }
    // Parents before children: teams and 服务团 come first in `resources`.
    const ordered = [
      ...resources.filter((r) => r.kind === 'volunteer_team' || r.kind === 'expert_team'),
      ...resources.filter((r) => r.kind !== 'volunteer_team' && r.kind !== 'expert_team'),
    ];
    for (let i = 0; i < ordered.length; i += 20_000)
      await bulk.insert('resources', ordered.slice(i, i + 20_000));
    counts.volunteer_teams = teams.length;
    counts.volunteers = volunteers.length;
    counts.other_registry_rows = resources.length - teams.length - volunteers.length;

    // Service records: a volunteer, a day after their registration, 1–8 hours; half at an activity of the county.
    const services: VolunteerServicesTable[] = [];
    for (let i = 0; i < RESOURCE_BENCH.services; i++) {
      const v = volunteers[Math.floor(random() * volunteers.length)]!;
      const here = activitiesOf.get(v.jurisdiction_id)!;
      services.push({
        id: benchId(),
        volunteer_id: v.id,
        activity_id: random() < 0.5 && here.length ? pick(here) : null,
        served_on: [addDays(v.recognised_on!, int(1, 600)), today].sort()[0]!,
        hours: int(2, 16) / 2,
        description: random() < 0.5 ? '科普讲解' : null,
        created_by: null,
        created_at: now,
        demo_batch_id: null,
      });
    }
    for (let i = 0; i < services.length; i += 20_000)
      await bulk.insert('volunteer_services', services.slice(i, i + 20_000));
    counts.volunteer_services = services.length;
  });
  return { city: { id: city.id, name: city.name }, counties, counts };
}
