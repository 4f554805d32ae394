import { afterAll, expect, it } from 'vitest';
import { buildApp } from '../app';
import { systemCtx } from '../context';
import { hashPassword } from '../modules/credentials/password';
import { insertUnit } from '../modules/units/units.service';
import { insertUser } from '../modules/users/users.service';
import { dateIn, plusDays } from '../time';
import { buildUnit, DIALECTS, ORIGIN, openTestDatabase, PASSWORD } from './env';
import { startSmtp, until } from './mail-hooks';
import { buildTwoTaskPlanDraft } from './plan-factory';
import { freePort, startKesu, waitReady } from './spawn';

/**
 * Two real `kesu serve` processes on one PostgreSQL database, both running the reporting reminders every few
 * hundred milliseconds: each reminder event is sent once (one in-app row, one e-mail, one audit row).
 */
const smtp = await startSmtp();
afterAll(() => smtp.stop());

it.runIf(DIALECTS.includes('postgres'))(
  'two server processes on one PostgreSQL database send each reminder once',
  { timeout: 120_000 },
  async () => {
    const t = await openTestDatabase('postgres');
    const servers: ReturnType<typeof startKesu>[] = [];
    try {
      const app = await buildApp({ config: t.config, db: t.db });
      const units = await t.db.kysely
        .transaction()
        .execute(async (trx) => [
          await insertUnit(trx, systemCtx(), buildUnit()),
          await insertUnit(trx, systemCtx(), buildUnit()),
        ]);
      const [unitA, unitB] = units as [(typeof units)[0], (typeof units)[0]];
      for (const [username, role, unitId] of [
        ['remind_admin', 'admin', null],
        ['remind_clerk', 'reporter', unitA.id],
      ] as const) {
        const { user } = await t.db.kysely.transaction().execute((trx) =>
          insertUser(trx, systemCtx(), {
            username,
            displayName: username,
            role,
            unitId,
            jurisdictionId: null,
          }),
        );
        await t.db.kysely
          .updateTable('users')
          .set({
            password_hash: await hashPassword(PASSWORD),
            must_change_password: 0,
            email: `${username}@example.gov.cn`,
          })
          .where('id', '=', user.id)
          .execute();
      }
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { origin: ORIGIN },
        payload: { username: 'remind_admin', password: PASSWORD },
      });
      const cookie = `kesu_session=${login.cookies.find((c) => c.name === 'kesu_session')?.value}`;
      const inject = (url: string, payload: object) =>
        app.inject({ method: 'POST', url, headers: { origin: ORIGIN, cookie }, payload });
      const plan = await inject('/api/v1/plans/import', {
        draft: buildTwoTaskPlanDraft(unitA, unitB, '两进程'),
      });
      expect(plan.statusCode, plan.body).toBe(201);
      const cycle = await inject('/api/v1/reporting/cycles', {
        planId: plan.json().plan.id,
        name: '两进程周期',
        frequency: 'yearly',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        dueDate: plusDays(dateIn('Asia/Shanghai'), 1),
        graceDays: 0,
      });
      expect(cycle.statusCode, cycle.body).toBe(201);
      await app.close();

      const env = {
        DATABASE_URL: (t.config.database as { url: string }).url,
        DATA_DIR: t.config.dataDir,
        SEED_DEMO: 'false',
        SMTP_URL: smtp.url,
        REMINDER_INTERVAL_MINUTES: '0.005',
      };
      const ports = [await freePort(), await freePort()];
      for (const port of ports) servers.push(startKesu({ ...env, PORT: String(port) }));
      await Promise.all(ports.map((p) => waitReady(`http://127.0.0.1:${p}`, 60_000)));
      // Both processes have had many runs each (one every 0.3 s) by the time the counts stop moving.
      const count = async () =>
        Number(
          (
            await t.db.kysely
              .selectFrom('reminder_sends')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      await until(async () => (await count()) >= 4, 30_000);
      await new Promise((r) => setTimeout(r, 3000));
      expect(await count()).toBe(4);
      const rows = await t.db.kysely
        .selectFrom('notifications')
        .select(['kind', 'recipient_unit_id'])
        .where('kind', 'like', 'cycle.%')
        .execute();
      expect(rows).toHaveLength(4);
      expect(
        rows
          .filter((r) => r.recipient_unit_id === unitA.id)
          .map((r) => r.kind)
          .sort(),
      ).toEqual(['cycle.deadline', 'cycle.opened']);
      const audit = await t.db.kysely
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'reminder.send')
        .execute();
      expect(audit).toHaveLength(4);
      await until(() => smtp.messages.length >= 2, 10_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(smtp.messages.filter((m) => m.to.includes('remind_clerk@example.gov.cn'))).toHaveLength(2);
    } finally {
      for (const s of servers) {
        s.kill('SIGTERM');
        await new Promise((r) => s.once('exit', r));
      }
      await t.cleanup();
    }
  },
);
