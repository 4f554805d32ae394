import { describe, expect, it } from 'vitest';
import { fileNameOf } from './document-download';

describe('fileNameOf', () => {
  it('reads the UTF-8 file name the server gives a generated document', () => {
    const name = '关于2025年第4季度全民科学素质行动规划实施进展情况的通报.docx';
    expect(
      fileNameOf(`attachment; filename="document.docx"; filename*=UTF-8''${encodeURIComponent(name)}`, 'x'),
    ).toBe(name);
  });
  it('falls back when there is none or it is malformed', () => {
    expect(fileNameOf(null, 'document.pdf')).toBe('document.pdf');
    expect(fileNameOf("attachment; filename*=UTF-8''%E4%ZZ", 'document.pdf')).toBe('document.pdf');
  });
});
