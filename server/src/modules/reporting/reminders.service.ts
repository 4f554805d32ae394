import type { BulkResult, CycleUnit, UrgeBody } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, systemCtx } from '../../context';
import { isUniqueViolation } from '../../db/dialect';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { dateIn, plusDays } from '../../time';
import { recordAudit } from '../audit/audit.service';
import type { Notifier, OutboundNotification } from '../notifications/notification-channels';
import { type NotificationDraft, notifyInTransaction } from '../notifications/notifications.service';
import { requireOwnCycle } from './cycles.service';
import { lateAfter } from '../progress/plan-dates';
import {
  type CycleRow,
  cycleUnitProgress,
  insertReminderSend,
  lastReminders,
  openCycleRows,
} from './reporting.repository';

/**
 * Reporting reminders. Every reminder is an event (kind, subject, occurrence) — e.g. ('cycle.deadline', cycle,
 * unit) — recorded in `reminder_sends` in the same transaction as its notifications and audit row. The key is
 * unique, so when two processes (or two runs) try the same event, one commits and the other rolls back: each
 * reminder is sent once.
 */

export interface ReminderOptions {
  now?: Date;
  /** Time zone of "today" (config TZ). */
  timeZone: string;
  /** Days before the due date the deadline reminder goes out. */
  daysBefore: number;
}

export interface ReminderEvent {
  kind: string;
  subjectId: string;
  occurrence: string;
}

/**
 * Send one reminder event unless it was sent: key, notifications and audit row in one transaction. Returns the
 * notifications made (to deliver after the commit), or null when the event was already sent.
 */
export async function sendOnce(
  db: Kysely<Database>,
  notifier: Notifier,
  ctx: Ctx,
  event: ReminderEvent,
  unitId: string,
  draft: NotificationDraft,
  audit: Record<string, unknown>,
): Promise<OutboundNotification[] | null> {
  try {
    const out = await db.transaction().execute(async (trx) => {
      await insertReminderSend(trx, {
        id: newId(),
        kind: event.kind,
        subject_id: event.subjectId,
        occurrence: event.occurrence,
        sent_at: nowIso(),
      });
      const items = await notifyInTransaction(trx, notifier, { unitId }, draft);
      await recordAudit(trx, ctx, {
        action: 'reminder.send',
        entityType: 'cycle',
        entityId: event.subjectId,
        after: { kind: event.kind, title: draft.title, ...audit },
      });
      return items;
    });
    notifier.afterCommit(out);
    return out;
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

const inboxLink = '/reporting';

function outstanding(u: { tasks: number; done: number }): number {
  return u.tasks - u.done;
}

/** The reminders due now for one open cycle: opened, due in N days, overdue. */
async function remindCycle(
  db: Kysely<Database>,
  notifier: Notifier,
  cycle: CycleRow,
  opts: ReminderOptions,
  today: string,
): Promise<number> {
  const late = lateAfter(cycle.due_date, cycle.grace_days);
  const soon = plusDays(cycle.due_date, -opts.daysBefore);
  const units = await cycleUnitProgress(db, cycle);
  let sent = 0;
  for (const u of units) {
    const left = outstanding(u);
    const events: { event: ReminderEvent; draft: NotificationDraft }[] = [];
    if (today <= late) {
      events.push({
        event: { kind: 'cycle.opened', subjectId: cycle.id, occurrence: u.unit_id },
        draft: {
          kind: 'cycle.opened',
          title: `填报周期「${cycle.name}」已开始`,
          body: `${u.unit_name}有 ${u.tasks} 项任务需要填报进展，截止日期 ${cycle.due_date}。`,
          link: inboxLink,
        },
      });
    }
    if (left > 0 && today >= soon && today <= cycle.due_date) {
      events.push({
        event: { kind: 'cycle.deadline', subjectId: cycle.id, occurrence: u.unit_id },
        draft: {
          kind: 'cycle.deadline',
          title: `「${cycle.name}」将于 ${cycle.due_date} 截止`,
          body: `${u.unit_name}还有 ${left} 项任务未提交，请在截止日期前完成填报。`,
          link: inboxLink,
        },
      });
    }
    if (left > 0 && today > late) {
      events.push({
        event: { kind: 'cycle.overdue', subjectId: cycle.id, occurrence: u.unit_id },
        draft: {
          kind: 'cycle.overdue',
          title: `「${cycle.name}」已逾期`,
          body: `${u.unit_name}还有 ${left} 项任务未提交（截止日期 ${cycle.due_date}），请尽快填报。`,
          link: inboxLink,
        },
      });
    }
    for (const e of events) {
      const out = await sendOnce(db, notifier, systemCtx(), e.event, u.unit_id, e.draft, {
        unitId: u.unit_id,
        unitName: u.unit_name,
        cycleName: cycle.name,
      });
      if (out) sent += 1;
    }
  }
  return sent;
}

/**
 * One pass of the scheduled reminders over every open cycle. Safe to run from several processes at once and as
 * often as wanted: each event is sent once. Returns how many events this call sent.
 */
export async function runReminders(
  db: Kysely<Database>,
  notifier: Notifier,
  opts: ReminderOptions,
): Promise<number> {
  const today = dateIn(opts.timeZone, opts.now ?? new Date());
  let sent = 0;
  for (const cycle of await openCycleRows(db)) sent += await remindCycle(db, notifier, cycle, opts, today);
  return sent;
}

/** Units of a cycle with their progress, late flag and last 催报 (admin's 催报 list). */
export async function listCycleUnits(
  db: Kysely<Database>,
  ctx: Ctx,
  cycleId: string,
  opts: ReminderOptions,
): Promise<{ items: CycleUnit[] }> {
  const cycle = await requireOwnCycle(db, ctx, cycleId);
  const today = dateIn(opts.timeZone, opts.now ?? new Date());
  const isLate = today > lateAfter(cycle.due_date, cycle.grace_days);
  const sends = await lastReminders(db, cycle.id);
  const lastUrged = new Map<string, string>();
  for (const s of sends)
    if (s.kind === 'cycle.urge') lastUrged.set(s.occurrence.split('@')[0] ?? '', s.sent_at);
  const units = await cycleUnitProgress(db, cycle);
  return {
    items: units.map((u) => ({
      unitId: u.unit_id,
      unitName: u.unit_name,
      tasks: u.tasks,
      done: u.done,
      isLate: isLate && outstanding(u) > 0,
      lastUrgedAt: lastUrged.get(u.unit_id) ?? null,
    })),
  };
}

/**
 * 催报: remind the chosen units (none chosen: every late unit) of what they still have to report. A unit is
 * reminded at most once a day per cycle, so a double click or two admins at once send one message.
 */
export async function urgeUnits(
  db: Kysely<Database>,
  ctx: Ctx,
  notifier: Notifier,
  cycleId: string,
  body: UrgeBody,
  opts: ReminderOptions,
): Promise<BulkResult> {
  const cycle = await requireOwnCycle(db, ctx, cycleId, '只有管理员可以催报');
  if (cycle.state === 'locked') throw new AppError('CYCLE_LOCKED');
  const today = dateIn(opts.timeZone, opts.now ?? new Date());
  const isLate = today > lateAfter(cycle.due_date, cycle.grace_days);
  const units = await cycleUnitProgress(db, cycle);
  const chosen =
    body.unitIds && body.unitIds.length > 0
      ? body.unitIds.map(
          (id) => units.find((u) => u.unit_id === id) ?? { unit_id: id, unit_name: '', tasks: 0, done: 0 },
        )
      : units.filter((u) => isLate && outstanding(u) > 0);
  const items: BulkResult['items'] = [];
  for (const u of chosen) {
    const left = outstanding(u);
    if (u.tasks === 0) {
      items.push({
        id: u.unit_id,
        name: u.unit_name || '未知单位',
        ok: false,
        reason: '该单位在本周期没有填报任务',
      });
      continue;
    }
    if (left <= 0) {
      items.push({ id: u.unit_id, name: u.unit_name, ok: false, reason: '已全部提交' });
      continue;
    }
    const out = await sendOnce(
      db,
      notifier,
      ctx,
      { kind: 'cycle.urge', subjectId: cycle.id, occurrence: `${u.unit_id}@${today}` },
      u.unit_id,
      {
        kind: 'cycle.urge',
        title: `催报：「${cycle.name}」请尽快填报`,
        body: `${u.unit_name}还有 ${left} 项任务未提交（截止日期 ${cycle.due_date}）。${body.message}`.trim(),
        link: inboxLink,
      },
      { unitId: u.unit_id, unitName: u.unit_name, cycleName: cycle.name, message: body.message },
    );
    items.push(
      out
        ? { id: u.unit_id, name: u.unit_name, ok: true, reason: null }
        : { id: u.unit_id, name: u.unit_name, ok: false, reason: '今天已催报过' },
    );
  }
  const done = items.filter((i) => i.ok).length;
  return { done, skipped: items.length - done, items };
}
