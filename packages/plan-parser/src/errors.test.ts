import { describe, expect, it } from 'vitest';
import { isPlanParseError, PlanParseError, parsePlan } from './index';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isPlanParseError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('bad inputs', () => {
  it.each(['', '   \n\t  ', '\n— 3 —\n第 2 页\n'])('rejects %j as EMPTY_DOCUMENT', (text) => {
    expect(codeOf(() => parsePlan(text))).toBe('EMPTY_DOCUMENT');
  });

  it('rejects text with NUL bytes or many control characters as BINARY_CONTENT', () => {
    expect(codeOf(() => parsePlan('PK\u0003\u0004\u0000\u0000一、前言'))).toBe('BINARY_CONTENT');
    const garbled = `一、前言\n${'\u0001\u0002\u0007\uFFFD'.repeat(50)}`;
    expect(codeOf(() => parsePlan(garbled))).toBe('BINARY_CONTENT');
  });

  it('rejects text without numbered headings as NOT_A_PLAN', () => {
    expect(codeOf(() => parsePlan('现将有关事项通知如下:请各单位认真做好科普工作。\n2023年3月1日'))).toBe(
      'NOT_A_PLAN',
    );
  });

  it('carries a Chinese message and a stable code', () => {
    const error = new PlanParseError('NOT_A_PLAN');
    expect(error.message).toMatch(/编号标题/);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PlanParseError');
  });

  it('rejects non-string input as EMPTY_DOCUMENT', () => {
    expect(codeOf(() => parsePlan(undefined as unknown as string))).toBe('EMPTY_DOCUMENT');
  });
});
