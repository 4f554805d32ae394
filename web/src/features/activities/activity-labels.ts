import {
  ACTIVITY_MODE_LABELS,
  type Activity,
  POPULATION_GROUP_LABELS,
  type PopulationGroup,
} from '@kesu/shared';

/** "2025-05-20" or "2025-05-20 至 05-21". */
export function activityDates(a: { startDate: string; endDate: string }): string {
  if (a.startDate === a.endDate) return a.startDate;
  const sameYear = a.startDate.slice(0, 4) === a.endDate.slice(0, 4);
  return `${a.startDate} 至 ${sameYear ? a.endDate.slice(5) : a.endDate}`;
}

export function populationsText(groups: PopulationGroup[]): string {
  return groups.length ? groups.map((g) => POPULATION_GROUP_LABELS[g]).join('、') : '—';
}

export function modeText(mode: Activity['mode']): string {
  return ACTIVITY_MODE_LABELS[mode];
}

/** The sentence beside a joint activity's report that another unit's report counts. */
export function jointText(a: Pick<Activity, 'duplicateOf' | 'duplicateCount'>): string | null {
  if (a.duplicateOf) return `与${a.duplicateOf.organiserName}上报的同一活动合并计数，只计一次`;
  if (a.duplicateCount > 0) return `另有 ${a.duplicateCount} 家单位上报了同一活动，合并计数，只计一次`;
  return null;
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return n.toLocaleString('zh-CN');
}
