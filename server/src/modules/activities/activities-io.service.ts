import {
  ACTIVITY_MODE_LABELS,
  type Activity,
  type ActivityListQuery,
  type ExportFormat,
  DEMO_LABEL,
  POPULATION_GROUP_LABELS,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { type ExportFile, type ExportTable, renderTable } from '../exchange/table-export';
import { allActivities } from './activities.service';

/**
 * The activity list as xlsx or csv, with the list's filters (the reader's subtree, year, dates, campaign, unit,
 * search, joint reports shown or not). Person-times count once per joint activity: the 计入 column says which
 * report counts, as the 覆盖面 does.
 */
export async function exportActivities(
  db: Kysely<Database>,
  ctx: Ctx,
  q: Omit<ActivityListQuery, 'page' | 'pageSize'>,
  format: ExportFormat,
  maxRows?: number,
): Promise<ExportFile> {
  const { items } = await allActivities(db, ctx, q, maxRows);
  const table: ExportTable<Activity> = {
    title: q.year ? `${q.year}年科普活动` : '科普活动',
    rows: items,
    columns: [
      { header: '活动名称', value: (a) => a.title, width: 30 },
      { header: '主办单位', value: (a) => a.organiser.name, width: 22 },
      { header: '协办单位', value: (a) => a.coorganisers.map((c) => c.name).join('、'), width: 22 },
      { header: '举办地区', value: (a) => a.jurisdictionName, width: 10 },
      { header: '地点', value: (a) => a.place, width: 20 },
      { header: '开始日期', value: (a) => a.startDate, width: 12 },
      { header: '结束日期', value: (a) => a.endDate, width: 12 },
      { header: '主题', value: (a) => a.theme, width: 14 },
      { header: '活动类别', value: (a) => a.campaign, width: 12 },
      { header: '形式', value: (a) => ACTIVITY_MODE_LABELS[a.mode], width: 8 },
      {
        header: '面向人群',
        value: (a) => a.populations.map((p) => POPULATION_GROUP_LABELS[p]).join('、'),
        width: 18,
      },
      { header: '参与人次', value: (a) => a.participants, width: 10 },
      { header: '计数方式', value: (a) => a.countingMethod, width: 10 },
      {
        header: '计入',
        value: (a) => (a.duplicateOf ? `联合活动，已计入${a.duplicateOf.organiserName}的报告` : '计入'),
        width: 24,
      },
      { header: '经度', value: (a) => a.longitude, width: 10 },
      { header: '纬度', value: (a) => a.latitude, width: 10 },
      { header: '活动简介', value: (a) => a.summary, width: 40 },
      { header: '数据来源', value: (a) => (a.isDemo ? DEMO_LABEL : ''), width: 10 },
    ],
  };
  return renderTable(table, format);
}
