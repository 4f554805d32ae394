import {
  COMPARATOR_LABELS,
  INDICATOR_KIND_LABELS,
  POPULATION_GROUP_LABELS,
  type PlanTree,
  UNIT_ROLE_LABELS,
} from '@kesu/shared';
import ExcelJS from 'exceljs';

/**
 * The plan as a workbook: sheet 1 one row per task × responsible unit (a task without units still gets a row, so
 * the whole tree is there), sheet 2 one row per indicator. Plain values only, so the file opens anywhere.
 */
export async function planToXlsx(tree: PlanTree): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'kesu 科素';
  wb.created = new Date(tree.version.createdAt);

  const tasks = wb.addWorksheet('任务与责任单位', { views: [{ state: 'frozen', ySplit: 1 }] });
  tasks.columns = [
    { header: '编号', key: 'path', width: 10 },
    { header: '序号', key: 'label', width: 8 },
    { header: '任务', key: 'title', width: 40 },
    { header: '重点人群', key: 'group', width: 16 },
    { header: '责任单位', key: 'unit', width: 22 },
    { header: '单位全称', key: 'unitName', width: 32 },
    { header: '角色', key: 'role', width: 8 },
    { header: '指标数', key: 'indicators', width: 8 },
  ];
  for (const t of tree.tasks) {
    const base = {
      path: t.path,
      label: t.label,
      title: t.title,
      group: t.group ? POPULATION_GROUP_LABELS[t.group] : '',
      indicators: t.indicators.length,
    };
    if (t.units.length === 0) tasks.addRow({ ...base, unit: '', unitName: '', role: '' });
    for (const u of t.units) {
      tasks.addRow({ ...base, unit: u.unitShortName, unitName: u.unitName, role: UNIT_ROLE_LABELS[u.role] });
    }
  }

  const inds = wb.addWorksheet('指标', { views: [{ state: 'frozen', ySplit: 1 }] });
  inds.columns = [
    { header: '编号', key: 'path', width: 10 },
    { header: '任务', key: 'title', width: 32 },
    { header: '类型', key: 'kind', width: 12 },
    { header: '原文', key: 'text', width: 48 },
    { header: '比较', key: 'comparator', width: 6 },
    { header: '目标值', key: 'value', width: 10 },
    { header: '单位', key: 'unit', width: 8 },
    { header: '周期', key: 'period', width: 8 },
    { header: '截止日期', key: 'deadline', width: 12 },
    { header: '基线值', key: 'baseline', width: 10 },
    { header: '基线年份', key: 'baselineYear', width: 10 },
    { header: '分县', key: 'perCounty', width: 6 },
    { header: '牵头单位', key: 'lead', width: 18 },
  ];
  for (const t of tree.tasks) {
    for (const i of t.indicators) {
      inds.addRow({
        path: t.path,
        title: t.title,
        kind: INDICATOR_KIND_LABELS[i.kind],
        text: i.text,
        comparator: COMPARATOR_LABELS[i.comparator],
        value: i.targetValue,
        unit: i.unit,
        period: i.period === 'year' ? '每年' : '',
        deadline: i.deadline ?? '',
        baseline: i.baselineValue ?? '',
        baselineYear: i.baselineYear ?? '',
        perCounty: i.breakdownByCounty ? '是' : '',
        lead: t.units.find((u) => u.role === 'lead')?.unitShortName ?? '',
      });
    }
  }
  for (const ws of [tasks, inds]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
