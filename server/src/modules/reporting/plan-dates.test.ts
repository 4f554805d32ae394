import { describe, expect, it } from 'vitest';
import { planStart } from './plan-dates';

describe('planStart: the one start of a plan period', () => {
  it('is the 印发 date, else the first cycle, else 1 January of the year judged', () => {
    expect(planStart('2022-05-13', '2023-01-01', '2025-06-30')).toBe('2022-05-13');
    expect(planStart(null, '2023-01-01', '2025-06-30')).toBe('2023-01-01');
    expect(planStart(undefined, undefined, '2025-06-30')).toBe('2025-01-01');
  });
});
