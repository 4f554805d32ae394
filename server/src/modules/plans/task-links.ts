/**
 * Which city task a county task implements: a proposal from what the two say, never a silent decision. Each pair gets
 * a score 0–100 from three things a person would look at, with the reasons in words:
 * - the same key population (重点人群) or the same 工程: 40;
 * - shared words of the titles: 50 × the Jaccard overlap of their Chinese character pairs (bigrams);
 * - the same kind of target (a count by a deadline, a yearly count, a share of residents, the literacy rate): 10
 *   when both have targets and share a kind.
 * The best city task is proposed when it scores at least PROPOSE_AT; ties go to the earlier task of the city plan.
 */
export const PROPOSE_AT = 30;

export interface LinkableTask {
  id: string;
  title: string;
  populationGroup: string | null;
  targetKinds: readonly string[];
}

export interface LinkProposal {
  targetId: string;
  score: number;
  reasons: string[];
}

/** Pairs every plan of this family says in every other title: they tell nothing about which task is which. */
const COMMON_PAIRS = new Set([
  '实施',
  '科学',
  '学素',
  '素质',
  '质提',
  '提升',
  '升行',
  '行动',
  '工程',
  '开展',
  '加强',
  '推进',
  '全民',
]);

/** Character pairs of a title (Chinese characters only), the common ones left out. */
export function bigrams(title: string): Set<string> {
  const text = title.replace(/[^\u4e00-\u9fff]/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) {
    const pair = text.slice(i, i + 2);
    if (!COMMON_PAIRS.has(pair)) out.add(pair);
  }
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both += 1;
  return both / (a.size + b.size - both);
}

const POPULATION_NAMES: Record<string, string> = {
  youth: '青少年',
  farmers: '农民',
  workers: '产业工人',
  elderly: '老年人',
  officials: '领导干部和公务员',
};

/** The score of one pair, with its reasons. */
export function scorePair(task: LinkableTask, target: LinkableTask): LinkProposal {
  const reasons: string[] = [];
  let score = 0;
  if (task.populationGroup !== null && task.populationGroup === target.populationGroup) {
    score += 40;
    reasons.push(`同属重点人群“${POPULATION_NAMES[task.populationGroup] ?? task.populationGroup}”`);
  }
  const overlap = jaccard(bigrams(task.title), bigrams(target.title));
  if (overlap > 0) {
    score += 50 * overlap;
    reasons.push(`标题用词相近（重合 ${Math.round(overlap * 100)}%）`);
  }
  if (task.targetKinds.some((k) => target.targetKinds.includes(k))) {
    score += 10;
    reasons.push('目标类型相同');
  }
  return { targetId: target.id, score: Math.round(score), reasons };
}

/** The best city task for a county task, or null when none scores PROPOSE_AT (or only rejected ones do). */
export function proposeLink(
  task: LinkableTask,
  targets: readonly LinkableTask[],
  rejected: ReadonlySet<string> = new Set(),
): LinkProposal | null {
  let best: LinkProposal | null = null;
  for (const t of targets) {
    if (rejected.has(t.id)) continue;
    const p = scorePair(task, t);
    if (p.score >= PROPOSE_AT && (best === null || p.score > best.score)) best = p;
  }
  return best;
}
