import { beforeAll, expect, it } from 'vitest';
import { newId } from '../../ids';
import { describeEachDialect } from '../../test/env';
import { samplePlanId } from '../../test/plans-factory';
import { call, createYearCycle } from '../../test/reporting-factory';
import { insertGeneratedWave } from '../../test/survey-fixtures';
import { evaluatePlan, indicatorStatusOf } from './progress.service';

/**
 * evaluatePlan knows no request: the caller says whether unpublished survey waves count. Reporting on time has as
 * denominator what was due by the day of the evaluation; the plan period ends with its latest deadline.
 */
describeEachDialect('evaluatePlan', (env) => {
  let admin = '';
  let planId = '';
  let cycleId = '';

  beforeAll(async () => {
    const e = env();
    admin = (await e.makeUser('admin')).cookie;
    planId = await samplePlanId(e.db.kysely);
    cycleId = await createYearCycle(e.app, admin, planId, { graceDays: 0 });
  });

  /** A report of an assignment, first submitted at `at` (an ISO time) or never. */
  const report = async (unitId: string, taskId: string, at: string | null) => {
    const db = env().db.kysely;
    const id = newId();
    await db
      .insertInto('progress_reports')
      .values({
        id,
        cycle_id: cycleId,
        unit_id: unitId,
        task_id: taskId,
        state: at ? 'submitted' : 'draft',
        progress: 'in_progress',
        narrative: '',
        prefilled_from_id: null,
        review_comment: '',
        submitted_at: at,
        submitted_by: null,
        reviewed_at: null,
        reviewed_by: null,
        created_by: null,
        version: 1,
        created_at: '2026-01-02T01:00:00.000Z',
        updated_at: at ?? '2026-01-02T01:00:00.000Z',
      })
      .execute();
    if (at) {
      await db
        .insertInto('report_events')
        .values({
          id: newId(),
          report_id: id,
          action: 'submit',
          comment: '',
          actor_id: null,
          actor_name: null,
          at,
        })
        .execute();
    }
  };

  it('counts on time against what was due by the day of the evaluation', async () => {
    const db = env().db.kysely;
    const first = await evaluatePlan(db, { planId, cycleId, publishedSurveysOnly: true });
    const [a, b, c] = first.timeliness.assignments;
    expect(c).toBeDefined();
    await report(a!.unitId, a!.taskId, '2026-01-10T02:00:00.000Z'); // before the due date
    await report(b!.unitId, b!.taskId, '2026-01-18T02:00:00.000Z'); // after it
    await report(c!.unitId, c!.taskId, null); // a draft, never submitted

    // Before the due date: one on time, the rest not yet due (the one submitted on the 18th is not yet in).
    const early = await evaluatePlan(
      db,
      { planId, cycleId, publishedSurveysOnly: true },
      new Date('2026-01-12T04:00:00Z'),
    );
    const n = early.timeliness.total.expected;
    expect(n).toBe(first.timeliness.assignments.length);
    expect(early.timeliness.total).toMatchObject({ onTime: 1, late: 1, missing: 0, pending: n - 2 });
    // The report dated the 18th is already stored: by its date it is late. Due = 2, of which 1 on time.
    expect(early.timeliness.total.onTimeRate).toBe(1 / 2);

    // After the due date: the draft and every assignment without a report are missing.
    const after = await evaluatePlan(
      db,
      { planId, cycleId, publishedSurveysOnly: true },
      new Date('2026-01-20T04:00:00Z'),
    );
    expect(after.timeliness.total).toMatchObject({ onTime: 1, late: 1, missing: n - 2, pending: 0 });
    expect(after.timeliness.total.onTimeRate).toBe(1 / n);
    const unitA = after.timeliness.units.find((u) => u.unitId === a!.unitId)!;
    expect(unitA.onTime).toBeGreaterThanOrEqual(1);
  });

  it('says where the plan period ends and whether the as-of date is past it', async () => {
    const db = env().db.kysely;
    const within = await evaluatePlan(db, { planId, cycleId, publishedSurveysOnly: true });
    expect(within.asOf).toBe('2025-12-31');
    // 徐政发〔2022〕13号 sets its targets for the end of 2025, and was issued in 2022.
    expect(within.period.end).toBe('2025-12-31');
    expect(within.period.start.startsWith('2022')).toBe(true);
    expect(within.period.afterEnd).toBe(false);
    const later = await evaluatePlan(db, { planId, asOf: '2026-03-31', publishedSurveysOnly: true });
    expect(later.period.afterEnd).toBe(true);
    expect(later.cycle).toBeNull();
  });

  it('counts an unpublished survey wave only when the caller says so; the indicator page is its view', async () => {
    const e = env();
    const waveId = await insertGeneratedWave(e.db.kysely, {
      name: '2025 年调查（未发布）',
      year: 2025,
      seed: 5,
    });
    try {
      const input = { planId, cycleId };
      const internal = await evaluatePlan(e.db.kysely, { ...input, publishedSurveysOnly: false });
      const publicOnly = await evaluatePlan(e.db.kysely, { ...input, publishedSurveysOnly: true });
      const surveyRow = internal.indicators.find((i) => i.kind === 'survey_rate')!;
      expect(surveyRow.status).not.toBe('no_data');
      expect(publicOnly.indicators.find((i) => i.indicatorId === surveyRow.indicatorId)!.status).toBe(
        'no_data',
      );
      expect(internal.counts.no_data).toBe(publicOnly.counts.no_data - 1);

      const page = await call(
        e.app,
        admin,
        'GET',
        `/api/v1/indicator-status?planId=${planId}&cycleId=${cycleId}`,
      );
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json()).toEqual(JSON.parse(JSON.stringify(indicatorStatusOf(internal))));
    } finally {
      expect((await call(e.app, admin, 'DELETE', `/api/v1/surveys/waves/${waveId}`)).statusCode).toBe(200);
    }
  });
});
