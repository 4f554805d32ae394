import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOFFICE } from '../../files/soffice';
import { newId } from '../../ids';
import { documentsDemo, issueNotice } from '../../test/documents-factory';
import { DIALECTS, describeEachDialect } from '../../test/env';
import { countyAdmin } from '../../test/jurisdictions-factory';
import { openDocx, tableHeaders } from '../../test/docx';
import { call } from '../../test/reporting-factory';
import { checkTemplatePlaceholders, DEFAULT_TEMPLATES } from './document-templates';
import { chineseDate, dataNoteText } from './gov-document';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function hasSoffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

async function pdfText(bytes: Buffer): Promise<{ pages: number; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const doc = await task.promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) {
    const c = await (await doc.getPage(n)).getTextContent();
    text += c.items.map((i) => ('str' in i ? i.str : '')).join('');
  }
  const pages = doc.numPages;
  await task.destroy();
  return { pages, text };
}

describe('document text helpers', () => {
  it('writes dates and the 数据说明 line as a 公文 does', () => {
    expect(chineseDate('2026-09-30')).toBe('2026年9月30日');
    expect(dataNoteText({ asOf: '2026-09-30', source: '各责任单位填报（已审核）' })).toBe(
      '数据说明：数据截至2026年9月30日；来源：各责任单位填报（已审核）',
    );
  });
  it('ships defaults that use only their own kind’s placeholders, and refuses another kind’s', () => {
    for (const [kind, t] of Object.entries(DEFAULT_TEMPLATES)) {
      expect(() => checkTemplatePlaceholders(kind as keyof typeof DEFAULT_TEMPLATES, t)).not.toThrow();
    }
    // 按时报送率 belongs to the bulletin, not to the 督办通知书.
    expect(() =>
      checkTemplatePlaceholders('notice', {
        ...DEFAULT_TEMPLATES.notice,
        closing: '按时报送率{{按时报送率}}',
      }),
    ).toThrow(/按时报送率/);
  });
});

describeEachDialect('documents out (issue 14)', (env) => {
  let admin = '';
  let leader = '';
  let planId = '';
  let cycleId = '';
  let unitId = '';
  let otherUnitId = '';
  let unitReporter = '';
  let otherReporter = '';
  let noticeId = '';
  const year = 2025;

  beforeAll(async () => {
    const { db, app } = env();
    ({ admin, leader, planId } = await documentsDemo(env()));
    const cycles = await db.kysely
      .selectFrom('reporting_cycles')
      .select(['id', 'period_end'])
      .where('plan_id', '=', planId)
      .orderBy('period_end')
      .execute();
    // The last cycle of 2025 (2025年第4季度).
    cycleId = cycles.filter((c) => c.period_end.startsWith('2025-')).pop()!.id;
    const assigned = await db.kysely
      .selectFrom('plan_task_units as a')
      .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
      .innerJoin('reporting_cycles as c', 'c.version_id', 't.version_id')
      .select('a.unit_id')
      .distinct()
      .where('c.id', '=', cycleId)
      .execute();
    unitId = assigned[0]!.unit_id;
    otherUnitId = assigned[1]!.unit_id;
    unitReporter = (await env().makeUser('reporter', { unitId })).cookie;
    otherReporter = (await env().makeUser('reporter', { unitId: otherUnitId })).cookie;
    // Two 督办 notices issued now: the bulletin counts notices issued since the cycle began, so both count.
    for (const subject of ['请加快推进科普教育基地认定', '请补报第四季度进展'])
      noticeId = await issueNotice(app, admin, unitId, subject);
    // The first one dated in 2025 (the unit's 2025 summary lists it; the 2025Q4 bulletin counts both).
    await db.kysely
      .updateTable('supervision_notices')
      .set({ issued_at: '2025-11-20T02:00:00.000Z' })
      .where('subject', '=', '请加快推进科普教育基地认定')
      .execute();
  });

  it('makes the cycle’s 进展通报 as .docx: tables, a chart, fonts, page numbers, the on-time figure', async () => {
    const { app, db } = env();
    // A unit's explanation on a value of a behind (red or yellow) indicator of the cycle: the bulletin gives it as why.
    const status = (
      await call(app, admin, 'GET', `/api/v1/indicator-status?planId=${planId}&cycleId=${cycleId}`)
    ).json();
    const behind = status.indicators
      .filter((i: { status: string }) => i.status === 'red' || i.status === 'yellow')
      .map((i: { indicatorId: string }) => i.indicatorId);
    // The demo types few values (most indicators are counted from the registries): a report of the cycle gets one,
    // not entered (null, so no figure moves) but explained, as a unit writes when it is behind.
    const report = await db.kysely
      .selectFrom('progress_reports as r')
      .innerJoin('units as u', 'u.id', 'r.unit_id')
      .select(['r.id', 'u.short_name'])
      .where('r.cycle_id', '=', cycleId)
      .orderBy('r.id')
      .executeTakeFirstOrThrow();
    const value = { short_name: report.short_name };
    await db.kysely
      .insertInto('report_values')
      .values({
        id: newId(),
        report_id: report.id,
        indicator_id: behind[0],
        county_id: null,
        value: null,
        note: '受场地审批影响，建设进度滞后',
        is_prefilled: 0,
      })
      .execute();
    const r = await call(app, admin, 'GET', `/api/v1/documents/bulletin?cycleId=${cycleId}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('wordprocessingml');
    expect(String(r.headers['content-disposition'])).toMatch(/filename\*=UTF-8''.*%E9%80%9A%E6%8A%A5\.docx$/); // …通报.docx
    const doc = await openDocx(r.rawPayload);
    // The on-time rate of the cycle as the dashboard gives it, written with one decimal.
    const overview = (await call(app, admin, 'GET', `/api/v1/dashboards/overview?cycleId=${cycleId}`)).json();
    const s = overview.summary;
    expect(s.reportsExpected).toBeGreaterThan(0);
    const onTimeRate = `${((s.onTime / (s.reportsExpected - s.pending)) * 100).toFixed(1)}%`;
    expect(doc.text).toContain(`按时报送率${onTimeRate}`);
    // Tables: lights, on-time by unit (header and one unit's row), 督办 status with the two notices.
    const headers = tableHeaders(doc.xml);
    expect(headers).toContainEqual(['指标状态', '个数']);
    expect(headers).toContainEqual(['单位', '应报', '按时', '逾期', '未报', '待报', '按时报送率']);
    expect(headers).toContainEqual(['办理状态', '件数']);
    expect(doc.text).toContain('已交办2');
    expect(doc.text).toContain('合计2');
    expect(doc.text).toContain(`红灯指标${s.counts.red}个`);
    // Who is behind in reporting: the units with the most missing or late reports, as the dashboard lists them.
    expect(s.laggingUnits.length).toBeGreaterThan(0);
    const lag = s.laggingUnits[0];
    expect(doc.text).toContain(`${lag.unitName}（未报${lag.missing}项、逾期${lag.late}项）`);
    expect(doc.text).toContain(`单位说明：${value.short_name}`);
    expect(doc.text).toContain('受场地审批影响，建设进度滞后');
    // Every table and chart has its 数据说明 line.
    expect((doc.text.match(/数据说明：数据截至/g) ?? []).length).toBeGreaterThanOrEqual(
      headers.length + doc.images.length,
    );
    expect(doc.text).toContain('来源：各责任单位填报（已审核）');
    // Charts: drawings pointing at PNGs in word/media.
    expect(doc.xml).toContain('<w:drawing>');
    expect(doc.images.length).toBeGreaterThanOrEqual(2);
    for (const png of doc.images) expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(doc.xml).toMatch(/descr="[^"]*按时报送率/);
    // Fonts: East-Asian names on runs; 仿宋 body, 黑体 headings, 楷体 second level, 小标宋 title.
    expect(doc.xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(doc.xml).toContain('w:eastAsia="黑体"');
    expect(doc.xml).toContain('w:eastAsia="楷体_GB2312"');
    expect(doc.xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(doc.text).toContain('一、指标亮灯情况');
    // A4 with the GB/T 9704 margins (mm → twips: top 37 → 2098, bottom 35 → 1984, left 28 → 1587, right 26 → 1474).
    expect(doc.xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(doc.xml).toMatch(/w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    // 发文字号 line of the default template.
    expect(doc.text).toContain('徐科协〔2025〕1号');
    // Footer page numbers: "— " PAGE field " —".
    expect(doc.footers.length).toBeGreaterThan(0);
    for (const f of doc.footers) {
      expect(f).toMatch(
        /<w:t xml:space="preserve">— <\/w:t>[\s\S]*PAGE[\s\S]*<w:t xml:space="preserve"> —<\/w:t>/,
      );
    }
  });

  it('makes the demo plan’s 年度实施情况报告 with the literacy estimate, the county comparison and the assessment', async () => {
    const { app } = env();
    const r = await call(app, leader, 'GET', `/api/v1/documents/annual-report?planId=${planId}&year=${year}`);
    expect(r.statusCode).toBe(200);
    const doc = await openDocx(r.rawPayload);
    const headers = tableHeaders(doc.xml);
    expect(headers).toContainEqual(['序号', '任务', '指标', '目标值', '完成值', '完成进度', '状态']);
    expect(headers).toContainEqual([
      '名次',
      '地区',
      '完成进度',
      '按时报送率',
      '绿/黄/红',
      '活动覆盖率',
      '科学素质比例',
    ]);
    // The demo's survey wave: its headline rate and CI as the surveys module gives them.
    const lit = (await call(app, admin, 'GET', '/api/v1/surveys/headlines')).json();
    const h = lit.items.filter((i: { year: number }) => i.year <= year).pop();
    if (h) {
      expect(doc.text).toContain(`公民具备科学素质的比例为${(h.estimate * 100).toFixed(2)}%`);
      expect(doc.text).toContain(`${(h.ciLow * 100).toFixed(2)}%～${(h.ciHigh * 100).toFixed(2)}%`);
    }
    // The county comparison (丰县 and 睢宁县 run demo plans of their own).
    expect(doc.text).toContain('丰县');
    expect(doc.text).toContain('七、年度考核情况');
    expect(doc.text).toContain('本年度考核结果尚未冻结');
    expect(doc.images.length).toBeGreaterThanOrEqual(2);
    // A reporter may not make the level's documents: not found.
    const denied = await call(
      app,
      unitReporter,
      'GET',
      `/api/v1/documents/annual-report?planId=${planId}&year=${year}`,
    );
    expect(denied.statusCode).toBe(404);

    // Once the year's 考核 of the counties is frozen, the report carries its ranking (from the assessments module).
    const rubric = await call(app, admin, 'POST', '/api/v1/assessments', {
      year,
      audience: 'counties',
      title: `${year}年度县区科学素质工作考核`,
      items: [{ title: '实施方案完成度', points: 100, rule: { kind: 'proportional' } }],
    });
    expect(rubric.statusCode, rubric.body).toBe(201);
    const id = rubric.json().id as string;
    expect((await call(app, admin, 'POST', `/api/v1/assessments/${id}/compute`)).statusCode).toBe(200);
    expect((await call(app, admin, 'POST', `/api/v1/assessments/${id}/freeze`)).statusCode).toBe(200);
    const ranked = (await call(app, admin, 'GET', `/api/v1/assessments/${id}/results`)).json().subjects as {
      subjectName: string;
      rank: number;
      total: number;
    }[];
    const best = [...ranked].sort((a, b) => a.rank - b.rank)[0]!;
    const after = await openDocx(
      (await call(app, leader, 'GET', `/api/v1/documents/annual-report?planId=${planId}&year=${year}`))
        .rawPayload,
    );
    expect(after.text).not.toContain('本年度考核结果尚未冻结');
    expect(tableHeaders(after.xml)).toContainEqual(['名次', '对象', '得分', '等次']);
    expect(after.text).toContain(`${year}年度县区科学素质工作考核`);
    expect(after.text).toContain(best.subjectName);
  });

  it('lets a county’s admin make its own plan’s report and templates, not the city’s', async () => {
    const e = env();
    const feng = await countyAdmin(e, admin, '丰县');
    const cityReport = await call(
      e.app,
      feng.cookie,
      'GET',
      `/api/v1/documents/annual-report?planId=${planId}&year=${year}`,
    );
    expect(cityReport.statusCode).toBe(404);
    const own = await e.db.kysely
      .selectFrom('plans')
      .select('id')
      .where('jurisdiction_id', '=', feng.jurisdictionId)
      .executeTakeFirstOrThrow();
    const r = await call(
      e.app,
      feng.cookie,
      'GET',
      `/api/v1/documents/annual-report?planId=${own.id}&year=${year}`,
    );
    expect(r.statusCode).toBe(200);
    const doc = await openDocx(r.rawPayload);
    // Signed by the county's own office; a county plan breaks nothing down (no 县区对比 table).
    expect(doc.text).toContain('丰县全民科学素质工作领导小组办公室');
    expect(doc.text).toContain('无县区对比');
    // The county's template is its own: the city's default stays for the city.
    const saved = await call(e.app, feng.cookie, 'PUT', '/api/v1/documents/templates/annual', {
      ...(await call(e.app, feng.cookie, 'GET', '/api/v1/documents/templates'))
        .json()
        .items.find((t: { kind: string }) => t.kind === 'annual').fields,
      docNumber: '丰科协〔{{年份}}〕5号',
      version: null,
    });
    expect(saved.statusCode).toBe(200);
    const again = await call(
      e.app,
      feng.cookie,
      'GET',
      `/api/v1/documents/annual-report?planId=${own.id}&year=${year}`,
    );
    expect((await openDocx(again.rawPayload)).text).toContain('丰科协〔2025〕5号');
    const city = await call(
      e.app,
      leader,
      'GET',
      `/api/v1/documents/annual-report?planId=${planId}&year=${year}`,
    );
    expect((await openDocx(city.rawPayload)).text).toContain('徐科协〔2025〕2号');
  });

  it('makes the 督办通知书 for whoever may read the notice, 404 for others', async () => {
    const { app } = env();
    const r = await call(app, unitReporter, 'GET', `/api/v1/documents/notice?noticeId=${noticeId}`);
    expect(r.statusCode).toBe(200);
    const doc = await openDocx(r.rawPayload);
    expect(doc.text).toContain('督办通知书');
    expect(doc.text).toContain('请补报第四季度进展');
    expect(doc.text).toContain('2027年1月31日');
    expect(doc.text).toContain('红色督办');
    expect(tableHeaders(doc.xml)).toContainEqual(['项目', '内容']);
    const other = await call(app, otherReporter, 'GET', `/api/v1/documents/notice?noticeId=${noticeId}`);
    expect(other.statusCode).toBe(404);
  });

  it('makes a unit’s year summary for its own users, 404 for another unit’s', async () => {
    const { app } = env();
    const q = `planId=${planId}&unitId=${unitId}&year=${year}`;
    const r = await call(app, unitReporter, 'GET', `/api/v1/documents/unit-summary?${q}`);
    expect(r.statusCode).toBe(200);
    const doc = await openDocx(r.rawPayload);
    // The four 2025 quarters, one row each in the reports table.
    const headers = tableHeaders(doc.xml);
    expect(headers).toContainEqual(['填报周期', '草稿', '已提交', '已退回', '已审核', '合计']);
    for (const quarter of [1, 2, 3, 4]) expect(doc.text).toContain(`2025年第${quarter}季度`);
    expect(doc.text).toContain('请加快推进科普教育基地认定');
    expect((await call(app, otherReporter, 'GET', `/api/v1/documents/unit-summary?${q}`)).statusCode).toBe(
      404,
    );
  });

  it('edits a level’s template: unknown placeholders refused, versioned, audited, used by the next document', async () => {
    const { app, db } = env();
    const list = await call(app, admin, 'GET', '/api/v1/documents/templates');
    expect(list.statusCode).toBe(200);
    const bulletin = list.json().items.find((t: { kind: string }) => t.kind === 'bulletin');
    expect(bulletin.isDefault).toBe(true);
    expect(bulletin.placeholders.map((p: { name: string }) => p.name)).toContain('按时报送率');
    expect((await call(app, leader, 'GET', '/api/v1/documents/templates')).statusCode).toBe(403);

    const bad = await call(app, admin, 'PUT', '/api/v1/documents/templates/bulletin', {
      ...bulletin.fields,
      intro: '本期{{科学素质比例}}',
      version: null,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('DOCUMENT_TEMPLATE_PLACEHOLDER');
    expect(bad.json().error.message).toContain('{{科学素质比例}}');

    const saved = await call(app, admin, 'PUT', '/api/v1/documents/templates/bulletin', {
      ...bulletin.fields,
      docNumber: '徐科协〔{{年份}}〕37号',
      version: null,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, version: 1 });
    const stale = await call(app, admin, 'PUT', '/api/v1/documents/templates/bulletin', {
      ...bulletin.fields,
      version: null,
    });
    expect(stale.statusCode).toBe(409);
    // One audit row for the one save (the refused and the stale ones wrote nothing), with the new text.
    const audit = await db.kysely
      .selectFrom('audit_log')
      .select(['action', 'after_json'])
      .where('entity_type', '=', 'document_template')
      .where('after_json', 'like', '%"kind":"bulletin"%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['document_template.create']);
    expect(audit[0]!.after_json).toContain('徐科协〔{{年份}}〕37号');

    const values = await call(
      app,
      admin,
      'GET',
      `/api/v1/documents/templates/bulletin/values?cycleId=${cycleId}`,
    );
    expect(values.statusCode).toBe(200);
    expect(values.json().values.年份).toBe('2025');
    const r = await call(app, admin, 'GET', `/api/v1/documents/bulletin?cycleId=${cycleId}`);
    expect((await openDocx(r.rawPayload)).text).toContain('徐科协〔2025〕37号');
  });

  it('answers format=pdf without LibreOffice with a 4xx naming the Word version', async () => {
    const { app } = env();
    const before = SOFFICE.command;
    SOFFICE.command = path.join(os.tmpdir(), 'kesu-no-such-soffice');
    try {
      const r = await call(app, admin, 'GET', `/api/v1/documents/notice?noticeId=${noticeId}&format=pdf`);
      expect(r.statusCode).toBe(422);
      expect(r.json().error).toMatchObject({
        code: 'DOCUMENT_PDF_UNAVAILABLE',
        message: '服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版本',
      });
    } finally {
      SOFFICE.command = before;
    }
  });

  // One conversion is enough to show the PDF is the same document (LibreOffice takes seconds a file).
  it.runIf(hasSoffice() && env !== undefined)(
    'converts the 进展通报 to PDF with LibreOffice: pages and the on-time figure',
    async () => {
      if (DIALECTS.indexOf(env().dialect) !== 0) return;
      const { app } = env();
      const r = await call(app, admin, 'GET', `/api/v1/documents/bulletin?cycleId=${cycleId}&format=pdf`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      const { pages, text } = await pdfText(r.rawPayload);
      expect(pages).toBeGreaterThanOrEqual(2);
      const s = (await call(app, admin, 'GET', `/api/v1/dashboards/overview?cycleId=${cycleId}`)).json()
        .summary;
      const onTimeRate = `${((s.onTime / (s.reportsExpected - s.pending)) * 100).toFixed(1)}%`;
      expect(text.replace(/\s+/g, '')).toContain(onTimeRate);
    },
    180_000,
  );

  afterAll(() => undefined);
});
