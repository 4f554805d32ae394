import type { Comparator, Status } from './schema';

/** A number for people: at most 2 decimals, no trailing zeros, no grouping ("10.5", "12000", "0.82"). */
export function formatNumber(x: number): string {
  const r = Math.round(x * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

/** A share as a percent with at most one decimal: 0.857 → "85.7%". */
export function formatShare(x: number): string {
  return `${String(Math.round(x * 1000) / 10)}%`;
}

/**
 * Units of things counted one by one (people, schools, events …): a count is shown as a whole number, so 序时进度
 * reads "277人", never "276.99人". 万人、万元、% and the like keep their decimals.
 */
const WHOLE_UNITS = new Set(
  '人 名 位 人次 所 个 场 次 家 支 项 处 座 部 件 篇 期 批 户 间 门 套 台 册 种 条 本 队 站 馆 基地 团 校 村 社区'.split(
    ' ',
  ),
);

export function isWholeUnit(unit: string): boolean {
  return WHOLE_UNITS.has(unit.trim());
}

/** A value with its unit: "9所", "15.5%"; counts of whole things rounded to whole numbers. */
export function withUnit(x: number, unit: string): string {
  return `${formatNumber(isWholeUnit(unit) ? Math.round(x) : x)}${unit}`;
}

/** How a target reads in Chinese: "目标 15所以上", "目标约 20场", "上限 10起", "目标 15所". */
export function targetPhrase(comparator: Comparator, target: number, unit: string, noun = '目标'): string {
  const v = withUnit(target, unit);
  if (comparator === '>=') return `${noun} ${v}以上`;
  if (comparator === '≈') return `${noun}约 ${v}`;
  if (comparator === '<=') return `上限 ${v}`;
  return `${noun} ${v}`;
}

/** 亮绿灯 / 亮黄灯 / 亮红灯 / 无数据，不亮灯. */
export function lightText(status: Status): string {
  return { green: '亮绿灯', yellow: '亮黄灯', red: '亮红灯', no_data: '无数据，不亮灯' }[status];
}
