/**
 * The documents module's work in the worker pool (files/worker-pool.ts; bundled as dist/documents-worker.js): building
 * a government document and packing it into .docx bytes. Chart images arrive as Uint8Array (a Buffer crosses threads
 * as its bytes) and are given back to docx as Buffers.
 */
import { packGovDocx, type PackableGovDocument } from './gov-document';

export async function packDocx(doc: PackableGovDocument): Promise<Uint8Array> {
  const blocks = doc.blocks.map((b) =>
    b.kind === 'chart'
      ? {
          ...b,
          image: {
            ...b.image,
            png: Buffer.from(b.image.png.buffer, b.image.png.byteOffset, b.image.png.byteLength),
          },
        }
      : b,
  );
  return packGovDocx({ ...doc, blocks });
}
