import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { typedIndicators } from '../../test/plans-factory';
import { call, TINY_PDF, TINY_PNG, tinyZip, upload } from '../../test/reporting-factory';
import { buildTwoTaskPlanDraft } from '../../test/plan-factory';

/**
 * The reporting workflow over HTTP on a real database: cycles, inbox, draft → submitted → returned → approved,
 * locking, optimistic concurrency, the behind/anomaly explanations, evidence files checked by content, and the
 * indicator actuals computed from approved reports.
 */
describeEachDialect(
  'reporting',
  (env) => {
    let admin = '';
    let reporterA = '';
    let reporterA2 = '';
    let reporterB = '';
    let leader = '';
    let unitA = { id: '', name: '' };
    let unitB = { id: '', name: '' };
    let planId = '';
    let taskSchools = '';
    let taskCoverage = '';
    let indSchools = '';
    let indCoverage = '';
    let countyId = '';
    let c1 = { id: '', version: 1 };
    let c2 = { id: '', version: 1 };

    beforeAll(async () => {
      const e = env();
      unitA = await e.makeUnit();
      unitB = await e.makeUnit();
      admin = (await e.makeUser('admin')).cookie;
      reporterA = (await e.makeUser('reporter', { unitId: unitA.id })).cookie;
      reporterA2 = (await e.makeUser('reporter', { unitId: unitA.id })).cookie;
      reporterB = (await e.makeUser('reporter', { unitId: unitB.id })).cookie;
      leader = (await e.makeUser('leader')).cookie;
      const res = await call(e.app, admin, 'POST', '/api/v1/plans/import', {
        draft: buildTwoTaskPlanDraft(unitA, unitB, '测试规划'),
      });
      expect(res.statusCode, res.body).toBe(201);
      planId = res.json().plan.id;
      // Reported values are what this suite checks; registry-bound targets: plans/indicator-bindings.test.ts.
      await typedIndicators(e.db.kysely);
      const tree = (await call(e.app, admin, 'GET', `/api/v1/plans/${planId}/tree`)).json();
      const t11 = tree.tasks.find((t: { path: string }) => t.path === '1.1');
      const t12 = tree.tasks.find((t: { path: string }) => t.path === '1.2');
      taskSchools = t11.id;
      taskCoverage = t12.id;
      indSchools = t11.indicators[0].id;
      indCoverage = t12.indicators[0].id;
      expect(t12.indicators[0].kind).toBe('population_share');
      expect(t12.indicators[0].breakdownByCounty).toBe(true);
      const county = await e.db.kysely
        .selectFrom('units')
        .select('id')
        .where('kind', '=', 'county')
        .executeTakeFirst();
      countyId = county?.id ?? (await e.makeUnit({ kind: 'county' })).id;
    });

    const createCycle = async (body: Record<string, unknown>) => {
      const res = await call(env().app, admin, 'POST', '/api/v1/reporting/cycles', {
        planId,
        graceDays: 5,
        ...body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number; state: string; lateAfter: string };
    };

    const openReport = async (cookie: string, cycleId: string, taskId: string) => {
      const res = await call(env().app, cookie, 'POST', '/api/v1/reports', { cycleId, taskId });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('the admin creates cycles; others cannot; bad periods are refused', async () => {
      const c = await createCycle({
        name: '2024年上半年',
        frequency: 'half_yearly',
        periodStart: '2024-01-01',
        periodEnd: '2024-06-30',
        dueDate: '2024-07-15',
      });
      expect(c.state).toBe('open');
      expect(c.lateAfter).toBe('2024-07-20');
      c1 = { id: c.id, version: c.version };
      const c2r = await createCycle({
        name: '2024年下半年',
        frequency: 'half_yearly',
        periodStart: '2024-07-01',
        periodEnd: '2024-12-31',
        dueDate: '2099-01-15',
      });
      c2 = { id: c2r.id, version: c2r.version };
      const body = {
        planId,
        name: 'x',
        frequency: 'yearly',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        dueDate: '2026-01-10',
      };
      expect((await call(env().app, reporterA, 'POST', '/api/v1/reporting/cycles', body)).statusCode).toBe(
        403,
      );
      expect((await call(env().app, leader, 'POST', '/api/v1/reporting/cycles', body)).statusCode).toBe(403);
      const bad = await call(env().app, admin, 'POST', '/api/v1/reporting/cycles', {
        ...body,
        periodEnd: '2024-01-01',
      });
      expect(bad.statusCode).toBe(400);
      const dup = await call(env().app, admin, 'POST', '/api/v1/reporting/cycles', {
        ...body,
        periodStart: '2024-01-01',
        periodEnd: '2024-06-30',
        dueDate: '2024-07-15',
      });
      expect(dup.json().error.code).toBe('DUPLICATE');
    });

    it("a unit's inbox lists every assigned task of open cycles: overdue past due + grace, due before", async () => {
      const inbox = (await call(env().app, reporterA, 'GET', '/api/v1/reporting/inbox')).json();
      const mine = inbox.items.filter((i: { cycle: { planId: string } }) => i.cycle.planId === planId);
      expect(mine).toHaveLength(4);
      const of = (cycleId: string, taskId: string) =>
        mine.find(
          (i: { cycle: { id: string }; taskId: string }) => i.cycle.id === cycleId && i.taskId === taskId,
        );
      expect(of(c1.id, taskSchools).inbox).toBe('overdue');
      expect(of(c2.id, taskSchools).inbox).toBe('due');
      expect(of(c2.id, taskSchools).role).toBe('lead');
      const inboxB = (await call(env().app, reporterB, 'GET', '/api/v1/reporting/inbox')).json();
      const coTask = inboxB.items.filter((i: { cycle: { planId: string } }) => i.cycle.planId === planId);
      expect(coTask.map((i: { taskId: string; role: string }) => [i.taskId, i.role])).toEqual([
        [taskSchools, 'co'],
        [taskSchools, 'co'],
      ]);
      expect(
        (await call(env().app, reporterB, 'GET', `/api/v1/reporting/inbox?unitId=${unitA.id}`)).statusCode,
      ).toBe(403);
      expect(
        (await call(env().app, leader, 'GET', `/api/v1/reporting/inbox?unitId=${unitA.id}`)).statusCode,
      ).toBe(200);
    });

    let reportId = '';
    it('draft → submitted → returned (comment) → resubmitted → approved, every step audited; approved is locked', async () => {
      const app = env().app;
      const r = await openReport(reporterA, c1.id, taskSchools);
      reportId = r.id;
      expect(r.state).toBe('draft');
      expect(r.can.edit).toBe(true);
      // Opening again answers the same report.
      expect((await openReport(reporterA2, c1.id, taskSchools)).id).toBe(reportId);
      // A unit not assigned to the task cannot open a report on it.
      expect(
        (await call(app, reporterB, 'POST', '/api/v1/reports', { cycleId: c1.id, taskId: taskCoverage }))
          .statusCode,
      ).toBe(403);
      // Leaders and the admin do not write reports.
      expect(
        (await call(app, leader, 'POST', '/api/v1/reports', { cycleId: c1.id, taskId: taskSchools }))
          .statusCode,
      ).toBe(403);

      let saved = await call(app, reporterA, 'PATCH', `/api/v1/reports/${reportId}`, {
        progress: 'in_progress',
        narrative: '已创建12所示范学校',
        values: [{ indicatorId: indSchools, countyId: null, value: 12 }],
        version: r.version,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().checks[0]).toMatchObject({ status: 'green', explanationRequired: false });
      let v = saved.json().version;
      const sub = await call(app, reporterA, 'POST', `/api/v1/reports/${reportId}/submit`, { version: v });
      expect(sub.statusCode, sub.body).toBe(200);
      v = sub.json().version;
      // Submitted: the unit can no longer edit until it comes back.
      const edit = await call(app, reporterA, 'PATCH', `/api/v1/reports/${reportId}`, {
        progress: 'completed',
        version: v,
      });
      expect(edit.json().error.code).toBe('INVALID_STATE');
      // Reporters never review; returning needs a comment.
      expect(
        (await call(app, reporterA, 'POST', `/api/v1/reports/${reportId}/approve`, { version: v }))
          .statusCode,
      ).toBe(403);
      expect(
        (await call(app, leader, 'POST', `/api/v1/reports/${reportId}/approve`, { version: v })).statusCode,
      ).toBe(403);
      expect(
        (await call(app, admin, 'POST', `/api/v1/reports/${reportId}/return`, { version: v, comment: ' ' }))
          .statusCode,
      ).toBe(400);
      const ret = await call(app, admin, 'POST', `/api/v1/reports/${reportId}/return`, {
        version: v,
        comment: '请补充学校名单',
      });
      expect(ret.statusCode, ret.body).toBe(200);
      expect(ret.json().state).toBe('returned');
      const inbox = (await call(app, reporterA, 'GET', '/api/v1/reporting/inbox')).json();
      const item = inbox.items.find((i: { report: { id: string } | null }) => i.report?.id === reportId);
      expect(item.inbox).toBe('returned');
      expect(item.report.reviewComment).toBe('请补充学校名单');

      v = ret.json().version;
      saved = await call(app, reporterA, 'PATCH', `/api/v1/reports/${reportId}`, {
        progress: 'in_progress',
        narrative: '已创建12所示范学校，名单见附件',
        values: [{ indicatorId: indSchools, countyId: null, value: 12 }],
        version: v,
      });
      expect(saved.statusCode).toBe(200);
      v = saved.json().version;
      v = (await call(app, reporterA, 'POST', `/api/v1/reports/${reportId}/submit`, { version: v })).json()
        .version;
      const ok = await call(app, admin, 'POST', `/api/v1/reports/${reportId}/approve`, {
        version: v,
        comment: '同意',
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().state).toBe('approved');
      expect(ok.json().events.map((x: { action: string }) => x.action)).toEqual([
        'create',
        'submit',
        'return',
        'submit',
        'approve',
      ]);
      const locked = await call(app, reporterA, 'PATCH', `/api/v1/reports/${reportId}`, {
        progress: 'completed',
        version: ok.json().version,
      });
      expect(locked.statusCode).toBe(409);
      expect(locked.json().error.code).toBe('REPORT_LOCKED');
      expect(
        (
          await call(app, admin, 'POST', `/api/v1/reports/${reportId}/return`, {
            version: ok.json().version,
            comment: 'x',
          })
        ).json().error.code,
      ).toBe('REPORT_LOCKED');

      const audit = await env()
        .db.kysely.selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', reportId)
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'report.create',
        'report.save',
        'report.submit',
        'report.return',
        'report.save',
        'report.submit',
        'report.approve',
      ]);
    });

    it('the approved value becomes the indicator actual, with its report behind it', async () => {
      const res = await call(
        env().app,
        leader,
        'GET',
        `/api/v1/indicator-status?planId=${planId}&cycleId=${c1.id}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.asOf).toBe('2024-06-30');
      const row = body.indicators.find((i: { indicatorId: string }) => i.indicatorId === indSchools);
      expect(row.actual).toBe(12);
      expect(row.status).toBe('green');
      expect(row.explanation).toContain('12');
      expect(row.sources).toEqual([
        expect.objectContaining({ ref: reportId, value: 12, isCounted: true, sourceKind: 'report' }),
      ]);
      const coverage = body.indicators.find((i: { indicatorId: string }) => i.indicatorId === indCoverage);
      expect(coverage.status).toBe('no_data');
      const t11 = body.tasks.find((t: { taskId: string }) => t.taskId === taskSchools);
      expect(t11.progress).toBeGreaterThan(0);
      const t12 = body.tasks.find((t: { taskId: string }) => t.taskId === taskCoverage);
      expect(t12.progress).toBeNull();
    });

    it('pre-fills from the previous cycle; a lower cumulative value is flagged and needs a note', async () => {
      const app = env().app;
      const r = await openReport(reporterA, c2.id, taskSchools);
      expect(r.prefilledFromId).toBe(reportId);
      expect(r.progress).toBe('in_progress');
      expect(r.values).toEqual([
        expect.objectContaining({ indicatorId: indSchools, value: 12, isPrefilled: true }),
      ]);
      expect(r.indicators[0].previous).toEqual([
        expect.objectContaining({ value: 12, cycleName: '2024年上半年' }),
      ]);
      const saved = await call(app, reporterA, 'PATCH', `/api/v1/reports/${r.id}`, {
        progress: 'in_progress',
        values: [{ indicatorId: indSchools, countyId: null, value: 11.5 }],
        version: r.version,
      });
      const check = saved.json().checks[0];
      expect(check.status).toBe('green');
      expect(check.anomaly).toContain('低于已审核的 12');
      expect(check.explanationRequired).toBe(true);
      expect(saved.json().values[0].isPrefilled).toBe(false);
      const sub = await call(app, reporterA, 'POST', `/api/v1/reports/${r.id}/submit`, {
        version: saved.json().version,
      });
      expect(sub.statusCode).toBe(422);
      expect(sub.json().error.code).toBe('EXPLANATION_REQUIRED');
      expect(sub.json().error.details.values[0].indicatorId).toBe(indSchools);
      const noted = await call(app, reporterA, 'PATCH', `/api/v1/reports/${r.id}`, {
        progress: 'in_progress',
        values: [{ indicatorId: indSchools, countyId: null, value: 11.5, note: '一所学校撤并，核减一所' }],
        version: saved.json().version,
      });
      expect(noted.json().checks[0].hasExplanation).toBe(true);
      const ok = await call(app, reporterA, 'POST', `/api/v1/reports/${r.id}/submit`, {
        version: noted.json().version,
      });
      expect(ok.statusCode, ok.body).toBe(200);
    });

    it('a value behind 序时进度 needs an explanation; the evaluate endpoint says so before saving', async () => {
      const app = env().app;
      const r = await openReport(reporterB, c1.id, taskSchools);
      const ev = await call(app, reporterB, 'POST', `/api/v1/reports/${r.id}/evaluate`, {
        values: [{ indicatorId: indSchools, countyId: null, value: 3 }],
      });
      expect(ev.statusCode, ev.body).toBe(200);
      expect(ev.json().checks[0]).toMatchObject({
        status: 'red',
        isBehind: true,
        explanationRequired: true,
        hasExplanation: false,
      });
      expect(ev.json().checks[0].text).toContain('序时进度');
      const saved = await call(app, reporterB, 'PATCH', `/api/v1/reports/${r.id}`, {
        progress: 'behind',
        values: [{ indicatorId: indSchools, countyId: null, value: 3 }],
        version: r.version,
      });
      const sub = await call(app, reporterB, 'POST', `/api/v1/reports/${r.id}/submit`, {
        version: saved.json().version,
      });
      expect(sub.json().error.code).toBe('EXPLANATION_REQUIRED');
    });

    it('bad values are refused: negative, wrong task, county where none belongs, missing county', async () => {
      const app = env().app;
      const r = await openReport(reporterA, c2.id, taskCoverage);
      const put = (values: unknown[]) =>
        call(app, reporterA, 'PATCH', `/api/v1/reports/${r.id}`, {
          progress: 'in_progress',
          values,
          version: r.version,
        });
      expect((await put([{ indicatorId: indCoverage, countyId, value: -1 }])).statusCode).toBe(400);
      expect((await put([{ indicatorId: indSchools, countyId: null, value: 1 }])).statusCode).toBe(400);
      expect((await put([{ indicatorId: indCoverage, countyId: null, value: 1 }])).statusCode).toBe(400);
      expect((await put([{ indicatorId: indCoverage, countyId, value: 'x' }])).statusCode).toBe(400);
      const ok = await put([{ indicatorId: indCoverage, countyId, value: 1000 }]);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().values).toEqual([expect.objectContaining({ countyId, value: 1000 })]);
      expect(ok.json().indicators[0].counties.length).toBeGreaterThan(0);
    });

    it('two people saving the same draft: the second gets 409 CONFLICT, nothing is overwritten', async () => {
      const app = env().app;
      const r = await openReport(reporterA, c2.id, taskCoverage);
      const first = await call(app, reporterA, 'PATCH', `/api/v1/reports/${r.id}`, {
        progress: 'in_progress',
        narrative: '甲的修改',
        values: [],
        version: r.version,
      });
      expect(first.statusCode).toBe(200);
      const second = await call(app, reporterA2, 'PATCH', `/api/v1/reports/${r.id}`, {
        progress: 'completed',
        narrative: '乙的修改',
        values: [],
        version: r.version,
      });
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('CONFLICT');
      const now = (await call(app, reporterA, 'GET', `/api/v1/reports/${r.id}`)).json();
      expect(now.narrative).toBe('甲的修改');
    });

    it('reporters read only their own unit; forged ids are 404/400', async () => {
      const app = env().app;
      expect((await call(app, reporterB, 'GET', `/api/v1/reports/${reportId}`)).statusCode).toBe(403);
      expect((await call(app, leader, 'GET', `/api/v1/reports/${reportId}`)).statusCode).toBe(200);
      expect(
        (await call(app, reporterA, 'GET', '/api/v1/reports/01ARZ3NDEKTSV4RRFFQ69G5FAV')).statusCode,
      ).toBe(404);
      expect((await call(app, reporterA, 'GET', '/api/v1/reports/..%2F..%2Fetc')).statusCode).toBe(400);
      const list = (await call(app, reporterB, 'GET', '/api/v1/reports?pageSize=200')).json();
      expect(list.items.every((i: { unitId: string }) => i.unitId === unitB.id)).toBe(true);
      expect((await call(app, reporterB, 'GET', `/api/v1/reports?unitId=${unitA.id}`)).statusCode).toBe(403);
      const all = (await call(app, admin, 'GET', `/api/v1/reports?cycleId=${c1.id}&state=approved`)).json();
      expect(all.items.map((i: { id: string }) => i.id)).toEqual([reportId]);
    });

    describe('evidence attachments', () => {
      let draftId = '';
      beforeAll(async () => {
        draftId = (await openReport(reporterA, c2.id, taskCoverage)).id;
      });

      it('accepts a real PDF and PNG, stores them under generated names, serves them only to readers', async () => {
        const app = env().app;
        const pdf = await upload(app, reporterA, draftId, '../../evil/名单.pdf', TINY_PDF);
        expect(pdf.statusCode, pdf.body).toBe(201);
        expect(pdf.json()).toMatchObject({
          fileName: '名单.pdf',
          mime: 'application/pdf',
          sizeBytes: TINY_PDF.length,
        });
        const png = await upload(app, reporterA, draftId, 'photo.PNG', TINY_PNG);
        expect(png.statusCode, png.body).toBe(201);
        const row = await env()
          .db.kysely.selectFrom('report_attachments')
          .selectAll()
          .where('id', '=', pdf.json().id)
          .executeTakeFirstOrThrow();
        expect(row.storage_path).toMatch(/^attachments\/\d{4}\/[0-9A-Z]{26}$/);
        expect(fs.readFileSync(path.join(env().config.dataDir, row.storage_path))).toEqual(TINY_PDF);
        const dl = await call(app, leader, 'GET', `/api/v1/report-attachments/${pdf.json().id}`);
        expect(dl.statusCode).toBe(200);
        expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
        expect(dl.headers['x-content-type-options']).toBe('nosniff');
        expect(dl.headers['content-type']).toBe('application/pdf');
        expect(dl.rawPayload).toEqual(TINY_PDF);
        expect(
          (await call(app, reporterB, 'GET', `/api/v1/report-attachments/${pdf.json().id}`)).statusCode,
        ).toBe(403);
        expect((await call(app, null, 'GET', `/api/v1/report-attachments/${pdf.json().id}`)).statusCode).toBe(
          401,
        );
      });

      it.each([
        [
          'ELF executable',
          '报告.pdf',
          Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]),
        ],
        ['PE executable', '报告.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)])],
        ['zip archive', '报告.pdf', tinyZip()],
        ['zip named docx', '报告.docx', tinyZip()],
        [
          'macro workbook',
          '表.xlsx',
          tinyZip(['[Content_Types].xml', 'xl/workbook.xml', 'xl/vbaProject.bin']),
        ],
        ['shell script', '报告.pdf', Buffer.from('#!/bin/sh\nrm -rf /\n')],
        ['html', '报告.pdf', Buffer.from('<html><script>alert(1)</script></html>')],
        [
          'PDF with JavaScript',
          '报告.pdf',
          Buffer.from('%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n'),
        ],
        ['PNG named .pdf', '报告.pdf', TINY_PNG],
        ['plain text', '说明.txt', Buffer.from('只是文字')],
      ])('refuses %s by content', async (_what, name, bytes) => {
        const res = await upload(env().app, reporterA, draftId, name, bytes);
        expect(res.statusCode).toBe(415);
        expect(res.json().error.code).toBe('ATTACHMENT_REFUSED');
        expect(res.json().error.details.detected).toBeTruthy();
      });

      it('accepts a macro-free docx by its entries', async () => {
        const res = await upload(
          env().app,
          reporterA,
          draftId,
          '材料.docx',
          tinyZip(['[Content_Types].xml', 'word/document.xml']),
        );
        expect(res.statusCode, res.body).toBe(201);
      });

      it('refuses a file over the size limit with 413', async () => {
        const big = Buffer.concat([TINY_PDF, Buffer.alloc(1024 * 1024 + 10)]);
        const res = await upload(env().app, reporterA, draftId, 'big.pdf', big);
        expect(res.statusCode).toBe(413);
        expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      });

      it("refuses uploads to another unit's report, by leaders, and to approved reports", async () => {
        const app = env().app;
        expect((await upload(app, reporterB, draftId, 'a.pdf', TINY_PDF)).statusCode).toBe(403);
        expect((await upload(app, leader, draftId, 'a.pdf', TINY_PDF)).statusCode).toBe(403);
        expect((await upload(app, admin, draftId, 'a.pdf', TINY_PDF)).statusCode).toBe(403);
        expect((await upload(app, reporterA, reportId, 'a.pdf', TINY_PDF)).json().error.code).toBe(
          'REPORT_LOCKED',
        );
        expect(
          (await upload(app, reporterA, '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'a.pdf', TINY_PDF)).statusCode,
        ).toBe(404);
      });
    });

    it('closing refuses the units’ writes (CYCLE_CLOSED); locking refuses everything (CYCLE_LOCKED)', async () => {
      const app = env().app;
      const r = await openReport(reporterA, c2.id, taskCoverage);
      let cycle = (await call(app, admin, 'GET', `/api/v1/reporting/cycles/${c2.id}`)).json();
      expect(
        (
          await call(app, reporterA, 'POST', `/api/v1/reporting/cycles/${c2.id}/close`, {
            version: cycle.version,
          })
        ).statusCode,
      ).toBe(403);
      const closed = await call(app, admin, 'POST', `/api/v1/reporting/cycles/${c2.id}/close`, {
        version: cycle.version,
      });
      expect(closed.json().state).toBe('closed');
      const put = await call(app, reporterA, 'PATCH', `/api/v1/reports/${r.id}`, {
        progress: 'completed',
        version: r.version,
      });
      expect(put.statusCode).toBe(409);
      expect(put.json().error.code).toBe('CYCLE_CLOSED');
      expect((await upload(app, reporterA, r.id, 'a.pdf', TINY_PDF)).json().error.code).toBe('CYCLE_CLOSED');
      // The submitted report of this cycle can still be reviewed while closed.
      const submitted = (
        await call(app, admin, 'GET', `/api/v1/reports?cycleId=${c2.id}&state=submitted`)
      ).json().items[0];
      expect(submitted).toBeTruthy();
      cycle = closed.json();
      const locked = await call(app, admin, 'POST', `/api/v1/reporting/cycles/${c2.id}/lock`, {
        version: cycle.version,
      });
      expect(locked.json().state).toBe('locked');
      const approve = await call(app, admin, 'POST', `/api/v1/reports/${submitted.id}/approve`, {
        version: submitted.version,
      });
      expect(approve.statusCode).toBe(423);
      expect(approve.json().error.code).toBe('CYCLE_LOCKED');
      const reopen = await call(app, admin, 'POST', `/api/v1/reporting/cycles/${c2.id}/reopen`, {
        version: locked.json().version,
      });
      expect(reopen.json().error.code).toBe('CYCLE_LOCKED');
      const stale = await call(app, admin, 'POST', `/api/v1/reporting/cycles/${c1.id}/close`, {
        version: 999,
      });
      expect(stale.json().error.code).toBe('CONFLICT');
    });
  },
  { env: { REPORT_ATTACHMENT_MAX_MB: '1' } },
);
