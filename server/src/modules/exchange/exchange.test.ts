import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../../test/env';
import { typedIndicators } from '../../test/plans-factory';
import { call, multipart, TINY_PDF, tinyZip } from '../../test/reporting-factory';
import { TEMPLATE_HEADERS } from './template.service';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';

/**
 * The Excel round-trip over HTTP on a real database: a unit's template (own rows, hidden ids, signature, locked
 * layout, drop-downs), uploads applied through the reporting rules (idempotent, row errors in Chinese, nothing
 * else touched, one transaction), every bad input of the issue; and table exports (xlsx, csv escaped).
 */

const COL = Object.fromEntries(TEMPLATE_HEADERS.map((h, k) => [h, k + 1])) as Record<string, number>;
const VALUE = COL['填报值']!;
const NOTE = COL['说明（落后或低于上次审核值时必填）']!;

async function download(app: FastifyInstance, cookie: string, cycleId: string, unitId?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/exchange/templates',
    headers: { origin: ORIGIN, cookie },
    payload: { cycleId, ...(unitId ? { unitId } : {}) },
  });
  return res;
}

async function uploadTemplate(
  app: FastifyInstance,
  cookie: string,
  cycleId: string,
  body: Uint8Array,
  name = 't.xlsx',
) {
  const m = multipart(name, body);
  return app.inject({
    method: 'POST',
    url: `/api/v1/exchange/templates/${cycleId}/upload`,
    headers: { origin: ORIGIN, cookie, ...m.headers },
    payload: m.payload,
  });
}

async function load(buf: Buffer | Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

async function edit(buf: Buffer, fn: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = await load(buf);
  fn(wb.getWorksheet('填报')!, wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The sheet row number of an indicator row (optionally of one county). */
function rowOf(ws: ExcelJS.Worksheet, indicatorId: string, county?: string): number {
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(COL['指标ID']!).value !== indicatorId) continue;
    if (county !== undefined && row.getCell(COL['县区']!).value !== county) continue;
    return r;
  }
  throw new Error(`no row for ${indicatorId}`);
}

describeEachDialect('exchange', (env) => {
  let admin = '';
  let reporterA = '';
  let reporterB = '';
  let unitA = { id: '', name: '' };
  let unitB = { id: '', name: '' };
  let planId = '';
  let taskSchools = '';
  let indSchools = '';
  let indCoverage = '';
  let c1 = '';
  let c2 = '';
  let template: Buffer = Buffer.alloc(0);

  const auditCount = async (action?: string) => {
    let q = env()
      .db.kysely.selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'));
    if (action) q = q.where('action', '=', action);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const reportOf = async (cycleId: string, taskId: string) => {
    const list = (
      await call(env().app, reporterA, 'GET', `/api/v1/reports?cycleId=${cycleId}&pageSize=200`)
    ).json();
    const s = list.items.find((r: { taskId: string }) => r.taskId === taskId);
    return (await call(env().app, reporterA, 'GET', `/api/v1/reports/${s.id}`)).json();
  };
  const storedValue = (
    report: { values: { indicatorId: string; countyId: string | null; value: number | null }[] },
    ind: string,
  ) => report.values.find((v) => v.indicatorId === ind)?.value ?? null;

  beforeAll(async () => {
    const e = env();
    unitA = await e.makeUnit();
    unitB = await e.makeUnit();
    admin = (await e.makeUser('admin')).cookie;
    reporterA = (await e.makeUser('reporter', { unitId: unitA.id })).cookie;
    reporterB = (await e.makeUser('reporter', { unitId: unitB.id })).cookie;
    const res = await call(e.app, admin, 'POST', '/api/v1/plans/import', {
      draft: buildTwoTaskPlanDraft(unitA, unitB, '导入导出测试规划'),
    });
    expect(res.statusCode, res.body).toBe(201);
    planId = res.json().plan.id;
    // Reported values are what this suite checks; registry-bound targets: plans/indicator-bindings.test.ts.
    await typedIndicators(e.db.kysely);
    const tree = (await call(e.app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const t11 = tree.tasks.find((t: { path: string }) => t.path === '1.1');
    const t12 = tree.tasks.find((t: { path: string }) => t.path === '1.2');
    taskSchools = t11.id;
    indSchools = t11.indicators[0].id;
    indCoverage = t12.indicators[0].id;
    const cycle = async (name: string, periodStart: string, periodEnd: string) => {
      const r = await call(e.app, admin, 'POST', '/api/v1/reporting/cycles', {
        planId,
        name,
        frequency: 'half_yearly',
        periodStart,
        periodEnd,
        dueDate: '2099-01-15',
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    c1 = await cycle('2024年上半年', '2024-01-01', '2024-06-30');
    c2 = await cycle('2024年下半年', '2024-07-01', '2024-12-31');
    // An approved value of 8 schools in the first half: the second half may not silently go below it.
    const opened = (
      await call(e.app, reporterA, 'POST', '/api/v1/reports', { cycleId: c1, taskId: taskSchools })
    ).json();
    const saved = await call(e.app, reporterA, 'PATCH', `/api/v1/reports/${opened.id}`, {
      progress: 'in_progress',
      narrative: '上半年',
      values: [{ indicatorId: indSchools, countyId: null, value: 8, note: '按计划推进' }],
      version: opened.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const sub = await call(e.app, reporterA, 'POST', `/api/v1/reports/${opened.id}/submit`, {
      version: saved.json().version,
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const ok = await call(e.app, admin, 'POST', `/api/v1/reports/${opened.id}/approve`, {
      version: sub.json().version,
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it("downloads the unit's own rows with hidden ids, a signature, a locked layout and drop-downs", async () => {
    const res = await download(env().app, reporterA, c2);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    template = res.rawPayload;
    const wb = await load(template);
    const ws = wb.getWorksheet('填报')!;
    expect(ws.getRow(1).values).toEqual([undefined, ...TEMPLATE_HEADERS]);
    const kinds: string[] = [];
    for (let r = 2; r <= ws.rowCount; r++) kinds.push(String(ws.getRow(r).getCell(1).value));
    const counties = await env()
      .db.kysely.selectFrom('units')
      .select('id')
      .where('kind', '=', 'county')
      .where('is_active', '=', 1)
      .execute();
    // Two task rows, the schools indicator once, the coverage indicator per county.
    expect(kinds.filter((k) => k === '任务')).toHaveLength(2);
    expect(kinds.filter((k) => k === '指标')).toHaveLength(1 + counties.length);
    // Pre-filled from the approved first half.
    expect(ws.getRow(rowOf(ws, indSchools)).getCell(VALUE).value).toBe(8);
    // Downloading opens no report: the rows are keyed by task, shown as 未填报, with no report id.
    const opened = await env()
      .db.kysely.selectFrom('progress_reports')
      .select('id')
      .where('cycle_id', '=', c2)
      .execute();
    expect(opened).toEqual([]);
    expect(String(ws.getRow(2).getCell(COL['报告状态']!).value)).toBe('未填报');
    expect(ws.getRow(2).getCell(COL['报告ID']!).value ?? '').toBe('');
    expect(ws.getColumn(COL['报告ID']!).hidden).toBe(true);
    expect(ws.getColumn(COL['指标ID']!).hidden).toBe(true);
    expect(wb.getWorksheet('_kesu')!.state).toBe('veryHidden');
    expect(String(wb.getWorksheet('_kesu')!.getCell('B1').value)).toBe(unitA.id);
    expect((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
    const valueCell = ws.getRow(rowOf(ws, indSchools)).getCell(VALUE);
    expect(valueCell.protection?.locked).toBe(false);
    expect(ws.getRow(rowOf(ws, indSchools)).getCell(COL['指标']!).protection?.locked).not.toBe(false);
    expect(ws.getRow(2).getCell(COL['进展状态']!).dataValidation?.type).toBe('list');
    if (counties.length > 0) {
      expect(ws.getRow(rowOf(ws, indCoverage)).getCell(COL['县区']!).dataValidation?.type).toBe('list');
    }
    // Only the unit itself (or a reader of all units) downloads it.
    expect((await download(env().app, reporterB, c2, unitA.id)).statusCode).toBe(403);
    expect((await download(env().app, admin, c2, unitA.id)).statusCode).toBe(200);
  });

  it('applies valid rows with an audit row each; the same file again changes nothing', async () => {
    const filled = await edit(template, (ws) => {
      ws.getRow(rowOf(ws, indSchools)).getCell(VALUE).value = 12;
      ws.getRow(2).getCell(COL['进展状态']!).value = '推进中';
      ws.getRow(2).getCell(COL['工作进展说明']!).value = '下半年新创建 4 所';
    });
    const auditBefore = await auditCount('template.apply_row');
    const first = await uploadTemplate(env().app, reporterA, c2, filled);
    expect(first.statusCode, first.body).toBe(200);
    const r1 = first.json();
    expect(r1.errors).toEqual([]);
    expect(r1.applied.map((a: { item: string }) => a.item).sort()).toEqual(
      ['到2025年底创建15所示范学校', '进展状态/工作进展说明'].sort(),
    );
    expect(await auditCount('template.apply_row')).toBe(auditBefore + r1.applied.length);
    // The upload opened the report it changed, and only that one (task 1.2 was left as pre-filled).
    const opened = await env()
      .db.kysely.selectFrom('progress_reports')
      .select('task_id')
      .where('cycle_id', '=', c2)
      .where('unit_id', '=', unitA.id)
      .execute();
    expect(opened.map((o) => o.task_id)).toEqual([taskSchools]);
    const report = await reportOf(c2, taskSchools);
    expect(storedValue(report, indSchools)).toBe(12);
    expect(report.narrative).toBe('下半年新创建 4 所');
    const version = report.version;

    const second = await uploadTemplate(env().app, reporterA, c2, filled);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().applied).toEqual([]);
    expect(second.json().errors).toEqual([]);
    expect(second.json().unchanged).toBeGreaterThan(0);
    expect((await reportOf(c2, taskSchools)).version).toBe(version);
    expect(await auditCount('template.apply_row')).toBe(auditBefore + r1.applied.length);
    template = (await download(env().app, reporterA, c2)).rawPayload;
  });

  it('lists bad rows in Chinese (text in a number cell, a negative count) and applies the others', async () => {
    const before = await reportOf(c2, taskSchools);
    let textRow = 0;
    let negRow = 0;
    const file = await edit(template, (ws) => {
      textRow = rowOf(ws, indSchools);
      ws.getRow(textRow).getCell(VALUE).value = '十二';
      ws.getRow(2).getCell(COL['工作进展说明']!).value = '说明已更新';
      const coverage = ws.getRow(rowOf(ws, indCoverage)).number;
      negRow = coverage;
      ws.getRow(coverage).getCell(VALUE).value = -3;
    });
    const res = await uploadTemplate(env().app, reporterA, c2, file);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.errors).toEqual([
      { row: textRow, message: `第 ${textRow} 行：“填报值”应为数字，实为“十二”` },
      { row: negRow, message: `第 ${negRow} 行：“填报值”不能为负数（-3）` },
    ]);
    expect(out.applied.map((a: { row: number }) => a.row)).toEqual([2]);
    const after = await reportOf(c2, taskSchools);
    expect(after.narrative).toBe('说明已更新');
    expect(storedValue(after, indSchools)).toBe(storedValue(before, indSchools));
  });

  it('a cumulative value below the last approved one is refused without an explanation, flagged with one', async () => {
    template = (await download(env().app, reporterA, c2)).rawPayload;
    const lower = await edit(template, (ws) => {
      ws.getRow(rowOf(ws, indSchools)).getCell(VALUE).value = 5;
    });
    const refused = (await uploadTemplate(env().app, reporterA, c2, lower)).json();
    expect(refused.applied).toEqual([]);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0].message).toMatch(/^第 \d+ 行：.*须在“说明”栏填写原因/);
    expect(storedValue(await reportOf(c2, taskSchools), indSchools)).toBe(12);

    const explained = await edit(lower, (ws) => {
      ws.getRow(rowOf(ws, indSchools)).getCell(NOTE).value = '两所学校合并，按新口径统计';
    });
    const ok = (await uploadTemplate(env().app, reporterA, c2, explained)).json();
    expect(ok.errors).toEqual([]);
    expect(ok.applied).toHaveLength(1);
    expect(ok.flags).toHaveLength(1);
    expect(storedValue(await reportOf(c2, taskSchools), indSchools)).toBe(5);
  });

  it('refuses whole a template of another unit, of another cycle, or with edited headers or ids', async () => {
    template = (await download(env().app, reporterA, c2)).rawPayload;
    const changed = await edit(template, (ws) => {
      ws.getRow(rowOf(ws, indSchools)).getCell(VALUE).value = 14;
    });
    const auditBefore = await auditCount();
    const version = (await reportOf(c2, taskSchools)).version;

    const otherUnit = await uploadTemplate(env().app, reporterB, c2, changed);
    expect(otherUnit.statusCode).toBe(422);
    expect(otherUnit.json().error.code).toBe('TEMPLATE_MISMATCH');
    expect(otherUnit.json().error.message).toContain('不是本单位');

    const otherCycle = await uploadTemplate(env().app, reporterA, c1, changed);
    expect(otherCycle.statusCode).toBe(422);
    expect(otherCycle.json().error.code).toBe('TEMPLATE_MISMATCH');
    expect(otherCycle.json().error.message).toContain('2024年下半年');

    const header = await edit(changed, (ws) => {
      ws.getRow(1).getCell(VALUE).value = '数值';
    });
    const badHeader = await uploadTemplate(env().app, reporterA, c2, header);
    expect(badHeader.statusCode).toBe(422);
    expect(badHeader.json().error.code).toBe('TEMPLATE_INVALID');
    expect(badHeader.json().error.message).toContain('第 J 列应为“填报值”，实为“数值”');

    const ids = await edit(changed, (ws) => {
      ws.getRow(rowOf(ws, indSchools)).getCell(COL['指标ID']!).value = indCoverage;
    });
    const badIds = await uploadTemplate(env().app, reporterA, c2, ids);
    expect(badIds.statusCode).toBe(422);
    expect(badIds.json().error.code).toBe('TEMPLATE_INVALID');

    expect((await reportOf(c2, taskSchools)).version).toBe(version);
    expect(await auditCount()).toBe(auditBefore);
  });

  it('refuses a 50 MB upload (413) and files that are not xlsx by content (415), writing nothing', async () => {
    const auditBefore = await auditCount();
    const version = (await reportOf(c2, taskSchools)).version;
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    big.write('PK\u0003\u0004', 0, 'latin1');
    const tooLarge = await uploadTemplate(env().app, reporterA, c2, big);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const pdf = await uploadTemplate(env().app, reporterA, c2, TINY_PDF, 'template.xlsx');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const zip = await uploadTemplate(env().app, reporterA, c2, tinyZip(), 'template.xlsx');
    expect(zip.statusCode).toBe(415);
    const plainXlsx = new ExcelJS.Workbook();
    plainXlsx.addWorksheet('填报').addRow(['随便什么']);
    const foreign = await uploadTemplate(
      env().app,
      reporterA,
      c2,
      Buffer.from(await plainXlsx.xlsx.writeBuffer()),
    );
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('TEMPLATE_INVALID');
    expect((await reportOf(c2, taskSchools)).version).toBe(version);
    expect(await auditCount()).toBe(auditBefore);
  });

  it('a submitted report is not changed by an upload; only reporters upload', async () => {
    template = (await download(env().app, reporterA, c2)).rawPayload;
    const r = await reportOf(c2, taskSchools);
    const sub = await call(env().app, reporterA, 'POST', `/api/v1/reports/${r.id}/submit`, {
      version: r.version,
    });
    expect(sub.statusCode, sub.body).toBe(200);
    const changed = await edit(template, (ws) => {
      ws.getRow(rowOf(ws, indSchools)).getCell(VALUE).value = 13;
      ws.getRow(rowOf(ws, indSchools)).getCell(NOTE).value = '补报';
    });
    const out = (await uploadTemplate(env().app, reporterA, c2, changed)).json();
    expect(out.applied).toEqual([]);
    expect(out.errors[0].message).toContain('已提交，不能修改');
    expect(storedValue(await reportOf(c2, taskSchools), indSchools)).toBe(5);
    expect((await uploadTemplate(env().app, admin, c2, changed)).statusCode).toBe(403);
  });

  it('exports the reports list, indicator status and units/users lists as xlsx and escaped csv', async () => {
    const app = env().app;
    await call(app, admin, 'POST', '/api/v1/users', {
      username: `formula${Date.now().toString(36)}`,
      displayName: '=HYPERLINK("http://x")',
      role: 'leader',
      unitId: null,
    });
    const users = await call(app, admin, 'GET', '/api/v1/exports/users?format=csv');
    expect(users.statusCode, users.body).toBe(200);
    expect(users.headers['content-type']).toContain('text/csv');
    expect([...users.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(users.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(users.headers['content-disposition']).toContain("filename*=UTF-8''");

    const reports = await call(app, reporterA, 'GET', `/api/v1/exports/reports?format=xlsx&cycleId=${c2}`);
    expect(reports.statusCode, reports.body).toBe(200);
    const ws = (await load(reports.rawPayload)).worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('周期');
    expect(ws.rowCount).toBe(3);
    // Values and 进展说明 travel with the export (it feeds a bulletin): the same as each report's own page.
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const col = (name: string) => header.indexOf(name);
    expect(col('填报数值')).toBeGreaterThan(0);
    expect(col('进展说明')).toBeGreaterThan(0);
    const listed = (await call(app, reporterA, 'GET', `/api/v1/reports?cycleId=${c2}&pageSize=50`)).json()
      .items as {
      id: string;
      taskPath: string;
    }[];
    for (let i = 2; i <= ws.rowCount; i++) {
      const row = ws.getRow(i);
      const path = String(row.getCell(col('任务编号')).value);
      const id = listed.find((r) => r.taskPath === path)?.id;
      const detail = (await call(app, reporterA, 'GET', `/api/v1/reports/${id}`)).json();
      expect(String(row.getCell(col('进展说明')).value ?? '')).toBe(detail.narrative);
      for (const v of detail.values.filter((x: { value: number | null }) => x.value !== null)) {
        expect(String(row.getCell(col('填报数值')).value)).toContain(String(v.value));
      }
    }
    // A reporter's export holds only what its list shows: another unit's reports are refused, not leaked.
    expect(
      (await call(app, reporterA, 'GET', `/api/v1/exports/reports?format=csv&unitId=${unitB.id}`)).statusCode,
    ).toBe(403);

    const status = await call(
      app,
      admin,
      'GET',
      `/api/v1/exports/indicator-status?format=csv&planId=${planId}`,
    );
    expect(status.statusCode, status.body).toBe(200);
    expect(status.body).toContain('到2025年底创建15所示范学校');
    const units = await call(app, admin, 'GET', '/api/v1/exports/units?format=xlsx');
    expect(units.statusCode).toBe(200);
    expect((await load(units.rawPayload)).worksheets[0]!.rowCount).toBeGreaterThan(2);
    expect((await call(app, null, 'GET', '/api/v1/exports/units?format=csv')).statusCode).toBe(401);
  });
});
