import {
  BENCHMARK_COUNT,
  type InstrumentInput,
  type InstrumentItem,
  type Role,
  SELF_TEST_LIMITS,
  type SelfTestDraw,
} from '@kesu/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../context';
import { describeEachDialect, ORIGIN } from '../../test/env';
import { canManageInstruments, canReadInstruments } from './instruments.policy';
import { SAMPLE_ITEM_BANK, SAMPLE_QUESTIONNAIRE } from './instruments.sample';
import { SelfTestLimiter } from './self-test-limiter';

type Who = Role | 'public';
const WHO: Who[] = ['public', 'admin', 'reporter', 'leader', 'analyst'];
function userOf(who: Who): AuthUser | null {
  if (who === 'public') return null;
  return {
    id: 'U',
    username: who,
    displayName: who,
    role: who,
    unitId: null,
    mustChangePassword: false,
    jurisdictionId: null,
    jurisdictionPath: null,
  };
}

describe('instrument policies: roles × actions', () => {
  const matrix = {
    read: { policy: canReadInstruments, allowed: ['admin', 'leader', 'analyst'] },
    manage: { policy: canManageInstruments, allowed: ['admin', 'analyst'] },
  } as const;
  it.each(Object.entries(matrix).flatMap(([a, row]) => WHO.map((who) => [a, who, row] as const)))(
    '%s for %s',
    (_a, who, row) => {
      expect(row.policy(userOf(who))).toBe((row.allowed as readonly Who[]).includes(who));
    },
  );
});

/** A forged or honest answer sheet: `right` items answered with their key, the rest with another option. */
function answersFor(draw: SelfTestDraw, keys: Map<string, InstrumentItem>, right: number) {
  return draw.items.map((it, i) => {
    const item = keys.get(it.id)!;
    const wrong = item.options.find((o) => !item.key.includes(o.key))!.key;
    return { itemId: it.id, answer: i < right ? item.key : [wrong] };
  });
}

describeEachDialect('instruments and the public self-test', (env) => {
  const cookies: Partial<Record<Role, string>> = {};
  beforeAll(async () => {
    for (const role of ['admin', 'reporter', 'leader', 'analyst'] as const)
      cookies[role] = (await env().makeUser(role)).cookie;
  });
  const req = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    cookie?: string,
    payload?: object,
    ip?: string,
  ) =>
    env().app.inject({
      method,
      url,
      headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
      ...(payload ? { payload } : {}),
      ...(ip ? { remoteAddress: ip } : {}),
    });
  const bankKeys = async () => {
    const list = await req('GET', '/api/v1/instruments', cookies.admin);
    const bank = list.json().items.find((i: { purpose: string }) => i.purpose === 'self_test_bank');
    const full = await req('GET', `/api/v1/instruments/${bank.id}`, cookies.admin);
    return {
      id: bank.id as string,
      instrument: full.json(),
      keys: new Map<string, InstrumentItem>(full.json().items.map((i: InstrumentItem) => [i.id, i])),
    };
  };
  let ipSeq = 0;
  /** Each test submits from its own address, so the rate limit of one does not spill into another. */
  const nextIp = () => `10.1.0.${++ipSeq}`;

  it('is seeded with the sample questionnaire and item bank, each with its rule', async () => {
    const r = await req('GET', '/api/v1/instruments', cookies.analyst);
    expect(r.statusCode).toBe(200);
    const items = r.json().items as {
      code: string;
      rule: { kind: string };
      itemCount: number;
      benchmarksCovered: number;
    }[];
    const q = items.find((i) => i.code === SAMPLE_QUESTIONNAIRE.code)!;
    const b = items.find((i) => i.code === SAMPLE_ITEM_BANK.code)!;
    expect(q.rule.kind).toBe('official-2021');
    expect(q.itemCount).toBe(SAMPLE_QUESTIONNAIRE.items.length);
    expect(b.rule).toEqual(SAMPLE_ITEM_BANK.rule);
    expect(b.benchmarksCovered).toBe(BENCHMARK_COUNT);
  });

  it('lets analysts, admins and leaders read; only analysts and admins manage; nobody else', async () => {
    expect((await req('GET', '/api/v1/instruments')).statusCode).toBe(401);
    expect((await req('GET', '/api/v1/instruments', cookies.reporter)).statusCode).toBe(403);
    expect((await req('GET', '/api/v1/instruments', cookies.leader)).statusCode).toBe(200);
    const input: InstrumentInput = { ...SAMPLE_QUESTIONNAIRE, code: 'leader-try' };
    expect((await req('POST', '/api/v1/instruments', cookies.leader, input)).statusCode).toBe(403);
    expect((await req('POST', '/api/v1/instruments', cookies.reporter, input)).statusCode).toBe(403);
  });

  it('creates and replaces an instrument, version-guarded and audited', async () => {
    const input = { ...SAMPLE_QUESTIONNAIRE, code: 'wave-2025', name: '2025 年问卷' };
    const created = await req('POST', '/api/v1/instruments', cookies.analyst, input);
    expect(created.statusCode, created.body).toBe(201);
    const inst = created.json();
    expect(inst.version).toBe(1);
    const dup = await req('POST', '/api/v1/instruments', cookies.analyst, input);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');
    const { code: _code, ...body } = input;
    const legacy = {
      ...body,
      rule: {
        kind: 'legacy-2010',
        name: '旧规则',
        partMinShare: { knowledge: 0.7, method: 0.5, spirit: 0.5 },
        vetoEnabled: true,
      },
    };
    const updated = await req('PATCH', `/api/v1/instruments/${inst.id}`, cookies.admin, {
      ...legacy,
      version: 1,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ version: 2, rule: { kind: 'legacy-2010' } });
    const stale = await req('PATCH', `/api/v1/instruments/${inst.id}`, cookies.admin, {
      ...legacy,
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', inst.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['instrument.create', 'instrument.update']);
  });

  it('refuses an instrument its rule cannot score, in Chinese', async () => {
    const bad = {
      ...SAMPLE_ITEM_BANK,
      code: 'thin-bank',
      items: SAMPLE_ITEM_BANK.items.filter((i) => !i.benchmarks.includes(13)),
    };
    const r = await req('POST', '/api/v1/instruments', cookies.admin, bad);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('VALIDATION_FAILED');
    expect(r.json().error.message).toContain('题库未覆盖基准 13');
  });

  it('draws 50 items covering all 26 基准 for anyone, without keys or explanations', async () => {
    const seen = new Set<string>();
    for (let k = 0; k < 5; k++) {
      const r = await req('GET', '/api/v1/public/self-test');
      expect(r.statusCode).toBe(200);
      expect(r.headers['cache-control']).toBe('no-store');
      const draw = r.json() as SelfTestDraw;
      expect(draw.items).toHaveLength(50);
      expect(new Set(draw.items.map((i) => i.id)).size).toBe(50);
      expect(new Set(draw.items.flatMap((i) => i.benchmarks)).size).toBe(BENCHMARK_COUNT);
      for (const item of draw.items) {
        expect(item).not.toHaveProperty('key');
        expect(item).not.toHaveProperty('explanation');
      }
      seen.add(draw.drawId);
    }
    expect(seen.size).toBe(5);
  });

  it.each([
    [50, 100, true],
    [30, 60, true],
    [29, 58, false],
  ])(
    'scores %i right answers as %i points (pass %s) with explanations, stored apart and anonymous',
    async (right, score, pass) => {
      const { keys } = await bankKeys();
      const draw = (await req('GET', '/api/v1/public/self-test')).json() as SelfTestDraw;
      const before = await env().db.kysely.selectFrom('self_test_results').select('id').execute();
      const r = await req(
        'POST',
        '/api/v1/public/self-test',
        undefined,
        { drawId: draw.drawId, answers: answersFor(draw, keys, right) },
        nextIp(),
      );
      expect(r.statusCode, r.body).toBe(200);
      const res = r.json();
      expect(res).toMatchObject({
        score,
        maxScore: 100,
        passScore: 60,
        isPass: pass,
        correctCount: right,
        itemCount: 50,
      });
      expect(res.rule.kind).toBe('benchmark-2016');
      expect(res.items).toHaveLength(50);
      expect(res.items.filter((i: { isCorrect: boolean }) => i.isCorrect)).toHaveLength(right);
      for (const i of res.items) expect(i.explanation).toBe(keys.get(i.itemId)!.explanation);
      const rows = await env().db.kysely.selectFrom('self_test_results').selectAll().execute();
      expect(rows.length).toBe(before.length + 1);
      const row = rows.find((x) => x.id === res.resultId)!;
      expect(row).toMatchObject({ score, is_pass: pass ? 1 : 0, correct_count: right });
      expect(JSON.parse(row.rule_json)).toEqual(res.rule);
      // Anonymous: nothing identifies the person or their address.
      expect(Object.keys(row).filter((c) => /user|ip|name|agent|session/.test(c))).toEqual([]);
    },
  );

  it('counts unanswered items as wrong', async () => {
    const { keys } = await bankKeys();
    const draw = (await req('GET', '/api/v1/public/self-test')).json() as SelfTestDraw;
    const answers = answersFor(draw, keys, 50).slice(0, 40);
    const r = await req(
      'POST',
      '/api/v1/public/self-test',
      undefined,
      { drawId: draw.drawId, answers },
      nextIp(),
    );
    expect(r.json()).toMatchObject({ score: 80, correctCount: 40 });
  });

  it('refuses forged draws and answers with a 4xx and a Chinese message', async () => {
    const { keys, id: bankId } = await bankKeys();
    const draw = (await req('GET', '/api/v1/public/self-test')).json() as SelfTestDraw;
    const honest = answersFor(draw, keys, 50);
    const ip = nextIp();
    const post = (payload: object) => req('POST', '/api/v1/public/self-test', undefined, payload, ip);
    const [, version, seed] = draw.drawId.split('.');
    const questionnaireId = (await req('GET', '/api/v1/instruments', cookies.admin))
      .json()
      .items.find((i: { purpose: string }) => i.purpose === 'survey').id;
    const notInDraw = [...keys.keys()].find((k) => !draw.items.some((i) => i.id === k))!;
    const single = draw.items.find((i) => !i.isMultiple)!;
    const cases: [object, number, string][] = [
      [{ drawId: 'not-a-draw', answers: honest }, 400, '自测卷编号无效'],
      [{ drawId: `${bankId}.${version}.99999999999`, answers: honest }, 400, '自测卷编号无效'],
      [{ drawId: `${questionnaireId}.1.${seed}`, answers: honest }, 400, '自测卷编号无效'],
      [{ drawId: `01ARZ3NDEKTSV4RRFFQ69G5FAV.1.${seed}`, answers: honest }, 400, '自测卷编号无效'],
      [
        { drawId: draw.drawId, answers: [...honest.slice(1), { itemId: notInDraw, answer: ['A'] }] },
        400,
        '不属于本次自测',
      ],
      [{ drawId: draw.drawId, answers: [{ itemId: '<script>', answer: ['A'] }] }, 400, '不属于本次自测'],
      [{ drawId: draw.drawId, answers: [honest[0], honest[0]] }, 400, '重复作答'],
      [{ drawId: draw.drawId, answers: [{ itemId: single.id, answer: ['Z'] }] }, 400, '没有选项 Z'],
      [
        { drawId: draw.drawId, answers: [{ itemId: single.id, answer: single.options.map((o) => o.key) }] },
        400,
        '只能选一个答案',
      ],
      [{ drawId: draw.drawId, answers: [{ itemId: single.id, answer: ['甲'] }] }, 400, '答案应为选项字母'],
      [{ drawId: draw.drawId }, 400, '提交的数据不符合要求'],
    ];
    for (const [payload, status, message] of cases) {
      const r = await post(payload);
      expect(r.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(r.json().error.message).toContain(message);
    }
    const big = await post({
      drawId: draw.drawId,
      answers: honest,
      padding: 'x'.repeat(SELF_TEST_LIMITS.bodyBytes),
    });
    expect(big.statusCode).toBe(413);
  });

  it('needs a same-site Origin to submit, no sign-in', async () => {
    const draw = (await req('GET', '/api/v1/public/self-test')).json() as SelfTestDraw;
    const r = await env().app.inject({
      method: 'POST',
      url: '/api/v1/public/self-test',
      payload: { drawId: draw.drawId, answers: [] },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CSRF_REJECTED');
  });

  it('the window limiter refuses the attempt after the limit, forgets after the window, and keeps no address', async () => {
    // A clock in 2000, so these rows are told apart from other tests' (real-time) ones.
    let t = Date.parse('2000-01-01T00:00:00Z');
    const errors: unknown[] = [];
    const l = new SelfTestLimiter(
      env().db.kysely,
      2,
      1000,
      (e) => errors.push(e),
      () => t,
    );
    const take = (a: string) => l.take(a);
    expect([await take('192.0.2.1'), await take('192.0.2.2')]).toEqual([true, true]);
    t += 500;
    expect([await take('192.0.2.1'), await take('192.0.2.1')]).toEqual([true, false]);
    // Sliding, not fixed: past the first attempt's window one more is allowed, the one at +500 ms still counts.
    t += 501;
    expect([await take('192.0.2.1'), await take('192.0.2.1')]).toEqual([true, false]);
    const ours = () =>
      env().db.kysely.selectFrom('self_test_attempts').selectAll().where('expires_at', '<', '2001').execute();
    const rows = await ours();
    // 192.0.2.1 holds two slots, 192.0.2.2 one; only hashes are stored.
    expect(rows.length).toBe(3);
    expect(JSON.stringify(rows)).not.toContain('192.0.2');
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.address_hash))).toBe(true);
    // Pruning deletes exactly the attempts that left their window: .2's (ended at +1000 ms), then one by one.
    expect(await l.prune()).toBe(1);
    t += 499;
    expect(await l.prune()).toBe(1);
    t += 501;
    expect(await l.prune()).toBe(1);
    expect(await ours()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('limits submissions per address', async () => {
    const draw = (await req('GET', '/api/v1/public/self-test')).json() as SelfTestDraw;
    const ip = nextIp();
    for (let k = 0; k < SELF_TEST_LIMITS.submissionsPerWindow; k++) {
      const ok = await req(
        'POST',
        '/api/v1/public/self-test',
        undefined,
        { drawId: draw.drawId, answers: [] },
        ip,
      );
      expect(ok.statusCode).toBe(200);
    }
    const refused = await req(
      'POST',
      '/api/v1/public/self-test',
      undefined,
      { drawId: draw.drawId, answers: [] },
      ip,
    );
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('提交过于频繁');
    const other = await req(
      'POST',
      '/api/v1/public/self-test',
      undefined,
      { drawId: draw.drawId, answers: [] },
      nextIp(),
    );
    expect(other.statusCode).toBe(200);
  });

  it('invalidates draws of a bank that changed since, and keeps results out of survey tables', async () => {
    const { id, instrument } = await bankKeys();
    const draw = (await req('GET', '/api/v1/public/self-test')).json() as SelfTestDraw;
    const { code: _c, id: _i, createdAt: _ca, updatedAt: _u, isActive: _a, ...body } = instrument;
    const upd = await req('PATCH', `/api/v1/instruments/${id}`, cookies.admin, {
      ...body,
      name: '题库（修订）',
    });
    expect(upd.statusCode, upd.body).toBe(200);
    const r = await req(
      'POST',
      '/api/v1/public/self-test',
      undefined,
      { drawId: draw.drawId, answers: [] },
      nextIp(),
    );
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('题库已更新');
    const fresh = (await req('GET', '/api/v1/public/self-test')).json() as SelfTestDraw;
    expect(fresh.name).toBe('题库（修订）');
    const list = (await req('GET', '/api/v1/instruments', cookies.admin)).json().items;
    expect(list.find((i: { id: string }) => i.id === id).selfTestCount).toBeGreaterThan(0);
  });
});
