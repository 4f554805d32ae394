import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { describeEachDialect } from '../../test/env';
import { call } from '../../test/reporting-factory';
import { addDays, todayUtc } from '../supervision/notice-state';
import { createNotifier, webhookChannel } from './notification-channels';

/** A webhook receiver on 127.0.0.1 that records every POST; `mode` decides how it answers. */
function receiver() {
  const received: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const state = { mode: 'ok' as 'ok' | 'fail' | 'hang' };
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(data) });
      if (state.mode === 'hang') return; // never answers: the client's timeout must end it
      res.statusCode = state.mode === 'fail' ? 500 : 204;
      res.end();
    });
  });
  return {
    received,
    state,
    server,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`),
        ),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const quiet = { warn: () => {} };

describe('notification channels', () => {
  it('the webhook is off by default: only the in-app channel exists', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.notifyWebhookUrl).toBeNull();
    expect(createNotifier(config, quiet).channels.map((c) => c.name)).toEqual(['in-app']);
    const on = loadConfig({ NODE_ENV: 'test', NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook' });
    expect(createNotifier(on, quiet).channels.map((c) => c.name)).toEqual(['in-app', 'webhook']);
    expect(() => loadConfig({ NODE_ENV: 'test', NOTIFY_WEBHOOK_URL: 'ftp://x' })).toThrow(
      /NOTIFY_WEBHOOK_URL/,
    );
  });

  it('a webhook that hangs is abandoned after the timeout and logged, never thrown', async () => {
    const r = receiver();
    const url = await r.start();
    r.state.mode = 'hang';
    const warnings: string[] = [];
    const ch = webhookChannel(url, 200, { warn: (_o, msg) => warnings.push(msg) });
    const t0 = Date.now();
    await ch.deliver?.([
      {
        id: '01J00000000000000000000000',
        recipient: { userId: null, unitId: 'U' },
        kind: 'k',
        title: 't',
        body: 'b',
        link: null,
        createdAt: new Date().toISOString(),
      },
    ]);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(warnings).toEqual(['notification webhook failed']);
    await r.stop();
  });
});

const hook = receiver();
let hookUrl = '';
// The URL must be known before the suite's app is built, so the receiver starts at import time of this file.
hookUrl = await hook.start();

describeEachDialect(
  'notifications webhook on',
  (env) => {
    afterAll(() => hook.stop());
    let admin = '';
    let reporter = '';
    let unitId = '';
    beforeAll(async () => {
      unitId = (await env().makeUnit()).id;
      admin = (await env().makeUser('admin')).cookie;
      reporter = (await env().makeUser('reporter', { unitId })).cookie;
    });
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100 && hook.received.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };

    it('POSTs each notification as JSON after the commit; a failing webhook does not fail the write', async () => {
      const issued = await call(env().app, admin, 'POST', '/api/v1/supervision/notices', {
        unitId,
        subject: '网络钩子测试',
        content: '内容',
        severity: 'yellow',
        deadline: addDays(todayUtc(), 3),
      });
      expect(issued.statusCode, issued.body).toBe(201);
      await waitFor(1);
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0]?.headers['content-type']).toContain('application/json');
      expect(hook.received[0]?.body).toMatchObject({
        kind: 'notice.issued',
        recipient: { userId: null, unitId },
        link: `/supervision/notices/${issued.json().id}`,
      });
      expect(String(hook.received[0]?.body.title)).toContain('网络钩子测试');

      hook.state.mode = 'fail';
      const signed = await call(
        env().app,
        reporter,
        'POST',
        `/api/v1/supervision/notices/${issued.json().id}/sign`,
        {
          version: 1,
        },
      );
      expect(signed.statusCode).toBe(200);
      expect(signed.json().state).toBe('signed');
      await waitFor(2);
      // Every admin of the database is told (the sample data may hold more than the one made here).
      expect(hook.received.length).toBeGreaterThanOrEqual(2);
      expect(hook.received.slice(1).every((r) => r.body.kind === 'notice.signed')).toBe(true);
      const rows = await env()
        .db.kysely.selectFrom('notifications')
        .select('kind')
        .where('link', '=', `/supervision/notices/${issued.json().id}`)
        .execute();
      expect(rows.map((r) => r.kind)).toContain('notice.signed');
    });
  },
  { env: { NOTIFY_WEBHOOK_URL: hookUrl, NOTIFY_WEBHOOK_TIMEOUT_MS: '1000' } },
);

describeEachDialect('notifications webhook off (default)', (env) => {
  it('issues a notice with no POST anywhere', async () => {
    const before = hook.received.length;
    const unitId = (await env().makeUnit()).id;
    const admin = (await env().makeUser('admin')).cookie;
    const res = await call(env().app, admin, 'POST', '/api/v1/supervision/notices', {
      unitId,
      subject: '关闭时',
      content: '内容',
      severity: 'yellow',
      deadline: addDays(todayUtc(), 3),
    });
    expect(res.statusCode).toBe(201);
    expect(env().config.notifyWebhookUrl).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.received.length).toBe(before);
  });
});
