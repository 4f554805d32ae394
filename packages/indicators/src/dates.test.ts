import { describe, expect, it } from 'vitest';
import { dateOfDay, dayNumber, dayOfYear, daysInYear, inclusiveDays, isCalendarDate } from './dates';

describe('calendar dates (UTC days)', () => {
  it('knows leap years: 2024-02-29 exists, 2025-02-29 and 2100-02-29 do not', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2100-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2025-1-1')).toBe(false);
    expect(daysInYear(2024)).toBe(366);
    expect(daysInYear(2025)).toBe(365);
  });

  it('counts days of the year from 1 on January 1', () => {
    expect(dayOfYear('2025-01-01')).toBe(1);
    expect(dayOfYear('2024-02-29')).toBe(60);
    expect(dayOfYear('2024-12-31')).toBe(366);
    expect(dayOfYear('2025-12-31')).toBe(365);
  });

  it('counts both ends of a range, and 0 for a reversed one', () => {
    expect(inclusiveDays('2025-01-01', '2025-01-01')).toBe(1);
    expect(inclusiveDays('2022-01-01', '2025-12-31')).toBe(1461);
    expect(inclusiveDays('2025-01-02', '2025-01-01')).toBe(0);
  });

  it('round-trips day numbers and refuses non-dates', () => {
    expect(dateOfDay(dayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(() => dayNumber('2025-02-29')).toThrow(RangeError);
    expect(() => dayNumber('2025-06-30T00:00:00Z')).toThrow(RangeError);
  });
});
