import type { FastifyInstance } from 'fastify';
import { ORIGIN } from './env';
import { multipartBody } from './plans-factory';

/** A JSON request through app.inject with the session cookie and this site's origin. */
export function call(
  app: FastifyInstance,
  cookie: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return app.inject({
    method,
    url,
    headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

/** A multipart/form-data body with one file field named "file" (the one builder, in plans-factory). */
export const multipart = multipartBody;

export function upload(
  app: FastifyInstance,
  cookie: string,
  reportId: string,
  fileName: string,
  content: Uint8Array,
) {
  const body = multipart(fileName, content);
  return app.inject({
    method: 'POST',
    url: `/api/v1/reports/${reportId}/attachments`,
    headers: { origin: ORIGIN, cookie, ...body.headers },
    payload: body.payload,
  });
}

/** The smallest valid PDF (one empty page). */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A zip holding one entry "a.txt" (stored, no compression). */
export function tinyZip(entries: string[] = ['a.txt']): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of entries) {
    const n = Buffer.from(name);
    const data = Buffer.from('x');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(1, 18);
    local.writeUInt32LE(1, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(1, 20);
    central.writeUInt32LE(1, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + 1;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** A yearly 2025 cycle on a plan (due 2026-01-15 unless said otherwise), made through the API; returns its id. */
export async function createYearCycle(
  app: FastifyInstance,
  cookie: string,
  planId: string,
  opts: { dueDate?: string; graceDays?: number } = {},
): Promise<string> {
  const r = await call(app, cookie, 'POST', '/api/v1/reporting/cycles', {
    planId,
    name: '2025年度',
    frequency: 'yearly',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    dueDate: opts.dueDate ?? '2026-01-15',
    ...(opts.graceDays !== undefined ? { graceDays: opts.graceDays } : {}),
  });
  if (r.statusCode !== 201) throw new Error(`cycle not created: ${r.statusCode} ${r.body}`);
  return r.json().id as string;
}
