import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { call } from '../../test/reporting-factory';
import { fundingPerResident } from './funding-reads.service';

interface Summary {
  jurisdictionId: string;
  name: string;
  budgeted: number;
  spent: number | null;
  residents: number | null;
  perResident: number | null;
  standard: number | null;
  meetsStandard: boolean | null;
  missing: string | null;
}

/**
 * 科普经费: the level's own admin records its rows by source; the level above reads them (with each child's total
 * per resident against the standard); other levels see nothing. A child without residents has no per-resident figure
 * (null, "缺少常住人口数据"), never 0.
 */
describeEachDialect('funding (科普经费)', (env) => {
  let city = '';
  let feng = { cookie: '', jurisdictionId: '' };
  let pei = { cookie: '', jurisdictionId: '' };
  let cityId = '';

  beforeAll(async () => {
    const e = env();
    city = (await e.makeUser('admin')).cookie;
    const ids = await jurisdictionIds(e, city);
    cityId = ids.get('徐州市')!;
    feng = await countyAdmin(e, city, '丰县');
    pei = await countyAdmin(e, city, '沛县');
    const margins = await call(e.app, city, 'POST', '/api/v1/surveys/margins/2025', {
      rows: [
        { dimension: 'total', level: '全市', population: 9_000_000, source: '测试' },
        { dimension: 'county', level: '丰县', population: 1_000_000, source: '测试' },
      ],
    });
    expect(margins.statusCode, margins.body).toBe(200);
  });

  it('lets a county admin record its own rows and refuses other levels (404 unseen, 403 seen)', async () => {
    const app = env().app;
    const body = (jurisdictionId: string) => ({
      jurisdictionId,
      year: 2025,
      rows: [
        { source: '本级财政预算', budgeted: 1_200_000, spent: 800_000.5, note: '年初预算' },
        { source: '上级转移支付', budgeted: 400_000, spent: null, note: null },
      ],
    });
    const ok = await call(app, feng.cookie, 'PUT', '/api/v1/funding', body(feng.jurisdictionId));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().rows.map((r: { source: string }) => r.source)).toEqual(['本级财政预算', '上级转移支付']);
    expect(ok.json().own.budgeted).toBe(1_600_000);
    expect(ok.json().own.spent).toBe(800_000.5);
    expect(ok.json().own.perResident).toBe(1.6);

    expect(
      (await call(app, feng.cookie, 'PUT', '/api/v1/funding', body(pei.jurisdictionId))).statusCode,
    ).toBe(404);
    expect((await call(app, feng.cookie, 'PUT', '/api/v1/funding', body(cityId))).statusCode).toBe(404);
    const cityWrites = await call(app, city, 'PUT', '/api/v1/funding', body(feng.jurisdictionId));
    expect(cityWrites.statusCode).toBe(403);
    expect(
      (await call(app, pei.cookie, 'GET', `/api/v1/funding?jurisdictionId=${feng.jurisdictionId}&year=2025`))
        .statusCode,
    ).toBe(404);
    const reporter = (await env().makeUser('leader', { jurisdictionId: feng.jurisdictionId })).cookie;
    expect((await call(app, reporter, 'PUT', '/api/v1/funding', body(feng.jurisdictionId))).statusCode).toBe(
      403,
    );
    // The level above reads it, and cannot edit there.
    const seen = await call(
      app,
      city,
      'GET',
      `/api/v1/funding?jurisdictionId=${feng.jurisdictionId}&year=2025`,
    );
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().canEdit).toBe(false);
    expect(seen.json().rows).toHaveLength(2);
  });

  it('validates amounts, sources and versions, writing nothing on a bad request', async () => {
    const app = env().app;
    const put = (rows: unknown[]) =>
      call(app, feng.cookie, 'PUT', '/api/v1/funding', {
        jurisdictionId: feng.jurisdictionId,
        year: 2025,
        rows,
      });
    const row = { source: '社会资金', spent: null, note: null };
    expect((await put([{ ...row, budgeted: -1 }])).statusCode).toBe(400);
    const cents = await put([{ ...row, budgeted: 1.005 }]);
    expect(cents.statusCode).toBe(400);
    expect(cents.body).toContain('两位小数');
    expect((await put([{ ...row, source: '彩票公益金', budgeted: 1 }])).statusCode).toBe(400);
    expect(
      (
        await put([
          { ...row, budgeted: 1 },
          { ...row, budgeted: 2 },
        ])
      ).statusCode,
    ).toBe(400);
    // An existing row needs its version: a stale one is a conflict and the new row beside it is not written either.
    const stale = await put([
      { ...row, budgeted: 5 },
      { source: '本级财政预算', budgeted: 1, spent: null, note: null },
    ]);
    expect(stale.statusCode).toBe(409);
    const after = await call(
      app,
      feng.cookie,
      'GET',
      `/api/v1/funding?jurisdictionId=${feng.jurisdictionId}&year=2025`,
    );
    expect(after.json().rows).toHaveLength(2);
    expect(after.json().own.budgeted).toBe(1_600_000);
    const v = (after.json().rows as { source: string; version: number }[]).find(
      (r) => r.source === '本级财政预算',
    )!;
    const updated = await put([
      { source: '本级财政预算', budgeted: 1_100_000.25, spent: null, note: null, version: v.version },
    ]);
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().own.budgeted).toBe(1_500_000.25);
  });

  it('shows each child per resident against the standard; missing residents are null, never 0', async () => {
    const app = env().app;
    const std = await call(app, city, 'PUT', '/api/v1/funding/standard', {
      jurisdictionId: cityId,
      year: 2025,
      perResident: 1.5,
    });
    expect(std.statusCode, std.body).toBe(200);
    expect(std.json().ownStandard).toBe(1.5);
    await call(app, pei.cookie, 'PUT', '/api/v1/funding', {
      jurisdictionId: pei.jurisdictionId,
      year: 2025,
      rows: [{ source: '本级财政预算', budgeted: 2_000_000, spent: null, note: null }],
    });
    const view = await call(app, city, 'GET', `/api/v1/funding?jurisdictionId=${cityId}&year=2025`);
    expect(view.statusCode, view.body).toBe(200);
    const children = view.json().children as Summary[];
    const fengRow = children.find((c) => c.name === '丰县')!;
    expect(fengRow.residents).toBe(1_000_000);
    expect(fengRow.perResident).toBe(1.5);
    expect(fengRow.standard).toBe(1.5);
    expect(fengRow.meetsStandard).toBe(true);
    const peiRow = children.find((c) => c.name === '沛县')!;
    expect(peiRow.budgeted).toBe(2_000_000);
    expect(peiRow.residents).toBeNull();
    expect(peiRow.perResident).toBeNull();
    expect(peiRow.meetsStandard).toBeNull();
    expect(peiRow.missing).toBe('缺少常住人口数据');
    // The city itself: the total row; nothing recorded at the city level yet → no per-resident figure, not 0.
    expect(view.json().own.residents).toBe(9_000_000);
    expect(view.json().own.perResident).toBeNull();
    expect(view.json().own.missing).toBe('尚未填报经费');

    // A county's own standard overrides the city's: 2 元/人 is not met by 1.5.
    expect(
      (
        await call(app, feng.cookie, 'PUT', '/api/v1/funding/standard', {
          jurisdictionId: cityId,
          year: 2025,
          perResident: 1,
        })
      ).statusCode,
    ).toBe(404);
    const own = await call(app, feng.cookie, 'PUT', '/api/v1/funding/standard', {
      jurisdictionId: feng.jurisdictionId,
      year: 2025,
      perResident: 2,
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().own.meetsStandard).toBe(false);
    expect(
      (
        await call(app, city, 'PUT', '/api/v1/funding/standard', {
          jurisdictionId: cityId,
          year: 2025,
          perResident: -1,
        })
      ).statusCode,
    ).toBe(400);

    const figures = await fundingPerResident(
      env().db.kysely,
      [feng.jurisdictionId, pei.jurisdictionId],
      [2025, 2024],
    );
    expect(
      figures.find((f) => f.jurisdictionId === feng.jurisdictionId && f.year === 2025)?.perResident,
    ).toBe(1.5);
    expect(
      figures.find((f) => f.jurisdictionId === pei.jurisdictionId && f.year === 2025)?.perResident,
    ).toBeNull();
    expect(
      figures.find((f) => f.jurisdictionId === feng.jurisdictionId && f.year === 2024)?.perResident,
    ).toBeNull();
  });

  it('exports the summary as csv and records every write in the audit trail', async () => {
    const app = env().app;
    const csv = await call(
      app,
      city,
      'GET',
      `/api/v1/funding/export?jurisdictionId=${cityId}&year=2025&format=csv`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('丰县');
    expect(csv.body).toContain('缺少常住人口数据');
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'funding.%')
      .execute();
    expect(audit.map((a) => a.action)).toContain('funding.save');
    expect(audit.map((a) => a.action)).toContain('funding.standard.set');
  });
});
