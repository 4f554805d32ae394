import { describe, expect, it } from 'vitest';
import { bigrams, type LinkableTask, PROPOSE_AT, proposeLink, scorePair } from './task-links';

const task = (id: string, title: string, populationGroup: string | null = null, targetKinds: string[] = []) =>
  ({ id, title, populationGroup, targetKinds }) satisfies LinkableTask;

describe('proposing the city task a county task implements', () => {
  it('scores a pair by hand: population 40 + words 50 × Jaccard + target kind 10', () => {
    // 创建科学教育示范学校 → pairs 创建 建科 学教 教育 育示 示范 范学 学校 (科学 is common): 8
    // 争创科学教育示范学校 → pairs 争创 创科 学教 教育 育示 示范 范学 学校: 8; shared 学教 … 学校 = 6
    // Jaccard 6 / (8 + 8 − 6) = 0.6; 50 × 0.6 = 30; + 40 + 10 = 80
    expect(bigrams('创建科学教育示范学校').size).toBe(8);
    const p = scorePair(
      task('a', '争创科学教育示范学校', 'youth', ['cumulative']),
      task('b', '创建科学教育示范学校', 'youth', ['cumulative', 'annual']),
    );
    expect(p.score).toBe(80);
    expect(p.reasons).toEqual(['同属重点人群“青少年”', '标题用词相近（重合 60%）', '目标类型相同']);
  });

  it('proposes the best city task above the bar, skips rejected ones, and proposes nothing below it', () => {
    const city = [
      task('c1', '实施农民科学素质提升行动', 'farmers'),
      task('c2', '创建科学教育示范学校', 'youth', ['cumulative']),
      task('c3', '加强科普基础设施建设'),
    ];
    const county = task('k', '创建县级科学教育示范学校', 'youth', ['cumulative']);
    expect(proposeLink(county, city)?.targetId).toBe('c2');
    expect(proposeLink(county, city, new Set(['c2']))).toBeNull();
    // Nothing in common: no proposal (a task left unlinked is shown as such, never guessed).
    expect(proposeLink(task('z', '组织开展科普讲座进社区'), city)).toBeNull();
    expect(scorePair(task('z', '组织开展科普讲座进社区'), city[2]!).score).toBeLessThan(PROPOSE_AT);
  });
});
