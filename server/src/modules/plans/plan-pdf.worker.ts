/**
 * Reads the text items of an untrusted PDF in a worker thread (started by plan-document-pdf.ts) with a memory and
 * a time limit, so a PDF that makes pdf.js eat memory or spin ends this thread, never the server, and a 200-page
 * document never holds up the event loop. Self-contained on purpose: it imports only packages, so it runs as
 * TypeScript source (Node strips the types) and as dist/pdf-worker.js in the bundle alike.
 *
 * In: workerData { data: Uint8Array, maxPages: number }. Out: one message, either
 * { ok: true, pages: [{ width, height, items: [{ s, x, y, w, h }] }] } or { ok: false, code, pages? } with code
 * 'encrypted' | 'invalid' | 'too-many-pages' | 'unreadable'.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('plan-pdf.worker.ts runs as a worker thread');

const input = workerData as { data: Uint8Array; maxPages: number };
const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve('pdfjs-dist/package.json'));

try {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: input.data,
    // Chinese PDFs often use the predefined Adobe-GB1 CMaps (UniGB-UCS2-H …) and non-embedded standard fonts.
    cMapUrl: `${path.join(root, 'cmaps')}/`,
    cMapPacked: true,
    standardFontDataUrl: `${path.join(root, 'standard_fonts')}/`,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  if (doc.numPages > input.maxPages) {
    port.postMessage({ ok: false, code: 'too-many-pages', pages: doc.numPages });
  } else {
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const view = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items = [];
      for (const raw of content.items) {
        if (!('str' in raw) || raw.str === '') continue;
        const [a = 0, b = 0, , , e = 0, f = 0] = raw.transform as number[];
        // Position in the unrotated page, y up from the bottom; the font size from the text matrix.
        const [x, y] = view.convertToViewportPoint(e, f) as [number, number];
        items.push({ s: raw.str, x, y: view.height - y, w: raw.width, h: Math.hypot(a, b) || raw.height });
      }
      pages.push({ width: view.width, height: view.height, items });
      page.cleanup();
    }
    await task.destroy();
    port.postMessage({ ok: true, pages });
  }
} catch (err) {
  const name = (err as { name?: string } | null)?.name ?? '';
  const code =
    name === 'PasswordException' ? 'encrypted' : name === 'InvalidPDFException' ? 'invalid' : 'unreadable';
  port.postMessage({ ok: false, code, message: String((err as Error)?.message ?? err).slice(0, 200) });
}
