import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { SOFFICE } from '../../files/soffice';
import { nowIso } from '../../ids';
import { createFileStorage } from '../../storage';
import { openDocx, tableHeaders } from '../../test/docx';
import { documentsDemo, insertDocumentRow, issueNotice } from '../../test/documents-factory';
import { describeEachDialect } from '../../test/env';
import { call } from '../../test/reporting-factory';
import { DOCUMENT_CLEANUP_JOB, DOCUMENT_JOB } from './document-jobs.service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(f: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

// Documents made in the background (issue 17). On PostgreSQL the jobs run on pg-boss, as deployed.
describeEachDialect(
  'documents in the background (issue 17)',
  (env) => {
    let admin = '';
    let leader = '';
    let planId = '';
    let unitId = '';
    let unitReporter = '';
    let noticeId = '';
    const year = 2025;

    beforeAll(async () => {
      const { db, app } = env();
      ({ admin, leader, planId } = await documentsDemo(env()));
      const assigned = await db.kysely
        .selectFrom('plan_task_units as a')
        .innerJoin('plan_tasks as t', 't.id', 'a.task_id')
        .innerJoin('plan_versions as v', 'v.id', 't.version_id')
        .select('a.unit_id')
        .where('v.plan_id', '=', planId)
        .orderBy('a.unit_id')
        .executeTakeFirstOrThrow();
      unitId = assigned.unit_id;
      unitReporter = (await env().makeUser('reporter', { unitId })).cookie;
      noticeId = await issueNotice(app, admin, unitId, '请补报第四季度进展');
    });

    /** Poll a background document until it leaves queued/running; the progress seen on the way. */
    const finished = async (cookie: string, id: string) => {
      const seen: unknown[] = [];
      const job = await until(async () => {
        const r = await call(env().app, cookie, 'GET', `/api/v1/documents/jobs/${id}`);
        expect(r.statusCode, r.body).toBe(200);
        const j = r.json();
        if (j.progress) seen.push(j.progress);
        return j.status === 'queued' || j.status === 'running' ? null : j;
      });
      return { job, seen };
    };
    let annualJobId = '';

    it('makes the 年度实施情况报告 in the background: the same document as the GET route, stored, only for its requester', async () => {
      const { app, db } = env();
      const direct = await call(
        app,
        leader,
        'GET',
        `/api/v1/documents/annual-report?planId=${planId}&year=${year}`,
      );
      expect(direct.statusCode).toBe(200);
      const body = { kind: 'annual', query: { year, planId }, format: 'docx' };
      // Two identical requests at once share one job; another user asking the same gets a job of their own.
      const [a, b] = await Promise.all([
        call(app, leader, 'POST', '/api/v1/documents/jobs', body),
        call(app, leader, 'POST', '/api/v1/documents/jobs', { ...body, query: { planId, year } }),
      ]);
      expect(a.statusCode, a.body).toBe(202);
      expect(b.statusCode, b.body).toBe(202);
      expect(a.json()).toMatchObject({ kind: 'annual', format: 'docx', query: { planId, year } });
      expect(['queued', 'running']).toContain(a.json().status);
      expect(b.json().id).toBe(a.json().id);
      const byAdmin = await call(app, admin, 'POST', '/api/v1/documents/jobs', body);
      expect(byAdmin.statusCode).toBe(202);
      expect(byAdmin.json().id).not.toBe(a.json().id);
      annualJobId = a.json().id;
      const rows = await db.kysely
        .selectFrom('generated_documents')
        .select('id')
        .where('kind', '=', 'annual')
        .execute();
      expect(rows).toHaveLength(2);

      const { job, seen } = await finished(leader, annualJobId);
      expect(job).toMatchObject({ status: 'done', error: null, fileName: expect.stringMatching(/\.docx$/) });
      for (const p of seen)
        expect(p).toMatchObject({ phase: expect.any(String), percent: expect.any(Number) });
      const file = await call(app, leader, 'GET', `/api/v1/documents/jobs/${annualJobId}/file`);
      expect(file.statusCode).toBe(200);
      for (const h of ['content-type', 'content-disposition', 'cache-control'])
        expect(file.headers[h]).toBe(direct.headers[h]);
      expect(job.sizeBytes).toBe(file.rawPayload.length);
      const [made, stored] = [await openDocx(direct.rawPayload), await openDocx(file.rawPayload)];
      expect(stored.text).toContain('实施情况报告');
      expect(stored.text).toBe(made.text);
      expect(tableHeaders(stored.xml)).toEqual(tableHeaders(made.xml));
      expect(stored.images.length).toBe(made.images.length);
      const row = await db.kysely
        .selectFrom('generated_documents')
        .selectAll()
        .where('id', '=', annualJobId)
        .executeTakeFirstOrThrow();
      expect(row.file_key).toBe(`documents/${row.created_at.slice(0, 4)}/${annualJobId}.docx`);
      expect(row.active_key).toBeNull();
      // Another user (even one who may make the same document) finds neither the job nor its file.
      expect((await call(app, admin, 'GET', `/api/v1/documents/jobs/${annualJobId}`)).statusCode).toBe(404);
      expect((await call(app, admin, 'GET', `/api/v1/documents/jobs/${annualJobId}/file`)).statusCode).toBe(
        404,
      );
      // Once done, the same request makes a new document.
      const again = await call(app, leader, 'POST', '/api/v1/documents/jobs', body);
      expect(again.json().id).not.toBe(annualJobId);
      await finished(leader, again.json().id);
    });

    it('checks a background request with the GET routes’ rules when it is made', async () => {
      const { app, db } = env();
      const before = await db.kysely.selectFrom('generated_documents').select('id').execute();
      const denied = await call(app, unitReporter, 'POST', '/api/v1/documents/jobs', {
        kind: 'annual',
        query: { planId, year },
        format: 'docx',
      });
      expect(denied.statusCode).toBe(404);
      const missing = await call(app, admin, 'POST', '/api/v1/documents/jobs', {
        kind: 'unit-summary',
        query: { planId, year },
        format: 'docx',
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.message).toBe('请选择单位');
      expect(await db.kysely.selectFrom('generated_documents').select('id').execute()).toHaveLength(
        before.length,
      );
      // The unit's own reporter may make its summary (its own rule), in the background too.
      const own = await call(app, unitReporter, 'POST', '/api/v1/documents/jobs', {
        kind: 'unit-summary',
        query: { planId, unitId, year },
        format: 'docx',
      });
      expect(own.statusCode).toBe(202);
      const { job } = await finished(unitReporter, own.json().id);
      expect(job.status).toBe('done');
    });

    it('shows the phase any request reads while the PDF converts; the same request meanwhile shares the job', async () => {
      const { app } = env();
      // A stand-in LibreOffice that converts nothing and exits once the test lets it (a failed conversion).
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-soffice-gate-'));
      const gate = path.join(dir, 'go');
      const fake = path.join(dir, 'soffice');
      fs.writeFileSync(fake, `#!/bin/sh\nwhile [ ! -f '${gate}' ]; do sleep 0.1; done\nexit 1\n`, {
        mode: 0o755,
      });
      const before = SOFFICE.command;
      SOFFICE.command = fake;
      try {
        const body = { kind: 'notice', query: { noticeId }, format: 'pdf' };
        const r = await call(app, admin, 'POST', '/api/v1/documents/jobs', body);
        expect(r.statusCode).toBe(202);
        const id = r.json().id as string;
        const converting = await until(async () => {
          const j = (await call(app, admin, 'GET', `/api/v1/documents/jobs/${id}`)).json();
          return j.status === 'running' && j.progress?.phase === 'converting' ? j : null;
        });
        expect(converting.progress).toEqual({ phase: 'converting', percent: 50 });
        expect((await call(app, admin, 'GET', `/api/v1/documents/jobs/${id}/file`)).statusCode).toBe(409);
        const same = await call(app, admin, 'POST', '/api/v1/documents/jobs', body);
        expect(same.json()).toMatchObject({ id, status: 'running' });
        fs.writeFileSync(gate, '');
        const { job } = await finished(admin, id);
        expect(job).toMatchObject({
          status: 'failed',
          errorCode: 'DOCUMENT_PDF_UNAVAILABLE',
          error: 'PDF 转换失败，请下载 Word 版本',
          progress: null,
        });
      } finally {
        SOFFICE.command = before;
        fs.writeFileSync(gate, '');
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('shows a failed PDF conversion as failed with its message, not retried', async () => {
      const { app, jobs } = env();
      const before = SOFFICE.command;
      SOFFICE.command = path.join(os.tmpdir(), 'kesu-no-such-soffice');
      try {
        const r = await call(app, admin, 'POST', '/api/v1/documents/jobs', {
          kind: 'notice',
          query: { noticeId },
          format: 'pdf',
        });
        expect(r.statusCode).toBe(202);
        const { job } = await finished(admin, r.json().id);
        expect(job).toMatchObject({
          status: 'failed',
          errorCode: 'DOCUMENT_PDF_UNAVAILABLE',
          error: '服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版本',
          fileName: null,
        });
        // The document row says failed before the queue marks its job done: wait for the queue's own word.
        const q = await until(async () => {
          const latest = await jobs.latestByKey(DOCUMENT_JOB, r.json().id);
          return latest && ['completed', 'failed', 'cancelled'].includes(latest.state) ? latest : null;
        });
        expect(q).toMatchObject({ state: 'completed', retryCount: 0 });
        const file = await call(app, admin, 'GET', `/api/v1/documents/jobs/${r.json().id}/file`);
        expect(file.statusCode).toBe(409);
        expect(file.json().error.message).toBe('服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版本');
      } finally {
        SOFFICE.command = before;
      }
    });

    it('makes the document with the rights the requester has when the job runs, not when they asked', async () => {
      const { db, jobs } = env();
      // A leader asks; by the time a node takes the job the leader has become a unit's reporter, then is disabled.
      const asker = await env().makeUser('leader');
      const askedAs = {
        user: {
          id: asker.id,
          username: 'asker',
          displayName: 'asker',
          role: 'leader' as const,
          unitId: null,
          mustChangePassword: false,
          jurisdictionId: null,
          jurisdictionPath: null,
        },
        requestId: null,
        ip: null,
      };
      const queued = async (documentId: string) => {
        await insertDocumentRow(db.kysely, {
          id: documentId,
          requested_by: asker.id,
          kind: 'annual',
          query_json: JSON.stringify({ planId, year }),
        });
        await jobs.enqueue(DOCUMENT_JOB, { documentId, ctx: askedAs }, { singletonKey: documentId });
        return until(async () => {
          const row = await db.kysely
            .selectFrom('generated_documents')
            .selectAll()
            .where('id', '=', documentId)
            .executeTakeFirstOrThrow();
          return row.status === 'queued' || row.status === 'running' ? null : row;
        });
      };
      await db.kysely
        .updateTable('users')
        .set({ role: 'reporter', unit_id: unitId })
        .where('id', '=', asker.id)
        .execute();
      expect(await queued('01JZZZZZZZZZZZZZZZZZZZZZZA')).toMatchObject({
        status: 'failed',
        error_code: 'NOT_FOUND',
        file_key: null,
      });
      await db.kysely
        .updateTable('users')
        .set({ role: 'leader', unit_id: null, is_active: 0 })
        .where('id', '=', asker.id)
        .execute();
      expect(await queued('01JZZZZZZZZZZZZZZZZZZZZZZB')).toMatchObject({
        status: 'failed',
        error: '账号已停用，无法生成文档',
        file_key: null,
      });
      // Made a leader again and active, the same request is made.
      await db.kysely.updateTable('users').set({ is_active: 1 }).where('id', '=', asker.id).execute();
      expect(await queued('01JZZZZZZZZZZZZZZZZZZZZZZC')).toMatchObject({ status: 'done' });
    });

    it('deletes files older than a day with the scheduled cleanup job; their rows say expired', async () => {
      const { app, db, jobs, config } = env();
      expect(annualJobId).not.toBe('');
      const storage = createFileStorage(config, db.kysely);
      const row = await db.kysely
        .selectFrom('generated_documents')
        .selectAll()
        .where('id', '=', annualJobId)
        .executeTakeFirstOrThrow();
      const key = row.file_key!;
      expect(await storage.has(key)).toBe(true);
      // Finished two days ago; the other done documents are fresh and stay.
      await db.kysely
        .updateTable('generated_documents')
        .set({ finished_at: nowIso(new Date(Date.now() - 48 * 3600_000)) })
        .where('id', '=', annualJobId)
        .execute();
      const fresh = await db.kysely
        .selectFrom('generated_documents')
        .select(['id', 'file_key'])
        .where('status', '=', 'done')
        .where('id', '!=', annualJobId)
        .execute();
      expect(fresh.length).toBeGreaterThan(0);
      const id = await jobs.enqueue(DOCUMENT_CLEANUP_JOB, {});
      const done = await until(async () => {
        const j = await jobs.getJob(DOCUMENT_CLEANUP_JOB, id!);
        return j?.state === 'completed' ? j : null;
      });
      expect(done.output).toEqual({ expired: 1 });
      expect(await storage.has(key)).toBe(false);
      const after = (await call(app, leader, 'GET', `/api/v1/documents/jobs/${annualJobId}`)).json();
      expect(after.status).toBe('expired');
      const file = await call(app, leader, 'GET', `/api/v1/documents/jobs/${annualJobId}/file`);
      expect(file.statusCode).toBe(404);
      expect(file.json().error.message).toBe('文件已过期，请重新生成');
      for (const f of fresh) expect(await storage.has(f.file_key!)).toBe(true);
    });
  },
  { queue: 'dialect' },
);
