import { beforeAll, expect, it } from 'vitest';
import { newId } from '../../ids';
import { describeEachDialect } from '../../test/env';
import { countyAdmin, jurisdictionIds } from '../../test/jurisdictions-factory';
import { draftTask, planDraft } from '../../test/plan-factory';
import { call, multipart, TINY_PDF } from '../../test/reporting-factory';
import { addDays, todayUtc } from '../supervision/notice-state';
import { assessmentStandings } from './assessments-reads.service';

const FORGED = '01ZZZZZZZZZZZZZZZZZZZZZZZZ';
const YEAR = 2025;

interface Results {
  rubric: { id: string; state: string; version: number; items: { id: string; title: string }[] };
  appealOpen: boolean;
  subjects: {
    subjectId: string;
    subjectName: string;
    total: number;
    grade: string;
    rank: number;
    vetoed: boolean;
    items: {
      itemId: string;
      computed: number | null;
      score: number | null;
      explanation: string;
      overrideScore: number | null;
      overrideReason: string | null;
    }[];
  }[];
}

/**
 * 年度考核 over HTTP on a real database. A small plan of the city: task 1.1 (15 schools by 2025-12-31) led by unit L
 * with C co-operating, task 1.2 (300 trained a year) led by C; one half-year cycle of 2025 due 2025-07-15. L reports
 * 6 schools late, is returned once, then approved; C never reports. 督办 notices, registry records, funding,
 * residents and activities are written as each case needs. Every expected score below is worked out by hand.
 */
describeEachDialect('assessments (年度考核)', (env) => {
  let admin = { id: '', cookie: '' };
  let leader = { id: '', cookie: '' };
  let L = { id: '', name: '' };
  let C = { id: '', name: '' };
  let X = { id: '', name: '' };
  let repL = { id: '', cookie: '' };
  let repC = { id: '', cookie: '' };
  let repX = { id: '', cookie: '' };
  let cityId = '';
  let ids = new Map<string, string>();
  let feng = { cookie: '', jurisdictionId: '' };
  let pei = { cookie: '', jurisdictionId: '' };

  let indicator11 = '';

  beforeAll(async () => {
    const e = env();
    admin = await e.makeUser('admin');
    leader = await e.makeUser('leader');
    L = await e.makeUnit();
    C = await e.makeUnit();
    X = await e.makeUnit();
    repL = await e.makeUser('reporter', { unitId: L.id });
    repC = await e.makeUser('reporter', { unitId: C.id });
    repX = await e.makeUser('reporter', { unitId: X.id });
    ids = await jurisdictionIds(e, admin.cookie);
    cityId = ids.get('徐州市')!;
    feng = await countyAdmin(e, admin.cookie, '丰县');
    pei = await countyAdmin(e, admin.cookie, '沛县');

    const task = draftTask;
    const imported = await call(e.app, admin.cookie, 'POST', '/api/v1/plans/import', {
      draft: planDraft(
        [
          task('1', 1, '青少年科学素质提升行动', [], []),
          task(
            '1.1',
            2,
            '创建科学教育示范学校',
            [
              { name: L.name, role: 'lead' },
              { name: C.name, role: 'co' },
            ],
            [
              {
                text: '到2025年底创建15所示范学校',
                value: 15,
                unit: '所',
                comparator: '>=',
                period: null,
                deadline: '2025-12-31',
              },
            ],
          ),
          task(
            '1.2',
            2,
            '培训科技辅导员',
            [{ name: C.name, role: 'lead' }],
            [
              {
                text: '每年培训科技辅导员300人',
                value: 300,
                unit: '人',
                comparator: '>=',
                period: 'year',
                deadline: null,
              },
            ],
          ),
        ],
        '考核测试规划',
      ),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const planId = imported.json().plan.id;
    const cycle = await call(e.app, admin.cookie, 'POST', '/api/v1/reporting/cycles', {
      planId,
      name: '2025年上半年',
      frequency: 'half_yearly',
      periodStart: '2025-01-01',
      periodEnd: '2025-06-30',
      dueDate: '2025-07-15',
      graceDays: 0,
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    const tree = (await call(e.app, admin.cookie, 'GET', `/api/v1/plans/${planId}/tree`)).json();
    const t11 = tree.tasks.find((x: { path: string }) => x.path === '1.1');
    indicator11 = t11.indicators[0].id;
    // L: 6 of 15 schools, submitted (late: the due date is long past), returned once, submitted again, approved.
    const opened = await call(e.app, repL.cookie, 'POST', '/api/v1/reports', {
      cycleId: cycle.json().id,
      taskId: t11.id,
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const rid = opened.json().id;
    const saved = await call(e.app, repL.cookie, 'PATCH', `/api/v1/reports/${rid}`, {
      progress: 'behind',
      values: [{ indicatorId: indicator11, countyId: null, value: 6, note: '用地未落实' }],
      version: opened.json().version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const sub1 = await call(e.app, repL.cookie, 'POST', `/api/v1/reports/${rid}/submit`, {
      version: saved.json().version,
    });
    expect(sub1.statusCode, sub1.body).toBe(200);
    const ret = await call(e.app, admin.cookie, 'POST', `/api/v1/reports/${rid}/return`, {
      version: sub1.json().version,
      comment: '请补充佐证',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    const sub2 = await call(e.app, repL.cookie, 'POST', `/api/v1/reports/${rid}/submit`, {
      version: ret.json().version,
    });
    expect(sub2.statusCode, sub2.body).toBe(200);
    const ok = await call(e.app, admin.cookie, 'POST', `/api/v1/reports/${rid}/approve`, {
      version: sub2.json().version,
    });
    expect(ok.statusCode, ok.body).toBe(200);

    // 督办: C has two notices of 2025 past their deadline and never done, and an open red one; L one done in time.
    const notice = async (
      unitId: string,
      subject: string,
      deadline: string,
      o: Record<string, unknown> = {},
    ) =>
      e.db.kysely
        .insertInto('supervision_notices')
        .values({
          id: newId(),
          unit_id: unitId,
          subject,
          content: '测试',
          severity: 'yellow',
          deadline,
          state: 'issued',
          link_type: null,
          link_id: null,
          link_label: null,
          alert_key: null,
          issued_by: admin.id,
          issued_at: '2025-01-10T00:00:00.000Z',
          signed_at: null,
          done_at: null,
          closed_at: null,
          version: 1,
          created_at: '2025-01-10T00:00:00.000Z',
          updated_at: '2025-01-10T00:00:00.000Z',
          ...o,
        })
        .execute();
    await notice(C.id, '基地建设滞后', '2025-03-01');
    await notice(C.id, '培训未开展', '2025-05-01', { state: 'signed' });
    await notice(C.id, '严重滞后', '2025-10-01', { severity: 'red', issued_at: '2025-09-01T00:00:00.000Z' });
    await notice(L.id, '按时办结', '2025-04-01', {
      state: 'closed',
      done_at: '2025-03-20T00:00:00.000Z',
      closed_at: '2025-03-25T00:00:00.000Z',
    });

    // 资源库: L keeps three 省级 科普教育基地 recognised in 2025 (one withdrawn later: still new in 2025), one 市级
    // of 2025 and one 省级 of 2024 (neither counts).
    const base = async (level: string, recognisedOn: string, withdrawn: string | null = null) =>
      e.db.kysely
        .insertInto('resources')
        .values({
          id: newId(),
          kind: 'science_base',
          jurisdiction_id: cityId,
          unit_id: L.id,
          name: `基地${level}${recognisedOn}${Math.random().toString(36).slice(2, 6)}`,
          level,
          category: null,
          theme: null,
          recognised_on: recognisedOn,
          expires_on: null,
          withdrawn_on: withdrawn,
          withdrawn_reason: withdrawn ? '整改不到位' : null,
          year: null,
          quantity: null,
          hours: null,
          address: null,
          longitude: null,
          latitude: null,
          open_to_public: null,
          opening_hours: null,
          parent_id: null,
          details_json: '{}',
          version: 1,
          created_by: admin.id,
          created_at: '2025-01-01T00:00:00.000Z',
          updated_at: '2025-01-01T00:00:00.000Z',
          demo_batch_id: null,
        })
        .execute();
    await base('省级', '2025-02-01');
    await base('省级', '2025-06-01');
    await base('省级', '2025-09-01', '2025-11-01');
    await base('市级', '2025-03-01');
    await base('省级', '2024-12-31');
  });

  const post = (cookie: string, url: string, body?: unknown) => call(env().app, cookie, 'POST', url, body);
  const put = (cookie: string, url: string, body: unknown) => call(env().app, cookie, 'PUT', url, body);
  const get = (cookie: string, url: string) => call(env().app, cookie, 'GET', url);
  const results = async (cookie: string, id: string) => {
    const r = await get(cookie, `/api/v1/assessments/${id}/results`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Results;
  };
  const subject = (res: Results, id: string) => res.subjects.find((s) => s.subjectId === id)!;

  const UNIT_ITEMS = [
    { title: '制度建设', points: 10, rule: { kind: 'evidence' } },
    {
      title: '示范学校指标',
      points: 20,
      rule: { kind: 'indicator_threshold', indicatorId: '', threshold: 50, partial: true },
    },
    { title: '牵头任务完成度', points: 30, rule: { kind: 'proportional' } },
    {
      title: '报送质量',
      points: 5,
      rule: { kind: 'deduction', events: ['late_report', 'returned_report'], perEvent: 1 },
    },
    { title: '督办落实', points: 3, rule: { kind: 'deduction', events: ['overdue_notice'], perEvent: 2 } },
    {
      title: '新认定省级科普教育基地',
      points: 5,
      rule: {
        kind: 'bonus',
        source: 'registry',
        registryKind: 'science_base',
        levels: ['省级'],
        perRecord: 2,
      },
    },
    { title: '红色督办', points: 0, rule: { kind: 'veto', condition: 'red_notice_open' } },
  ];
  let unitsRubric = { id: '', version: 0, items: [] as { id: string; title: string }[] };
  const itemId = (title: string) => unitsRubric.items.find((i) => i.title === title)!.id;

  it('computes every rule kind with its explanation (hand-worked scores)', async () => {
    const items = UNIT_ITEMS.map((i) =>
      i.rule.kind === 'indicator_threshold' ? { ...i, rule: { ...i.rule, indicatorId: indicator11 } } : i,
    );
    const created = await post(admin.cookie, '/api/v1/assessments', {
      year: YEAR,
      audience: 'units',
      title: `${YEAR}年度市级单位考核`,
      items,
    });
    expect(created.statusCode, created.body).toBe(201);
    unitsRubric = created.json();
    expect(created.json().state).toBe('draft');
    expect(created.json().basePoints).toBe(60);
    // A draft is the office's only: a unit sees nothing yet.
    expect((await get(repL.cookie, `/api/v1/assessments/${unitsRubric.id}/results`)).statusCode).toBe(404);
    // One rubric per level, year and audience.
    expect(
      (
        await post(admin.cookie, '/api/v1/assessments', {
          year: YEAR,
          audience: 'units',
          title: '重复',
          items: [],
        })
      ).statusCode,
    ).toBe(409);

    const computed = await post(admin.cookie, `/api/v1/assessments/${unitsRubric.id}/compute`);
    expect(computed.statusCode, computed.body).toBe(200);
    expect(computed.json()).toMatchObject({ state: 'computed', asOf: '2025-12-31' });
    unitsRubric = computed.json();

    // The admin judges the evidence item: L met, C not.
    const mark = (subjectId: string, met: boolean) =>
      put(admin.cookie, `/api/v1/assessments/${unitsRubric.id}/items/${itemId('制度建设')}/mark`, {
        subjectId,
        met,
        note: met ? '' : '未印发制度',
      });
    expect((await mark(L.id, true)).statusCode).toBe(204);
    expect((await mark(C.id, false)).statusCode).toBe(204);

    const res = await results(admin.cookie, unitsRubric.id);
    expect(res.subjects.map((s) => s.subjectId).sort()).toEqual([L.id, C.id].sort());
    const l = subject(res, L.id);
    const c = subject(res, C.id);
    const score = (s: Results['subjects'][number], title: string) =>
      s.items.find((i) => i.itemId === itemId(title))!;
    // evidence: L met → 10; C not met → 0.
    expect(score(l, '制度建设').score).toBe(10);
    expect(score(c, '制度建设').score).toBe(0);
    expect(score(c, '制度建设').explanation).toContain('未印发制度');
    // threshold 50% with partial credit: L leads 1.1 at 6/15 = 40% → 20 × 40 / 50 = 16; C does not lead → full 20.
    expect(score(l, '示范学校指标').score).toBe(16);
    expect(score(l, '示范学校指标').explanation).toContain('40%');
    expect(score(c, '示范学校指标').score).toBe(20);
    expect(score(c, '示范学校指标').explanation).toContain('不适用');
    // proportional: L's led task 1.1 at 40% → 30 × 0.4 = 12; C's led task 1.2 (its target bound at import to the
    // registry's 科技辅导员 trainings, none recorded in 2025: 0 of 300) at 0% → 0.
    expect(score(l, '牵头任务完成度').score).toBe(12);
    expect(score(l, '牵头任务完成度').explanation).toBe(
      '截至 2025-12-31，牵头任务 1 项（有数据 1 项）平均完成 40%，按比例得 30 分 × 40% = 12 分',
    );
    expect(score(c, '牵头任务完成度').score).toBe(0);
    // deductions of report events: L late 1 + returned 1 → −2; C: both its assignments missing → 2 late → −2.
    expect(score(l, '报送质量').score).toBe(-2);
    expect(score(l, '报送质量').explanation).toBe(
      '2025年逾期报告 1 次、退回 1 次，每次扣 1 分，扣 2 分（截至 2025-12-31）',
    );
    expect(score(c, '报送质量').score).toBe(-2);
    // overdue 督办: C 2 × 2 = 4, capped at 3; L's was done in time → 0.
    expect(score(c, '督办落实').score).toBe(-3);
    expect(score(c, '督办落实').explanation).toContain('“基地建设滞后”');
    expect(score(c, '督办落实').explanation).toContain('最多扣 3 分');
    expect(score(l, '督办落实').score).toBe(0);
    // registry bonus: 3 省级 bases new in 2025 × 2 = 6, capped at 5.
    expect(score(l, '新认定省级科普教育基地').score).toBe(5);
    expect(score(l, '新认定省级科普教育基地').explanation).toContain('3 个');
    expect(score(c, '新认定省级科普教育基地').score).toBe(0);
    // veto: C's red notice is open at the year's end.
    expect(score(c, '红色督办').score).toBe(1);
    expect(score(c, '红色督办').explanation).toContain('“严重滞后”');
    // L: 10 + 16 + 12 − 2 − 0 + 5 = 41 of 60 (68.3%) → 合格, rank 1; C vetoed → 0, 不合格, last.
    expect(l).toMatchObject({ total: 41, grade: '合格', rank: 1, vetoed: false });
    expect(c).toMatchObject({ total: 0, grade: '不合格', rank: 2, vetoed: true });
  });

  it('keeps overrides across recomputing; a reason is required; each is audited', async () => {
    const url = `/api/v1/assessments/${unitsRubric.id}/items/${itemId('牵头任务完成度')}/override`;
    expect((await put(admin.cookie, url, { subjectId: L.id, score: 15, reason: '' })).statusCode).toBe(400);
    expect(
      (await put(admin.cookie, url, { subjectId: L.id, score: 31, reason: '超出分值' })).statusCode,
    ).toBe(400);
    const ok = await put(admin.cookie, url, { subjectId: L.id, score: 15, reason: '年底补报数据已核实' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      computed: 12,
      overrideScore: 15,
      score: 15,
      overrideReason: '年底补报数据已核实',
    });
    expect((await post(admin.cookie, `/api/v1/assessments/${unitsRubric.id}/compute`)).statusCode).toBe(200);
    const l = subject(await results(admin.cookie, unitsRubric.id), L.id);
    const item = l.items.find((i) => i.itemId === itemId('牵头任务完成度'))!;
    expect(item).toMatchObject({ computed: 12, overrideScore: 15, score: 15 });
    // 41 − 12 + 15 = 44.
    expect(l.total).toBe(44);
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'assessment.override')
      .where('entity_id', '=', unitsRubric.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after_json).toContain('年底补报数据已核实');
    // Others may not override.
    expect((await put(leader.cookie, url, { subjectId: L.id, score: 1, reason: 'x' })).statusCode).toBe(403);
    expect((await put(repL.cookie, url, { subjectId: L.id, score: 1, reason: 'x' })).statusCode).toBe(403);
  });

  it('lets subjects appeal only within the window, with files; answers become overrides; freezing waits for answers', async () => {
    const id = unitsRubric.id;
    const item = itemId('牵头任务完成度');
    const appeal = () =>
      post(repL.cookie, `/api/v1/assessments/${id}/items/${item}/appeals`, {
        subjectId: L.id,
        text: '下半年数据未计入',
      });
    // No window yet.
    expect((await appeal()).json().error.code).toBe('ASSESSMENT_APPEAL_CLOSED');
    const today = todayUtc();
    const window = async (appealStart: string, appealEnd: string) => {
      const v = (await get(admin.cookie, `/api/v1/assessments/${id}`)).json().version;
      const r = await put(admin.cookie, `/api/v1/assessments/${id}/appeal-window`, {
        appealStart,
        appealEnd,
        version: v,
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    await window(addDays(today, 2), addDays(today, 9));
    const before = await appeal();
    expect(before.statusCode).toBe(409);
    expect(before.json().error.message).toContain('尚未开始');
    await window(addDays(today, -9), addDays(today, -2));
    const after = await appeal();
    expect(after.statusCode).toBe(409);
    expect(after.json().error.message).toContain('已经结束');
    await window(addDays(today, -1), addDays(today, 1));
    const mine = await results(repL.cookie, id);
    expect(mine.appealOpen).toBe(true);
    // A unit sees only its own result.
    expect(mine.subjects.map((s) => s.subjectId)).toEqual([L.id]);
    // Nobody appeals for another subject.
    expect(
      (
        await post(repL.cookie, `/api/v1/assessments/${id}/items/${item}/appeals`, {
          subjectId: C.id,
          text: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const made = await appeal();
    expect(made.statusCode, made.body).toBe(201);
    const body = multipart('说明.pdf', TINY_PDF);
    const file = await env().app.inject({
      method: 'POST',
      url: `/api/v1/assessments/${id}/appeals/${made.json().id}/files`,
      headers: { origin: 'http://localhost:80', cookie: repL.cookie, ...body.headers },
      payload: body.payload,
    });
    expect(file.statusCode, file.body).toBe(201);
    const fetched = await get(admin.cookie, `/api/v1/assessments/${id}/files/${file.json().id}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(repC.cookie, `/api/v1/assessments/${id}/files/${file.json().id}`)).statusCode).toBe(
      404,
    );

    // Freezing waits for the answer.
    const refused = await post(admin.cookie, `/api/v1/assessments/${id}/freeze`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('ASSESSMENT_OPEN_APPEALS');
    const answerUrl = `/api/v1/assessments/${id}/appeals/${made.json().id}/answer`;
    expect(
      (await post(admin.cookie, answerUrl, { decision: 'accept', answer: '核实后采纳', score: null }))
        .statusCode,
    ).toBe(400);
    const answered = await post(admin.cookie, answerUrl, {
      decision: 'accept',
      answer: '核实后采纳',
      score: 18,
    });
    expect(answered.statusCode, answered.body).toBe(204);
    expect((await post(admin.cookie, answerUrl, { decision: 'reject', answer: '再次答复' })).statusCode).toBe(
      409,
    );
    const l = subject(await results(repL.cookie, id), L.id);
    expect(l.items.find((i) => i.itemId === item)).toMatchObject({
      overrideScore: 18,
      overrideReason: '申诉答复：核实后采纳',
    });
    // 41 − 12 + 18 = 47.
    expect(l.total).toBe(47);
  });

  it('freezes: ranked, immutable; the standings read back for other modules', async () => {
    const id = unitsRubric.id;
    const frozen = await post(admin.cookie, `/api/v1/assessments/${id}/freeze`);
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect(frozen.json().state).toBe('frozen');
    const item = itemId('制度建设');
    expect(
      (
        await put(admin.cookie, `/api/v1/assessments/${id}/items/${item}/override`, {
          subjectId: L.id,
          score: 1,
          reason: '改',
        })
      ).json().error.code,
    ).toBe('ASSESSMENT_FROZEN');
    expect((await post(admin.cookie, `/api/v1/assessments/${id}/compute`)).json().error.code).toBe(
      'ASSESSMENT_FROZEN',
    );
    expect(
      (
        await post(repL.cookie, `/api/v1/assessments/${id}/items/${item}/appeals`, {
          subjectId: L.id,
          text: 'x',
        })
      ).statusCode,
    ).toBe(409);
    expect((await post(admin.cookie, `/api/v1/assessments/${id}/freeze`)).statusCode).toBe(409);
    const standings = await assessmentStandings(env().db.kysely, id);
    expect(standings?.rubric).toMatchObject({
      year: YEAR,
      audience: 'units',
      state: 'frozen',
      publishedAt: null,
    });
    // 47 of 60 = 78.3% → 良好.
    expect(standings?.rows.map((r) => [r.subjectId, r.total, r.grade, r.rank, r.vetoed])).toEqual([
      [L.id, 47, '良好', 1, false],
      [C.id, 0, '不合格', 2, true],
    ]);
    // Not published: the public sees nothing.
    const pub = await get('', '/api/v1/public/assessments');
    expect(pub.json().items.map((x: { id: string }) => x.id)).not.toContain(id);
  });

  let countiesRubric = '';
  it('ranks counties with ties sharing a rank; coverage and funding bonuses; publishes to the public', async () => {
    const e = env();
    const fengId = feng.jurisdictionId;
    const peiId = pei.jurisdictionId;
    // Residents of 2025: 丰县 1,000,000, 沛县 1,000,000 (the city's total for the root).
    const margins = await post(admin.cookie, `/api/v1/surveys/margins/${YEAR}`, {
      rows: [
        { dimension: 'total', level: '全市', population: 9_000_000, source: '测试' },
        { dimension: 'county', level: '丰县', population: 1_000_000, source: '测试' },
        { dimension: 'county', level: '沛县', population: 1_000_000, source: '测试' },
      ],
    });
    expect(margins.statusCode, margins.body).toBe(200);
    // 科普经费: 丰县 2,000,000 元 → 2 元/人 (≥ 1.5); 沛县 1,000,000 元 → 1 元/人.
    for (const [who, amount] of [
      [feng, 2_000_000],
      [pei, 1_000_000],
    ] as const) {
      const f = await put(who.cookie, '/api/v1/funding', {
        jurisdictionId: who.jurisdictionId,
        year: YEAR,
        rows: [{ source: '本级财政预算', budgeted: amount, spent: null, note: null }],
      });
      expect(f.statusCode, f.body).toBe(200);
    }
    // Activities: 沛县 850,000 person-times (85% ≥ 80%); 丰县 none.
    const organiser = (await e.makeUnit({ jurisdictionId: peiId })).id;
    await e.db.kysely
      .insertInto('activities')
      .values({
        id: newId(),
        jurisdiction_id: peiId,
        organiser_unit_id: organiser,
        title: '科普日',
        theme: null,
        campaign: null,
        place: '沛县广场',
        longitude: null,
        latitude: null,
        start_date: '2025-09-20',
        end_date: '2025-09-20',
        year: YEAR,
        mode: 'offline',
        populations_json: '[]',
        participants: 850_000,
        counting_method: null,
        summary: null,
        dedupe_key: `k${Math.random()}`,
        duplicate_of: null,
        version: 1,
        created_by: admin.id,
        created_at: '2025-09-20T00:00:00.000Z',
        updated_at: '2025-09-20T00:00:00.000Z',
        demo_batch_id: null,
      })
      .execute();

    // The city's newer plan has the coverage target, bound at import to the activities' person-times by county.
    const task = draftTask;
    const second = await post(admin.cookie, '/api/v1/plans/import', {
      draft: planDraft(
        [
          task('1', 1, '基层科普能力提升工程', [], []),
          task(
            '1.1',
            2,
            '科普活动覆盖',
            [{ name: X.name, role: 'lead' }],
            [
              {
                text: '年科普活动覆盖面达到县域常住人口的80%以上',
                value: 80,
                unit: '%',
                comparator: '>=',
                period: 'year',
                deadline: null,
              },
            ],
          ),
        ],
        '考核测试规划二',
      ),
    });
    expect(second.statusCode, second.body).toBe(201);
    const secondTree = (await get(admin.cookie, `/api/v1/plans/${second.json().plan.id}/tree`)).json();
    const coverageIndicator = secondTree.tasks.find((x: { path: string }) => x.path === '1.1').indicators[0]
      .id;

    const created = await post(admin.cookie, '/api/v1/assessments', {
      year: YEAR,
      audience: 'counties',
      title: `${YEAR}年度县区考核`,
      items: [
        { title: '经费达标', points: 3, rule: { kind: 'bonus', source: 'funding', threshold: 1.5 } },
        { title: '活动覆盖', points: 3, rule: { kind: 'bonus', source: 'coverage', threshold: 80 } },
        { title: '工作部署', points: 10, rule: { kind: 'evidence' } },
        { title: '否决事项', points: 0, rule: { kind: 'veto', condition: 'manual' } },
        {
          title: '覆盖面指标',
          points: 2,
          rule: {
            kind: 'indicator_threshold',
            indicatorId: coverageIndicator,
            threshold: 100,
            partial: true,
          },
        },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    countiesRubric = created.json().id;
    const rubric = created.json();
    const item = (t: string) => rubric.items.find((i: { title: string }) => i.title === t).id;
    expect((await post(admin.cookie, `/api/v1/assessments/${countiesRubric}/compute`)).statusCode).toBe(200);
    // The county admin adds evidence (a note) for its own county, not for another.
    const ev = await post(
      feng.cookie,
      `/api/v1/assessments/${countiesRubric}/items/${item('工作部署')}/evidence`,
      {
        subjectId: fengId,
        note: '县政府常务会议专题部署',
        link: null,
      },
    );
    expect(ev.statusCode, ev.body).toBe(201);
    expect(
      (
        await post(feng.cookie, `/api/v1/assessments/${countiesRubric}/items/${item('工作部署')}/evidence`, {
          subjectId: peiId,
          note: 'x',
          link: null,
        })
      ).statusCode,
    ).toBe(403);
    // …and a file, judged by its content.
    const upload = (name: string, content: Buffer) => {
      const body = multipart(name, content);
      return e.app.inject({
        method: 'POST',
        url: `/api/v1/assessments/${countiesRubric}/items/${item('工作部署')}/evidence/files?subjectId=${fengId}`,
        headers: { origin: 'http://localhost:80', cookie: feng.cookie, ...body.headers },
        payload: body.payload,
      });
    };
    expect((await upload('部署文件.pdf', TINY_PDF)).statusCode).toBe(201);
    const refused = await upload('部署文件.pdf', Buffer.from('#!/bin/sh\necho hi\n'));
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error.code).toBe('ATTACHMENT_REFUSED');
    const mark = (subjectId: string, it: string, met: boolean, note = '') =>
      put(admin.cookie, `/api/v1/assessments/${countiesRubric}/items/${item(it)}/mark`, {
        subjectId,
        met,
        note,
      });
    expect((await mark(fengId, '工作部署', true)).statusCode).toBe(204);
    expect((await mark(peiId, '工作部署', true)).statusCode).toBe(204);
    // A manual veto needs its reason.
    const jiawang = ids.get('贾汪区')!;
    expect((await mark(jiawang, '否决事项', true)).statusCode).toBe(400);
    expect((await mark(jiawang, '否决事项', true, '发生重大科普安全事故')).statusCode).toBe(204);

    const res = await results(admin.cookie, countiesRubric);
    const f = subject(res, fengId);
    const p = subject(res, peiId);
    expect(f.items[2]!.explanation).toContain('佐证材料 2 份');
    // 丰县: funding 2 ≥ 1.5 → 3; coverage: no activities → 0/1,000,000 = 0% → 0; evidence 10; the coverage
    // indicator's county figure 0% of 80% → completion 0 → 2 × 0 = 0. Total 13.
    expect(f.items.map((i) => i.score)).toEqual([3, 0, 10, 0, 0]);
    expect(f.items[0]!.explanation).toContain('2 元/人');
    // 沛县: funding 1 < 1.5 → 0; coverage 850,000 / 1,000,000 = 85% ≥ 80% → 3; evidence 10; the indicator's county
    // figure 85% ≥ the 80% target → completion 100% → 2. Total 15.
    expect(p.items.map((i) => i.score)).toEqual([0, 3, 10, 0, 2]);
    expect(p.items[1]!.explanation).toContain('85%');
    expect(p.items[4]!.explanation).toContain('沛县完成 100%');
    // 沛县 first, 丰县 second; the others (0, residents missing: the indicator has no figure for them) share rank 3;
    // the vetoed 贾汪区 is last.
    expect([p.rank, f.rank, p.total, f.total]).toEqual([1, 2, 15, 13]);
    const others = res.subjects.filter((s) => ![fengId, peiId, jiawang].includes(s.subjectId));
    expect(others.length).toBeGreaterThan(1);
    expect(new Set(others.map((s) => s.rank))).toEqual(new Set([3]));
    expect(others[0]!.items[4]!.explanation).toContain('无数据');
    expect(subject(res, jiawang)).toMatchObject({ vetoed: true, rank: res.subjects.length, grade: '不合格' });

    // Publishing needs freezing first.
    expect((await post(admin.cookie, `/api/v1/assessments/${countiesRubric}/publish`)).statusCode).toBe(409);
    expect((await post(admin.cookie, `/api/v1/assessments/${countiesRubric}/freeze`)).statusCode).toBe(200);
    expect((await post(admin.cookie, `/api/v1/assessments/${countiesRubric}/publish`)).statusCode).toBe(200);
    const pub = await get('', '/api/v1/public/assessments');
    expect(pub.statusCode).toBe(200);
    const shown = pub.json().items.find((x: { id: string }) => x.id === countiesRubric);
    expect(
      shown.rows
        .slice(0, 2)
        .map((r: { subjectName: string; rank: number; total: number }) => [r.rank, r.subjectName, r.total]),
    ).toEqual([
      [1, '沛县', 15],
      [2, '丰县', 13],
    ]);
    expect(shown.rows.at(-1)).toMatchObject({ subjectName: '贾汪区', vetoed: true });
    expect(JSON.stringify(shown)).not.toContain('explanation');
    expect((await get('', `/api/v1/public/assessments/${countiesRubric}`)).statusCode).toBe(200);
    expect((await get('', `/api/v1/public/assessments/${unitsRubric.id}`)).statusCode).toBe(404);

    // The published ranking is open data (csv/xlsx/JSON at a stable URL); the unpublished one is not.
    type Entry = { dataset: string; periods: { period: string; label: string; urls: { json: string } }[] };
    const catalogue = (await get('', '/api/v1/public/open-data')).json() as { items: Entry[] };
    const periods = catalogue.items
      .filter((d) => d.dataset === 'assessment-ranking')
      .flatMap((d) => d.periods);
    expect(periods.map((p) => p.period)).toEqual([`${shown.year}-counties`]);
    const open = await get('', periods[0]!.urls.json);
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json().method).toContain('一票否决');
    expect(
      (open.json().rows as { rank: number; subject: string; total: number }[])
        .slice(0, 2)
        .map((r) => [r.rank, r.subject, r.total]),
    ).toEqual([
      [1, '沛县', 15],
      [2, '丰县', 13],
    ]);

    // 表彰 proposed from the frozen ranking: the first two, as proposed, with rank and score as the reason.
    const fromRanking = '/api/v1/recognitions/proposals/from-assessment';
    const proposed = await post(admin.cookie, fromRanking, {
      assessmentId: countiesRubric,
      top: 2,
      title: '全民科学素质工作先进县（市、区）',
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    expect(
      (
        proposed.json().items as {
          recipientName: string;
          state: string;
          reason: string;
          recipientJurisdictionId: string;
        }[]
      ).map((r) => [r.recipientName, r.state, r.recipientJurisdictionId, r.reason]),
    ).toEqual([
      ['沛县', 'proposed', peiId, `${shown.title}第 1 名，总分 15 分，等次${shown.rows[0].grade}。`],
      ['丰县', 'proposed', fengId, `${shown.title}第 2 名，总分 13 分，等次${shown.rows[1].grade}。`],
    ]);
    // Not from a ranking still open, not by a county, not the vetoed however many are asked.
    const draft = await post(admin.cookie, `/api/v1/assessments/${countiesRubric}/copy`, {
      year: shown.year + 2,
    });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(
      (await post(admin.cookie, fromRanking, { assessmentId: draft.json().id, title: '先进' })).statusCode,
    ).toBe(409);
    expect(
      (await post(feng.cookie, fromRanking, { assessmentId: countiesRubric, title: '先进' })).statusCode,
    ).toBeGreaterThanOrEqual(403);
    const all = await post(admin.cookie, fromRanking, {
      assessmentId: countiesRubric,
      top: 50,
      title: '参与',
    });
    expect((all.json().items as { recipientName: string }[]).map((r) => r.recipientName)).not.toContain(
      '贾汪区',
    );
  });

  it('copies last year’s rubric into a new draft', async () => {
    const copied = await post(admin.cookie, `/api/v1/assessments/${unitsRubric.id}/copy`, { year: 2026 });
    expect(copied.statusCode, copied.body).toBe(201);
    expect(copied.json()).toMatchObject({
      year: 2026,
      audience: 'units',
      state: 'draft',
      title: '2026年度市级单位考核',
    });
    expect(copied.json().items.map((i: { title: string }) => i.title)).toEqual(
      UNIT_ITEMS.map((i) => i.title),
    );
    expect(
      (await post(admin.cookie, `/api/v1/assessments/${unitsRubric.id}/copy`, { year: 2026 })).statusCode,
    ).toBe(409);
    expect(
      (await post(admin.cookie, `/api/v1/assessments/${copied.json().id}/copy`, { year: 2025 })).statusCode,
    ).toBe(400);
    // Editing a draft checks the version.
    const edit = (version: number) =>
      put(admin.cookie, `/api/v1/assessments/${copied.json().id}`, { title: '改名', items: [], version });
    expect((await edit(copied.json().version + 5)).statusCode).toBe(409);
    const edited = await edit(copied.json().version);
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: '改名', items: [] });
    // A computed rubric's items stay.
    expect(
      (
        await put(admin.cookie, `/api/v1/assessments/${countiesRubric}`, {
          title: 'x',
          items: [],
          version: 99,
        })
      ).statusCode,
    ).toBe(409);
  });

  it('policy matrix: who reads, who manages, who appeals; others get 404', async () => {
    const id = countiesRubric;
    const u = unitsRubric.id;
    const cases: [string, string, 'GET' | 'POST', string, number][] = [
      ['领导 reads all', leader.cookie, 'GET', `/api/v1/assessments/${u}/results`, 200],
      ['领导 lists', leader.cookie, 'GET', '/api/v1/assessments', 200],
      ['领导 cannot compute', leader.cookie, 'POST', `/api/v1/assessments/${u}/compute`, 403],
      ['unit in rubric reads its own', repL.cookie, 'GET', `/api/v1/assessments/${u}/results`, 200],
      ['unit does not list', repL.cookie, 'GET', '/api/v1/assessments', 403],
      ['unit outside the rubric', repX.cookie, 'GET', `/api/v1/assessments/${u}/results`, 404],
      ['unit on the counties rubric', repL.cookie, 'GET', `/api/v1/assessments/${id}/results`, 404],
      ['county admin on the units rubric', feng.cookie, 'GET', `/api/v1/assessments/${u}/results`, 404],
      ['county admin reads its county', feng.cookie, 'GET', `/api/v1/assessments/${id}/results`, 200],
      [
        'county admin cannot compute the city’s',
        feng.cookie,
        'POST',
        `/api/v1/assessments/${id}/compute`,
        403,
      ],
      ['forged id', admin.cookie, 'GET', `/api/v1/assessments/${FORGED}/results`, 404],
      ['public needs sign-in', '', 'GET', `/api/v1/assessments/${u}/results`, 401],
    ];
    for (const [name, cookie, method, url, status] of cases) {
      const r = await call(env().app, cookie || null, method, url);
      expect(r.statusCode, `${name}: ${r.body}`).toBe(status);
    }
    const own = (await results(feng.cookie, id)).subjects.map((s) => s.subjectId);
    expect(own).toEqual([feng.jurisdictionId]);
    const my = await get(feng.cookie, '/api/v1/my-assessments');
    expect(my.json().items.map((x: { rubric: { id: string } }) => x.rubric.id)).toEqual([id]);
    const myUnit = await get(repL.cookie, '/api/v1/my-assessments');
    expect(myUnit.json().items.map((x: { result: { subjectId: string } }) => x.result.subjectId)).toEqual([
      L.id,
    ]);
    expect((await get(repX.cookie, '/api/v1/my-assessments')).json().items).toEqual([]);
    void pei;
  });
});
