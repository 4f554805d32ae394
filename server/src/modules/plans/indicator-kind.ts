import type { DraftBaseline, DraftTarget, IndicatorKind } from '@kesu/shared';

/**
 * The kind of indicator a parsed target becomes (docs/DOMAIN.md §3). Order matters: "年科普活动覆盖面达到县域常住人口的
 * 80%以上" is yearly but measured as a share of each county's population, and "公民具备科学素质的比例力争达到15.5%"
 * has a deadline but is a survey estimate; only then do 每年 (annual) and 到…年底 (cumulative) decide.
 */
export function classifyTarget(t: Pick<DraftTarget, 'text' | 'unit' | 'period'>): IndicatorKind {
  const isPercent = t.unit === '%' || t.unit === '％';
  if (isPercent && /覆盖/.test(t.text) && /人口/.test(t.text)) return 'population_share';
  if (isPercent && /科学素质[^，。；]*比例|具备科学素质/.test(t.text)) return 'survey_rate';
  if (t.period === 'year') return 'annual';
  return 'cumulative';
}

/** A population share is followed per county, so its indicator is broken down by county from the start. */
export function isBrokenDownByCounty(kind: IndicatorKind): boolean {
  return kind === 'population_share';
}

/**
 * The baseline of a target: the latest historical figure in the same unit, earlier than the deadline. A survey rate
 * takes it from anywhere in the document (the city's literacy rate "2020年达到11.7%" is told in the preamble, the
 * target "到2025年…15.5%" under 主要目标); any other target only from its own task, an ancestor, or the preamble.
 */
export function pickBaseline(
  path: string,
  kind: IndicatorKind,
  target: Pick<DraftTarget, 'unit' | 'deadline'>,
  baselines: DraftBaseline[],
): DraftBaseline | null {
  const deadlineYear = target.deadline ? Number(target.deadline.slice(0, 4)) : Number.POSITIVE_INFINITY;
  let best: DraftBaseline | null = null;
  for (const b of baselines) {
    if (b.unit !== target.unit || b.year >= deadlineYear) continue;
    const inScope =
      kind === 'survey_rate' || b.path === null || b.path === path || path.startsWith(`${b.path}.`);
    if (!inScope) continue;
    if (!best || b.year > best.year) best = b;
  }
  return best;
}
