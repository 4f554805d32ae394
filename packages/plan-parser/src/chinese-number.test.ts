import { describe, expect, it } from 'vitest';
import { parseChineseNumber, parseOrdinal } from './chinese-number';

describe('parseChineseNumber', () => {
  it.each([
    ['三', 3],
    ['十', 10],
    ['十五', 15],
    ['二十', 20],
    ['一百零五', 105],
    ['两千', 2000],
    ['三千零五十', 3050],
    ['一万二千', 12000],
    ['十二万', 120000],
    ['百万', 1000000],
    ['一亿五千万', 150000000],
    ['二〇二二', 2022],
  ])('%s → %d', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value);
  });

  it.each(['十四五', '四五', '', '万', '一百十', '两两', '科'])('rejects %j', (text) => {
    expect(parseChineseNumber(text)).toBeNull();
  });
});

describe('parseOrdinal', () => {
  it('reads heading numbers in every script', () => {
    expect(parseOrdinal('12')).toBe(12);
    expect(parseOrdinal('十一')).toBe(11);
    expect(parseOrdinal('③')).toBe(3);
    expect(parseOrdinal('甲')).toBeNull();
  });
});
