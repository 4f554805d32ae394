import JSZip from 'jszip';
import { expect } from 'vitest';

/** The parts of a .docx a reader checks: the body XML, the footers, the images the body points at. */
export async function openDocx(body: Buffer) {
  const zip = await JSZip.loadAsync(body);
  const xml = await zip.file('word/document.xml')!.async('string');
  const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
  const footers = await Promise.all(
    Object.keys(zip.files)
      .filter((n) => /^word\/footer\d*\.xml$/.test(n))
      .map((n) => zip.file(n)!.async('string')),
  );
  // Every image the body embeds (r:embed="rIdN") → its target in word/media.
  const images: Buffer[] = [];
  for (const m of xml.matchAll(/r:embed="([^"]+)"/g)) {
    const rel =
      new RegExp(`Id="${m[1]}"[^>]*Target="([^"]+)"`).exec(rels) ??
      new RegExp(`Target="([^"]+)"[^>]*Id="${m[1]}"`).exec(rels);
    expect(rel, `relationship ${m[1]}`).not.toBeNull();
    const target = rel![1]!.replace(/^\/?(word\/)?/, 'word/');
    expect(target).toMatch(/^word\/media\/.+\.png$/);
    images.push(await zip.file(target)!.async('nodebuffer'));
  }
  // The visible text, run by run (Word splits text into runs; tables cells are paragraphs).
  const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  return { xml, footers, images, text };
}

/** Header cells of each table (the first row's text), in order. */
export function tableHeaders(xml: string): string[][] {
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) => {
    const firstRow = /<w:tr>([\s\S]*?)<\/w:tr>/.exec(t[1]!)?.[1] ?? '';
    return [...firstRow.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) =>
      [...c[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''),
    );
  });
}
