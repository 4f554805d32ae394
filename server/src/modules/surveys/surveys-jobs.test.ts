import { beforeAll, expect, it } from 'vitest';
import type { Ctx } from '../../context';
import { describeEachDialect } from '../../test/env';
import { importAndWait, importOf, loadFixture, uploadFile } from '../../test/survey-fixtures';
import { SURVEY_IMPORT_JOB } from './surveys.service';

/**
 * The import job re-runs the whole import from the stored upload: a job delivered again after its node died mid-read
 * (the upload left `processing` with partial progress) gives the same estimates as an uninterrupted import, and a
 * job delivered after the wave was saved writes nothing. (A real SIGKILL of a worker is in jobs/job-queue.test.ts.)
 */
describeEachDialect(
  'survey import as a job',
  (env) => {
    let analyst = '';
    beforeAll(async () => {
      analyst = (await env().makeUser('analyst')).cookie;
    });

    const estimatesOf = async (waveId: string) =>
      (
        await env()
          .db.kysely.selectFrom('survey_estimates')
          .select([
            'method',
            'by_var',
            'domain',
            'variable',
            'n',
            'estimate',
            'se',
            'ci_low',
            'ci_high',
            'df',
          ])
          .where('wave_id', '=', waveId)
          .orderBy('sort_order')
          .execute()
      ).map((r) => ({ ...r, n: Number(r.n), estimate: Number(r.estimate), se: Number(r.se) }));

    const waitJob = async (id: string) => {
      const until = Date.now() + 60_000;
      for (;;) {
        const j = await env().jobs.getJob(SURVEY_IMPORT_JOB, id);
        if (j && (j.state === 'completed' || j.state === 'failed')) return j;
        if (Date.now() > until) throw new Error(`job did not finish: ${JSON.stringify(j)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    it('a re-delivered import gives the same estimates, and one after the save writes nothing', {
      timeout: 120_000,
    }, async () => {
      const { csv, design } = loadFixture('stratified');
      const body = importOf(design);
      const first = await uploadFile(env().app, analyst, 'data.csv', csv);
      const done = await importAndWait(env().app, analyst, first.json().id, body);
      expect(done.status, JSON.stringify(done.report)).toBe('done');
      const want = await estimatesOf(done.waveId);
      expect(want.length).toBeGreaterThan(10);

      // A second upload of the same file, left as a killed node leaves it: processing, half read, no wave.
      const second = (await uploadFile(env().app, analyst, 'data.csv', csv)).json().id as string;
      await env()
        .db.kysely.updateTable('survey_uploads')
        .set({ status: 'processing', phase: 'reading', bytes_read: 1234, rows_read: 57 })
        .where('id', '=', second)
        .execute();
      const mapping = Object.fromEntries(Object.entries(body.mapping).filter(([, c]) => Boolean(c)));
      const ctx: Ctx = { user: null, requestId: null, ip: null };
      const job = { uploadId: second, input: { ...body, mapping }, ctx };
      const jobId = (await env().jobs.enqueue(SURVEY_IMPORT_JOB, job, { singletonKey: second })) as string;
      expect((await waitJob(jobId)).output).toEqual({ done: true });
      const row = await env()
        .db.kysely.selectFrom('survey_uploads')
        .selectAll()
        .where('id', '=', second)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('done');
      expect(row.wave_id).not.toBe(done.waveId);
      expect(await estimatesOf(row.wave_id as string)).toEqual(want);

      // Delivered again after the wave was saved (its node died before marking the job complete): nothing is written.
      const waves = await env().db.kysely.selectFrom('survey_waves').select('id').execute();
      const again = (await env().jobs.enqueue(SURVEY_IMPORT_JOB, job, { singletonKey: second })) as string;
      expect((await waitJob(again)).output).toEqual({ skipped: 'done' });
      expect(await env().db.kysely.selectFrom('survey_waves').select('id').execute()).toHaveLength(
        waves.length,
      );
    });
  },
  { queue: 'dialect' },
);
