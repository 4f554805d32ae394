import {
  ACTIVITY_MODE_LABELS,
  ASSESSMENT_AUDIENCE_LABELS,
  RECIPIENT_KIND_LABELS,
  ESTIMATE_METHOD_LABELS,
  INDICATOR_KIND_LABELS,
  LIGHT_NAMES,
  type OpenDataColumn,
  type OpenDataColumnType,
  type OpenDataRow,
  type Overview,
  POPULATION_GROUP_LABELS,
  SCORING_RULE_LABELS,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { systemCtx } from '../../context';
import type { Database } from '../../db/schema';
import { dateIn } from '../../time';
import { publicCalendar } from '../activities/public-calendar.service';
import { assessmentStandings, publishedRubrics } from '../assessments/assessments-reads.service';
import { publishedCapacityEditions, publishedCapacityIndex } from '../capacity/capacity-reads.service';
import { getPublicSnapshot, listPublicSnapshots } from '../dashboards/dashboards.service';
import { rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { getPublishedPlanTree, listPlans } from '../plans/plans.service';
import { listPublicVenues } from '../registries/registries.service';
import { publishedRecognitions } from '../recognitions/recognitions-reads.service';
import { publicLiteracy } from '../surveys/surveys.service';

/** What a dataset reads with: the database and the installation's time zone (for "today"). */
export interface OpenDataEnv {
  db: Kysely<Database>;
  timeZone: string;
}

/** One published edition of a dataset: a level and a period (with what the dataset needs to find it again). */
export interface OpenEdition {
  jurisdictionId: string;
  /** URL key, unique per level and dataset: 2024-12-31, current, all, a plan's id … */
  period: string;
  label: string;
  /** YYYY-MM-DD. */
  asOf: string;
  /** The dataset's own handle (a snapshot's or plan's id). */
  ref?: string;
}

export interface OpenTable {
  asOf: string;
  columns: OpenDataColumn[];
  rows: OpenDataRow[];
}

/**
 * An open dataset (开放数据). Register one by adding it to OPEN_DATASETS: a stable key (part of every URL — never
 * renamed), Chinese title, description and method (how the figures are made), the source, the editions published now
 * (each a level and a period, newest first) and the table of one edition, read through the owning module's service
 * or reads — only what that module already shows the public. The catalogue, the csv/xlsx/JSON files, the as-of date,
 * the `latest` alias, the 404s and the public page follow.
 */
export interface OpenDataset {
  key: string;
  title: string;
  description: string;
  method: string;
  source: string;
  editions(env: OpenDataEnv): Promise<OpenEdition[]>;
  /** One edition's table; null when it is no longer published. */
  read(env: OpenDataEnv, edition: OpenEdition): Promise<OpenTable | null>;
}

/** A column in one line: `col('actual', '实际值', 'number')`. */
export function col(key: string, label: string, type: OpenDataColumnType = 'text'): OpenDataColumn {
  return { key, label, type };
}

/** Comparators in words: a bare "=" or "≥" would read as a formula in a spreadsheet. */
const COMPARATOR_WORDS: Record<string, string> = { '>=': '不低于', '=': '达到', '≈': '约', '<=': '不高于' };

/** A share 0..1 as a percentage rounded to two decimals (null stays null: no data is never 0). */
function pct(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : Math.round(v * 10_000) / 100;
}

// ── published dashboard snapshots ─────────────────────────────────────────────────────────────────────────

const SNAPSHOT_SOURCE = '各级全民科学素质工作办公室发布的公众看板快照（科素）';
const SNAPSHOT_METHOD =
  '公众看板发布时冻结的数字，发布后不再变化。指标按周期截止日（数据截至日）评价：实际值取截至该日审核通过的报送或系统登记的数据，与目标值和序时进度比较，按绿灯（正常）、黄灯（滞后）、红灯（严重滞后）、无数据判定；完成度为有数据指标完成率的平均（每个指标权重相同，无数据的指标不计入，不按 0 计）；按时报送按首次提交是否在截止日加宽限期之前判断。';

/** The editions of every snapshot dataset: one per published cycle and level, keyed by the cycle's period end. */
async function snapshotEditions(env: OpenDataEnv): Promise<OpenEdition[]> {
  const root = await rootJurisdictionId(env.db);
  const seen = new Set<string>();
  const out: OpenEdition[] = [];
  // Latest period first; two plans of one level ending a cycle on the same day: the newer publication wins.
  for (const s of (await listPublicSnapshots(env.db)).items) {
    const jurisdictionId = s.jurisdictionId ?? root;
    if (!jurisdictionId || seen.has(`${jurisdictionId}/${s.periodEnd}`)) continue;
    seen.add(`${jurisdictionId}/${s.periodEnd}`);
    out.push({ jurisdictionId, period: s.periodEnd, label: s.cycleName, asOf: s.periodEnd, ref: s.id });
  }
  return out;
}

function snapshotDataset(d: {
  key: string;
  title: string;
  description: string;
  method?: string;
  table: (o: Overview) => { columns: OpenDataColumn[]; rows: OpenDataRow[] };
}): OpenDataset {
  return {
    key: d.key,
    title: d.title,
    description: d.description,
    method: d.method ? `${SNAPSHOT_METHOD}${d.method}` : SNAPSHOT_METHOD,
    source: SNAPSHOT_SOURCE,
    editions: snapshotEditions,
    async read(env, edition) {
      const snap = await getPublicSnapshot(env.db, edition.ref ?? '').catch(() => null);
      return snap ? { asOf: snap.overview.asOf, ...d.table(snap.overview) } : null;
    },
  };
}

const summaryDataset = snapshotDataset({
  key: 'dashboard-summary',
  title: '规划实施总体情况',
  description: '一个填报周期的总体完成度、指标红黄绿灯个数和按时报送情况（公众看板的总览数字）。',
  table: (o) => {
    const s = o.summary;
    const item = (name: string, value: number | null, unit: string) => ({ item: name, value, unit });
    return {
      columns: [col('item', '项目'), col('value', '数值', 'number'), col('unit', '单位')],
      rows: [
        item('总体完成度', pct(s.overallProgress), '%'),
        item('指标总数', s.indicatorTotal, '个'),
        item('纳入完成度计算的指标', s.overallCounted, '个'),
        item('无数据的指标', s.overallWithoutData, '个'),
        item('绿灯指标', s.counts.green, '个'),
        item('黄灯指标', s.counts.yellow, '个'),
        item('红灯指标', s.counts.red, '个'),
        item('无数据指标', s.counts.no_data, '个'),
        item('应报报告', s.reportsExpected, '份'),
        item('按时报送', s.onTime, '份'),
        item('逾期报送', s.late, '份'),
        item('未报送', s.missing, '份'),
        item('未到期', s.pending, '份'),
        item('按时报送率', pct(s.onTimeRate), '%'),
      ],
    };
  },
});

const LIGHT_COLUMNS = [
  col('green', '绿灯', 'integer'),
  col('yellow', '黄灯', 'integer'),
  col('red', '红灯', 'integer'),
  col('noData', '无数据', 'integer'),
];

const groupsDataset = snapshotDataset({
  key: 'dashboard-groups',
  title: '任务分组与重点人群进度',
  description: '规划各部分任务（重点人群行动、工程）和各重点人群的完成度与指标红黄绿灯个数。',
  table: (o) => ({
    columns: [
      col('category', '类别'),
      col('name', '名称'),
      col('progress', '完成度（%）', 'number'),
      col('indicators', '指标数', 'integer'),
      ...LIGHT_COLUMNS,
      col('explanation', '说明'),
    ],
    rows: [
      ...o.groups.map((g) => ({
        category: '任务分组',
        name: `${g.path} ${g.title}`,
        progress: pct(g.progress),
        indicators: g.indicatorCount,
        green: g.counts.green,
        yellow: g.counts.yellow,
        red: g.counts.red,
        noData: g.counts.no_data,
        explanation: g.explanation,
      })),
      ...o.populations.map((p) => ({
        category: '重点人群',
        name: p.label,
        progress: pct(p.progress),
        indicators: p.indicatorCount,
        green: p.counts.green,
        yellow: p.counts.yellow,
        red: p.counts.red,
        noData: p.counts.no_data,
        explanation: p.explanation,
      })),
    ],
  }),
});

const countyIndicatorsDataset = snapshotDataset({
  key: 'dashboard-county-indicators',
  title: '分县区指标实际值与目标值',
  description: '按县（市、区）分解的指标：每个县区的实际值、目标值和红黄绿灯。',
  table: (o) => {
    const names = new Map(o.counties.counties.map((c) => [c.id, c.name]));
    return {
      columns: [
        col('taskPath', '任务编号'),
        col('indicator', '指标'),
        col('county', '县区'),
        col('actual', '实际值', 'number'),
        col('target', '目标值', 'number'),
        col('unit', '单位'),
        col('light', '状态'),
      ],
      rows: o.counties.indicators.flatMap((i) =>
        i.cells.map((c) => ({
          taskPath: i.taskPath,
          indicator: i.text,
          county: names.get(c.countyId) ?? '',
          actual: c.actual,
          target: i.target,
          unit: i.unit,
          light: LIGHT_NAMES[c.status],
        })),
      ),
    };
  },
});

const childrenDataset = snapshotDataset({
  key: 'dashboard-counties',
  title: '县区对比',
  description: '下一级各县（市、区）按其本级规划评价的完成度、按时报送率和红黄绿灯，及排名。',
  method: '县区对比：各县区按本级实施方案评价，按完成度排名（相同时按按时报送率），无规划或无数据的不排名。',
  table: (o) => ({
    columns: [
      col('rank', '排名', 'integer'),
      col('name', '县区'),
      col('light', '状态'),
      col('progress', '完成度（%）', 'number'),
      col('onTimeRate', '按时报送率（%）', 'number'),
      col('indicators', '指标数', 'integer'),
      ...LIGHT_COLUMNS,
      col('coverage', '活动覆盖面（%）', 'number'),
      col('literacy', '科学素质比例（%）', 'number'),
      col('plan', '本级规划'),
      col('cycle', '周期'),
    ],
    rows: (o.children?.rows ?? []).map((r) => ({
      rank: r.rank,
      name: r.name,
      light: LIGHT_NAMES[r.status],
      progress: pct(r.progress),
      onTimeRate: pct(r.onTimeRate),
      indicators: r.indicatorTotal,
      green: r.counts.green,
      yellow: r.counts.yellow,
      red: r.counts.red,
      noData: r.counts.no_data,
      coverage: r.coverage,
      literacy: r.literacy,
      plan: r.planTitle,
      cycle: r.cycleName,
    })),
  }),
});

const timelinessDataset = snapshotDataset({
  key: 'dashboard-timeliness',
  title: '各单位按时报送情况',
  description: '各责任单位在该周期应报、按时、逾期、未报的进展报告数和按时报送率。',
  table: (o) => ({
    columns: [
      col('unit', '单位'),
      col('expected', '应报', 'integer'),
      col('onTime', '按时', 'integer'),
      col('late', '逾期', 'integer'),
      col('missing', '未报', 'integer'),
      col('pending', '未到期', 'integer'),
      col('onTimeRate', '按时报送率（%）', 'number'),
    ],
    rows: o.units.map((u) => ({
      unit: u.unitName,
      expected: u.expected,
      onTime: u.onTime,
      late: u.late,
      missing: u.missing,
      pending: u.pending,
      onTimeRate: pct(u.onTimeRate),
    })),
  }),
});

// ── published plans ───────────────────────────────────────────────────────────────────────────────────────

const planTargetsDataset: OpenDataset = {
  key: 'plan-targets',
  title: '规划指标与目标值',
  description: '公开发布的规划（实施方案）中各任务的量化指标、目标值、基线和截止时间。',
  method:
    '取规划当前公开发布版本中的指标，按文件原文识别并经管理员核对；期别为规划在科素中建立的日期（每个规划一期），latest 为最近建立的规划。目标值按文件，比较方式“≥”表示达到或超过。',
  source: '各级公开发布的全民科学素质行动规划（实施方案）文件（科素）',
  async editions(env) {
    const root = await rootJurisdictionId(env.db);
    const page = await listPlans(env.db, systemCtx(), { page: 1, pageSize: 10_000 }, { onlyPublished: true });
    const out: OpenEdition[] = [];
    // A plan's period is the day it was created in kesu (a second plan of a level created the same day gets -2): a
    // readable, stable key — an id would put a ULID on the public page.
    const taken = new Map<string, number>();
    for (const p of [...page.items].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    )) {
      const jurisdictionId = p.jurisdictionId ?? root;
      if (p.isDemo || !p.publishedVersionId || !jurisdictionId) continue;
      const day = dateIn(env.timeZone, new Date(p.createdAt));
      const n = (taken.get(`${jurisdictionId}|${day}`) ?? 0) + 1;
      taken.set(`${jurisdictionId}|${day}`, n);
      out.push({
        jurisdictionId,
        period: n === 1 ? day : `${day}-${n}`,
        label: p.title,
        asOf: dateIn(env.timeZone, new Date(p.updatedAt)),
        ref: p.id,
      });
    }
    // Newest plan first.
    out.reverse();
    return out;
  },
  async read(env, edition) {
    const tree = await getPublishedPlanTree(env.db, systemCtx(), edition.ref ?? '', {}).catch(() => null);
    if (!tree) return null;
    const published = tree.version.publishedAt ?? tree.plan.updatedAt;
    return {
      asOf: dateIn(env.timeZone, new Date(published)),
      columns: [
        col('taskPath', '任务编号'),
        col('task', '任务'),
        col('indicator', '指标'),
        col('kind', '指标类型'),
        col('comparator', '比较'),
        col('target', '目标值', 'number'),
        col('unit', '单位'),
        col('deadline', '截止时间', 'date'),
        col('baseline', '基线值', 'number'),
        col('baselineYear', '基线年份', 'integer'),
        col('computedFrom', '数据来源'),
      ],
      rows: tree.tasks.flatMap((t) =>
        t.indicators.map((i) => ({
          taskPath: t.path,
          task: t.title,
          indicator: i.text,
          kind: INDICATOR_KIND_LABELS[i.kind],
          comparator: COMPARATOR_WORDS[i.comparator] ?? i.comparator,
          target: i.targetValue,
          unit: i.unit,
          deadline: i.deadline,
          baseline: i.baselineValue,
          baselineYear: i.baselineYear,
          computedFrom: i.computedFrom ?? '单位填报',
        })),
      ),
    };
  },
};

// ── the public lists of the installation's top level ──────────────────────────────────────────────────────

/** A dataset of the top level with one edition, "now". */
async function currentEdition(env: OpenDataEnv, label: string): Promise<OpenEdition[]> {
  const root = await rootJurisdictionId(env.db);
  return root ? [{ jurisdictionId: root, period: 'current', label, asOf: dateIn(env.timeZone) }] : [];
}

const venuesDataset: OpenDataset = {
  key: 'venues',
  title: '对公众开放的科普场馆',
  description: '今日在册、对公众开放的科普教育基地和科技馆：级别、所在县区、地址、开放时间和坐标。',
  method:
    '取资源库中对公众开放、认定日期不晚于今日且未到期、未摘牌的科普教育基地和科技馆（公众场馆页同一查询）；期别 current 为今日。',
  source: '科普资源库（各级科协、科普工作主管部门认定的记录，科素）',
  editions: (env) => currentEdition(env, '今日在册'),
  async read(env, edition) {
    const list = await listPublicVenues(env.db, edition.jurisdictionId, env.timeZone);
    return {
      asOf: list.asOf,
      columns: [
        col('kind', '类别'),
        col('name', '名称'),
        col('level', '级别'),
        col('county', '所在地区'),
        col('address', '地址'),
        col('openingHours', '开放时间'),
        col('longitude', '经度', 'number'),
        col('latitude', '纬度', 'number'),
      ],
      rows: list.items.map((v) => ({
        kind: v.kindLabel,
        name: v.name,
        level: v.level,
        county: v.jurisdictionName,
        address: v.address,
        openingHours: v.openingHours,
        longitude: v.longitude,
        latitude: v.latitude,
      })),
    };
  },
};

const calendarDataset: OpenDataset = {
  key: 'activity-calendar',
  title: '科普活动日历',
  description: '今日起尚未结束的公开科普活动：主办单位、地点、日期、主题和面向人群（联合活动只列一次）。',
  method:
    '取各单位登记的科普活动中未结束、非演示的活动，多家单位联合举办、重复登记的只计一次（与公众活动日历同一查询）；不含参与人次和个人信息。期别 current 为今日。',
  source: '科普活动登记（各责任单位，科素）',
  editions: (env) => currentEdition(env, '今日起'),
  async read(env) {
    const cal = await publicCalendar(env.db, env.timeZone, {});
    return {
      asOf: cal.today,
      columns: [
        col('title', '活动'),
        col('organiser', '主办单位'),
        col('county', '地区'),
        col('place', '地点'),
        col('startDate', '开始日期', 'date'),
        col('endDate', '结束日期', 'date'),
        col('theme', '主题'),
        col('campaign', '所属活动'),
        col('mode', '形式'),
        col('populations', '面向人群'),
      ],
      rows: cal.items.map((a) => ({
        title: a.title,
        organiser: a.organiserName,
        county: a.jurisdictionName,
        place: a.place,
        startDate: a.startDate,
        endDate: a.endDate,
        theme: a.theme,
        campaign: a.campaign,
        mode: ACTIVITY_MODE_LABELS[a.mode],
        populations: a.populations.map((g) => POPULATION_GROUP_LABELS[g]).join('、'),
      })),
    };
  },
};

const literacyDataset: OpenDataset = {
  key: 'literacy-rate',
  title: '公民具备科学素质的比例',
  description: '已发布的公民科学素质抽样调查结果：各年度具备科学素质的比例及其 95% 置信区间。',
  method:
    '按抽样设计（分层、整群、权重）估计总体比例，方差用线性化法或经人口边际加权调整（raking），95% 置信区间为 logit 区间；评分规则随每行给出，不同规则的比例不可直接比较。期别 all 为全部已发布年度。',
  source: '公民科学素质抽样调查（科素监测评估模块）',
  async editions(env) {
    const lit = await publicLiteracy(env.db);
    if (lit.items.length === 0) return [];
    return (await currentEdition(env, '全部已发布年度')).map((e) => ({ ...e, period: 'all' }));
  },
  async read(env) {
    const lit = await publicLiteracy(env.db);
    if (lit.items.length === 0) return null;
    return {
      asOf: dateIn(env.timeZone),
      columns: [
        col('year', '年度', 'integer'),
        col('survey', '调查'),
        col('rate', '比例（%）', 'number'),
        col('ciLow', '置信区间下限（%）', 'number'),
        col('ciHigh', '置信区间上限（%）', 'number'),
        col('n', '样本量', 'integer'),
        col('method', '估计方法'),
        col('rule', '评分规则'),
      ],
      rows: [...lit.items]
        .sort((a, b) => a.year - b.year)
        .map((w) => ({
          year: w.year,
          survey: w.name,
          rate: pct(w.estimate),
          ciLow: pct(w.ciLow),
          ciHigh: pct(w.ciHigh),
          n: w.n,
          method: ESTIMATE_METHOD_LABELS[w.method],
          rule: SCORING_RULE_LABELS[w.scoringRule],
        })),
    };
  },
};

/**
 * The registration point of open datasets (like supervision's ALERT_SOURCES): the catalogue lists them in this
 * order. Add a dataset here; its key is public API and never changes.
 */
// ── 年度考核 (issue 14) ────────────────────────────────────────────────────────────────────────────────────────

const assessmentDataset: OpenDataset = {
  key: 'assessment-ranking',
  title: '年度考核结果',
  description: '各级全民科学素质工作年度考核冻结并发布的结果：考核对象、总分、等次和名次。',
  method:
    '按当年考核细则逐项计分：有佐证的是否项、指标达到阈值、按完成程度比例计分、逾期或退回报告及逾期督办扣分、资源库新认定和覆盖面等加分、一票否决；各项得分依据科素中的填报、审核、督办和资源库数据自动计算并附说明，经管理员复核（调整须注明理由）、考核对象申诉和答复后冻结。总分相同名次相同，一票否决者列最后、等次为不合格。期别为“年度-考核对象”（units 本级责任单位，counties 下级县区）。',
  source: '各级全民科学素质工作办公室（科素年度考核）',
  async editions(env) {
    return (await publishedRubrics(env.db)).map((r) => ({
      jurisdictionId: r.jurisdictionId,
      period: `${r.year}-${r.audience}`,
      label: `${r.year}年度 ${ASSESSMENT_AUDIENCE_LABELS[r.audience]}`,
      asOf: dateIn(env.timeZone, new Date(r.frozenAt ?? r.publishedAt ?? '')),
      ref: r.id,
    }));
  },
  async read(env, edition) {
    const s = await assessmentStandings(env.db, edition.ref ?? '');
    if (s?.rubric.state !== 'frozen' || !s.rubric.publishedAt) return null;
    return {
      asOf: dateIn(env.timeZone, new Date(s.rubric.frozenAt ?? s.rubric.publishedAt)),
      columns: [
        col('rank', '名次', 'integer'),
        col('subject', '考核对象'),
        col('total', '总分', 'number'),
        col('grade', '等次'),
        col('vetoed', '一票否决'),
      ],
      rows: s.rows.map((r) => ({
        rank: r.rank,
        subject: r.subjectName,
        total: r.total,
        grade: r.grade,
        vetoed: r.vetoed ? '是' : '否',
      })),
    };
  },
};

// ── 科学素质建设能力监测评估 and 表彰奖励 (issue 14) ──────────────────────────────────────────────────────────

const capacityDataset: OpenDataset = {
  key: 'capacity-index',
  title: '科学素质建设能力指数',
  description:
    '各县（市、区）科学素质建设能力监测评估的发布结果：各维度得分、综合指数和名次，维度权重随结果公布。',
  method:
    '各指标取资源库、科普经费、科普活动和管理员填报的数值，可按常住人口折算为每万人；逐指标按最小—最大值（0—100）或标准分缩放，方向为越低越好的指标取反；维度内、维度间权重归一化后加权求和得到维度得分和综合指数；缺少数据的指标不计入并按剩余权重重新归一，标注“数据不全”；指数相同名次相同。期别为年度。',
  source: '各级全民科学素质工作办公室（科素能力监测评估）',
  async editions(env) {
    const out: OpenEdition[] = [];
    for (const e of await publishedCapacityEditions(env.db)) {
      const r = await publishedCapacityIndex(env.db, e.jurisdictionId, e.year);
      if (!r) continue;
      out.push({
        jurisdictionId: e.jurisdictionId,
        period: String(e.year),
        label: `${e.year}年度`,
        asOf: r.asOf,
      });
    }
    return out;
  },
  async read(env, edition) {
    const r = await publishedCapacityIndex(env.db, edition.jurisdictionId, Number(edition.period));
    if (!r) return null;
    const weight = (w: number) => `${Math.round(w * 1000) / 10}%`;
    return {
      asOf: r.asOf,
      columns: [
        col('rank', '名次', 'integer'),
        col('county', '县（市、区）'),
        col('index', '综合指数', 'number'),
        ...r.dimensions.map((d) => col(`d_${d.key}`, `${d.name}（权重 ${weight(d.weight)}）`, 'number')),
        col('incomplete', '数据不全'),
      ],
      rows: [...r.counties]
        .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.name.localeCompare(b.name, 'zh-CN'))
        .map((c) => ({
          rank: c.rank,
          county: c.name,
          index: c.index,
          ...Object.fromEntries(r.dimensions.map((d) => [`d_${d.key}`, c.dimensions[d.key] ?? null])),
          incomplete: c.incomplete ? '是' : '否',
        })),
    };
  },
};

const recognitionsDataset: OpenDataset = {
  key: 'recognitions',
  title: '表彰奖励',
  description: '各级授予并公开的全民科学素质工作表彰：对象、荣誉称号、级别、事迹或理由和文号。',
  method: '取各级管理员确认并公开的表彰记录（拟表彰和未公开的不列入）；期别为表彰年度。',
  source: '各级全民科学素质工作办公室（科素表彰奖励）',
  async editions(env) {
    const byKey = new Map<string, OpenEdition>();
    for (const r of await publishedRecognitions(env.db)) {
      const key = `${r.jurisdictionId}|${r.year}`;
      const asOf = dateIn(env.timeZone, new Date(r.updatedAt));
      const e = byKey.get(key);
      if (!e)
        byKey.set(key, {
          jurisdictionId: r.jurisdictionId,
          period: String(r.year),
          label: `${r.year}年度`,
          asOf,
        });
      else if (asOf > e.asOf) e.asOf = asOf;
    }
    return [...byKey.values()].sort((a, b) => b.period.localeCompare(a.period));
  },
  async read(env, edition) {
    const rows = (await publishedRecognitions(env.db)).filter(
      (r) => r.jurisdictionId === edition.jurisdictionId && String(r.year) === edition.period,
    );
    if (rows.length === 0) return null;
    return {
      asOf: rows
        .map((r) => dateIn(env.timeZone, new Date(r.updatedAt)))
        .sort()
        .at(-1)!,
      columns: [
        col('recipient', '表彰对象'),
        col('kind', '类别'),
        col('title', '荣誉称号'),
        col('level', '级别'),
        col('reason', '事迹或理由'),
        col('docNumber', '文号'),
        col('awardedOn', '表彰日期', 'date'),
      ],
      rows: rows.map((r) => ({
        recipient: r.recipientName,
        kind: RECIPIENT_KIND_LABELS[r.recipientKind],
        title: r.title,
        level: r.level,
        reason: r.reason,
        docNumber: r.docNumber,
        awardedOn: r.awardedOn,
      })),
    };
  },
};

export const OPEN_DATASETS: OpenDataset[] = [
  assessmentDataset,
  capacityDataset,
  recognitionsDataset,
  summaryDataset,
  groupsDataset,
  countyIndicatorsDataset,
  childrenDataset,
  timelinessDataset,
  planTargetsDataset,
  venuesDataset,
  calendarDataset,
  literacyDataset,
];
