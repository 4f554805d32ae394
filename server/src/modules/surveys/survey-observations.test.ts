import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { newId, nowIso } from '../../ids';
import { describeEachDialect } from '../../test/env';

/** Insert a wave with one overall `literate` estimate (as the import would store it). */
async function insertWave(
  db: Kysely<Database>,
  wave: {
    name: string;
    year: number;
    rule: string;
    method: 'linearization' | 'raking';
    estimate: number;
    ci: [number, number];
  },
) {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('survey_waves')
    .values({
      id,
      name: wave.name,
      year: wave.year,
      scoring_rule: wave.rule,
      design_json: '{}',
      mapping_json: '{}',
      source_file_name: 'x.csv',
      n_rows: 2000,
      is_published: 0,
      created_by: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('survey_estimates')
    .values({
      id: newId(),
      wave_id: id,
      method: wave.method,
      by_var: null,
      domain: null,
      variable: 'literate',
      kind: 'proportion',
      ci_method: 'logit',
      flags: '[]',
      n: 2000,
      estimate: wave.estimate,
      se: 0.01,
      ci_low: wave.ci[0],
      ci_high: wave.ci[1],
      deff: 2,
      df: 100,
      sort_order: 0,
    })
    .execute();
  return id;
}

describeEachDialect('survey waves as the actual of the plan’s literacy-rate indicator', (env) => {
  it('reads the latest wave under the official rule, in percent with its CI; other rules are never compared', async () => {
    const leader = await env().makeUser('leader');
    const plan = await env().db.kysely.selectFrom('plans').select('id').executeTakeFirstOrThrow();
    const w2023 = await insertWave(env().db.kysely, {
      name: '2023年监测',
      year: 2023,
      rule: 'official-2021',
      method: 'linearization',
      estimate: 0.131,
      ci: [0.115, 0.149],
    });
    const w2024 = await insertWave(env().db.kysely, {
      name: '2024年监测',
      year: 2024,
      rule: 'official-2021',
      method: 'raking',
      estimate: 0.1403,
      ci: [0.122, 0.161],
    });
    await insertWave(env().db.kysely, {
      name: '2024年旧口径',
      year: 2024,
      rule: 'legacy-2010',
      method: 'raking',
      estimate: 0.3,
      ci: [0.28, 0.32],
    });
    const res = await env().app.inject({
      url: `/api/v1/indicator-status?planId=${plan.id}&asOf=2025-06-30`,
      headers: { cookie: leader.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const rate = res.json().indicators.find((i: { kind: string }) => i.kind === 'survey_rate');
    expect(rate.target).toBe(15.5);
    expect(rate.actual).toBeCloseTo(14.03, 10);
    const refs = rate.sources.map((s: { ref: string; sourceKind: string; isCounted: boolean }) => [
      s.ref,
      s.sourceKind,
      s.isCounted,
    ]);
    expect(refs).toEqual(
      expect.arrayContaining([
        [w2024, 'survey', true],
        [w2023, 'survey', false],
      ]),
    );
    expect(refs).toHaveLength(2);

    // As of mid-2024 the 2024 wave does not exist yet: the 2023 wave is the actual.
    const earlier = await env().app.inject({
      url: `/api/v1/indicator-status?planId=${plan.id}&asOf=2024-06-30`,
      headers: { cookie: leader.cookie },
    });
    const rate2023 = earlier.json().indicators.find((i: { kind: string }) => i.kind === 'survey_rate');
    expect(rate2023.actual).toBeCloseTo(13.1, 10);
  });

  it('a reporter sees no unpublished wave in the indicator status; once published, the reporter sees it', async () => {
    const unit = await env().makeUnit();
    const reporter = await env().makeUser('reporter', { unitId: unit.id });
    const plan = await env().db.kysely.selectFrom('plans').select('id').executeTakeFirstOrThrow();
    const wave = await insertWave(env().db.kysely, {
      name: '2025年未发布监测',
      year: 2025,
      rule: 'official-2021',
      method: 'linearization',
      estimate: 0.149,
      ci: [0.13, 0.17],
    });
    const rateOf = async () => {
      const res = await env().app.inject({
        url: `/api/v1/indicator-status?planId=${plan.id}&asOf=2026-06-30`,
        headers: { cookie: reporter.cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().indicators.find((i: { kind: string }) => i.kind === 'survey_rate');
    };
    const hidden = await rateOf();
    expect(hidden.sources.map((s: { ref: string }) => s.ref)).not.toContain(wave);
    expect(hidden.actual).not.toBeCloseTo(14.9, 10);
    await env()
      .db.kysely.updateTable('survey_waves')
      .set({ is_published: 1 })
      .where('id', '=', wave)
      .execute();
    const shown = await rateOf();
    expect(shown.sources.map((s: { ref: string }) => s.ref)).toContain(wave);
    expect(shown.actual).toBeCloseTo(14.9, 10);
  });
});
