import { LIGHT_NAMES } from '@kesu/shared';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { samplePlanId } from '../../test/plans-factory';
import { call, createYearCycle } from '../../test/reporting-factory';
import { insertGeneratedWave } from '../../test/survey-fixtures';

interface Figures {
  counts: { green: number; yellow: number; red: number; no_data: number };
  overall: number | null;
}

/**
 * One cycle, one as-of date: the dashboard, the indicator page, the export and the published snapshot say the same
 * lights and the same completion (and the dashboard and snapshot the same on-time rate with its denominator) —
 * before a survey wave is imported, with it, and after it is deleted.
 */
describeEachDialect('the same figures everywhere', (env) => {
  let admin = '';
  let planId = '';
  let cycleId = '';

  beforeAll(async () => {
    const e = env();
    admin = (await e.makeUser('admin')).cookie;
    planId = await samplePlanId(e.db.kysely);
    cycleId = await createYearCycle(e.app, admin, planId);
  });

  const get = async (url: string, cookie: string | null = admin) => {
    const res = await call(env().app, cookie, 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  /** Every view of the cycle, read now. */
  const views = async () => {
    const overview = (await get(`/api/v1/dashboards/overview?cycleId=${cycleId}`)).json();
    const status = (await get(`/api/v1/indicator-status?planId=${planId}&cycleId=${cycleId}`)).json();
    const xlsx = await get(
      `/api/v1/exports/indicator-status?planId=${planId}&cycleId=${cycleId}&format=xlsx`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const lightCol = header.indexOf('亮灯');
    const exported: Record<string, number> = { green: 0, yellow: 0, red: 0, no_data: 0 };
    const byLabel = new Map(Object.entries(LIGHT_NAMES).map(([k, v]) => [v, k]));
    for (let r = 2; r <= ws.rowCount; r++) {
      const light = byLabel.get(String(ws.getRow(r).getCell(lightCol).value));
      expect(light, `row ${r}`).toBeDefined();
      exported[light!]! += 1;
    }
    const dashboard: Figures = { counts: overview.summary.counts, overall: overview.summary.overallProgress };
    const page: Figures = { counts: status.counts, overall: status.overall.progress };
    return { overview, dashboard, page, exported };
  };

  /** Publish a snapshot of the cycle now and read it as the public does. */
  const snapshot = async () => {
    const pub = await call(env().app, admin, 'POST', '/api/v1/dashboards/snapshots', { cycleId });
    expect(pub.statusCode, pub.body).toBe(201);
    return (await get(`/api/v1/public/dashboards/${pub.json().id}`, null)).json().overview;
  };

  const expectSame = async () => {
    const v = await views();
    expect(v.page).toEqual(v.dashboard);
    expect(v.exported).toEqual(v.dashboard.counts);
    const snap = await snapshot();
    expect({ counts: snap.summary.counts, overall: snap.summary.overallProgress }).toEqual(v.dashboard);
    const onTime = (s: {
      onTime: number;
      reportsExpected: number;
      pending: number;
      onTimeRate: number | null;
    }) => [s.onTime, s.reportsExpected - s.pending, s.onTimeRate];
    expect(onTime(snap.summary)).toEqual(onTime(v.overview.summary));
    return v.dashboard;
  };

  it('before, with and after a survey wave', async () => {
    const e = env();
    const before = await expectSame();

    const waveId = await insertGeneratedWave(e.db.kysely, { name: '2025 年抽样调查', year: 2025, seed: 11 });
    const published = await call(e.app, admin, 'PATCH', `/api/v1/surveys/waves/${waveId}`, {
      version: 1,
      isPublished: true,
    });
    expect(published.statusCode, published.body).toBe(200);
    const withWave = await expectSame();
    // The survey-rate indicator now has data: one fewer without, and the plan has a completion.
    expect(withWave.counts.no_data).toBe(before.counts.no_data - 1);
    expect(withWave.overall).not.toBeNull();

    const unpublished = await call(e.app, admin, 'PATCH', `/api/v1/surveys/waves/${waveId}`, {
      version: 2,
      isPublished: false,
    });
    expect(unpublished.statusCode, unpublished.body).toBe(200);
    expect((await call(e.app, admin, 'DELETE', `/api/v1/surveys/waves/${waveId}`)).statusCode).toBe(200);
    expect(await expectSame()).toEqual(before);
  });
});
