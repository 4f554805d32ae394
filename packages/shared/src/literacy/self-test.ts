import { z } from 'zod';
import { BENCHMARK_COUNT } from './benchmarks';
import {
  type BenchmarkRule,
  type InstrumentItem,
  ItemKindSchema,
  ItemOptionSchema,
  LiteracyDimensionSchema,
  LiteracyRuleSchema,
} from './instrument';

/** A deterministic generator of uniform numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/**
 * Draw a self-test from a bank: first one item for every 基准 not yet covered (in random order, each time an
 * unused item covering it), then random items up to `rule.itemCount`; returned in random order. The same bank
 * and the same `random` sequence give the same draw, so a seed identifies a draw.
 * @throws Error when the bank cannot cover all 26 基准 or has fewer items than the rule draws.
 */
export function drawSelfTest(
  bank: readonly InstrumentItem[],
  rule: BenchmarkRule,
  random: () => number,
): InstrumentItem[] {
  if (bank.length < rule.itemCount) throw new Error(`题库只有 ${bank.length} 题，不足 ${rule.itemCount} 题`);
  const chosen = new Set<InstrumentItem>();
  const covered = new Set<number>();
  const order = shuffle(
    Array.from({ length: BENCHMARK_COUNT }, (_, i) => i + 1),
    random,
  );
  for (const b of order) {
    if (covered.has(b)) continue;
    const candidates = bank.filter((it) => !chosen.has(it) && it.benchmarks.includes(b));
    if (candidates.length === 0) throw new Error(`题库中没有覆盖基准 ${b} 的题目`);
    const pick = candidates[Math.floor(random() * candidates.length)]!;
    chosen.add(pick);
    for (const x of pick.benchmarks) covered.add(x);
  }
  const rest = shuffle(
    bank.filter((it) => !chosen.has(it)),
    random,
  );
  for (const it of rest) {
    if (chosen.size >= rule.itemCount) break;
    chosen.add(it);
  }
  return shuffle([...chosen], random);
}

/** Limits of the public self-test endpoint (per client address, shared by every node on the database). */
export const SELF_TEST_LIMITS = {
  submissionsPerWindow: 20,
  windowMinutes: 10,
  /** Largest accepted answer body, bytes (50 answers take about 2 KB). */
  bodyBytes: 16 * 1024,
} as const;

/** An item as the public sees it before answering: no key, no explanation. */
export const PublicItemSchema = z.object({
  id: z.string(),
  dimension: LiteracyDimensionSchema,
  kind: ItemKindSchema,
  stem: z.string(),
  options: z.array(ItemOptionSchema),
  /** True for multiple-choice items: choose every right option. */
  isMultiple: z.boolean(),
  benchmarks: z.array(z.number().int()),
});
export type PublicItem = z.infer<typeof PublicItemSchema>;

export function toPublicItem(item: InstrumentItem): PublicItem {
  return {
    id: item.id,
    dimension: item.dimension,
    kind: item.kind,
    stem: item.stem,
    options: item.options,
    isMultiple: item.kind === 'multiple',
    benchmarks: item.benchmarks,
  };
}

/** GET /api/v1/public/self-test */
export const SelfTestDrawSchema = z.object({
  /** Identifies the draw (bank, bank version, seed); sent back with the answers. */
  drawId: z.string(),
  name: z.string(),
  rule: LiteracyRuleSchema,
  items: z.array(PublicItemSchema),
});
export type SelfTestDraw = z.infer<typeof SelfTestDrawSchema>;

/** POST /api/v1/public/self-test: the draw id and an answer per item (unanswered items may be left out). */
export const SelfTestSubmitSchema = z.object({
  drawId: z.string().max(100),
  answers: z
    .array(
      z.object({
        itemId: z.string().max(40),
        answer: z.array(z.string().regex(/^[A-Z]$/, '答案应为选项字母')).max(8),
      }),
    )
    .max(200),
});
export type SelfTestSubmit = z.infer<typeof SelfTestSubmitSchema>;

export const SelfTestItemResultSchema = z.object({
  itemId: z.string(),
  stem: z.string(),
  options: z.array(ItemOptionSchema),
  answer: z.array(z.string()),
  key: z.array(z.string()),
  isCorrect: z.boolean(),
  explanation: z.string(),
  benchmarks: z.array(z.number().int()),
});

export const SelfTestResultSchema = z.object({
  resultId: z.string(),
  score: z.number(),
  maxScore: z.number(),
  passScore: z.number(),
  isPass: z.boolean(),
  correctCount: z.number().int(),
  itemCount: z.number().int(),
  rule: LiteracyRuleSchema,
  items: z.array(SelfTestItemResultSchema),
});
export type SelfTestResult = z.infer<typeof SelfTestResultSchema>;
