import type { FastifyInstance } from 'fastify';

/**
 * A hostile-input walker over the app's own OpenAPI document: every route, as every principal, with inputs built from
 * the route's schemas and then broken (wrong types, impossible dates, sizes, unicode and NUL, prototype keys, other
 * records' ids). Deterministic for a seed. The only verdict is the status: any 5xx is a defect.
 */

/** A small seeded generator (mulberry32): the same seed walks the same requests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
// biome-ignore lint/suspicious/noExplicitAny: OpenAPI schemas are untyped JSON
type Schema = any;

export interface Operation {
  method: string;
  /** OpenAPI path with {param} placeholders. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  /** The JSON body schema, or null when the route takes no JSON body (none, or multipart). */
  body: Schema | null;
  /** The route reads a file upload (multipart) rather than JSON. */
  multipart: boolean;
}

/** Every operation of the document. */
export function operationsOf(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const params = (op.parameters ?? []) as { in: string; name: string; schema: Schema }[];
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: content['application/json']?.schema ?? null,
        multipart: ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()) && !content['application/json'],
      });
    }
  }
  return ops;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '2026-02-30',
  '2027-13-01',
  '0000-00-00',
  '1900-01-01',
  '9999-12-31',
  '2025-02-29',
  '2026-02-31T25:61:61Z',
  'a'.repeat(20_000),
  '科'.repeat(5_000),
  '😀'.repeat(300),
  '\u202e\u200b\ufeff',
  '\ud800',
  'x\u0000y',
  "' OR 1=1 --",
  '"; DROP TABLE units; --',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '%00',
  '%',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '9007199254740993',
  '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'null',
  'true',
];

const HOSTILE_NUMBERS = [-1, 0, 1, 0.5, -0.0, 1e308, -1e308, 2 ** 53 + 2, 1e-320, 2 ** 31, -(2 ** 31) - 1];

/** URL-encoding that keeps what cannot be encoded: a lone surrogate goes out as the invalid UTF-8 it would be. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return `${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

/** A hostile value of any type. */
export function hostile(r: () => number, ids: string[]): Json {
  const k = r();
  if (k < 0.4) return pick(r, HOSTILE_STRINGS);
  if (k < 0.55) return pick(r, HOSTILE_NUMBERS);
  if (k < 0.65 && ids.length) return pick(r, ids);
  if (k < 0.72) return pick(r, [null, true, false]);
  if (k < 0.8) return [];
  if (k < 0.86) return {};
  if (k < 0.9)
    return JSON.parse('{"__proto__":{"isAdmin":true,"role":"admin"},"constructor":{"prototype":{}}}');
  if (k < 0.94) return Array.from({ length: 2000 }, (_, i) => i);
  let deep: Json = 'x';
  for (let i = 0; i < 200; i++) deep = { a: deep };
  return deep;
}

function resolve(doc: Schema, s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 10 && cur && typeof cur.$ref === 'string'; i++) {
    const name = cur.$ref.split('/').pop();
    cur = doc.components?.schemas?.[name] ?? {};
  }
  return cur ?? {};
}

/** A value that fits the schema as far as a simple reading goes (often valid, sometimes not — both are useful). */
export function sampleOf(doc: Schema, schema: Schema, r: () => number, ids: string[], depth = 0): Json {
  const s = resolve(doc, schema);
  if (depth > 6) return null;
  const alts = s.anyOf ?? s.oneOf;
  if (Array.isArray(alts) && alts.length) return sampleOf(doc, pick(r, alts), r, ids, depth + 1);
  if (Array.isArray(s.allOf) && s.allOf.length) return sampleOf(doc, s.allOf[0], r, ids, depth + 1);
  if (Array.isArray(s.enum) && s.enum.length) return pick(r, s.enum);
  if (s.const !== undefined) return s.const;
  const type = Array.isArray(s.type) ? pick(r, s.type) : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>(s.required ?? []);
      for (const [key, sub] of Object.entries(props)) {
        if (required.has(key) || r() < 0.6) out[key] = sampleOf(doc, sub, r, ids, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.floor(r() * 3);
      return Array.from({ length: n }, () => sampleOf(doc, s.items ?? {}, r, ids, depth + 1));
    }
    case 'integer':
      return Math.floor((s.minimum ?? 0) + r() * 10);
    case 'number':
      return (s.minimum ?? 0) + r() * 100;
    case 'boolean':
      return r() < 0.5;
    case 'null':
      return null;
    case 'string': {
      if (s.format === 'date' || /\\d\{4\}-\\d\{2\}/.test(s.pattern ?? ''))
        return pick(r, ['2024-06-30', '2025-12-31']);
      if (s.format === 'date-time') return '2025-06-30T08:00:00.000Z';
      if (ids.length && r() < 0.4) return pick(r, ids);
      return pick(r, ['市科协', '测试', 'a', '徐州市教育局', '2024']);
    }
    default:
      return r() < 0.5 ? 'x' : 1;
  }
}

/** Break one place of a value: a property replaced, dropped, added or the whole value swapped. */
export function mutate(v: Json, r: () => number, ids: string[]): Json {
  if (v === null || typeof v !== 'object' || r() < 0.1) return hostile(r, ids);
  if (Array.isArray(v)) {
    if (v.length === 0 || r() < 0.3) return [...v, hostile(r, ids)];
    const i = Math.floor(r() * v.length);
    return v.map((x, j) => (j === i ? mutate(x, r, ids) : x));
  }
  const keys = Object.keys(v);
  const out: Record<string, Json> = { ...v };
  const k = r();
  if (keys.length === 0 || k < 0.15)
    out[pick(r, ['__proto__', 'constructor', 'prototype', 'extra', '科'])] = hostile(r, ids);
  else if (k < 0.3) delete out[pick(r, keys)];
  else {
    const key = pick(r, keys);
    out[key] = mutate(out[key] as Json, r, ids);
  }
  return out;
}

export interface Principal {
  name: string;
  cookie: string | null;
}

export interface FuzzResult {
  requests: number;
  byStatus: Record<string, number>;
  failures: { principal: string; method: string; url: string; status: number; body: string }[];
  /** Per operation ("METHOD /path"), the principals that got a 2xx at least once. */
  passed: Map<string, Set<string>>;
}

/** Routes a signed-in principal is not sent to: they would end its own session and leave the rest unwalked. */
const SESSION_ENDING = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/password']);

/**
 * Walk `count` requests over the operations. `refresh` is called every so often to give back principals whose
 * session a walked route ended (a revoked session, a disabled user): the walk keeps its principals signed in.
 */
export async function fuzz(opts: {
  app: FastifyInstance;
  doc: Schema;
  principals: Principal[];
  ids: string[];
  count: number;
  seed: number;
  origin: string;
  refresh: (p: Principal) => Promise<void>;
  skip?: (op: Operation) => boolean;
}): Promise<FuzzResult> {
  const r = rng(opts.seed);
  const ops = operationsOf(opts.doc).filter((op) => !opts.skip?.(op));
  const result: FuzzResult = { requests: 0, byStatus: {}, failures: [], passed: new Map() };
  for (let n = 0; n < opts.count; n++) {
    if (n % 150 === 0) for (const p of opts.principals) await opts.refresh(p);
    const op = pick(r, ops);
    let principal = pick(r, opts.principals);
    if (principal.cookie && SESSION_ENDING.has(`${op.method} ${op.path}`))
      principal = { name: '公众', cookie: null };
    let url = op.path.replace(/\{([^}]+)\}/g, () => {
      const v = r() < 0.7 && opts.ids.length ? pick(r, opts.ids) : String(hostile(r, opts.ids));
      return enc(v).slice(0, 4000);
    });
    const query: string[] = [];
    for (const q of op.query) {
      if (r() < 0.5) continue;
      const v = r() < 0.5 ? sampleOf(opts.doc, q.schema, r, opts.ids) : hostile(r, opts.ids);
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      query.push(`${enc(q.name)}=${enc(text).slice(0, 6000)}`);
    }
    if (r() < 0.05)
      query.push(
        `${pick(r, ['__proto__[x]', 'constructor', 'page', 'a[b][c]'])}=${enc(String(hostile(r, opts.ids)))}`,
      );
    if (query.length) url += `?${query.join('&')}`;
    const headers: Record<string, string> = { origin: opts.origin };
    if (principal.cookie) headers.cookie = principal.cookie;
    let payload: string | Buffer | undefined;
    if (op.body) {
      const k = r();
      const valid = sampleOf(opts.doc, op.body, r, opts.ids);
      let v: Json = valid;
      if (k < 0.6) v = mutate(valid, r, opts.ids);
      else if (k < 0.7) v = hostile(r, opts.ids);
      if (k > 0.95)
        payload = pick(r, ['{', '{"a":', '[1,2', '\u0000', '{"__proto__":{"x":1}}', 'null', '"x"']);
      else payload = JSON.stringify(v);
      headers['content-type'] = 'application/json';
    } else if (op.multipart) {
      const boundary = 'fuzzBoundary';
      const kind = r();
      if (kind < 0.4) {
        headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
        const name = String(pick(r, HOSTILE_STRINGS))
          .slice(0, 300)
          .replace(/["\r\n]/g, '');
        const body = pick(r, [
          '%PDF-1.4\n',
          'PK\u0003\u0004garbage',
          'a,b\n1,2\n',
          '\u0000\u0001\u0002',
          '<html>',
        ]);
        payload = Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.pdf"\r\n` +
            `Content-Type: application/octet-stream\r\n\r\n${body}\r\n--${boundary}--\r\n`,
          'latin1',
        );
      } else if (kind < 0.6) {
        headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
        payload = Buffer.from(`--${boundary}\r\nbroken`, 'latin1');
      } else if (kind < 0.8) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(hostile(r, opts.ids));
      } else {
        headers['content-type'] = pick(r, ['text/plain', 'application/octet-stream', 'multipart/form-data']);
        payload = 'x'.repeat(Math.floor(r() * 1000));
      }
    } else if (op.method !== 'GET' && op.method !== 'DELETE' && r() < 0.3) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(hostile(r, opts.ids));
    }
    const res = await opts.app.inject({
      method: op.method as 'GET',
      url,
      headers,
      remoteAddress: `10.77.${Math.floor(r() * 4)}.${1 + Math.floor(r() * 200)}`,
      ...(payload !== undefined ? { payload } : {}),
    });
    result.requests += 1;
    const cls = `${Math.floor(res.statusCode / 100)}xx`;
    result.byStatus[cls] = (result.byStatus[cls] ?? 0) + 1;
    if (res.statusCode < 300) {
      const key = `${op.method} ${op.path}`;
      result.passed.set(key, (result.passed.get(key) ?? new Set()).add(principal.name));
    }
    if (res.statusCode >= 500) {
      result.failures.push({
        principal: principal.name,
        method: op.method,
        url: url.slice(0, 300),
        status: res.statusCode,
        body: `${typeof payload === 'string' ? payload.slice(0, 300) : ''} → ${res.body.slice(0, 300)}`,
      });
    }
  }
  return result;
}
