import { describe, expect, it } from 'vitest';
import { BENCHMARK_COUNT } from './benchmarks';
import { BENCHMARK_RULE_DEFAULT, type InstrumentItem } from './instrument';
import { drawSelfTest, seededRandom, toPublicItem } from './self-test';

function item(id: string, benchmarks: number[]): InstrumentItem {
  return {
    id,
    dimension: 'application',
    kind: 'single',
    stem: id,
    options: [
      { key: 'A', text: '甲' },
      { key: 'B', text: '乙' },
    ],
    key: ['B'],
    points: 2,
    benchmarks,
    explanation: '解析',
  };
}

/** Two items per 基准, plus a few covering several, and many on 基准 10 (so random filling would miss some). */
function bank(): InstrumentItem[] {
  const out: InstrumentItem[] = [];
  for (let b = 1; b <= BENCHMARK_COUNT; b++) out.push(item(`b${b}a`, [b]), item(`b${b}b`, [b]));
  out.push(item('x1', [1, 2, 3]), item('x2', [25, 26]));
  for (let i = 0; i < 100; i++) out.push(item(`ten${i}`, [10]));
  return out;
}

describe('drawSelfTest', () => {
  it('draws 50 distinct items covering all 26 基准, for many seeds', () => {
    const b = bank();
    for (let seed = 1; seed <= 300; seed++) {
      const draw = drawSelfTest(b, BENCHMARK_RULE_DEFAULT, seededRandom(seed));
      expect(draw).toHaveLength(50);
      expect(new Set(draw.map((d) => d.id)).size).toBe(50);
      const covered = new Set(draw.flatMap((d) => d.benchmarks));
      expect(covered.size, `seed ${seed}`).toBe(BENCHMARK_COUNT);
    }
  });

  it('is reproducible from its seed and varies between seeds', () => {
    const b = bank();
    const ids = (seed: number) =>
      drawSelfTest(b, BENCHMARK_RULE_DEFAULT, seededRandom(seed)).map((d) => d.id);
    expect(ids(42)).toEqual(ids(42));
    expect(ids(42)).not.toEqual(ids(43));
  });

  it('refuses a bank that misses a 基准 or is too small', () => {
    const missing = bank().filter((i) => !i.benchmarks.includes(17));
    expect(() => drawSelfTest(missing, BENCHMARK_RULE_DEFAULT, seededRandom(1))).toThrow('基准 17');
    expect(() => drawSelfTest(bank().slice(0, 30), BENCHMARK_RULE_DEFAULT, seededRandom(1))).toThrow(
      '不足 50 题',
    );
  });

  it('shows the public no key and no explanation', () => {
    const p = toPublicItem(item('q', [1]));
    expect(p).not.toHaveProperty('key');
    expect(p).not.toHaveProperty('explanation');
    expect(p.isMultiple).toBe(false);
  });
});
