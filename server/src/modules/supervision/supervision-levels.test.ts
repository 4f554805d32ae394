import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/env';
import { countyAdmin } from '../../test/jurisdictions-factory';
import { call } from '../../test/reporting-factory';
import { addDays, todayUtc } from './notice-state';

type Actor = 'city' | 'fengxian' | 'peixian' | 'fxClerk';

/**
 * 督办 at every level: the city's office addresses a county (its government unit) like a unit, the county's office
 * handles it and the city closes it; a county's office supervises its own units, which the city reads but does not
 * close; another county sees neither. Each row: who does what, and the status it gets.
 */
describeEachDialect('supervision between the city and its counties', (env) => {
  const cookie: Partial<Record<Actor, string>> = {};
  let fengxianUnit = '';
  let peixianUnit = '';
  let countyBureau = '';
  let cityBureau = '';
  let toCounty = '';
  let inCounty = '';
  const deadline = addDays(todayUtc(), 7);
  const notice = (unitId: string, subject: string) => ({
    unitId,
    subject,
    content: '请于期限内办结并反馈',
    severity: 'red',
    deadline,
  });
  const version = async (id: string) =>
    (
      await env()
        .db.kysely.selectFrom('supervision_notices')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).version;

  beforeAll(async () => {
    const e = env();
    cookie.city = (await e.makeUser('admin')).cookie;
    const fx = await countyAdmin(e, cookie.city, '丰县');
    cookie.fengxian = fx.cookie;
    cookie.peixian = (await countyAdmin(e, cookie.city, '沛县')).cookie;
    const places = (await call(e.app, cookie.city, 'GET', '/api/v1/jurisdictions')).json().items as {
      name: string;
      governmentUnitId: string | null;
    }[];
    fengxianUnit = places.find((j) => j.name === '丰县')!.governmentUnitId!;
    peixianUnit = places.find((j) => j.name === '沛县')!.governmentUnitId!;
    cityBureau = (await e.makeUnit()).id;
    const made = await call(e.app, cookie.fengxian, 'POST', '/api/v1/units', {
      kind: 'department',
      name: '丰县教育局',
      shortName: '丰县教育局',
      aliases: [],
    });
    expect(made.statusCode, made.body).toBe(201);
    countyBureau = made.json().id;
    cookie.fxClerk = (
      await e.makeUser('reporter', { unitId: countyBureau, jurisdictionId: fx.jurisdictionId })
    ).cookie;
  });

  it('issues where each office may: the city to its bureaus and counties, a county to its own units', async () => {
    const app = env().app;
    const rows: [Actor, string, number][] = [
      ['city', fengxianUnit, 201],
      ['city', cityBureau, 201],
      ['fengxian', countyBureau, 201],
      ['fengxian', cityBureau, 403],
      ['fengxian', peixianUnit, 403],
      ['peixian', countyBureau, 403],
      ['fxClerk', countyBureau, 403],
    ];
    for (const [who, unitId, status] of rows) {
      const r = await call(
        app,
        cookie[who]!,
        'POST',
        '/api/v1/supervision/notices',
        notice(unitId, `${who}督办`),
      );
      expect(r.statusCode, `${who} → ${unitId}: ${r.body}`).toBe(status);
      if (status === 201 && unitId === fengxianUnit) toCounty = r.json().id;
      if (status === 201 && unitId === countyBureau) inCounty = r.json().id;
    }
  });

  it('lets each reader see what its level owns or receives, and no other county', async () => {
    const app = env().app;
    const listed = async (who: Actor) =>
      (
        (await call(app, cookie[who]!, 'GET', '/api/v1/supervision/notices')).json().items as { id: string }[]
      ).map((n) => n.id);
    const rows: [Actor, string, boolean][] = [
      ['city', toCounty, true],
      ['city', inCounty, true],
      ['fengxian', toCounty, true],
      ['fengxian', inCounty, true],
      ['peixian', toCounty, false],
      ['peixian', inCounty, false],
      ['fxClerk', toCounty, false],
      ['fxClerk', inCounty, true],
    ];
    for (const [who, id, sees] of rows) {
      expect((await listed(who)).includes(id), `${who} lists ${id}`).toBe(sees);
      const one = await call(app, cookie[who]!, 'GET', `/api/v1/supervision/notices/${id}`);
      expect(one.statusCode, `${who} reads ${id}`).toBe(sees ? 200 : 403);
    }
    // The county's office, not the city's, signs what the city addressed to the county.
    const seen = (await call(app, cookie.fengxian!, 'GET', `/api/v1/supervision/notices/${toCounty}`)).json();
    expect(seen.can).toMatchObject({ sign: true, close: false });
    const byCity = (await call(app, cookie.city!, 'GET', `/api/v1/supervision/notices/${toCounty}`)).json();
    expect(byCity.can).toMatchObject({ sign: false });
    // The county's office was notified of the city's notice; another county's was not.
    const titles = async (who: Actor) =>
      (
        (await call(app, cookie[who]!, 'GET', '/api/v1/notifications')).json().items as { title: string }[]
      ).map((n) => n.title);
    expect((await titles('fengxian')).some((t) => t.includes('city督办'))).toBe(true);
    expect((await titles('peixian')).some((t) => t.includes('city督办'))).toBe(false);
  });

  it('has the county handle the city’s notice and the city close it; the county closes only its own', async () => {
    const app = env().app;
    const step = async (who: Actor, id: string, action: string, status: number) => {
      const r = await call(app, cookie[who]!, 'POST', `/api/v1/supervision/notices/${id}/${action}`, {
        version: await version(id),
        comment: `${who} ${action}`,
      });
      expect(r.statusCode, `${who} ${action} ${id}: ${r.body}`).toBe(status);
    };
    const rows: [Actor, string, string, number][] = [
      ['peixian', toCounty, 'sign', 403],
      ['city', toCounty, 'sign', 403],
      ['fengxian', toCounty, 'sign', 200],
      ['fengxian', toCounty, 'finish', 200],
      ['fengxian', toCounty, 'close', 403],
      ['peixian', toCounty, 'close', 403],
      ['city', toCounty, 'close', 200],
      ['fxClerk', inCounty, 'sign', 200],
      ['fxClerk', inCounty, 'finish', 200],
      ['city', inCounty, 'close', 403],
      ['fengxian', inCounty, 'close', 200],
    ];
    for (const [who, id, action, status] of rows) await step(who, id, action, status);
  });
});
