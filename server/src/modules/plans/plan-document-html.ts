import { parseDocument } from 'htmlparser2';
import iconv from 'iconv-lite';

/**
 * HTML → text for the plan parser: a web page saved from a government site (.html, or .mhtml "single file"), and
 * the HTML mammoth makes of a .docx. Block elements end a line; a table row becomes one line of tab-separated
 * cells (the parser reads those as a table); scripts, styles, navigation, headers and footers are dropped, and on
 * a web page the main article is taken when the page marks it (article, main, or the usual content classes).
 */

/** Minimal shape of the DOM nodes htmlparser2 builds. */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'select',
  'button',
  'iframe',
  'svg',
  'object',
  'map',
]);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'center',
  'address',
  'figure',
  'figcaption',
  'caption',
  'hr',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'body',
  'html',
]);
/** Classes and ids that government CMSs give the article body (TRS WCM, 政务公开 templates …). */
const CONTENT_HINT =
  /(?:^|[\s_-])(?:trs_editor|zoom|article|content|detail|main|zw|wenzhang|text|view|xxgk|news_con|pages_content)/i;
/** Classes and ids of page chrome (navigation, share buttons, footers). */
const CHROME_HINT =
  /(?:^|[\s_-])(?:nav|menu|breadcrumb|crumb|footer|header|share|print|related|sidebar|toolbar|position|location|copyright)/i;

function textLength(node: DomNode): number {
  if (node.type === 'text') return (node.data ?? '').replace(/\s+/g, '').length;
  if (node.type !== 'tag' || SKIP.has(node.name ?? '')) return 0;
  let n = 0;
  for (const c of node.children ?? []) n += textLength(c);
  return n;
}

function isChrome(node: DomNode): boolean {
  const a = node.attribs ?? {};
  return CHROME_HINT.test(`${a.class ?? ''} ${a.id ?? ''}`) && textLength(node) < 400;
}

/** The element holding the article: the deepest content-like element with most of the page's text. */
function mainContent(root: DomNode): DomNode {
  const total = textLength(root);
  const candidates: Array<{ node: DomNode; length: number; depth: number }> = [];
  const walk = (node: DomNode, depth: number): void => {
    if (node.type !== 'tag' && node.type !== 'root') return;
    if (node.type === 'tag') {
      const a = node.attribs ?? {};
      if (
        node.name === 'article' ||
        node.name === 'main' ||
        CONTENT_HINT.test(`${a.class ?? ''} ${a.id ?? ''}`)
      ) {
        candidates.push({ node, length: textLength(node), depth });
      }
    }
    for (const c of node.children ?? []) walk(c, depth + 1);
  };
  walk(root, 0);
  const best = Math.max(0, ...candidates.map((c) => c.length));
  if (best < total * 0.4 || best < 200) return root;
  const good = candidates.filter((c) => c.length >= best * 0.8).sort((a, b) => b.depth - a.depth);
  return good[0]?.node ?? root;
}

/** Text of an HTML node tree: lines for blocks and <br>, tab-separated cells for table rows. */
function render(root: DomNode): string {
  const out: string[] = [];
  let line = '';
  const endLine = (): void => {
    if (line.trim() !== '') out.push(line.replace(/[ \t\u00a0]+/g, ' ').trim());
    line = '';
  };
  const inline = (node: DomNode): string => {
    if (node.type === 'text') return (node.data ?? '').replace(/\s+/g, ' ');
    if (node.type !== 'tag' || SKIP.has(node.name ?? '')) return '';
    if (node.name === 'br') return ' ';
    return (node.children ?? []).map(inline).join(BLOCK.has(node.name ?? '') ? ' ' : '');
  };
  const walk = (node: DomNode): void => {
    if (node.type === 'text') {
      line += (node.data ?? '').replace(/\s+/g, ' ');
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const name = node.name ?? '';
    if (node.type === 'tag' && (SKIP.has(name) || isChrome(node))) return;
    if (name === 'br') {
      endLine();
      return;
    }
    if (name === 'tr') {
      endLine();
      const cells = (node.children ?? []).filter(
        (c) => c.type === 'tag' && (c.name === 'td' || c.name === 'th'),
      );
      const texts: string[] = [];
      for (const cell of cells) {
        const text = inline(cell)
          .replace(/[\s\t]+/g, ' ')
          .trim();
        texts.push(text);
        // A merged cell spans columns: keep the columns in place so the header still names them.
        const span = Math.min(20, Number(cell.attribs?.colspan ?? 1) || 1);
        for (let k = 1; k < span; k++) texts.push('');
      }
      if (texts.some((t) => t !== '')) out.push(texts.join('\t'));
      return;
    }
    const block = node.type === 'root' || BLOCK.has(name);
    if (block) endLine();
    for (const c of node.children ?? []) walk(c);
    if (block) endLine();
  };
  walk(root);
  endLine();
  return out.join('\n');
}

/** The text of an HTML document (already decoded). */
export function htmlToText(html: string, options: { mainContent?: boolean } = {}): string {
  const doc = parseDocument(html, { decodeEntities: true }) as unknown as DomNode;
  return render(options.mainContent === false ? doc : mainContent(doc));
}

/** Charset named by a BOM, a <meta charset> or a Content-Type meta in the first bytes; null when none. */
function declaredCharset(buf: Uint8Array): string | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(buf.subarray(0, 4096)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return m?.[1]?.toLowerCase() ?? null;
}

/** Decodes HTML bytes by their declared charset (GB2312/GBK as GB18030), else UTF-8 when valid, else GB18030. */
export function decodeHtml(buf: Uint8Array, charset: string | null = declaredCharset(buf)): string {
  const cs = (charset ?? '').toLowerCase();
  if (/^(?:gb2312|gbk|gb18030|x-gbk|cp936)$/.test(cs)) return iconv.decode(Buffer.from(buf), 'gb18030');
  if (cs === 'utf-16le' || cs === 'utf-16be') return new TextDecoder(cs).decode(buf);
  if (cs && cs !== 'utf-8' && cs !== 'utf8' && iconv.encodingExists(cs))
    return iconv.decode(Buffer.from(buf), cs);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(Buffer.from(buf), 'gb18030');
  }
}

/** True when the bytes look like an HTML page (after a BOM and blanks: a doctype, <html>, <head>, <body> …). */
export function looksLikeHtml(buf: Uint8Array): boolean {
  const head = Buffer.from(buf.subarray(0, 1024))
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart();
  return (
    /^<(?:!doctype\s+html|html|head|body|meta|title|div|p)[\s>]/i.test(head) ||
    /^<\?xml[^>]*>\s*<html/i.test(head)
  );
}

/** True when the bytes are a web archive (.mht/.mhtml: a MIME message with the page inside). */
export function looksLikeMhtml(buf: Uint8Array): boolean {
  const head = Buffer.from(buf.subarray(0, 2048)).toString('latin1');
  return (
    /^(?:[\w-]+:[^\n]*\r?\n)*?(?:MIME-Version|Content-Type):/i.test(head) && /multipart\/related/i.test(head)
  );
}

/** Decodes quoted-printable to bytes. */
function decodeQuotedPrintable(s: string): Buffer {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * The HTML page inside a web archive (.mhtml, as browsers save a page "as a single file"): the first text/html
 * part, its transfer encoding (quoted-printable or base64) and charset undone. Null when there is none.
 */
export function mhtmlToHtml(buf: Uint8Array): string | null {
  const raw = Buffer.from(buf).toString('latin1');
  const boundary = /boundary\s*=\s*"?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return null;
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split);
    if (!/content-type:\s*text\/html/i.test(headers)) continue;
    const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
    const bytes =
      encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
        : encoding === 'quoted-printable'
          ? decodeQuotedPrintable(body)
          : Buffer.from(body, 'latin1');
    const charset = /charset\s*=\s*"?([\w-]+)/i.exec(headers)?.[1] ?? declaredCharset(bytes);
    return decodeHtml(bytes, charset);
  }
  return null;
}
