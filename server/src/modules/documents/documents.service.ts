import {
  type AnnualReportQuery,
  type BulletinQuery,
  type Cycle,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  DOCUMENT_PLACEHOLDERS,
  type DocumentFormat,
  type DocumentKind,
  type DocumentPlaceholderValues,
  type DocumentSubjectQuery,
  type DocumentTemplate,
  type DocumentTemplateFields,
  type DocumentTemplateList,
  type DocumentTemplatePut,
  fillTemplate,
  type IndicatorStatusRow,
  LIGHT_LABELS,
  type Notice,
  NOTICE_SEVERITY_LABELS,
  NOTICE_STATE_LABELS,
  type NoticeDocumentQuery,
  type NoticeState,
  type Overview,
  PLACEHOLDER_LABELS,
  REPORT_STATE_LABELS,
  type ReportState,
  type SurveyHeadline,
  TEMPLATE_FIELDS,
  type UnitSummaryQuery,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { frozenStandingsOfYear } from '../assessments/assessments-reads.service';
import { authenticate, authorize, type SignedInCtx } from '../../authorize';
import { type Ctx, readsJurisdiction } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { convertWithSoffice } from '../../files/soffice';
import { newId, nowIso } from '../../ids';
import { dateIn } from '../../time';
import { recordAudit } from '../audit/audit.service';
import { getOverviewDetail } from '../dashboards/dashboards.service';
import { findJurisdiction, rootJurisdictionId } from '../jurisdictions/jurisdictions.service';
import { findPlanRow, planJurisdictionPath } from '../plans/plan-reads.service';
import { listCycles } from '../reporting/cycles.service';
import { cycleValueNotes, findCycleRow, reportRowsOfUnit } from '../reporting/reporting-reads.service';
import { noticesFor } from '../supervision/supervision-reads.service';
import { getNotice } from '../supervision/supervision.service';
import { listHeadlines, publicLiteracy } from '../surveys/surveys.service';
import { canReadSurveys } from '../surveys/surveys.policy';
import { findUnitRow, unitJurisdictionPath } from '../units/unit-reads.service';
import { barChart } from './charts';
import { checkTemplatePlaceholders, DEFAULT_TEMPLATES } from './document-templates';
import { canEditDocumentTemplates, canMakeLevelDocuments, canMakeOwnUnitSummary } from './documents.policy';
import { findTemplateRow, insertTemplateRow, updateTemplateRow } from './documents.repository';
import { chineseDate, type DataNote, type GovBlock, renderGovDocx } from './gov-document';

/** One standing of the year's frozen 考核 (Engineer A's assessments module gives these; the lead wires it). */
export interface AssessmentStanding {
  rank: number | null;
  name: string;
  score: number | null;
  grade: string | null;
}

/**
 * The year's frozen assessment results of a level, by audience (市直单位, 县区); null or [] while not frozen: the
 * annual report then says 本年度考核结果尚未冻结.
 */
export type AssessmentStandingsProvider = (
  db: Kysely<Database>,
  q: { jurisdictionId: string | null; year: number },
) => Promise<{ audience: string; frozenAt: string; rows: AssessmentStanding[] }[] | null>;

export interface DocumentOptions {
  /** Time zone of the 成文日期 (config.timeZone). */
  timeZone: string;
  now?: Date;
  assessmentStandings?: AssessmentStandingsProvider | undefined;
}

/** A generated file. */
export interface MadeDocument {
  fileName: string;
  contentType: string;
  body: Buffer;
}

/** What a kind of document is made of: its level (whose template), its placeholder values and its blocks. */
interface DocumentContent {
  jurisdictionId: string | null;
  values: Record<string, string>;
  blocks: (fields: DocumentTemplateFields) => GovBlock[];
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const SOURCE_REPORTS = '各责任单位填报（已审核）';
const SOURCE_TIMELINESS = '填报系统（按首次提交时间与截止日期比较）';
const SOURCE_SUPERVISION = '督办系统';

// ── formatting (figures are the owners'; these only write them) ─────────────────────────────────────────────────

const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
const num = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : Number.isInteger(x) ? String(x) : String(Number(x.toFixed(2)));
const withUnit = (x: number | null, unit: string) =>
  x === null ? '—' : `${num(x)}${unit === '%' ? '%' : unit}`;
const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const h1 = (i: number, text: string): GovBlock => ({ kind: 'heading1', text: `${ORDINALS[i]}、${text}` });
const h2 = (i: number, text: string): GovBlock => ({ kind: 'heading2', text: `（${ORDINALS[i]}）${text}` });
const paragraphs = (text: string): GovBlock[] =>
  text
    .split(/\n+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => ({ kind: 'paragraph', text: t }));

function issuerOf(name: string | null): string {
  return `${name ?? ''}全民科学素质工作领导小组办公室`;
}

async function jurisdictionName(db: Kysely<Database>, id: string | null): Promise<string | null> {
  if (!id) return null;
  return (await findJurisdiction(db, id))?.name ?? null;
}

/** Others than the level's readers (and, where said, the unit's own users) find nothing: 404, never 403. */
function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what}不存在`);
}

async function requireLevelReader(ctx: Ctx, path: string | null, what: string): Promise<SignedInCtx> {
  authenticate(ctx);
  if (!canMakeLevelDocuments(ctx.user) || !readsJurisdiction(ctx.user, path)) throw notFound(what);
  return ctx;
}

async function headlineOfYear(
  db: Kysely<Database>,
  ctx: SignedInCtx,
  year: number,
): Promise<{ all: SurveyHeadline[]; headline: SurveyHeadline | null }> {
  const h = canReadSurveys(ctx.user) ? await listHeadlines(db, ctx) : await publicLiteracy(db);
  const all = h.items.filter((i) => i.year <= year);
  return { all, headline: all[all.length - 1] ?? null };
}

function literacyText(h: SurveyHeadline | null): { rate: string; ci: string } {
  if (!h) return { rate: '—', ci: '—' };
  return {
    rate: pct(h.estimate, 2),
    ci: h.ciLow !== null && h.ciHigh !== null ? `${pct(h.ciLow, 2)}～${pct(h.ciHigh, 2)}` : '—',
  };
}

function noticeCounts(notices: Notice[]): { rows: string[][]; total: number; overdue: number } {
  const by = new Map<NoticeState, number>();
  for (const n of notices) by.set(n.state, (by.get(n.state) ?? 0) + 1);
  const overdue = notices.filter((n) => n.isOverdue).length;
  const rows = (Object.keys(NOTICE_STATE_LABELS) as NoticeState[]).map((s) => [
    NOTICE_STATE_LABELS[s],
    String(by.get(s) ?? 0),
  ]);
  rows.push(['其中逾期未办结', String(overdue)], ['合计', String(notices.length)]);
  return { rows, total: notices.length, overdue };
}

function lightTable(counts: Overview['counts'], note: DataNote): GovBlock {
  return {
    kind: 'table',
    header: ['指标状态', '个数'],
    rows: (['green', 'yellow', 'red', 'no_data'] as const).map((k) => [LIGHT_LABELS[k], String(counts[k])]),
    note,
  };
}

function lightChart(counts: Overview['counts'], title: string, note: DataNote): GovBlock {
  const keys = ['green', 'yellow', 'red', 'no_data'] as const;
  const colors = { green: '#52c41a', yellow: '#faad14', red: '#f5222d', no_data: '#bfbfbf' };
  return {
    kind: 'chart',
    image: barChart({
      title,
      categories: keys.map((k) => LIGHT_LABELS[k]),
      series: keys.map((k) => ({
        name: LIGHT_LABELS[k],
        color: colors[k],
        data: keys.map((x) => (x === k ? counts[k] : null)),
      })),
      stacked: true,
      unit: '个',
    }),
    alt: `${title}：${keys.map((k) => `${LIGHT_LABELS[k]}${counts[k]}个`).join('，')}`,
    note,
  };
}

function onTimeBlocks(units: Overview['units'], note: DataNote, chartTitle: string): GovBlock[] {
  const table: GovBlock = {
    kind: 'table',
    header: ['单位', '应报', '按时', '逾期', '未报', '待报', '按时报送率'],
    rows: units.map((u) => [
      u.unitName,
      String(u.expected),
      String(u.onTime),
      String(u.late),
      String(u.missing),
      String(u.pending),
      pct(u.onTimeRate),
    ]),
    note,
    widths: [28, 11, 11, 11, 11, 11, 17],
  };
  if (units.length === 0) return [{ kind: 'paragraph', text: '本周期没有应报的填报事项。' }];
  const shown = units.slice(0, 40);
  const chart: GovBlock = {
    kind: 'chart',
    image: barChart({
      title: chartTitle,
      categories: shown.map((u) => u.unitName),
      series: [
        {
          name: '按时报送率',
          color: '#1677ff',
          data: shown.map((u) => (u.onTimeRate === null ? null : Number((u.onTimeRate * 100).toFixed(1)))),
        },
      ],
      unit: '%',
      max: 100,
      horizontal: true,
    }),
    alt: `${chartTitle}：${shown.map((u) => `${u.unitName}${pct(u.onTimeRate)}`).join('，')}`,
    note,
  };
  return [table, chart];
}

function indicatorTable(rows: IndicatorStatusRow[], note: DataNote): GovBlock {
  return {
    kind: 'table',
    header: ['序号', '任务', '指标', '目标值', '完成值', '完成进度', '状态'],
    rows: rows.map((r, i) => [
      String(i + 1),
      r.taskPath,
      r.text,
      withUnit(r.target, r.unit),
      withUnit(r.actual, r.unit),
      pct(r.progress),
      LIGHT_LABELS[r.status],
    ]),
    note,
    widths: [7, 9, 38, 12, 12, 11, 11],
  };
}

// ── the four documents ────────────────────────────────────────────────────────────────────────────────────────

/** Who may make a cycle's 进展通报: the level's readers of the cycle's plan. */
async function bulletinAccess(db: Kysely<Database>, ctx: Ctx, cycleId: string) {
  const cycle = await findCycleRow(db, cycleId);
  if (!cycle) throw notFound('填报周期');
  const signed = await requireLevelReader(ctx, await planJurisdictionPath(db, cycle.plan_id), '填报周期');
  return { cycle, signed };
}

async function bulletinContent(
  db: Kysely<Database>,
  ctx: Ctx,
  cycleId: string,
  opts: DocumentOptions,
): Promise<DocumentContent> {
  const { cycle, signed } = await bulletinAccess(db, ctx, cycleId);
  const { overview, indicators } = await getOverviewDetail(db, signed, { cycleId }, opts.now);
  const plan = await findPlanRow(db, cycle.plan_id);
  const jurisdictionId = plan?.jurisdiction_id ?? null;
  const jPath = await planJurisdictionPath(db, cycle.plan_id);
  const today = dateIn(opts.timeZone, opts.now);
  const own = jurisdictionId ? await findJurisdiction(db, jurisdictionId) : undefined;
  const notices = await noticesFor(
    db,
    {
      within: jPath
        ? { path: jPath, unitIds: own?.government_unit_id ? [own.government_unit_id] : [] }
        : undefined,
      issuedFrom: cycle.period_start,
      issuedTo: today,
    },
    opts.now,
  );
  const nc = noticeCounts(notices);
  const s = overview.summary;
  const behind = indicators.filter((r) => r.status === 'red' || r.status === 'yellow');
  const notes = await cycleValueNotes(
    db,
    cycleId,
    behind.map((r) => r.indicatorId),
  );
  const notesOf = new Map<string, string[]>();
  for (const n of notes) {
    const list = notesOf.get(n.indicator_id) ?? [];
    list.push(`${n.unit_name}${n.county_name ? `（${n.county_name}）` : ''}：${n.note}`);
    notesOf.set(n.indicator_id, list);
  }
  const asOf = overview.asOf;
  const noteReports: DataNote = { asOf, source: SOURCE_REPORTS };
  const noteTimeliness: DataNote = { asOf: overview.today, source: SOURCE_TIMELINESS };
  const values: Record<string, string> = {
    年份: asOf.slice(0, 4),
    截至日期: chineseDate(asOf),
    成文日期: chineseDate(today),
    发文机关: issuerOf(own?.name ?? null),
    规划名称: overview.planTitle,
    周期名称: cycle.name,
    应报数: String(s.reportsExpected),
    按时报送数: String(s.onTime),
    逾期报送数: String(s.late),
    未报数: String(s.missing),
    按时报送率: pct(s.onTimeRate),
    红灯指标数: String(s.counts.red),
    黄灯指标数: String(s.counts.yellow),
    绿灯指标数: String(s.counts.green),
    督办总数: String(nc.total),
    督办逾期数: String(nc.overdue),
  };
  const behindBlocks = (status: 'red' | 'yellow'): GovBlock[] => {
    const rows = behind.filter((r) => r.status === status);
    if (rows.length === 0) return [{ kind: 'paragraph', text: `本周期没有${LIGHT_LABELS[status]}指标。` }];
    return [
      {
        kind: 'table',
        header: ['序号', '任务', '指标', '目标值', '序时应完成', '完成值', '完成进度'],
        rows: rows.map((r, i) => [
          String(i + 1),
          `${r.taskPath} ${r.taskTitle}`,
          r.text,
          withUnit(r.target, r.unit),
          withUnit(r.expected, r.unit),
          withUnit(r.actual, r.unit),
          pct(r.progress),
        ]),
        note: noteReports,
        widths: [7, 19, 30, 11, 11, 11, 11],
      },
      ...rows.flatMap((r, i): GovBlock[] => {
        const list = notesOf.get(r.indicatorId);
        return list ? [{ kind: 'paragraph', text: `${i + 1}. ${r.text}——单位说明：${list.join('；')}` }] : [];
      }),
    ];
  };
  return {
    jurisdictionId,
    values,
    blocks: (f) => [
      ...paragraphs(f.intro),
      h1(0, '指标亮灯情况'),
      lightTable(s.counts, noteReports),
      lightChart(s.counts, `${cycle.name}指标亮灯情况`, noteReports),
      h1(1, '按时报送情况'),
      {
        kind: 'paragraph',
        text: `本周期应报${s.reportsExpected}项，按时报送${s.onTime}项，逾期报送${s.late}项，未报${s.missing}项，按时报送率${pct(s.onTimeRate)}（截止日期${chineseDate(overview.cycle?.lateAfter ?? asOf)}）。`,
      },
      ...(s.laggingUnits.length > 0
        ? [
            {
              kind: 'paragraph' as const,
              text: `逾期和未报较多的单位：${s.laggingUnits.map((u) => `${u.unitName}（未报${u.missing}项、逾期${u.late}项）`).join('、')}。`,
            },
          ]
        : []),
      ...onTimeBlocks(overview.units, noteTimeliness, `${cycle.name}各单位按时报送率`),
      h1(2, '进度滞后的指标及原因'),
      h2(0, '红灯指标'),
      ...behindBlocks('red'),
      h2(1, '黄灯指标'),
      ...behindBlocks('yellow'),
      h1(3, '督办事项办理情况'),
      {
        kind: 'table',
        header: ['办理状态', '件数'],
        rows: nc.rows,
        note: { asOf: today, source: `${SOURCE_SUPERVISION}（${chineseDate(cycle.period_start)}以来交办）` },
      },
      h1(4, '工作要求'),
      ...paragraphs(f.closing),
    ],
  };
}

/** The cycles of a plan whose period ends in the year, oldest first. */
async function cyclesOfYear(db: Kysely<Database>, ctx: Ctx, planId: string, year: number): Promise<Cycle[]> {
  const page = await listCycles(db, ctx, { planId, page: 1, pageSize: 1000 });
  return page.items
    .filter((c) => c.periodEnd.startsWith(`${year}-`))
    .sort((a, b) => a.periodEnd.localeCompare(b.periodEnd));
}

/** Who may make a plan's annual report: the level's readers of the plan. */
async function annualAccess(db: Kysely<Database>, ctx: Ctx, planId: string) {
  const plan = await findPlanRow(db, planId);
  if (!plan) throw notFound('规划');
  const jPath = await planJurisdictionPath(db, planId);
  const signed = await requireLevelReader(ctx, jPath, '规划');
  return { plan, jPath, signed };
}

async function annualContent(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { planId: string; year: number },
  opts: DocumentOptions,
): Promise<DocumentContent> {
  const { plan, jPath, signed } = await annualAccess(db, ctx, q.planId);
  const today = dateIn(opts.timeZone, opts.now);
  const cycles = await cyclesOfYear(db, signed, q.planId, q.year);
  const last = cycles[cycles.length - 1];
  const yearEnd = `${q.year}-12-31`;
  const { overview, indicators } = await getOverviewDetail(
    db,
    signed,
    last
      ? { planId: q.planId, cycleId: last.id }
      : { planId: q.planId, asOf: yearEnd < today ? yearEnd : today },
    opts.now,
  );
  const own = plan.jurisdiction_id ? await findJurisdiction(db, plan.jurisdiction_id) : undefined;
  const [literacy, notices, standings] = await Promise.all([
    headlineOfYear(db, signed, q.year),
    noticesFor(
      db,
      {
        within: jPath
          ? { path: jPath, unitIds: own?.government_unit_id ? [own.government_unit_id] : [] }
          : undefined,
        issuedFrom: `${q.year}-01-01`,
        issuedTo: yearEnd,
      },
      opts.now,
    ),
    (opts.assessmentStandings ?? frozenStandingsOfYear)(db, {
      jurisdictionId: plan.jurisdiction_id,
      year: q.year,
    }),
  ]);
  const nc = noticeCounts(notices);
  const s = overview.summary;
  const asOf = overview.asOf;
  const lit = literacyText(literacy.headline);
  const noteReports: DataNote = { asOf, source: SOURCE_REPORTS };
  const values: Record<string, string> = {
    年份: String(q.year),
    截至日期: chineseDate(asOf),
    成文日期: chineseDate(today),
    发文机关: issuerOf(own?.name ?? null),
    规划名称: plan.title,
    总体进度: pct(s.overallProgress),
    指标总数: String(s.indicatorTotal),
    红灯指标数: String(s.counts.red),
    黄灯指标数: String(s.counts.yellow),
    绿灯指标数: String(s.counts.green),
    按时报送率: pct(s.onTimeRate),
    科学素质比例: lit.rate,
    置信区间: lit.ci,
    督办总数: String(nc.total),
    督办逾期数: String(nc.overdue),
  };
  const children = overview.children?.rows ?? [];
  const comparison: GovBlock[] =
    children.length > 0
      ? [
          {
            kind: 'table',
            header: ['名次', '地区', '完成进度', '按时报送率', '绿/黄/红', '活动覆盖率', '科学素质比例'],
            rows: children.map((c) => [
              c.rank === null ? '—' : String(c.rank),
              c.name,
              pct(c.progress),
              pct(c.onTimeRate),
              `${c.counts.green}/${c.counts.yellow}/${c.counts.red}`,
              c.coverage === null ? '—' : `${num(c.coverage)}%`,
              c.literacy === null ? '—' : `${num(c.literacy)}%`,
            ]),
            note: { asOf, source: '各地实施方案填报（已审核）' },
          },
          { kind: 'paragraph', text: `排名方法：${overview.children?.method ?? ''}` },
          {
            kind: 'chart',
            image: barChart({
              title: `${q.year}年各地规划完成进度`,
              categories: children.map((c) => c.name),
              series: [
                {
                  name: '完成进度',
                  color: '#1677ff',
                  data: children.map((c) =>
                    c.progress === null ? null : Number((c.progress * 100).toFixed(1)),
                  ),
                },
              ],
              unit: '%',
              max: 100,
            }),
            alt: `各地规划完成进度：${children.map((c) => `${c.name}${pct(c.progress)}`).join('，')}`,
            note: { asOf, source: '各地实施方案填报（已审核）' },
          },
        ]
      : overview.counties.counties.length > 0
        ? [
            {
              kind: 'table',
              header: ['县（市、区）', '绿灯', '黄灯', '红灯', '无数据'],
              rows: overview.counties.counties.map((c) => [
                c.name,
                String(c.counts.green),
                String(c.counts.yellow),
                String(c.counts.red),
                String(c.counts.no_data),
              ]),
              note: noteReports,
            },
          ]
        : [{ kind: 'paragraph', text: '本级规划的指标未分解到下级行政区，无县区对比。' }];
  const assessment: GovBlock[] =
    standings && standings.length > 0
      ? standings.flatMap((a, i): GovBlock[] => [
          h2(i, a.audience),
          {
            kind: 'table',
            header: ['名次', '对象', '得分', '等次'],
            rows: a.rows.map((r) => [
              r.rank === null ? '—' : String(r.rank),
              r.name,
              num(r.score),
              r.grade ?? '—',
            ]),
            note: { asOf: dateIn(opts.timeZone, new Date(a.frozenAt)), source: '年度目标管理考核（已冻结）' },
          },
        ])
      : [{ kind: 'paragraph', text: '本年度考核结果尚未冻结。' }];
  return {
    jurisdictionId: plan.jurisdiction_id,
    values,
    blocks: (f) => [
      ...paragraphs(f.intro),
      h1(0, '总体进展'),
      {
        kind: 'paragraph',
        text: `截至${chineseDate(asOf)}，规划总体完成进度${pct(s.overallProgress)}（按有数据的${s.overallCounted}个指标平均，${s.overallWithoutData}个指标暂无数据）。`,
      },
      {
        kind: 'table',
        header: ['任务', '指标数', '完成进度', '绿灯', '黄灯', '红灯'],
        rows: overview.groups.map((g) => [
          `${g.path} ${g.title}`,
          String(g.indicatorCount),
          pct(g.progress),
          String(g.counts.green),
          String(g.counts.yellow),
          String(g.counts.red),
        ]),
        note: noteReports,
        widths: [46, 10, 14, 10, 10, 10],
      },
      lightChart(s.counts, `${q.year}年指标亮灯情况`, noteReports),
      h1(1, '指标完成情况'),
      indicatorTable(indicators, noteReports),
      h1(2, '公民科学素质水平'),
      ...(literacy.headline
        ? [
            {
              kind: 'paragraph' as const,
              text: `据${literacy.headline.name}（${literacy.headline.year}年，有效样本${literacy.headline.n}人），公民具备科学素质的比例为${lit.rate}，95%置信区间为${lit.ci}。`,
            },
            {
              kind: 'table' as const,
              header: ['调查', '年份', '具备科学素质的比例', '95%置信区间', '样本量'],
              rows: literacy.all.map((h) => {
                const t = literacyText(h);
                return [h.name, String(h.year), t.rate, t.ci, String(h.n)];
              }),
              note: {
                asOf: `${literacy.headline.year}-12-31`,
                source: '公民科学素质抽样调查（按官方2021年评分规则，复杂抽样设计估计）',
              },
            },
          ]
        : [
            {
              kind: 'paragraph' as const,
              text: `截至${q.year}年底尚无按官方评分规则估计的公民科学素质调查结果。`,
            },
          ]),
      h1(3, '县区对比'),
      ...comparison,
      h1(4, '按时报送情况'),
      ...onTimeBlocks(
        overview.units,
        { asOf: overview.today, source: SOURCE_TIMELINESS },
        `${overview.cycle?.name ?? `${q.year}年`}各单位按时报送率`,
      ),
      h1(5, '督办事项办理情况'),
      {
        kind: 'table',
        header: ['办理状态', '件数'],
        rows: nc.rows,
        note: { asOf: today, source: `${SOURCE_SUPERVISION}（${q.year}年交办）` },
      },
      h1(6, '年度考核情况'),
      ...assessment,
      h1(7, '下一步工作'),
      ...paragraphs(f.closing),
    ],
  };
}

/** Who may make a 督办通知书: whoever may read the notice (the supervision module decides). */
async function noticeAccess(db: Kysely<Database>, ctx: Ctx, noticeId: string, now?: Date) {
  authenticate(ctx);
  try {
    return await getNotice(db, ctx, noticeId, now);
  } catch (e) {
    // Those who may not read the notice find nothing.
    if (e instanceof AppError && e.code === 'FORBIDDEN') throw notFound('督办单');
    throw e;
  }
}

async function noticeContent(
  db: Kysely<Database>,
  ctx: Ctx,
  noticeId: string,
  opts: DocumentOptions,
): Promise<DocumentContent> {
  const notice = await noticeAccess(db, ctx, noticeId, opts.now);
  const unit = await findUnitRow(db, notice.unitId);
  const jurisdictionId = unit?.jurisdiction_id ?? (await rootJurisdictionId(db));
  const today = dateIn(opts.timeZone, opts.now);
  const issued = notice.issuedAt.slice(0, 10);
  const values: Record<string, string> = {
    年份: issued.slice(0, 4),
    截至日期: chineseDate(today),
    成文日期: chineseDate(issued),
    发文机关: issuerOf(await jurisdictionName(db, jurisdictionId)),
    规划名称: '',
    责任单位: unit?.name ?? notice.unitName,
    督办事项: notice.subject,
    办理时限: chineseDate(notice.deadline),
    督办等级: NOTICE_SEVERITY_LABELS[notice.severity],
    交办日期: chineseDate(issued),
  };
  return {
    jurisdictionId,
    values,
    blocks: (f) => [
      ...paragraphs(f.intro),
      {
        kind: 'table',
        header: ['项目', '内容'],
        rows: [
          ['督办事项', notice.subject],
          ['事项内容', notice.content || '—'],
          ...(notice.link ? [['关联事项', notice.link.label]] : []),
          ['责任单位', unit?.name ?? notice.unitName],
          ['督办等级', NOTICE_SEVERITY_LABELS[notice.severity]],
          ['交办日期', chineseDate(issued)],
          ['办理时限', chineseDate(notice.deadline)],
          ['当前状态', `${NOTICE_STATE_LABELS[notice.state]}${notice.isOverdue ? '（已逾期）' : ''}`],
        ],
        note: { asOf: today, source: SOURCE_SUPERVISION },
        widths: [22, 78],
      },
      ...paragraphs(f.closing),
    ],
  };
}

/** Who may make a unit's year summary: the unit's own reporters, or the level's readers of the unit. */
async function unitSummaryAccess(db: Kysely<Database>, ctx: Ctx, q: { planId: string; unitId: string }) {
  authenticate(ctx);
  const unit = await findUnitRow(db, q.unitId);
  if (!unit) throw notFound('单位');
  if (!canMakeOwnUnitSummary(ctx.user, unit.id)) {
    await requireLevelReader(ctx, await unitJurisdictionPath(db, unit.id), '单位');
  }
  const plan = await findPlanRow(db, q.planId);
  if (!plan) throw notFound('规划');
  return { unit, plan };
}

async function unitSummaryContent(
  db: Kysely<Database>,
  ctx: Ctx,
  q: { planId: string; unitId: string; year: number },
  opts: DocumentOptions,
): Promise<DocumentContent> {
  const { unit, plan } = await unitSummaryAccess(db, ctx, q);
  const today = dateIn(opts.timeZone, opts.now);
  const cycles = await cyclesOfYear(db, ctx, q.planId, q.year);
  const last = cycles[cycles.length - 1];
  const yearEnd = `${q.year}-12-31`;
  const [detail, reports, notices] = await Promise.all([
    getOverviewDetail(
      db,
      ctx,
      last
        ? { planId: q.planId, cycleId: last.id }
        : { planId: q.planId, asOf: yearEnd < today ? yearEnd : today },
      opts.now,
    ),
    reportRowsOfUnit(
      db,
      unit.id,
      cycles.map((c) => c.id),
    ),
    noticesFor(db, { unitId: unit.id, issuedFrom: `${q.year}-01-01`, issuedTo: yearEnd }, opts.now),
  ]);
  const { overview, indicators, assignments } = detail;
  const mine = assignments.filter((a) => a.unitId === unit.id);
  const taskIds = new Set(mine.map((a) => a.taskId));
  const myIndicators = indicators.filter((r) => taskIds.has(r.taskId));
  const timeliness = overview.units.find((u) => u.unitId === unit.id) ?? null;
  const asOf = overview.asOf;
  const values: Record<string, string> = {
    年份: String(q.year),
    截至日期: chineseDate(asOf),
    成文日期: chineseDate(today),
    发文机关: issuerOf(await jurisdictionName(db, plan.jurisdiction_id)),
    规划名称: plan.title,
    单位名称: unit.name,
    任务数: String(mine.length),
    报告数: String(reports.filter((r) => r.state !== 'draft').length),
    按时报送率: pct(timeliness?.onTimeRate ?? null),
    督办总数: String(notices.length),
  };
  const states: ReportState[] = ['draft', 'submitted', 'returned', 'approved'];
  return {
    jurisdictionId: plan.jurisdiction_id,
    values,
    blocks: (f) => [
      ...paragraphs(f.intro),
      h1(0, '承担的任务'),
      mine.length > 0
        ? {
            kind: 'table',
            header: ['任务编号', '任务', '年末报告状态', '报送情况'],
            rows: mine.map((a) => [
              a.taskPath,
              a.taskTitle,
              a.state ? REPORT_STATE_LABELS[a.state as ReportState] : '未填报',
              { on_time: '按时', late: '逾期', missing: '未报', pending: '待报' }[a.timeliness],
            ]),
            note: { asOf: overview.today, source: SOURCE_TIMELINESS },
            widths: [14, 50, 18, 18],
          }
        : { kind: 'paragraph', text: '本单位在年末填报周期没有承担的任务。' },
      h1(1, '进展报告报送情况'),
      {
        kind: 'table',
        header: ['填报周期', ...states.map((st) => REPORT_STATE_LABELS[st]), '合计'],
        rows: cycles.map((c) => {
          const of = reports.filter((r) => r.cycle_id === c.id);
          return [
            c.name,
            ...states.map((st) => String(of.filter((r) => r.state === st).length)),
            String(of.length),
          ];
        }),
        note: { asOf: today, source: '填报系统' },
        widths: [25, 15, 15, 15, 15, 15],
      },
      h1(2, '指标完成情况'),
      myIndicators.length > 0
        ? indicatorTable(myIndicators, { asOf, source: SOURCE_REPORTS })
        : { kind: 'paragraph', text: '本单位承担的任务没有量化指标。' },
      h1(3, '督办事项'),
      notices.length > 0
        ? {
            kind: 'table',
            header: ['督办事项', '等级', '办理时限', '状态'],
            rows: notices.map((n) => [
              n.subject,
              NOTICE_SEVERITY_LABELS[n.severity],
              n.deadline,
              `${NOTICE_STATE_LABELS[n.state]}${n.isOverdue ? '（逾期）' : ''}`,
            ]),
            note: { asOf: today, source: SOURCE_SUPERVISION },
            widths: [52, 14, 17, 17],
          }
        : { kind: 'paragraph', text: `${q.year}年本单位没有收到督办事项。` },
      h1(4, '下一步打算'),
      ...paragraphs(f.closing),
    ],
  };
}

// ── templates ────────────────────────────────────────────────────────────────────────────────────────────────

async function templateOf(
  db: Kysely<Database>,
  kind: DocumentKind,
  jurisdictionId: string | null,
): Promise<DocumentTemplate> {
  const row = await findTemplateRow(db, kind, jurisdictionId);
  const placeholders = DOCUMENT_PLACEHOLDERS[kind].map((name) => ({
    name,
    label: PLACEHOLDER_LABELS[name] ?? name,
  }));
  return {
    kind,
    label: DOCUMENT_KIND_LABELS[kind],
    fields: row
      ? {
          docNumber: row.doc_number,
          title: row.title,
          intro: row.intro,
          closing: row.closing,
          signature: row.signature,
        }
      : DEFAULT_TEMPLATES[kind],
    isDefault: !row,
    version: row?.version ?? null,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by_name ?? null,
    placeholders,
  };
}

/** The level an admin edits: its own jurisdiction (the root's when it has none). */
async function ownLevel(db: Kysely<Database>, ctx: SignedInCtx): Promise<string | null> {
  return ctx.user.jurisdictionId ?? (await rootJurisdictionId(db));
}

/** The templates of the admin's own level, each kind with its placeholders. */
export async function listDocumentTemplates(db: Kysely<Database>, ctx: Ctx): Promise<DocumentTemplateList> {
  authorize(ctx, canEditDocumentTemplates, '只有管理员可以编辑文档模板');
  const level = await ownLevel(db, ctx);
  return { items: await Promise.all(DOCUMENT_KINDS.map((k) => templateOf(db, k, level))) };
}

/** Saves the level's text of one kind (optimistic version; placeholders checked; audited). */
export async function saveDocumentTemplate(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: DocumentKind,
  input: DocumentTemplatePut,
): Promise<DocumentTemplate> {
  authorize(ctx, canEditDocumentTemplates, '只有管理员可以编辑文档模板');
  const { version, ...fields } = input;
  checkTemplatePlaceholders(kind, fields);
  const level = await ownLevel(db, ctx);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const row = await findTemplateRow(trx, kind, level);
    const columns = {
      doc_number: fields.docNumber,
      title: fields.title,
      intro: fields.intro,
      closing: fields.closing,
      signature: fields.signature,
      updated_by: ctx.user.id,
      updated_at: now,
    };
    if (!row) {
      if (version !== null) throw new AppError('CONFLICT');
      const id = newId();
      await insertTemplateRow(trx, {
        id,
        kind,
        jurisdiction_id: level,
        ...columns,
        version: 1,
        created_at: now,
      });
      await recordAudit(trx, ctx, {
        action: 'document_template.create',
        entityType: 'document_template',
        entityId: id,
        before: DEFAULT_TEMPLATES[kind],
        after: { kind, jurisdictionId: level, ...fields },
      });
      return;
    }
    if (version === null || !(await updateTemplateRow(trx, row.id, version, columns))) {
      throw new AppError('CONFLICT');
    }
    await recordAudit(trx, ctx, {
      action: 'document_template.update',
      entityType: 'document_template',
      entityId: row.id,
      before: {
        docNumber: row.doc_number,
        title: row.title,
        intro: row.intro,
        closing: row.closing,
        signature: row.signature,
        version: row.version,
      },
      after: { ...fields, version: version + 1 },
    });
  });
  return templateOf(db, kind, level);
}

/** A kind's subject: the parameters it needs and only those (a missing one answers 请选择…). */
type Subject =
  | { kind: 'bulletin'; cycleId: string }
  | { kind: 'annual'; planId: string; year: number }
  | { kind: 'notice'; noticeId: string }
  | { kind: 'unit-summary'; planId: string; unitId: string; year: number };

function subjectOf(kind: DocumentKind, q: DocumentSubjectQuery): Subject {
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new AppError('VALIDATION_FAILED', `请选择${what}`);
    return v;
  };
  switch (kind) {
    case 'bulletin':
      return { kind, cycleId: need(q.cycleId, '填报周期') };
    case 'annual':
      return { kind, planId: need(q.planId, '规划'), year: need(q.year, '年份') };
    case 'notice':
      return { kind, noticeId: need(q.noticeId, '督办单') };
    case 'unit-summary':
      return {
        kind,
        planId: need(q.planId, '规划'),
        unitId: need(q.unitId, '单位'),
        year: need(q.year, '年份'),
      };
  }
}

/** The query of a kind's subject, with only the parameters the kind uses (what a background request stores). */
export function documentSubjectQuery(kind: DocumentKind, q: DocumentSubjectQuery): DocumentSubjectQuery {
  const { kind: _, ...rest } = subjectOf(kind, q);
  return rest;
}

/**
 * Check that the user may make this document, with the same rules the GET routes apply while making it (404 for
 * those who may not, 请选择… for a missing parameter), without making it: a background request is checked when made.
 */
export async function checkDocumentAccess(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: DocumentKind,
  q: DocumentSubjectQuery,
  now?: Date,
): Promise<void> {
  const s = subjectOf(kind, q);
  switch (s.kind) {
    case 'bulletin':
      await bulletinAccess(db, ctx, s.cycleId);
      return;
    case 'annual':
      await annualAccess(db, ctx, s.planId);
      return;
    case 'notice':
      await noticeAccess(db, ctx, s.noticeId, now);
      return;
    case 'unit-summary':
      await unitSummaryAccess(db, ctx, s);
      return;
  }
}

function contentOf(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: DocumentKind,
  q: DocumentSubjectQuery,
  opts: DocumentOptions,
): Promise<DocumentContent> {
  const s = subjectOf(kind, q);
  switch (s.kind) {
    case 'bulletin':
      return bulletinContent(db, ctx, s.cycleId, opts);
    case 'annual':
      return annualContent(db, ctx, s, opts);
    case 'notice':
      return noticeContent(db, ctx, s.noticeId, opts);
    case 'unit-summary':
      return unitSummaryContent(db, ctx, s, opts);
  }
}

/** The placeholder values of one subject, for the template editor's preview (the same values the document uses). */
export async function documentPlaceholderValues(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: DocumentKind,
  q: DocumentSubjectQuery,
  opts: DocumentOptions,
): Promise<DocumentPlaceholderValues> {
  authorize(ctx, canEditDocumentTemplates, '只有管理员可以编辑文档模板');
  const content = await contentOf(db, ctx, kind, q, opts);
  return { kind, values: content.values };
}

// ── making the file ─────────────────────────────────────────────────────────────────────────────────────────

/** Where the making of a document is (a background job reports it as progress). */
export type DocumentPhase = 'reading' | 'rendering' | 'converting';

/**
 * Make a document (authorization included: those who may not make it find nothing). `onPhase` hears each step as it
 * starts. Used by the GET routes and by the background job (document-jobs.service.ts).
 */
export async function makeDocument(
  db: Kysely<Database>,
  ctx: Ctx,
  kind: DocumentKind,
  q: DocumentSubjectQuery,
  format: DocumentFormat,
  opts: DocumentOptions,
  onPhase: (phase: DocumentPhase) => Promise<void> | void = () => undefined,
): Promise<MadeDocument> {
  await onPhase('reading');
  const content = await contentOf(db, ctx, kind, q, opts);
  await onPhase('rendering');
  const template = await templateOf(db, kind, content.jurisdictionId);
  const filled = Object.fromEntries(
    TEMPLATE_FIELDS.map((f) => [f, fillTemplate(template.fields[f], content.values)]),
  ) as DocumentTemplateFields;
  const docx = await renderGovDocx({
    docNumber: filled.docNumber,
    title: filled.title,
    blocks: content.blocks(filled),
    signature: filled.signature,
    date: dateIn(opts.timeZone, opts.now),
  });
  const base = filled.title.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim() || DOCUMENT_KIND_LABELS[kind];
  if (format === 'docx') return { fileName: `${base}.docx`, contentType: DOCX, body: docx };
  await onPhase('converting');
  const pdf = await convertWithSoffice(docx, 'docx', 'pdf:writer_pdf_Export', 'pdf');
  if (pdf.kind === 'ok') return { fileName: `${base}.pdf`, contentType: 'application/pdf', body: pdf.bytes };
  throw new AppError(
    'DOCUMENT_PDF_UNAVAILABLE',
    pdf.kind === 'missing' ? undefined : 'PDF 转换失败，请下载 Word 版本',
    { reason: pdf.kind },
  );
}

/** 进展通报 of a reporting cycle. */
export function makeBulletin(db: Kysely<Database>, ctx: Ctx, q: BulletinQuery, opts: DocumentOptions) {
  return makeDocument(db, ctx, 'bulletin', { cycleId: q.cycleId }, q.format, opts);
}

/** 年度实施情况报告 of a plan and year. */
export function makeAnnualReport(
  db: Kysely<Database>,
  ctx: Ctx,
  q: AnnualReportQuery,
  opts: DocumentOptions,
) {
  return makeDocument(db, ctx, 'annual', { planId: q.planId, year: q.year }, q.format, opts);
}

/** 督办通知书 of a notice. */
export function makeNoticeDocument(
  db: Kysely<Database>,
  ctx: Ctx,
  q: NoticeDocumentQuery,
  opts: DocumentOptions,
) {
  return makeDocument(db, ctx, 'notice', { noticeId: q.noticeId }, q.format, opts);
}

/** A unit's own year summary. */
export function makeUnitSummary(db: Kysely<Database>, ctx: Ctx, q: UnitSummaryQuery, opts: DocumentOptions) {
  return makeDocument(
    db,
    ctx,
    'unit-summary',
    { planId: q.planId, unitId: q.unitId, year: q.year },
    q.format,
    opts,
  );
}
