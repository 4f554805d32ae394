import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { samplePlanId } from '../../test/plans-factory';
import { call } from '../../test/reporting-factory';
import { insertGeneratedWave } from '../../test/survey-fixtures';

/**
 * The overview cache follows every source the evaluation reads: a survey wave imported, published and deleted
 * changes the plan's survey-rate light at once, and readers who may not see unpublished waves never get an entry
 * computed with one.
 */
describeEachDialect('overview cache and survey waves', (env) => {
  let admin = '';
  let reporter = '';
  let planId = '';
  const AS_OF = '2026-06-30';

  beforeAll(async () => {
    const e = env();
    admin = (await e.makeUser('admin')).cookie;
    reporter = (await e.makeUser('reporter')).cookie;
    // The Xuzhou plan loaded with the database: its 具备科学素质比例 indicator is measured by survey waves.
    planId = await samplePlanId(e.db.kysely);
  });

  const noData = async (cookie: string) => {
    const res = await call(
      env().app,
      cookie,
      'GET',
      `/api/v1/dashboards/overview?planId=${planId}&asOf=${AS_OF}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json().counts.no_data as number;
  };

  it('a wave imported, published and deleted moves the light at once, for each audience', async () => {
    const e = env();
    const before = { admin: await noData(admin), reporter: await noData(reporter) };
    expect(before.admin).toBe(before.reporter);

    const waveId = await insertGeneratedWave(e.db.kysely, { name: '2025 年抽样调查', year: 2025, seed: 7 });
    // Those who read surveys see the unpublished wave's figure; the others not yet.
    expect(await noData(admin)).toBe(before.admin - 1);
    expect(await noData(reporter)).toBe(before.reporter);

    const publish = await call(e.app, admin, 'PATCH', `/api/v1/surveys/waves/${waveId}`, {
      version: 1,
      isPublished: true,
    });
    expect(publish.statusCode, publish.body).toBe(200);
    expect(await noData(reporter)).toBe(before.reporter - 1);

    const unpublish = await call(e.app, admin, 'PATCH', `/api/v1/surveys/waves/${waveId}`, {
      version: 2,
      isPublished: false,
    });
    expect(unpublish.statusCode, unpublish.body).toBe(200);
    expect(await noData(reporter)).toBe(before.reporter);
    expect(await noData(admin)).toBe(before.admin - 1);

    const del = await call(e.app, admin, 'DELETE', `/api/v1/surveys/waves/${waveId}`);
    expect(del.statusCode, del.body).toBe(200);
    expect(await noData(admin)).toBe(before.admin);
    expect(await noData(reporter)).toBe(before.reporter);
  });
});
