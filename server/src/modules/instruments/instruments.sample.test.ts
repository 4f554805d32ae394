import { BENCHMARK_COUNT, drawSelfTest, instrumentProblems, seededRandom } from '@kesu/shared';
import { expect, it } from 'vitest';
import { SAMPLE_ITEM_BANK, SAMPLE_QUESTIONNAIRE } from './instruments.sample';

it('the sample item bank has at least two explained items for each of the 26 基准', () => {
  const bank = SAMPLE_ITEM_BANK;
  expect(bank.rule.kind).toBe('benchmark-2016');
  expect(instrumentProblems(bank)).toEqual([]);
  for (let b = 1; b <= BENCHMARK_COUNT; b++) {
    const n = bank.items.filter((i) => i.benchmarks.includes(b)).length;
    expect(n, `基准 ${b}`).toBeGreaterThanOrEqual(2);
  }
  expect(bank.items.every((i) => i.explanation.length >= 10)).toBe(true);
  expect(bank.items.some((i) => i.kind === 'veto')).toBe(true);
  expect(bank.items.some((i) => i.kind === 'multiple')).toBe(true);
});

it('the sample bank yields 50-item draws covering every 基准', () => {
  if (SAMPLE_ITEM_BANK.rule.kind !== 'benchmark-2016') throw new Error('bank rule');
  for (let seed = 1; seed <= 100; seed++) {
    const draw = drawSelfTest(SAMPLE_ITEM_BANK.items, SAMPLE_ITEM_BANK.rule, seededRandom(seed));
    expect(draw).toHaveLength(50);
    expect(new Set(draw.flatMap((d) => d.benchmarks)).size).toBe(BENCHMARK_COUNT);
  }
});

it('the sample questionnaire covers the four dimensions under the official rule', () => {
  expect(instrumentProblems(SAMPLE_QUESTIONNAIRE)).toEqual([]);
  expect(SAMPLE_QUESTIONNAIRE.items.reduce((s, i) => s + i.points, 0)).toBe(100);
});
