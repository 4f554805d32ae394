import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfActiveContent, sniffAttachment } from './attachment-type';

/** A PDF whose only body is one Flate-compressed stream with the given dictionary and content. */
function pdfWithStream(dict: string, content: string | Buffer): Buffer {
  const data = deflateSync(typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.7\n1 0 obj\n<<${dict}/Length ${data.length}/Filter/FlateDecode>>\nstream\n`,
      'latin1',
    ),
    data,
    Buffer.from('\nendstream\nendobj\ntrailer<</Root 2 0 R>>\n%%EOF\n', 'latin1'),
  ]);
}

describe('PDF evidence with active content', () => {
  it('finds JavaScript behind name escapes (/J#61vaScript, /#4A#53)', () => {
    for (const body of [
      '1 0 obj<</OpenAction<</S/J#61vaScript/JS(app.alert(1))>>>>endobj',
      '1 0 obj<</OpenAction<</S/JavaScript/#4A#53(app.alert(1))>>>>endobj',
      '1 0 obj<</AA<</O<</S/#4c#61unch/F(cmd.exe)>>>>>>endobj',
    ]) {
      const pdf = Buffer.from(`%PDF-1.4\n${body}\n`, 'latin1');
      expect(pdfActiveContent(pdf), body).toBe(true);
      expect(sniffAttachment(pdf, '报告.pdf').ok, body).toBe(false);
    }
  });

  it('finds JavaScript inside a compressed object stream, even with an escaped /FlateDecode', () => {
    const objStm = pdfWithStream('/Type/ObjStm/N 1/First 4', '5 0 <</S/JavaScript/JS(app.alert(1))>>');
    expect(pdfActiveContent(objStm)).toBe(true);
    const escapedFilter = Buffer.from(
      objStm.toString('latin1').replace('/FlateDecode', '/Fl#61teDecode'),
      'latin1',
    );
    expect(pdfActiveContent(escapedFilter)).toBe(true);
    expect(sniffAttachment(objStm, '报告.pdf')).toMatchObject({ ok: false });
  });

  it('accepts an ordinary PDF with compressed page content', () => {
    const page = pdfWithStream('', 'BT /F1 12 Tf 72 712 Td (Hello) Tj ET');
    expect(pdfActiveContent(page)).toBe(false);
    expect(sniffAttachment(page, '报告.pdf')).toMatchObject({ ok: true, ext: 'pdf' });
    // A name that merely starts like one of the dangerous ones is not one.
    expect(pdfActiveContent(Buffer.from('%PDF-1.4\n1 0 obj<</JSON 1/Launched 2>>endobj\n'))).toBe(false);
  });

  it('refuses a compressed stream that inflates past the budget instead of inflating it all', () => {
    const bomb = pdfWithStream('', Buffer.alloc(40 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(pdfActiveContent(bomb)).toBe('unreadable');
    expect(sniffAttachment(bomb, '报告.pdf')).toMatchObject({ ok: false });
  });
});
