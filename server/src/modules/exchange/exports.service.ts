import { authenticate } from '../../authorize';
import {
  LIGHT_NAMES,
  COMPARATOR_LABELS,
  type Comparator,
  DEMO_LABEL,
  type ExportFormat,
  type ExportTable as ExportTableName,
  INDICATOR_KIND_LABELS,
  type IndicatorKind,
  IndicatorStatusQuerySchema,
  LIMITS,
  type Page,
  REPORT_STATE_LABELS,
  ReportListQuerySchema,
  ROLE_LABELS,
  TASK_PROGRESS_LABELS,
  UNIT_KIND_LABELS,
  UnitListQuerySchema,
  UserListQuerySchema,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { getIndicatorStatus } from '../reporting/indicator-status.service';
import { listReports, reportExportDetails } from '../reporting/reports.service';
import { listUnits } from '../units/units.service';
import { listUsers } from '../users/users.service';
import { type ExportFile, type ExportTable, renderTable } from './table-export';

/** Most rows one export gives (a list larger than this is refused, not silently cut). */
const MAX_EXPORT_ROWS = 100_000;

/** Every page of a list service, with the list's own filters and permission checks. */
async function allPages<T>(fetch: (page: number, pageSize: number) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page += 1) {
    const p = await fetch(page, LIMITS.pageSizeMax);
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) return out;
    if (out.length > MAX_EXPORT_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', '导出的行数过多，请先筛选');
  }
}

function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.infer<S> {
  const r = schema.safeParse(query);
  if (!r.success) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fields: r.error.issues.map((i) => ({ path: `query.${i.path.join('.')}`, message: i.message })),
    });
  }
  return r.data;
}

const fmt = (n: number | null, digits = 2) =>
  n === null ? null : Number.isInteger(n) ? n : Number(n.toFixed(digits));

/** The table a list page shows, as xlsx or csv, read through that list's service (same filters, same rights). */
export async function exportTable(
  db: Kysely<Database>,
  ctx: Ctx,
  table: ExportTableName,
  format: ExportFormat,
  query: Record<string, string>,
): Promise<ExportFile> {
  authenticate(ctx);
  const { format: _f, page: _p, pageSize: _s, ...filters } = query;
  if (table === 'reports') {
    const q = parseQuery(ReportListQuerySchema, filters);
    const rows = await allPages((page, pageSize) => listReports(db, ctx, { ...q, page, pageSize }));
    const details = await reportExportDetails(
      db,
      rows.map((r) => r.id),
    );
    const t: ExportTable<(typeof rows)[number]> = {
      title: '填报报告',
      rows,
      columns: [
        { header: '周期', value: (r) => r.cycleName, width: 16 },
        { header: '单位', value: (r) => r.unitName, width: 18 },
        { header: '任务编号', value: (r) => r.taskPath, width: 10 },
        { header: '任务', value: (r) => r.taskTitle, width: 40 },
        { header: '状态', value: (r) => REPORT_STATE_LABELS[r.state], width: 8 },
        { header: '进展', value: (r) => TASK_PROGRESS_LABELS[r.progress], width: 8 },
        { header: '填报数值', value: (r) => details.get(r.id)?.values ?? '', width: 50 },
        { header: '进展说明', value: (r) => details.get(r.id)?.narrative ?? '', width: 60 },
        { header: '提交时间', value: (r) => r.submittedAt, width: 22 },
        { header: '审核时间', value: (r) => r.reviewedAt, width: 22 },
        { header: '审核意见', value: (r) => r.reviewComment, width: 30 },
        { header: '数据来源', value: (r) => (r.isDemo ? DEMO_LABEL : ''), width: 10 },
      ],
    };
    return renderTable(t, format);
  }
  if (table === 'indicator-status') {
    const q = parseQuery(IndicatorStatusQuerySchema, filters);
    const status = await getIndicatorStatus(db, ctx, q);
    const rows = status.indicators;
    const t: ExportTable<(typeof rows)[number]> = {
      title: '指标完成情况',
      rows,
      columns: [
        { header: '任务编号', value: (r) => r.taskPath, width: 10 },
        { header: '任务', value: (r) => r.taskTitle, width: 30 },
        { header: '指标', value: (r) => r.text, width: 44 },
        { header: '类型', value: (r) => INDICATOR_KIND_LABELS[r.kind as IndicatorKind] ?? r.kind, width: 12 },
        { header: '比较', value: (r) => COMPARATOR_LABELS[r.comparator as Comparator] ?? r.comparator },
        { header: '目标值', value: (r) => r.target },
        { header: '单位', value: (r) => r.unit, width: 6 },
        { header: '实际值', value: (r) => fmt(r.actual) },
        { header: '序时进度应达', value: (r) => fmt(r.expected) },
        { header: '完成进度', value: (r) => (r.progress === null ? null : fmt(r.progress * 100, 1)) },
        { header: '亮灯', value: (r) => LIGHT_NAMES[r.status], width: 8 },
        { header: '计算说明', value: (r) => r.explanation, width: 60 },
      ],
    };
    return renderTable(t, format);
  }
  if (table === 'units') {
    const q = parseQuery(UnitListQuerySchema, filters);
    const rows = await allPages((page, pageSize) => listUnits(db, ctx, { ...q, page, pageSize }));
    const t: ExportTable<(typeof rows)[number]> = {
      title: '单位',
      rows,
      columns: [
        { header: '单位全称', value: (r) => r.name, width: 32 },
        { header: '简称', value: (r) => r.shortName, width: 18 },
        { header: '类型', value: (r) => UNIT_KIND_LABELS[r.kind], width: 10 },
        { header: '别名', value: (r) => r.aliases.join('、'), width: 30 },
        { header: '行政区划代码', value: (r) => r.regionCode, width: 12 },
        { header: '状态', value: (r) => (r.isActive ? '启用' : '停用'), width: 8 },
      ],
    };
    return renderTable(t, format);
  }
  const q = parseQuery(UserListQuerySchema, filters);
  const rows = await allPages((page, pageSize) => listUsers(db, ctx, { ...q, page, pageSize }));
  const t: ExportTable<(typeof rows)[number]> = {
    title: '用户',
    rows,
    columns: [
      { header: '用户名', value: (r) => r.username, width: 18 },
      { header: '姓名', value: (r) => r.displayName, width: 14 },
      { header: '角色', value: (r) => ROLE_LABELS[r.role], width: 10 },
      { header: '单位', value: (r) => r.unitName, width: 18 },
      { header: '状态', value: (r) => (r.isActive ? '启用' : '停用'), width: 8 },
      { header: '最近登录', value: (r) => r.lastLoginAt, width: 22 },
    ],
  };
  return renderTable(t, format);
}
