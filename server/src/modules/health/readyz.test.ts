import { expect, it } from 'vitest';
import { buildApp } from '../../app';
import { pendingUntilDone, Readiness } from '../../readiness';
import { describeEachDialect, openTestDatabase } from '../../test/env';

describeEachDialect('readiness probe', (env) => {
  it('answers 503 with Chinese reasons while a registered check is not ready, 200 once ready', async () => {
    const readiness = new Readiness();
    const migrated = pendingUntilDone(readiness, 'migrations', '数据库迁移尚未完成');
    let queue: string | null = '任务队列尚未启动';
    readiness.add('job-queue', () => queue);
    const app = await buildApp({ config: env().config, db: env().db, readiness });
    try {
      const notYet = await app.inject({ url: '/readyz' });
      expect(notYet.statusCode).toBe(503);
      expect(notYet.json()).toEqual({
        status: 'not-ready',
        database: env().dialect,
        reasons: ['数据库迁移尚未完成', '任务队列尚未启动'],
      });
      // Liveness stays liveness: the process answers whatever readiness says.
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      migrated.done();
      const half = await app.inject({ url: '/readyz' });
      expect(half.statusCode).toBe(503);
      expect(half.json().reasons).toEqual(['任务队列尚未启动']);
      queue = null;
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', database: env().dialect });
      readiness.add('broken', () => {
        throw new Error('boom');
      });
      const broken = await app.inject({ url: '/readyz' });
      expect(broken.statusCode).toBe(503);
      expect(broken.json().reasons).toEqual(['就绪检查 broken 出错']);
    } finally {
      await app.close();
    }
  });
});

it('answers 503 when the database does not answer', async () => {
  const t = await openTestDatabase('sqlite');
  const app = await buildApp({ config: t.config, db: t.db, readiness: new Readiness() });
  try {
    t.db.sqlite?.close();
    const r = await app.inject({ url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.json().reasons).toEqual(['数据库无法连接']);
  } finally {
    await app.close();
    await t.cleanup().catch(() => undefined);
  }
});
