import { describe, expect, it } from 'vitest';
import { methodNoteHtml } from './method-note';

describe('the method note as HTML', () => {
  it('renders the Markdown and shows raw HTML from names as text, never as markup', () => {
    const html = methodNoteHtml(
      '# 方法说明\n\n轮次：<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      '<b>名</b>',
    );
    expect(html).toContain('<h1>方法说明</h1>');
    expect(html).toContain('<table>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<title>&lt;b&gt;名&lt;/b&gt;</title>');
  });
});
