import { describe, expect, it } from 'vitest';
import { formatTarget, taskNumber } from './plan-format';

describe('plan formatting', () => {
  it('joins printed labels into the number people say', () => {
    const a = { id: 'a', parentId: null, label: '三、', path: '3' };
    const b = { id: 'b', parentId: 'a', label: '(一)', path: '3.1' };
    const c = { id: 'c', parentId: 'b', label: '1.', path: '3.1.1' };
    const byId = new Map([a, b, c].map((t) => [t.id, t]));
    expect(taskNumber(c, byId)).toBe('三.(一).1');
    expect(taskNumber(c, new Map([c].map((t) => [t.id, t])))).toBe('3.1.1');
  });

  it('says how a target compares, how much, and by when or how often', () => {
    expect(formatTarget({ comparator: '>=', value: 1800, unit: '名', period: 'year', deadline: null })).toBe(
      '≥ 1,800 名 / 每年',
    );
    expect(
      formatTarget({ comparator: '=', value: 15, unit: '所', period: null, deadline: '2025-12-31' }),
    ).toBe('= 15 所 · 2025-12-31 前');
  });
});
