import { describe, expect, it } from 'vitest';
import { isWholeUnit, withUnit } from './format';

describe('withUnit', () => {
  it('shows counts of whole things as whole numbers (序时进度 in people reads 277人, not 276.99人)', () => {
    expect(withUnit(276.99, '人')).toBe('277人');
    expect(withUnit(11079.45, '名')).toBe('11079名');
    expect(withUnit(3.5, '所')).toBe('4所');
    expect(withUnit(2.4, '场')).toBe('2场');
  });

  it('keeps decimals for rates, money and units of ten thousand', () => {
    expect(withUnit(10.302, '%')).toBe('10.3%');
    expect(withUnit(1.25, '万人次')).toBe('1.25万人次');
    expect(withUnit(0.5, '万元')).toBe('0.5万元');
    expect(isWholeUnit('%')).toBe(false);
    expect(isWholeUnit(' 人 ')).toBe(true);
  });
});
