import { formatNumber, formatShare } from './format';
import type { EvaluationResult, RollupNode, RollupResult, StatusCounts } from './schema';

const ZERO: StatusCounts = { green: 0, yellow: 0, red: 0, no_data: 0 };

function addCounts(a: StatusCounts, b: StatusCounts): StatusCounts {
  return {
    green: a.green + b.green,
    yellow: a.yellow + b.yellow,
    red: a.red + b.red,
    no_data: a.no_data + b.no_data,
  };
}

function rollNode(node: RollupNode, byId: Map<string, EvaluationResult>): RollupResult {
  const weight = node.weight ?? 1;
  const label = node.label ?? null;
  if (node.indicatorId !== undefined) {
    const r = byId.get(node.indicatorId);
    const status = r?.status ?? 'no_data';
    const progress = r && r.status !== 'no_data' ? r.progress : null;
    return {
      id: node.id,
      label,
      weight,
      normalizedWeight: null,
      progress,
      status,
      childrenWithoutData: 0,
      statusCounts: { ...ZERO, [status]: 1 },
      explanation: {
        formula: 'progress = 指标完成度（见指标说明）',
        inputs: { indicatorId: node.indicatorId, progress },
        text: r
          ? progress === null
            ? `指标无数据：${r.explanation.ruleText}`
            : `指标完成度 ${formatShare(progress)}：${r.explanation.text}`
          : '没有该指标的评估结果，按无数据处理',
      },
      children: [],
    };
  }
  if (node.children === undefined) {
    const progress = node.progress ?? null;
    return {
      id: node.id,
      label,
      weight,
      normalizedWeight: null,
      progress,
      status: null,
      childrenWithoutData: 0,
      statusCounts: ZERO,
      explanation: {
        formula: 'progress = 直接填报的完成度',
        inputs: { progress },
        text: progress === null ? '未填报完成度，无数据' : `填报完成度 ${formatShare(progress)}`,
      },
      children: [],
    };
  }

  const children = node.children.map((c) => rollNode(c, byId));
  const withData = children.filter((c) => c.progress !== null);
  const weightSum = withData.reduce((s, c) => s + c.weight, 0);
  const withoutData = children.length - withData.length;
  const statusCounts = children.reduce((s, c) => addCounts(s, c.statusCounts), ZERO);
  const inputs = { children: children.length, withData: withData.length, withoutData, weightSum };
  const formula = 'progress = Σ wᵢ·pᵢ / Σ wᵢ（仅计有数据的子项；权重归一化，权重 0 不计）';
  const missing = withoutData > 0 ? `，${withoutData} 项无数据未计入` : '';
  if (withData.length === 0 || weightSum === 0) {
    return {
      id: node.id,
      label,
      weight,
      normalizedWeight: null,
      progress: null,
      status: null,
      childrenWithoutData: withoutData,
      statusCounts,
      explanation: {
        formula,
        inputs,
        text:
          children.length === 0
            ? '没有子项，无数据'
            : withData.length === 0
              ? `全部 ${children.length} 项子项均无数据，无数据（不是 0）`
              : `有数据的 ${withData.length} 项权重均为 0${missing}，无数据`,
      },
      children,
    };
  }
  const normalized = children.map((c) =>
    c.progress === null ? c : { ...c, normalizedWeight: c.weight / weightSum },
  );
  const progress = withData.reduce((s, c) => s + c.weight * (c.progress ?? 0), 0) / weightSum;
  return {
    id: node.id,
    label,
    weight,
    normalizedWeight: null,
    progress,
    status: null,
    childrenWithoutData: withoutData,
    statusCounts,
    explanation: {
      formula,
      inputs,
      text: `按权重加权平均 ${withData.length} 项（权重和 ${formatNumber(weightSum)}，已归一化）${missing}，完成度 ${formatShare(progress)}`,
    },
    children: normalized,
  };
}

/**
 * Roll task progress up a tree. A leaf's progress is its indicator's `progress` (completion ∈ [0, 1]; a result with
 * status `no_data`, or no result at all, is no data) or the progress entered on the node. A branch's progress is
 * Σ wᵢ·pᵢ / Σ wᵢ over the children that have data: weights are normalised (they need not sum to 1), a child with
 * weight 0 counts nothing, children without data are left out of the average and counted in
 * `childrenWithoutData`; a branch whose children all lack data (or whose children with data all weigh 0) is no
 * data (`progress` null), never 0. `statusCounts` adds up the indicator lights beneath each node.
 */
export function rollUp(tree: RollupNode, results: EvaluationResult[]): RollupResult {
  return rollNode(tree, new Map(results.map((r) => [r.indicatorId, r])));
}
