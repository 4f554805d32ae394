import { describe, expect, it } from 'vitest';
import { type PdfItem, type PdfPage, pdfPagesToText } from './plan-pdf-layout';

/** Items of one line of text at (x, y): each character its own run, as some producers write them. */
function run(text: string, x: number, y: number, size = 12, perChar = false): PdfItem[] {
  if (!perChar) return [{ s: text, x, y, w: text.length * size, h: size }];
  return [...text].map((s, i) => ({ s, x: x + i * size, y, w: size, h: size }));
}

const page = (items: PdfItem[]): PdfPage => ({ width: 600, height: 800, items });

describe('pdfPagesToText', () => {
  it('reads the left column before the right one, below a title spanning both', () => {
    const items = [
      ...run('某某县实施方案标题跨越两栏的一行文字', 60, 740),
      ...['一、左栏第一行', '左栏第二行内容', '左栏第三行内容', '左栏第四行内容'].flatMap((t, i) =>
        run(t, 60, 700 - i * 20),
      ),
      ...['右栏第一行内容', '右栏第二行内容', '右栏第三行内容', '二、右栏第四行'].flatMap((t, i) =>
        run(t, 330, 700 - i * 20),
      ),
    ];
    expect(pdfPagesToText([page(items)]).split('\n')).toEqual([
      '某某县实施方案标题跨越两栏的一行文字',
      '一、左栏第一行',
      '左栏第二行内容',
      '左栏第三行内容',
      '左栏第四行内容',
      '右栏第一行内容',
      '右栏第二行内容',
      '右栏第三行内容',
      '二、右栏第四行',
    ]);
  });

  it('joins runs of a line in x order, with a tab between far-apart cells', () => {
    const items = [
      ...run('市教育局', 300, 500),
      ...run('1', 60, 500),
      ...run('深化教育', 100, 500, 12, true),
    ];
    expect(pdfPagesToText([page(items)])).toBe('1\t深化教育\t市教育局');
  });

  it('drops page numbers and a header repeated at the top of the pages after the first', () => {
    const pages = [1, 2, 3].map((n) =>
      page([
        ...(n > 1 ? run('某某县全民科学素质行动实施方案', 60, 780, 10) : []),
        ...run(`第${n}页的正文内容`, 60, 700),
        ...run(`— ${n} —`, 280, 40),
      ]),
    );
    expect(pdfPagesToText(pages).split('\n')).toEqual([
      '第1页的正文内容',
      '第2页的正文内容',
      '第3页的正文内容',
    ]);
  });
});
