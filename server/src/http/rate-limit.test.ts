import { Writable } from 'node:stream';
import { SELF_TEST_LIMITS, type SelfTestDraw } from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { Config } from '../config';
import { type Db, openDatabase } from '../db/database';
import { localQueue } from '../jobs/local-queue';
import { DIALECTS, ORIGIN, openTestDatabase } from '../test/env';
import { hashClientAddress } from './rate-limit';

/**
 * Issue 17: several kesu processes on one database share their limits. Each "node" here is an app with its own
 * database connection (SQLite: a second connection to the file; PostgreSQL: a second pool) to one database. The
 * public rate limit is shared on PostgreSQL; on SQLite (one process serves it) it counts in memory. The self-test
 * limit is in the database on both.
 */
for (const dialect of DIALECTS) {
  describe(`limits shared by two nodes on one database [${dialect}]`, () => {
    let cleanup: () => Promise<void>;
    let config: Config;
    let dbA: Db;
    let dbB: Db;
    const apps: FastifyInstance[] = [];
    const warnings: string[] = [];
    /** Two nodes with a public limit of 3 a minute (A logs its warnings here), two with an unreachable one. */
    let a: FastifyInstance;
    let b: FastifyInstance;
    let a2: FastifyInstance;
    let b2: FastifyInstance;

    beforeAll(async () => {
      const t = await openTestDatabase(dialect, { PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
      cleanup = t.cleanup;
      config = t.config;
      dbA = t.db;
      dbB = openDatabase(t.config.database);
      const node = async (db: Db, limited: boolean, logger?: pino.Logger) => {
        const jobs = localQueue({});
        await jobs.start();
        const app = await buildApp(
          {
            config: limited ? config : { ...config, publicRateLimit: { max: 1_000_000, windowMs: 60_000 } },
            db,
            jobs,
          },
          logger ? { logger } : {},
        );
        app.addHook('onClose', () => jobs.stop());
        apps.push(app);
        return app;
      };
      const sink = new Writable({
        write(chunk, _enc, done) {
          warnings.push(String(chunk));
          done();
        },
      });
      a = await node(dbA, true, pino({ level: 'warn' }, sink));
      b = await node(dbB, true);
      a2 = await node(dbA, false);
      b2 = await node(dbB, false);
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      await dbB?.close();
      await cleanup?.();
    });

    const get = (app: FastifyInstance, ip: string, url = '/api/v1/public/venues') =>
      app.inject({ method: 'GET', url, remoteAddress: ip });
    const submit = (app: FastifyInstance, ip: string, drawId: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/public/self-test',
        headers: { origin: ORIGIN },
        payload: { drawId, answers: [] },
        remoteAddress: ip,
      });

    it.runIf(dialect === 'sqlite')(
      'SQLite: the public limit counts in memory, writing no counter rows',
      async () => {
        const ip = '203.0.113.40';
        for (let i = 0; i < 3; i++) expect((await get(a, ip)).statusCode).toBe(200);
        expect((await get(a, ip)).statusCode).toBe(429);
        // Another process's memory (never the case with SQLite, which one process serves) counts on its own.
        expect((await get(b, ip)).statusCode).toBe(200);
        const rows = await dbA.kysely.selectFrom('rate_limit_counters').select('key').execute();
        expect(rows).toEqual([]);
      },
    );

    it.runIf(dialect === 'postgres')('the public limit: used up through A, 429 through B', async () => {
      expect(config.publicRateLimit.max).toBe(3);
      const ip = '203.0.113.10';
      const through = [a, b, a];
      const remaining: string[] = [];
      for (const app of through) {
        const r = await get(app, ip);
        expect(r.statusCode).toBe(200);
        remaining.push(String(r.headers['ratelimit-remaining']));
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const over = await get(b, ip);
      expect(over.statusCode).toBe(429);
      expect(over.json().error.code).toBe('RATE_LIMITED');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(50);
      expect((await get(a, ip)).statusCode).toBe(429);
      // Another address through B still has its own window.
      expect((await get(b, '203.0.113.11')).statusCode).toBe(200);
    });

    it.runIf(dialect === 'postgres')('N parallel requests through two nodes count exactly N', async () => {
      const ip = '203.0.113.20';
      const n = 40;
      const res = await Promise.all(Array.from({ length: n }, (_, i) => get(i % 2 ? b : a, ip)));
      const ok = res.filter((r) => r.statusCode === 200);
      expect(ok.length).toBe(3);
      expect(res.filter((r) => r.statusCode === 429).length).toBe(n - 3);
      expect(ok.map((r) => r.headers['ratelimit-remaining']).sort()).toEqual(['0', '1', '2']);
      const row = await dbA.kysely
        .selectFrom('rate_limit_counters')
        .select('hits')
        .where('key', '=', hashClientAddress(ip))
        .executeTakeFirstOrThrow();
      expect(row.hits).toBe(n);
    });

    it('the self-test limit: used up through A and B together, refused through either', async () => {
      const draw = (await get(a2, '198.51.100.9', '/api/v1/public/self-test')).json() as SelfTestDraw;
      const ip = '198.51.100.30';
      for (let k = 0; k < SELF_TEST_LIMITS.submissionsPerWindow; k++) {
        const r = await submit(k % 2 ? b2 : a2, ip, draw.drawId);
        expect(r.statusCode, `submission ${k + 1}`).toBe(200);
      }
      for (const app of [b2, a2]) {
        const refused = await submit(app, ip, draw.drawId);
        expect(refused.statusCode).toBe(429);
        expect(refused.json().error.code).toBe('TOO_MANY_ATTEMPTS');
      }
      expect((await submit(b2, '198.51.100.31', draw.drawId)).statusCode).toBe(200);
    });

    it('the self-test limit holds under parallel submissions through two nodes', async () => {
      const draw = (await get(a2, '198.51.100.9', '/api/v1/public/self-test')).json() as SelfTestDraw;
      const ip = '198.51.100.40';
      const n = SELF_TEST_LIMITS.submissionsPerWindow + 10;
      const res = await Promise.all(
        Array.from({ length: n }, (_, i) => submit(i % 2 ? b2 : a2, ip, draw.drawId)),
      );
      expect(res.filter((r) => r.statusCode === 200).length).toBe(SELF_TEST_LIMITS.submissionsPerWindow);
      expect(res.filter((r) => r.statusCode === 429).length).toBe(10);
      const rows = await dbA.kysely
        .selectFrom('self_test_attempts')
        .select('slot')
        .where('address_hash', '=', hashClientAddress(ip))
        .execute();
      expect(rows.length).toBe(SELF_TEST_LIMITS.submissionsPerWindow);
    });

    // Last: it drops the tables of the shared limits.
    it('fails open: with the counters unreadable, public reads and submissions go through, with a warning', async () => {
      const draw = (await get(a2, '198.51.100.9', '/api/v1/public/self-test')).json() as SelfTestDraw;
      await dbA.kysely.schema.dropTable('rate_limit_counters').execute();
      await dbA.kysely.schema.dropTable('self_test_attempts').execute();
      // Past the limit of 3 on PostgreSQL (let through: the counter cannot be read); within it on SQLite (in memory).
      const reads = dialect === 'postgres' ? 5 : 3;
      for (let i = 0; i < reads; i++) expect((await get(a, '203.0.113.50')).statusCode).toBe(200);
      expect((await submit(a, '203.0.113.51', draw.drawId)).statusCode).toBe(200);
      const logged = warnings.map((w) => JSON.parse(w) as { level: number; msg: string });
      // One warning per limit however many requests failed (at most one a minute); SQLite counts public reads in memory.
      expect(logged.filter((w) => w.level === 40).map((w) => w.msg)).toEqual([
        ...(dialect === 'postgres' ? ['public rate limit: database error, request let through'] : []),
        'self-test submission limit: database error, request let through',
      ]);
    });
  });
}
