import type { OpenDataCatalogue, OpenDataDocument } from '@kesu/shared';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { describeEachDialect } from '../../test/env';
import { typedIndicators } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';

/** A CSV of exchange's writer (RFC 4180, BOM, CRLF) read back into rows of cells. */
function parseCsv(body: string): string[][] {
  expect(body.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const text = body.slice(1);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && ch === '"') quoted = false;
    else if (quoted) cell += ch;
    else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describeEachDialect('open data (开放数据)', (env) => {
  let admin = '';
  let cycle2024 = '';
  let cycle2025 = '';
  let snapshot2024 = '';
  const base = '/api/v1/public/open-data/320300';

  const catalogue = async () => {
    const res = await call(env().app, null, 'GET', '/api/v1/public/open-data');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as OpenDataCatalogue;
  };
  const entry = (c: OpenDataCatalogue, dataset: string) =>
    c.items.find((i) => i.dataset === dataset && i.jurisdiction.key === '320300');

  beforeAll(async () => {
    const e = env();
    const app = e.app;
    const unitA = await e.makeUnit();
    const unitB = await e.makeUnit();
    admin = (await e.makeUser('admin')).cookie;
    const reporterA = (await e.makeUser('reporter', { unitId: unitA.id })).cookie;
    const reporterB = (await e.makeUser('reporter', { unitId: unitB.id })).cookie;
    const task = (path: string, title: string, unit: string, target: Record<string, unknown>) => ({
      path,
      label: path,
      kind: 'item',
      depth: 3,
      title,
      units: [{ name: unit, role: 'lead' }],
      targets: [{ comparator: '>=', ...target }],
      spans: null,
    });
    const imported = await call(app, admin, 'POST', '/api/v1/plans/import', {
      draft: {
        title: '开放数据测试规划',
        issuer: null,
        docNumber: null,
        date: '2022-05-13',
        fileName: null,
        sourceText: '测试',
        tasks: [
          { ...task('3', '重点任务', unitA.name, {}), kind: 'part', depth: 1, units: [], targets: [] },
          task('3.1', '创建科学教育示范学校', unitA.name, {
            text: '到2025年底创建16所示范学校',
            value: 16,
            unit: '所',
            period: null,
            deadline: '2025-12-31',
          }),
          task('3.2', '培育高素质农民', unitB.name, {
            text: '每年培育高素质农民1.2万名',
            value: 12000,
            unit: '名',
            period: 'year',
            deadline: null,
          }),
        ],
        baselines: [],
        warnings: [],
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const planId = imported.json().plan.id;
    await typedIndicators(e.db.kysely);
    const tree = (await call(app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const ids = Object.fromEntries(
      (tree.tasks as { id: string; path: string; indicators: { id: string }[] }[]).map((t) => [
        t.path,
        { task: t.id, indicator: t.indicators[0]?.id },
      ]),
    );
    const cycle = async (name: string, year: number) => {
      const res = await call(app, admin, 'POST', '/api/v1/reporting/cycles', {
        planId,
        name,
        frequency: 'yearly',
        periodStart: `${year}-01-01`,
        periodEnd: `${year}-12-31`,
        dueDate: `${year + 1}-01-15`,
        graceDays: 5,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    cycle2024 = await cycle('2024年度', 2024);
    cycle2025 = await cycle('2025年度', 2025);
    const report = async (cookie: string, path: string, value: number, submittedAt: string) => {
      const opened = await call(app, cookie, 'POST', '/api/v1/reports', {
        cycleId: cycle2024,
        taskId: ids[path]?.task,
      });
      expect(opened.statusCode, opened.body).toBe(200);
      const saved = await call(app, cookie, 'PATCH', `/api/v1/reports/${opened.json().id}`, {
        progress: 'in_progress',
        narrative: '测试',
        values: [{ indicatorId: ids[path]?.indicator, countyId: null, value, note: '已说明原因' }],
        version: opened.json().version,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const sub = await call(app, cookie, 'POST', `/api/v1/reports/${opened.json().id}/submit`, {
        version: saved.json().version,
      });
      expect(sub.statusCode, sub.body).toBe(200);
      const ok = await call(app, admin, 'POST', `/api/v1/reports/${opened.json().id}/approve`, {
        version: sub.json().version,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      await e.db.kysely
        .updateTable('report_events')
        .set({ at: submittedAt })
        .where('report_id', '=', opened.json().id)
        .where('action', '=', 'submit')
        .execute();
    };
    // A: 16 of 16 schools, submitted before the due date; B: 3,000 of 12,000 farmers, after the late date (1-20).
    await report(reporterA, '3.1', 16, '2025-01-10T02:00:00.000Z');
    await report(reporterB, '3.2', 3000, '2025-01-25T02:00:00.000Z');
  });

  it('the catalogue lists a published snapshot and nothing unpublished', async () => {
    expect(entry(await catalogue(), 'dashboard-summary')).toBeUndefined();
    const pub = await call(env().app, admin, 'POST', '/api/v1/dashboards/snapshots', { cycleId: cycle2024 });
    expect(pub.statusCode, pub.body).toBe(201);
    snapshot2024 = pub.json().id;
    const c = await catalogue();
    const summary = entry(c, 'dashboard-summary');
    expect(summary).toMatchObject({ title: '规划实施总体情况', jurisdiction: { name: '徐州市', depth: 0 } });
    // 2025 has a cycle but no published snapshot: no period for it.
    expect(summary?.periods.map((p) => [p.period, p.label, p.asOf])).toEqual([
      ['2024-12-31', '2024年度', '2024-12-31'],
    ]);
    expect(summary?.periods[0]?.urls.csv).toBe(`${base}/dashboard-summary/2024-12-31.csv`);
    expect(summary?.latest.xlsx).toBe(`${base}/dashboard-summary/latest.xlsx`);
    expect(summary?.method).toMatch(/按绿灯（正常）、黄灯（滞后）、红灯（严重滞后）/);
    expect(c.licence).toMatch(/须注明来源/);
    // The published plans' targets are open too (the sample plan and this one).
    expect(entry(c, 'plan-targets')?.periods.length).toBeGreaterThanOrEqual(1);
  });

  it('csv, xlsx and JSON of one edition carry the same figures, the as-of date and the method', async () => {
    const app = env().app;
    const url = `${base}/dashboard-summary/2024-12-31`;
    const json = await call(app, null, 'GET', `${url}.json`);
    expect(json.statusCode, json.body).toBe(200);
    const doc = json.json() as OpenDataDocument;
    expect(doc).toMatchObject({
      dataset: 'dashboard-summary',
      title: '规划实施总体情况',
      jurisdiction: { key: '320300', name: '徐州市' },
      period: '2024-12-31',
      periodLabel: '2024年度',
      asOf: '2024-12-31',
    });
    expect(doc.method).toMatch(/完成度为有数据指标完成率的平均/);
    const figure = (name: string) => doc.rows.find((r) => r.item === name)?.value;
    // By hand: completion 16/16 = 1 and 3000/12000 = 0.25, mean 0.625; one report on time, one late → 50%.
    expect(figure('总体完成度')).toBe(62.5);
    expect(figure('指标总数')).toBe(2);
    expect(figure('应报报告')).toBe(2);
    expect(figure('按时报送')).toBe(1);
    expect(figure('逾期报送')).toBe(1);
    expect(figure('未报送')).toBe(0);
    expect(figure('按时报送率')).toBe(50);

    const csv = await call(app, null, 'GET', `${url}.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['x-open-data-as-of']).toBe('2024-12-31');
    expect(csv.headers['x-open-data-period']).toBe('2024-12-31');
    expect(csv.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('徐州市-规划实施总体情况-2024-12-31.csv')}`,
    );
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual(['项目', '数值', '单位']);
    expect(rows.slice(1)).toEqual(
      doc.rows.map((r) => [r.item, r.value === null ? '' : String(r.value), r.unit]),
    );

    const xlsx = await call(app, null, 'GET', `${url}.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(
      encodeURIComponent('规划实施总体情况-2024-12-31.xlsx'),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['规划实施总体情况', '说明']);
    const data: unknown[][] = [];
    wb.worksheets[0]?.eachRow((r) => data.push((r.values as unknown[]).slice(1)));
    expect(data[0]).toEqual(['项目', '数值', '单位']);
    expect(data.slice(1)).toEqual(doc.rows.map((r) => [r.item, r.value, r.unit].filter((v) => v !== null)));
    const notes = new Map<string, string>();
    wb.getWorksheet('说明')?.eachRow((r) =>
      notes.set(String(r.getCell(1).value), String(r.getCell(2).value)),
    );
    expect(notes.get('数据截至')).toBe('2024-12-31');
    expect(notes.get('统计方法')).toBe(doc.method);
    expect(notes.get('来源')).toBe(doc.source);
    expect(notes.get('许可')).toBe(doc.licence);

    // Unit timeliness: A on time, B late, by hand.
    const t = (await call(app, null, 'GET', `${base}/dashboard-timeliness/2024-12-31.json`)).json();
    expect(t.rows.map((r: { onTime: number; late: number }) => [r.onTime, r.late]).sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('a fixed period keeps its URL after a later publish; latest moves to the new one', async () => {
    const app = env().app;
    const before = (await call(app, null, 'GET', `${base}/dashboard-summary/latest.json`)).json();
    expect(before.period).toBe('2024-12-31');
    const pub = await call(app, admin, 'POST', '/api/v1/dashboards/snapshots', { cycleId: cycle2025 });
    expect(pub.statusCode, pub.body).toBe(201);
    const latest = await call(app, null, 'GET', `${base}/dashboard-summary/latest.json`);
    expect(latest.json()).toMatchObject({
      period: '2025-12-31',
      asOf: '2025-12-31',
      periodLabel: '2025年度',
    });
    const fixed = (await call(app, null, 'GET', `${base}/dashboard-summary/2024-12-31.json`)).json();
    expect(fixed.rows).toEqual(before.rows);
    const periods = entry(await catalogue(), 'dashboard-summary')?.periods.map((p) => p.period);
    expect(periods).toEqual(['2025-12-31', '2024-12-31']);
    const csv = await call(app, null, 'GET', `${base}/dashboard-summary/latest.csv`);
    expect(csv.headers['x-open-data-period']).toBe('2025-12-31');
    expect(csv.headers['cache-control']).toBe('no-cache');
    const fixedCsv = await call(app, null, 'GET', `${base}/dashboard-summary/2024-12-31.csv`);
    expect(fixedCsv.headers['cache-control']).toBe('public, max-age=300');
  });

  it('unknown or unpublished → 404 with a Chinese message', async () => {
    const app = env().app;
    const notFound = async (url: string, message: RegExp) => {
      const res = await call(app, null, 'GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.json().error.message).toMatch(message);
    };
    await notFound(`${base}/no-such-set/latest.csv`, /没有名为“no-such-set”的开放数据集/);
    await notFound('/api/v1/public/open-data/999999/dashboard-summary/latest.json', /没有代码为“999999”/);
    await notFound(`${base}/dashboard-summary/2023-12-31.xlsx`, /没有“2023-12-31”这一期已发布的数据/);
    // Unpublished: the 2024 snapshot withdrawn, its URL answers like one never published.
    const un = await call(app, admin, 'POST', `/api/v1/dashboards/snapshots/${snapshot2024}/unpublish`);
    expect(un.statusCode, un.body).toBe(200);
    await notFound(`${base}/dashboard-summary/2024-12-31.csv`, /没有“2024-12-31”这一期已发布的数据/);
    expect(entry(await catalogue(), 'dashboard-summary')?.periods.map((p) => p.period)).toEqual([
      '2025-12-31',
    ]);
    // A format outside csv/xlsx/json is refused by the schema.
    expect((await call(app, null, 'GET', `${base}/dashboard-summary/latest.pdf`)).statusCode).toBe(400);
  });

  it('other published figures: plan targets, venues, the calendar', async () => {
    const app = env().app;
    const c = await catalogue();
    for (const key of ['plan-targets', 'venues', 'activity-calendar']) {
      const e = entry(c, key);
      expect(e, key).toBeDefined();
      const res = await call(app, null, 'GET', e?.latest.json ?? '');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().columns.length).toBeGreaterThan(0);
    }
    const plans = entry(c, 'plan-targets');
    // A plan's period is the day it was made (no id on the public page), readable as a fixed URL.
    for (const p of plans?.periods ?? []) expect(p.period).toMatch(/^\d{4}-\d{2}-\d{2}(-\d+)?$/);
    const fixed = await call(app, null, 'GET', plans?.periods[0]?.urls.json ?? '');
    expect(fixed.statusCode, fixed.body).toBe(200);
    const mine = plans?.periods.find((p) => p.label === '开放数据测试规划');
    // Not published: the test plan's targets are not open (only the sample plan, published at seeding, is).
    expect(mine).toBeUndefined();
  });

  it('the OpenAPI document describes the public routes, their limit and the open-data files', async () => {
    const doc = (await call(env().app, null, 'GET', '/api/v1/openapi.json')).json();
    const publicOps = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)
      .filter(([path]) => path.startsWith('/api/v1/public/'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(publicOps.length).toBeGreaterThanOrEqual(12);
    for (const { path, method, op } of publicOps) {
      expect(op.tags, `${method} ${path}`).toContain('public 公开接口');
      expect(Object.keys(op.responses as object), `${method} ${path}`).toContain('429');
      expect(op.description, `${method} ${path}`).toMatch(/每分钟最多 1000000 次请求/);
    }
    const file = doc.paths['/api/v1/public/open-data/{jurisdiction}/{dataset}/{period}.{format}']?.get;
    expect(file.tags).toContain('opendata 开放数据');
    const params = Object.fromEntries(
      (file.parameters as { name: string; in: string; schema: { enum?: string[] } }[]).map((p) => [
        p.name,
        p,
      ]),
    );
    expect(Object.keys(params).sort()).toEqual(['dataset', 'format', 'jurisdiction', 'period']);
    expect(Object.values(params).every((p) => p.in === 'path')).toBe(true);
    expect(params.format?.schema.enum).toEqual(['csv', 'xlsx', 'json']);
    expect(Object.keys(file.responses)).toEqual(expect.arrayContaining(['200', '404', '429']));
    expect(doc.paths['/api/v1/public/open-data']?.get).toBeDefined();
  });
});

describeEachDialect('the public read API is rate-limited per client address', (env) => {
  describe('3 requests per 400 ms', () => {
    let app: Awaited<ReturnType<typeof buildApp>>;
    beforeAll(async () => {
      const e = env();
      app = await buildApp({ config: { ...e.config, publicRateLimit: { max: 3, windowMs: 400 } }, db: e.db });
      return () => app.close();
    });
    const get = (url: string, remoteAddress = '203.0.113.7') =>
      app.inject({ method: 'GET', url, remoteAddress });

    it('answers 429 after N requests, then recovers', async () => {
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await get('/api/v1/public/venues');
        expect(res.statusCode).toBe(200);
        expect(res.headers['ratelimit-limit']).toBe('3');
        remaining.push(String(res.headers['ratelimit-remaining']));
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const over = await get('/api/v1/public/open-data');
      expect(over.statusCode).toBe(429);
      expect(over.json().error).toMatchObject({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(over.headers['ratelimit-remaining']).toBe('0');
      // Unknown public paths count too; signed-in routes and other addresses are not limited by this.
      expect((await get('/api/v1/public/no-such-thing')).statusCode).toBe(429);
      expect((await get('/healthz')).statusCode).not.toBe(429);
      expect((await get('/api/v1/public/venues', '203.0.113.8')).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 450));
      expect((await get('/api/v1/public/venues')).statusCode).toBe(200);
    });
  });

  it('behind a proxy, each client address (X-Forwarded-For through TRUST_PROXY) has its own count', async () => {
    const e = env();
    const app = await buildApp({
      config: { ...e.config, trustProxy: 1, publicRateLimit: { max: 1, windowMs: 60_000 } },
      db: e.db,
    });
    const get = (client: string) =>
      app.inject({
        method: 'GET',
        url: '/api/v1/public/venues',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
    expect((await get('198.51.100.1')).statusCode).toBe(200);
    expect((await get('198.51.100.1')).statusCode).toBe(429);
    expect((await get('198.51.100.2')).statusCode).toBe(200);
    await app.close();
  });
});
