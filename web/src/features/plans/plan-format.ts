import { COMPARATOR_LABELS, type Comparator, type PlanTask } from '@kesu/shared';

/** "≥ 1800 名 / 每年", "= 15 所 · 2025-12-31 前": a target as one short line. */
export function formatTarget(t: {
  comparator: Comparator;
  value: number;
  unit: string;
  period: 'year' | null;
  deadline: string | null;
}): string {
  const head = `${COMPARATOR_LABELS[t.comparator]} ${t.value.toLocaleString('zh-CN')} ${t.unit}`;
  if (t.period === 'year') return `${head} / 每年`;
  if (t.deadline) return `${head} · ${t.deadline} 前`;
  return head;
}

/** "三、" → "三", "(一)" → "(一)", "1." → "1". */
function bareLabel(label: string): string {
  return label.replace(/[、.．，,\s]+$/u, '') || label;
}

/**
 * The number of a task as people say it, joining its ancestors' printed labels: 三.(一).1. Falls back to the
 * path when an ancestor is not in `byId` (filtered out).
 */
export function taskNumber(
  task: Pick<PlanTask, 'id' | 'parentId' | 'label' | 'path'>,
  byId: Map<string, Pick<PlanTask, 'id' | 'parentId' | 'label'>>,
): string {
  const parts: string[] = [];
  let cur: Pick<PlanTask, 'id' | 'parentId' | 'label'> | undefined = task;
  while (cur) {
    parts.unshift(bareLabel(cur.label));
    if (!cur.parentId) return parts.join('.');
    cur = byId.get(cur.parentId);
  }
  return task.path;
}
