import { describe, expect, it } from 'vitest';
import { asOfDate, lateAfter, planEndOf, planStart } from './plan-dates';

describe('planStart: the one start of a plan period', () => {
  it('is the 印发 date, else the first cycle, else 1 January of the year judged', () => {
    expect(planStart('2022-05-13', '2023-01-01', '2025-06-30')).toBe('2022-05-13');
    expect(planStart(null, '2023-01-01', '2025-06-30')).toBe('2023-01-01');
    expect(planStart(undefined, undefined, '2025-06-30')).toBe('2025-01-01');
  });
});

describe('the other plan dates', () => {
  it('ends with the latest indicator deadline, or is open-ended', () => {
    expect(planEndOf([{ deadline: '2025-12-31' }, { deadline: null }, { deadline: '2024-06-30' }])).toBe(
      '2025-12-31',
    );
    expect(planEndOf([{ deadline: null }])).toBeNull();
    expect(planEndOf([])).toBeNull();
  });

  it('stands as of the date asked, else the cycle end, else today', () => {
    const now = new Date('2026-03-04T23:30:00Z');
    expect(asOfDate({ period_end: '2025-06-30' }, '2025-05-01', now)).toBe('2025-05-01');
    expect(asOfDate({ period_end: '2025-06-30' }, undefined, now)).toBe('2025-06-30');
    expect(asOfDate(null, null, now)).toBe('2026-03-04');
  });

  it('counts grace days across month and year ends', () => {
    expect(lateAfter('2025-12-29', 5)).toBe('2026-01-03');
    expect(lateAfter('2024-02-27', 2)).toBe('2024-02-29');
    expect(lateAfter('2025-07-15', 0)).toBe('2025-07-15');
  });
});
