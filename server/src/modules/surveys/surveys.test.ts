import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { parseCsv, studentQuantile } from '@kesu/stats';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../../test/env';
import {
  CASES,
  FIXTURES,
  type ExpectedRecord,
  importAndWait,
  importOf,
  loadFixture,
  uploadFile,
} from '../../test/survey-fixtures';

/*
 * Reference values: fixtures/survey/<case>/expected.json, computed by R survey 4.1 (docs/DOMAIN.md §5):
 * svydesign(ids = ~psu | ~1, strata = ~stratum, weights = ~w, nest = TRUE); svymean / svyby (deff = TRUE);
 * svyciprop(method = "xlogit"); rake(…, control = list(maxit = 100, epsilon = 1e-10)).
 * Here they must come back through the whole app: upload → map → validate → store → estimate → read.
 */

const FIELDS = ['estimate', 'se', 'ciLow', 'ciHigh', 'deff'] as const;

/** A record of a fixtures/survey/<case>/runs.json (what R printed; null where R has no number). */
interface RRecord {
  by: string | null;
  domain: string | null;
  variable: string;
  n: number;
  estimate: number;
  se: number;
  ciLow: number | null;
  ciHigh: number | null;
  deff: number | null;
  df: number;
}
const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);
const logit = (p: number) => Math.log(p / (1 - p));

interface Got {
  method: string;
  by: string | null;
  domain: string | null;
  variable: string;
  kind: 'proportion' | 'mean';
  flags: string[];
  n: number;
  estimate: number;
  se: number;
  ciLow: number | null;
  ciHigh: number | null;
  deff: number | null;
  df: number;
}

function expectMatches(got: Got[], want: ExpectedRecord[]) {
  expect(want.length).toBeGreaterThan(0);
  for (const e of want) {
    const g = got.find(
      (r) => r.method === e.method && r.by === e.by && r.domain === e.domain && r.variable === e.variable,
    );
    const label = `${e.method} ${e.by}=${e.domain} ${e.variable}`;
    expect(g, label).toBeDefined();
    expect(g!.n, `${label} n`).toBe(e.n);
    expect(g!.kind, label).toBe(e.ciLow === undefined ? 'mean' : 'proportion');
    for (const f of FIELDS) {
      // expected.json has no interval for the score (a mean): kesu's is R's confint, est ± qt(0.975, df)·se.
      const want = e[f] ?? e.estimate + (f === 'ciLow' ? -1 : 1) * studentQuantile(0.975, g!.df) * e.se;
      expect(relErr(g![f]!, want), `${label} ${f}: got ${g![f]} want ${want}`).toBeLessThan(1e-8);
    }
  }
}

/** Replace fields of data rows (1-based data row numbers) of a CSV. */
function editCsv(csv: string, edits: Record<number, Record<string, string>>, keepRows = 400): string {
  const { header, rows } = parseCsv(csv);
  const out = rows.slice(0, keepRows).map((r, i) => {
    const e = edits[i + 1];
    if (!e) return r;
    const copy = [...r];
    for (const [k, v] of Object.entries(e)) copy[header.indexOf(k)] = v;
    return copy;
  });
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [header, ...out].map((r) => r.map(q).join(',')).join('\n');
}

describeEachDialect('survey waves: upload → validate → estimate equals R', (env) => {
  let admin = '';
  let analyst = '';
  beforeAll(async () => {
    admin = (await env().makeUser('admin')).cookie;
    analyst = (await env().makeUser('analyst')).cookie;
  });

  it.each(CASES)('fixture %s: every linearization and raking record equals R to 1e-8', async (name) => {
    const { csv, design, expected } = loadFixture(name);
    const up = await uploadFile(env().app, analyst, 'data.csv', csv);
    expect(up.statusCode, up.body).toBe(201);
    const upload = up.json();
    expect(upload.columns).toContain('literate');
    expect(upload.preview).toHaveLength(5);
    // Suggested from the column names (w, stratum, …).
    expect(upload.suggestedMapping.weight).toBe('w');
    const done = await importAndWait(env().app, analyst, upload.id, importOf(design));
    expect(done.status, JSON.stringify(done.report)).toBe('done');
    expect(done.rowsRead).toBe(parseCsv(csv.toString('utf8')).rows.length);

    const wave = await env().app.inject({
      method: 'GET',
      url: `/api/v1/surveys/waves/${done.waveId}`,
      headers: { cookie: analyst },
    });
    expect(wave.statusCode).toBe(200);
    const { estimates, wave: w } = wave.json() as {
      estimates: Got[];
      wave: { design: { clusters: string | null } };
    };
    expect(w.design.clusters).toBe(design.clusters ? 'psu' : null);
    expectMatches(
      estimates,
      expected.filter((e) => e.method !== 'jkn'),
    );

    // The df stored with each rate is the one its CI used: logit(p) − logit(lo) = t(df)·se/(p(1−p)).
    for (const g of estimates.filter(
      (x) => x.ciLow !== null && x.kind === 'proportion' && x.method === 'linearization',
    )) {
      const t = ((logit(g.estimate) - logit(g.ciLow!)) * g.estimate * (1 - g.estimate)) / g.se;
      expect(relErr(t, studentQuantile(0.975, g.df)), `${g.by}=${g.domain} df ${g.df}`).toBeLessThan(1e-8);
    }

    // The stored microdata gives the same figures again (codec round trip).
    const again = await env().app.inject({
      method: 'POST',
      url: `/api/v1/surveys/waves/${done.waveId}/recompute`,
      headers: { cookie: analyst, origin: ORIGIN },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().estimates).toEqual(estimates);
  });

  it('reads xlsx the same as csv', async () => {
    const { csv, design, expected } = loadFixture('standard');
    const { header, rows } = parseCsv(csv.toString('utf8'));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.addRow(header);
    const numeric = new Set(['w', 'age', 'score', 'literate', 'npsu_pop']);
    for (const r of rows) ws.addRow(r.map((v, j) => (numeric.has(header[j]!) && v !== '' ? Number(v) : v)));
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await uploadFile(env().app, admin, '调查数据.xlsx', buf);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().format).toBe('xlsx');
    const done = await importAndWait(
      env().app,
      admin,
      up.json().id,
      importOf(design, { raking: { source: 'none' } }),
    );
    expect(done.status, JSON.stringify(done.report)).toBe('done');
    const wave = await env().app.inject({
      method: 'GET',
      url: `/api/v1/surveys/waves/${done.waveId}`,
      headers: { cookie: admin },
    });
    expectMatches(
      wave.json().estimates,
      expected.filter((e) => e.method === 'linearization'),
    );
    expect(wave.json().estimates.some((e: Got) => e.method === 'raking')).toBe(false);
  });

  it('reports every kind of bad row with its line and a Chinese message, counts per kind, and stores nothing', async () => {
    const { csv, design } = loadFixture('standard');
    const text = editCsv(csv.toString('utf8'), {
      1: { w: '-5' },
      2: { w: '' },
      3: { w: 'abc' },
      4: { stratum: '' },
      5: { psu: '' },
      6: { age: '75' },
      7: { age: '十八' },
      8: { literate: '2' },
      9: { score: '150' },
      10: { age: '17' },
    });
    const up = await uploadFile(env().app, admin, 'bad.csv', text);
    const waves0 = (
      await env().app.inject({ method: 'GET', url: '/api/v1/surveys/waves', headers: { cookie: admin } })
    ).json().items.length;
    const done = await importAndWait(
      env().app,
      admin,
      up.json().id,
      importOf(design, { raking: { source: 'none' } }),
    );
    expect(done.status).toBe('failed');
    const report = done.report;
    expect(report.counts).toMatchObject({
      weight_negative: 1,
      weight_missing: 1,
      weight_invalid: 1,
      stratum_missing: 1,
      psu_missing: 1,
      age_out_of_range: 2,
      age_invalid: 1,
      literate_invalid: 1,
      score_invalid: 1,
    });
    const messages = report.errors.map((e: { message: string }) => e.message);
    // Data row 1 is line 2 of the file (line 1 is the header).
    expect(messages).toContain('第 2 行的权数 -5 为负数');
    expect(messages).toContain('第 3 行的权数（w）缺失');
    expect(messages).toContain('第 4 行的权数「abc」不是数字');
    expect(messages).toContain('第 5 行的层（stratum）为空：未知的层');
    expect(messages).toContain('第 7 行的年龄 75 超出调查范围 18–69 岁');
    expect(messages).toContain('第 9 行的“具备科学素质”值「2」应为 0、1 或空（缺失）');
    expect(report.errors.find((e: { kind: string }) => e.kind === 'score_invalid').row).toBe(10);
    const waves1 = (
      await env().app.inject({ method: 'GET', url: '/api/v1/surveys/waves', headers: { cookie: admin } })
    ).json().items.length;
    expect(waves1).toBe(waves0);

    // A failed upload can be imported again (here with a mapping that leaves the bad columns out is not enough:
    // the weights are still bad), and a row with the wrong number of fields is reported too.
    const short = `${text}\n1,2,3`;
    const up2 = await uploadFile(env().app, admin, 'short.csv', short);
    const done2 = await importAndWait(
      env().app,
      admin,
      up2.json().id,
      importOf(design, { raking: { source: 'none' } }),
    );
    expect(done2.report.counts.row_length).toBe(1);
  });

  it("imports a two-stage design (PSU and second-stage unit, an fpc each) and equals R's multistage variance", async () => {
    // fixtures/survey/multistage: villages in area strata, then households (generate.R; R survey 4.1.1).
    const dir = `${FIXTURES}multistage/`;
    const csv = fs.readFileSync(`${dir}data.csv`);
    const { runs } = JSON.parse(fs.readFileSync(`${dir}runs.json`, 'utf8')) as {
      runs: { name: string; records: RRecord[] }[];
    };
    const r = runs.find((x) => x.name.startsWith('two stages, fpc at both'))!;
    const up = await uploadFile(env().app, analyst, 'two-stage.csv', csv);
    expect(up.statusCode, up.body).toBe(201);
    const mapping = {
      weight: 'w',
      stratum: 'area',
      psu: 'village',
      psu2: 'household',
      fpc: 'villages_in_area',
      fpc2: 'households_in_village',
      gender: 'gender',
      age_group: 'age_group',
      education: 'education',
      literate: 'literate',
      score: 'score',
    };
    const body = {
      name: '两阶段',
      year: 2025,
      scoringRule: 'official-2021' as const,
      mapping,
      lonelyPsu: 'fail' as const,
      raking: { source: 'none' as const },
    };
    const done = await importAndWait(env().app, analyst, up.json().id, body);
    expect(done.status, JSON.stringify(done.report)).toBe('done');
    const wave = await env().app.inject({
      method: 'GET',
      url: `/api/v1/surveys/waves/${done.waveId}`,
      headers: { cookie: analyst },
    });
    const { estimates, wave: w } = wave.json() as {
      estimates: Got[];
      wave: { design: Record<string, unknown> };
    };
    expect(w.design).toMatchObject({ clusters: ['psu', 'psu2'], fpc: ['fpc', 'fpc2'] });
    expect(estimates).toHaveLength(r.records.length);
    for (const e of r.records) {
      const g = estimates.find((x) => x.by === e.by && x.domain === e.domain && x.variable === e.variable)!;
      const label = `${e.by}=${e.domain} ${e.variable}`;
      expect(g, label).toBeDefined();
      expect([g.n, g.df], label).toEqual([e.n, e.df]);
      for (const f of FIELDS) expect(relErr(g[f]!, e[f]!), `${label} ${f}`).toBeLessThan(1e-8);
    }
    const note = await env().app.inject({
      method: 'GET',
      url: `/api/v1/surveys/waves/${done.waveId}/method-note?variable=score`,
      headers: { cookie: analyst },
    });
    expect(note.body).toContain('ids = ~village + household');
    expect(note.body).toContain('fpc = ~villages_in_area + households_in_village');
    expect(note.body).toContain('confint(svymean(~score, des, na.rm = TRUE), df = degf(des))');

    // A second stage needs a first, and its fpc the first stage's.
    const again = await uploadFile(env().app, analyst, 'two-stage.csv', csv);
    const bad = await env().app.inject({
      method: 'POST',
      url: `/api/v1/surveys/uploads/${again.json().id}/import`,
      headers: { cookie: analyst, origin: ORIGIN },
      payload: { ...body, mapping: { ...mapping, fpc: undefined } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('第二阶段有限总体校正需要同时指定');
  });

  it('stores an exact 0 or 1 with its flag, zero weights allowed (R accepts them)', async () => {
    // fixtures/survey/edges: domain a is all 0, c all 1 among rows of non-zero weight (generate.R; R survey 4.1.1).
    const dir = `${FIXTURES}edges/`;
    const csv = fs.readFileSync(`${dir}data.csv`);
    const { runs } = JSON.parse(fs.readFileSync(`${dir}runs.json`, 'utf8')) as {
      runs: { name: string; records: RRecord[] }[];
    };
    const r = runs.find((x) => x.name.startsWith('linearization: all-0'))!;
    const up = await uploadFile(env().app, analyst, 'edges.csv', csv);
    const done = await importAndWait(env().app, analyst, up.json().id, {
      name: '边界',
      year: 2025,
      scoringRule: 'official-2021',
      mapping: { weight: 'w', stratum: 'stratum', psu: 'psu', group: 'g', literate: 'y', score: 'score' },
      lonelyPsu: 'fail',
      raking: { source: 'none' },
    });
    expect(done.status, JSON.stringify(done.report)).toBe('done');
    const wave = await env().app.inject({
      method: 'GET',
      url: `/api/v1/surveys/waves/${done.waveId}`,
      headers: { cookie: analyst },
    });
    const estimates = (wave.json() as { estimates: Got[] }).estimates;
    const a = estimates.find((e) => e.by === 'group' && e.domain === 'a' && e.variable === 'literate')!;
    const c = estimates.find((e) => e.by === 'group' && e.domain === 'c' && e.variable === 'literate')!;
    expect(a).toMatchObject({
      estimate: 0,
      se: 0,
      ciLow: null,
      ciHigh: null,
      deff: null,
      flags: ['all_zero'],
    });
    expect(c).toMatchObject({
      estimate: 1,
      se: 0,
      ciLow: null,
      ciHigh: null,
      deff: null,
      flags: ['all_one'],
    });
    const wantB = r.records.find((e) => e.by === 'g' && e.domain === 'b' && e.variable === 'y')!;
    const b = estimates.find((e) => e.by === 'group' && e.domain === 'b' && e.variable === 'literate')!;
    for (const f of FIELDS) expect(relErr(b[f]!, wantB[f]!), `b ${f}`).toBeLessThan(1e-8);
    expect(b.n).toBe(wantB.n);
  });

  it('remembers a mapping: the next file with the same columns is pre-mapped the same way', async () => {
    const text = 'wgt_final,lit,ok_score\n1200,1,80\n800,0,40\n1000,0,55\n900,1,90\n';
    const first = (await uploadFile(env().app, admin, 'renamed.csv', text)).json();
    expect(first.suggestedMapping.weight).toBeUndefined();
    const mapping = { weight: 'wgt_final', literate: 'lit', score: 'ok_score' };
    const done = await importAndWait(env().app, admin, first.id, {
      name: '列名不同的文件',
      year: 2023,
      scoringRule: 'custom',
      mapping,
      lonelyPsu: 'adjust',
      raking: { source: 'none' },
    });
    expect(done.status, JSON.stringify(done.report)).toBe('done');
    const second = (await uploadFile(env().app, admin, 'renamed-again.csv', text)).json();
    expect(second.suggestedMapping).toEqual(mapping);
  });

  it('refuses one-PSU strata under lonelyPsu "fail", accepts them under "adjust"', async () => {
    const { csv, design } = loadFixture('standard');
    const { header, rows } = parseCsv(csv.toString('utf8'));
    const s = header.indexOf('stratum');
    const p = header.indexOf('psu');
    const first = rows[0]![s]!;
    const onePsu = rows.map((r) => (r[s] === first ? r.map((v, j) => (j === p ? 'ONLY' : v)) : r));
    const text = [header, ...onePsu].map((r) => r.map((v) => JSON.stringify(v)).join(',')).join('\r\n');
    const up = await uploadFile(env().app, admin, 'lonely.csv', text);
    const failed = await importAndWait(
      env().app,
      admin,
      up.json().id,
      importOf(design, { raking: { source: 'none' } }),
    );
    expect(failed.status).toBe('failed');
    expect(failed.report.counts.lonely_psu).toBe(1);
    expect(failed.report.errors[0].message).toContain(`层「${first}」只有 1 个初级抽样单位`);
    expect(failed.report.errors[0].row).toBe(2);
    const ok = await importAndWait(
      env().app,
      admin,
      up.json().id,
      importOf(design, { lonelyPsu: 'adjust', raking: { source: 'none' } }),
    );
    expect(ok.status, JSON.stringify(ok.report)).toBe('done');
  });

  it('refuses raking margins that do not cover the data, and unknown mapped columns', async () => {
    const { csv, design } = loadFixture('standard');
    const up = await uploadFile(env().app, admin, 'data.csv', csv);
    const margins = [{ variable: 'area', totals: { 城镇: 5680000 } }];
    const done = await importAndWait(
      env().app,
      admin,
      up.json().id,
      importOf(design, { raking: { source: 'explicit', margins, maxIter: 100, epsilon: 1e-10 } }),
    );
    expect(done.status).toBe('failed');
    expect(done.report.counts.margin_level_unknown).toBe(1);
    expect(done.report.errors[0].message).toMatch(/「城乡」取值「乡村」在人口边际中没有对应的总数/);

    const bad = await env().app.inject({
      method: 'POST',
      url: `/api/v1/surveys/uploads/${up.json().id}/import`,
      headers: { cookie: admin, origin: ORIGIN },
      payload: importOf(design, { mapping: { weight: 'weight_col', literate: 'literate' } }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('文件中没有列「weight_col」');
  });

  it('rakes to the population margins of a year (census 2020 seeded) and freezes them into the wave', async () => {
    const seeded = await env().app.inject({
      method: 'GET',
      url: '/api/v1/surveys/margins/2020',
      headers: { cookie: admin },
    });
    expect(seeded.statusCode).toBe(200);
    const rows = seeded.json().rows as { dimension: string; level: string; population: number }[];
    expect(rows.find((r) => r.dimension === 'total')?.population).toBe(9083790);
    expect(rows.find((r) => r.dimension === 'sex' && r.level === '男')?.population).toBe(4579072);
    expect(rows.find((r) => r.dimension === 'sex' && r.level === '女')?.population).toBe(4504718);
    expect(rows.find((r) => r.dimension === 'county' && r.level === '泉山区')?.population).toBe(619784);
    expect(rows).toHaveLength(4);

    const { csv, design } = loadFixture('standard');
    const up = await uploadFile(env().app, admin, 'data.csv', csv);
    const missing = await env().app.inject({
      method: 'POST',
      url: `/api/v1/surveys/uploads/${up.json().id}/import`,
      headers: { cookie: admin, origin: ORIGIN },
      payload: importOf(design, {
        raking: { source: 'population', year: 2020, dimensions: ['area'], maxIter: 100, epsilon: 1e-10 },
      }),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('2020 年没有录入「城乡」的人口边际');

    const done = await importAndWait(
      env().app,
      admin,
      up.json().id,
      importOf(design, {
        raking: { source: 'population', year: 2020, dimensions: ['sex'], maxIter: 100, epsilon: 1e-10 },
      }),
    );
    expect(done.status, JSON.stringify(done.report)).toBe('done');
    const wave = (
      await env().app.inject({
        method: 'GET',
        url: `/api/v1/surveys/waves/${done.waveId}`,
        headers: { cookie: admin },
      })
    ).json();
    expect(wave.wave.design.raking.margins).toEqual([
      { variable: 'gender', totals: { 男: 4579072, 女: 4504718 } },
    ]);
    const raked = wave.estimates.find(
      (e: Got) => e.method === 'raking' && e.by === null && e.variable === 'literate',
    );
    const lin = wave.estimates.find(
      (e: Got) => e.method === 'linearization' && e.by === null && e.variable === 'literate',
    );
    expect(raked.estimate).not.toBe(lin.estimate);

    // Editing the table later does not change the wave.
    const put = await env().app.inject({
      method: 'POST',
      url: '/api/v1/surveys/margins/2020',
      headers: { cookie: admin, origin: ORIGIN },
      payload: { rows: [...rows, { dimension: 'area', level: '城镇', population: 6000000, source: null }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().rows).toHaveLength(5);
    const dup = await env().app.inject({
      method: 'POST',
      url: '/api/v1/surveys/margins/2020',
      headers: { cookie: admin, origin: ORIGIN },
      payload: { rows: [...rows, ...rows] },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('publishes a wave headline to the public and writes a method note with the R call', async () => {
    const { csv, design, expected } = loadFixture('standard');
    const up = await uploadFile(env().app, admin, 'data.csv', csv);
    const done = await importAndWait(
      env().app,
      admin,
      up.json().id,
      importOf(design, { name: '2024 年监测', year: 2024 }),
    );
    const before = (await env().app.inject({ method: 'GET', url: '/api/v1/public/literacy' })).json();
    expect(before.items.find((i: { waveId: string }) => i.waveId === done.waveId)).toBeUndefined();
    const wave = (
      await env().app.inject({
        method: 'GET',
        url: `/api/v1/surveys/waves/${done.waveId}`,
        headers: { cookie: admin },
      })
    ).json().wave;
    const pub = await env().app.inject({
      method: 'PATCH',
      url: `/api/v1/surveys/waves/${done.waveId}`,
      headers: { cookie: admin, origin: ORIGIN },
      payload: { version: wave.version, isPublished: true },
    });
    expect(pub.statusCode).toBe(200);
    const after = (await env().app.inject({ method: 'GET', url: '/api/v1/public/literacy' })).json();
    const item = after.items.find((i: { waveId: string }) => i.waveId === done.waveId);
    // One headline: raking when the wave has margins, else linearization — as R computed it.
    const hasRaking = expected.some((e) => e.method === 'raking');
    expect(item.method).toBe(hasRaking ? 'raking' : 'linearization');
    const headline = expected.find(
      (e) => e.method === item.method && e.by === null && e.variable === 'literate',
    )!;
    expect(relErr(item.estimate, headline.estimate)).toBeLessThan(1e-8);
    // The target is the plan's own survey-rate indicator (徐政发〔2022〕13号: 15.5% by 2025), not a constant.
    expect(after.target).toMatchObject({ value: 15.5, year: 2025 });
    const mine = (
      await env().app.inject({ method: 'GET', url: '/api/v1/surveys/headlines', headers: { cookie: admin } })
    ).json();
    expect(mine.items.find((i: { waveId: string }) => i.waveId === done.waveId)).toEqual(item);
    expect(relErr(item.ciLow, headline.ciLow!)).toBeLessThan(1e-8);
    const del = await env().app.inject({
      method: 'DELETE',
      url: `/api/v1/surveys/waves/${done.waveId}`,
      headers: { cookie: admin, origin: ORIGIN },
    });
    expect(del.statusCode).toBe(409);

    const note = await env().app.inject({
      method: 'GET',
      url: `/api/v1/surveys/waves/${done.waveId}/method-note?method=raking&variable=literate&by=district&domain=${encodeURIComponent('泉山区')}`,
      headers: { cookie: admin },
    });
    expect(note.statusCode).toBe(200);
    expect(note.headers['content-type']).toContain('text/markdown');
    expect(note.headers['content-disposition']).toContain('attachment');
    const rec = expected.find((e) => e.method === 'raking' && e.by === 'district' && e.domain === '泉山区')!;
    expect(note.body).toContain(`${(rec.estimate * 100).toFixed(2)}%`);
    expect(note.body).toContain(
      'svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = df, nest = TRUE)',
    );
    expect(note.body).toContain('rake(des, list(~gender, ~age_group, ~area)');
    expect(note.body).toContain(
      'svyciprop(~literate, subset(des, district == "泉山区"), method = "xlogit", na.rm = TRUE)',
    );
    expect(note.body).toContain(`n：${rec.n}`);

    // ?format=html is an HTML page of the same note (it used to be the Markdown again).
    const html = await env().app.inject({
      method: 'GET',
      url: `/api/v1/surveys/waves/${done.waveId}/method-note?method=raking&variable=literate&by=district&domain=${encodeURIComponent('泉山区')}&format=html`,
      headers: { cookie: admin },
    });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['content-disposition']).toContain('.html');
    expect(html.body).toMatch(/^<!doctype html>/);
    expect(html.body).toContain('<meta charset="utf-8">');
    expect(html.body).toMatch(/<h[12]>/);
    expect(html.body).not.toMatch(/^#+ /m);
    expect(html.body).toContain(`${(rec.estimate * 100).toFixed(2)}%`);
    expect(html.body).toContain(
      'svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = df, nest = TRUE)',
    );
  });
});

describeEachDialect('survey routes: who may do what', (env) => {
  type Who = 'public' | 'admin' | 'analyst' | 'leader' | 'reporter';
  const cookies: Record<Who, string> = { public: '', admin: '', analyst: '', leader: '', reporter: '' };
  let uploadId = '';
  let waveId = '';
  let version = 1;
  beforeAll(async () => {
    for (const who of ['admin', 'analyst', 'leader', 'reporter'] as const)
      cookies[who] = (await env().makeUser(who)).cookie;
    const { csv, design } = loadFixture('standard');
    const up = await uploadFile(env().app, cookies.admin, 'data.csv', csv);
    const done = await importAndWait(
      env().app,
      cookies.admin,
      up.json().id,
      importOf(design, { raking: { source: 'none' } }),
    );
    waveId = done.waveId;
    uploadId = (await uploadFile(env().app, cookies.admin, 'data.csv', csv)).json().id;
  });

  const MANAGE: Who[] = ['admin', 'analyst'];
  const READ: Who[] = ['admin', 'analyst', 'leader'];
  const ALL: Who[] = ['public', 'admin', 'analyst', 'leader', 'reporter'];
  const rows: [string, Who[], (who: Who) => Promise<{ statusCode: number; body: string }>][] = [
    [
      'upload a file',
      MANAGE,
      (who) => uploadFile(env().app, cookies[who], 'x.csv', 'w,literate\n1,0\n2,1\n'),
    ],
    ['read an upload', MANAGE, (who) => inject(who, 'GET', `/api/v1/surveys/uploads/${uploadId}`)],
    [
      'import an upload',
      MANAGE,
      async (who) => {
        const body = importOf(loadFixture('standard').design, { raking: { source: 'none' } });
        const r = await inject(who, 'POST', `/api/v1/surveys/uploads/${uploadId}/import`, body);
        // The first allowed caller starts it (202); later ones find it started or done (409). Let it finish.
        if (r.statusCode === 202) await waitUpload(uploadId);
        return r;
      },
    ],
    ['list waves', READ, (who) => inject(who, 'GET', '/api/v1/surveys/waves')],
    ['read a wave', READ, (who) => inject(who, 'GET', `/api/v1/surveys/waves/${waveId}`)],
    ['method note', READ, (who) => inject(who, 'GET', `/api/v1/surveys/waves/${waveId}/method-note`)],
    [
      'rename a wave',
      MANAGE,
      async (who) => {
        const r = await inject(who, 'PATCH', `/api/v1/surveys/waves/${waveId}`, {
          version,
          name: `轮次${who}`,
        });
        if (r.statusCode === 200) version += 1;
        return r;
      },
    ],
    ['recompute a wave', MANAGE, (who) => inject(who, 'POST', `/api/v1/surveys/waves/${waveId}/recompute`)],
    ['read margins', READ, (who) => inject(who, 'GET', '/api/v1/surveys/margins/2020')],
    ['list margin years', READ, (who) => inject(who, 'GET', '/api/v1/surveys/margins')],
    ['edit margins', MANAGE, (who) => inject(who, 'POST', '/api/v1/surveys/margins/2031', { rows: [] })],
    ['public headline', ALL, (who) => inject(who, 'GET', '/api/v1/public/literacy')],
  ];
  async function waitUpload(id: string) {
    for (;;) {
      const r = await inject('admin', 'GET', `/api/v1/surveys/uploads/${id}`);
      if (r.json().status !== 'processing') return;
      await new Promise((res) => setTimeout(res, 20));
    }
  }
  function inject(who: Who, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
    return env().app.inject({
      method,
      url,
      headers: { ...(cookies[who] ? { cookie: cookies[who] } : {}), origin: ORIGIN },
      ...(payload ? { payload } : method === 'POST' ? { payload: {} } : {}),
    });
  }

  it.each(rows.flatMap(([action, allowed, call]) => ALL.map((who) => [action, who, allowed, call] as const)))(
    '%s as %s',
    async (_action, who, allowed, call) => {
      const r = await call(who);
      if (allowed.includes(who)) {
        // Allowed: anything but an authorization refusal (a deliberately empty import body is a 400).
        expect([401, 403], r.body).not.toContain(r.statusCode);
      } else {
        expect(r.statusCode, r.body).toBe(who === 'public' ? 401 : 403);
      }
    },
  );
});

describeEachDialect(
  'survey uploads: size limit',
  (env) => {
    it('answers 413 to a file over SURVEY_UPLOAD_MAX_MB and keeps nothing of it', async () => {
      const { cookie } = await env().makeUser('analyst');
      const { csv } = loadFixture('standard');
      expect(csv.length).toBeGreaterThan(0.05 * 1024 * 1024);
      const r = await uploadFile(env().app, cookie, 'data.csv', csv);
      expect(r.statusCode).toBe(413);
      expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(r.json().error.message).toContain('MB');
      const small = await uploadFile(env().app, cookie, 'small.csv', csv.subarray(0, 20_000));
      expect(small.statusCode).toBe(201);
      const left = await env().db.kysely.selectFrom('survey_uploads').select('id').execute();
      expect(left).toHaveLength(1);
      const txt = await uploadFile(env().app, cookie, 'notes.txt', 'hello');
      expect(txt.statusCode).toBe(415);
    });
  },
  { env: { SURVEY_UPLOAD_MAX_MB: '0.05' } },
);

describe('age bands', () => {
  it('puts 18–29, 30–39, …, 60–69 where the survey does', async () => {
    const { ageBand } = await import('./microdata.validate');
    expect([18, 29, 30, 39, 40, 59, 60, 69, 17, 70].map(ageBand)).toEqual([
      '18-29',
      '18-29',
      '30-39',
      '30-39',
      '40-49',
      '50-59',
      '60-69',
      '60-69',
      '',
      '',
    ]);
  });
});
