import { authenticate } from '../../authorize';
import {
  NOTICE_ACTION_LABELS,
  NOTICE_SEVERITY_LABELS,
  type Notice,
  type NoticeAction,
  type NoticeCreateParsed,
  type NoticeDetail,
  type NoticeEvent,
  type NoticeListQuery,
  NOTICE_LINK_SEARCH_LIMIT,
  type NoticeLinkOptionList,
  type NoticeLinkSearchQuery,
  type NoticeSeverity,
  type NoticeState,
  type NoticeLinkType,
  type Page,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import { type Ctx, worksIn } from '../../context';
import type { Database, SupervisionEventsTable, SupervisionNoticesTable } from '../../db/schema';
import { AppError } from '../../errors';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import type { Notifier, OutboundNotification } from '../notifications/notification-channels';
import { type Audience, notifyInTransaction } from '../notifications/notifications.service';
import { findJurisdiction } from '../jurisdictions/jurisdictions.service';
import { findUnitRow } from '../units/unit-reads.service';
import { isNoticeOverdue, type NoticeStep, nextNoticeState, todayUtc } from './notice-state';
import {
  canHandleNotice,
  canIssueNotice,
  canReadAllNotices,
  canReadLevelNotices,
  canReadNotice,
  canReviewNotice,
  type NoticeScope,
} from './supervision.policy';
import {
  eventRows,
  findNoticeRow,
  insertEventRow,
  insertNoticeRow,
  linkLabel,
  listNoticeRows,
  unitNoticeScope,
  searchLinkTargets,
  type NoticeRow,
  updateNoticeRow,
} from './supervision.repository';

export function toNotice(row: NoticeRow, today: string): Notice {
  const state = row.state as NoticeState;
  return {
    id: row.id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    subject: row.subject,
    content: row.content,
    severity: row.severity as NoticeSeverity,
    deadline: row.deadline,
    state,
    isOverdue: isNoticeOverdue(state, row.deadline, today),
    link:
      row.link_type && row.link_id
        ? { entityType: row.link_type as NoticeLinkType, entityId: row.link_id, label: row.link_label ?? '' }
        : null,
    alertKey: row.alert_key,
    issuedBy: row.issuer_name,
    issuedAt: row.issued_at,
    signedAt: row.signed_at,
    doneAt: row.done_at,
    closedAt: row.closed_at,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

function toEvent(row: SupervisionEventsTable): NoticeEvent {
  return {
    id: row.id,
    action: row.action as NoticeAction,
    fromState: row.from_state as NoticeState | null,
    toState: row.to_state as NoticeState,
    comment: row.comment,
    actorName: row.actor_name,
    at: row.at,
  };
}

function requireUser(ctx: Ctx) {
  authenticate(ctx);
  return ctx.user;
}

async function requireNotice(db: Kysely<Database>, id: string): Promise<NoticeRow> {
  const row = await findNoticeRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '督办单不存在');
  return row;
}

function noticePath(id: string): string {
  return `/supervision/notices/${id}`;
}

/** 交办 form: what a notice may link to, searched by name (only those who issue notices search). */
export async function searchNoticeLinks(
  db: Kysely<Database>,
  ctx: Ctx,
  q: Required<NoticeLinkSearchQuery>,
): Promise<NoticeLinkOptionList> {
  const user = requireUser(ctx);
  if (!canIssueNotice(user)) throw new AppError('FORBIDDEN', '只有管理员可以交办督办单');
  return { items: await searchLinkTargets(db, q.type, q.q, NOTICE_LINK_SEARCH_LIMIT) };
}

export async function listNotices(
  db: Kysely<Database>,
  ctx: Ctx,
  q: NoticeListQuery,
  now: Date = new Date(),
): Promise<Page<Notice>> {
  const user = requireUser(ctx);
  let unitId = q.unitId;
  let within: { path: string; unitIds: string[] } | undefined;
  if (!canReadAllNotices(user)) {
    if (canReadLevelNotices(user) && user.jurisdictionPath) {
      // Below the root: the notices of the level's subtree, and those the level above addressed to the level.
      const own = user.jurisdictionId ? await findJurisdiction(db, user.jurisdictionId) : undefined;
      within = {
        path: user.jurisdictionPath,
        unitIds: own?.government_unit_id ? [own.government_unit_id] : [],
      };
    } else {
      // A reporter lists its own unit's notices only.
      if (user.role !== 'reporter' || !user.unitId) throw new AppError('FORBIDDEN');
      if (unitId && unitId !== user.unitId) throw new AppError('FORBIDDEN', '只能查看本单位的督办单');
      unitId = user.unitId;
    }
  }
  const today = todayUtc(now);
  const { rows, total } = await listNoticeRows(db, {
    within,
    unitId,
    severity: q.severity,
    state: q.state,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    today,
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: rows.map((r) => toNotice(r, today)), total, page: q.page, pageSize: q.pageSize };
}

export async function getNotice(
  db: Kysely<Database>,
  ctx: Ctx,
  id: string,
  now: Date = new Date(),
): Promise<NoticeDetail> {
  const user = requireUser(ctx);
  const row = await requireNotice(db, id);
  const notice = toNotice(row, todayUtc(now));
  const scope = await unitNoticeScope(db, notice.unitId);
  if (!canReadNotice(user, notice, scope)) throw new AppError('FORBIDDEN', '只能查看本单位的督办单');
  const events = (await eventRows(db, id)).map(toEvent);
  const handles = canHandleNotice(user, notice, scope);
  const reviews = canReviewNotice(user, scope);
  const s = notice.state;
  return {
    ...notice,
    events,
    can: {
      sign: handles && s === 'issued',
      reply: handles && (s === 'signed' || s === 'returned'),
      finish: handles && (s === 'signed' || s === 'returned'),
      return: reviews && s === 'done',
      close: reviews && s === 'done',
    },
  };
}

/** Notifications of each step: what the office does goes to the unit; what the unit does goes to the admins. */
function notificationOf(
  action: NoticeAction,
  notice: {
    id: string;
    unitId: string;
    unitName: string;
    subject: string;
    severity: NoticeSeverity;
    deadline: string;
  },
  comment: string,
  scope: NoticeScope,
): { audience: Audience; kind: string; title: string; body: string } {
  const toUnit: Audience = { unitId: notice.unitId };
  const toAdmins: Audience = scope.ownerId
    ? { admins: true, jurisdictionId: scope.ownerId }
    : { admins: true };
  switch (action) {
    case 'issue':
      return {
        audience: toUnit,
        kind: 'notice.issued',
        title: `【${NOTICE_SEVERITY_LABELS[notice.severity]}】${notice.subject}`,
        body: `纲要办交办督办事项，请签收并于 ${notice.deadline} 前办结。`,
      };
    case 'return':
      return {
        audience: toUnit,
        kind: 'notice.returned',
        title: `督办单被退回：${notice.subject}`,
        body: comment ? `退回意见：${comment}` : '请补充办理情况后重新办结。',
      };
    case 'close':
      return {
        audience: toUnit,
        kind: 'notice.closed',
        title: `督办单已销号：${notice.subject}`,
        body: comment,
      };
    default:
      return {
        audience: toAdmins,
        kind: `notice.${action === 'sign' ? 'signed' : action === 'reply' ? 'replied' : 'done'}`,
        title: `${notice.unitName}已${NOTICE_ACTION_LABELS[action]}督办单：${notice.subject}`,
        body: comment,
      };
  }
}

async function notifyStep(
  trx: Kysely<Database>,
  notifier: Notifier,
  action: NoticeAction,
  notice: Notice,
  comment: string,
): Promise<OutboundNotification[]> {
  const scope = await unitNoticeScope(trx, notice.unitId);
  const n = notificationOf(action, notice, comment, scope);
  const draft = { kind: n.kind, title: n.title, body: n.body, link: noticePath(notice.id) };
  const sent = await notifyInTransaction(trx, notifier, n.audience, draft);
  // A notice to a lower level (its government unit) reaches that level's office too.
  if ('unitId' in n.audience && scope.addresseeId) {
    sent.push(
      ...(await notifyInTransaction(
        trx,
        notifier,
        { admins: true, jurisdictionId: scope.addresseeId },
        draft,
      )),
    );
  }
  return sent;
}

/** 交办: the office issues a notice to a unit; the unit is notified in the same transaction. */
export async function issueNotice(
  db: Kysely<Database>,
  ctx: Ctx,
  notifier: Notifier,
  input: NoticeCreateParsed,
  now: Date = new Date(),
): Promise<NoticeDetail> {
  const user = requireUser(ctx);
  if (!canIssueNotice(user)) throw new AppError('FORBIDDEN', '只有管理员可以交办督办单');
  const today = todayUtc(now);
  if (input.deadline < today) {
    throw new AppError('BAD_REQUEST', '办理期限不能早于今天', { field: 'deadline' });
  }
  const { id, outbound } = await db.transaction().execute(async (trx) => {
    const unit = await findUnitRow(trx, input.unitId);
    if (!unit) throw new AppError('NOT_FOUND', '单位不存在');
    // An office issues to its own level's units: its bureaus and the lower levels it stands above (their
    // government units), never to another level's units.
    if (!worksIn(user, unit.jurisdiction_id)) {
      throw new AppError('FORBIDDEN', '只能向本级单位或下级县区交办督办单');
    }
    if (unit.is_active !== 1 || unit.merged_into_id) {
      throw new AppError('INVALID_STATE', `单位“${unit.short_name}”已停用或已被合并，不能交办`);
    }
    let label: string | null = null;
    if (input.link) {
      const found = await linkLabel(trx, input.link.entityType, input.link.entityId);
      if (found === undefined) {
        throw new AppError('NOTICE_LINK_NOT_FOUND', undefined, {
          entityType: input.link.entityType,
          entityId: input.link.entityId,
        });
      }
      label = found;
    }
    const at = nowIso(now);
    const row: SupervisionNoticesTable = {
      id: newId(),
      unit_id: unit.id,
      subject: input.subject,
      content: input.content,
      severity: input.severity,
      deadline: input.deadline,
      state: 'issued',
      link_type: input.link?.entityType ?? null,
      link_id: input.link?.entityId ?? null,
      link_label: label,
      alert_key: input.alertKey,
      issued_by: user.id,
      issued_at: at,
      signed_at: null,
      done_at: null,
      closed_at: null,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    await insertNoticeRow(trx, row);
    await insertEventRow(trx, {
      id: newId(),
      notice_id: row.id,
      action: 'issue',
      from_state: null,
      to_state: 'issued',
      comment: '',
      actor_id: user.id,
      actor_name: user.displayName || user.username,
      at,
    });
    const notice = toNotice(await requireNotice(trx, row.id), today);
    await recordAudit(trx, ctx, {
      action: 'notice.issue',
      entityType: 'supervision_notice',
      entityId: row.id,
      after: notice,
    });
    return { id: row.id, outbound: await notifyStep(trx, notifier, 'issue', notice, '') };
  });
  notifier.afterCommit(outbound);
  return getNotice(db, ctx, id, now);
}

/**
 * One step of a notice: 签收 sign, 回复 reply, 办结 finish (the unit's reporters), 退回 return, 销号 close (the
 * office). Authorization first (403), then the state machine (NOTICE_INVALID_TRANSITION), then the version read
 * (CONFLICT); the step, its timeline row, the audit row and the notifications commit together.
 */
export async function stepNotice(
  db: Kysely<Database>,
  ctx: Ctx,
  notifier: Notifier,
  id: string,
  step: NoticeStep,
  input: { version: number; comment?: string | undefined },
  now: Date = new Date(),
): Promise<NoticeDetail> {
  const user = requireUser(ctx);
  const comment = input.comment?.trim() ?? '';
  const today = todayUtc(now);
  const outbound = await db.transaction().execute(async (trx) => {
    const row = await requireNotice(trx, id);
    const before = toNotice(row, today);
    const scope = await unitNoticeScope(trx, before.unitId);
    const byUnit = step === 'sign' || step === 'reply' || step === 'finish';
    if (byUnit && !canHandleNotice(user, before, scope)) {
      throw new AppError('FORBIDDEN', '只能办理本单位的督办单');
    }
    if (!byUnit && !canReviewNotice(user, scope)) {
      throw new AppError('FORBIDDEN', '只有交办督办单的本级管理员可以退回或销号');
    }
    const to = nextNoticeState(before.state, step);
    const at = nowIso(now);
    const changes: Partial<SupervisionNoticesTable> = { state: to, updated_at: at };
    if (step === 'sign') changes.signed_at = at;
    if (step === 'finish') changes.done_at = at;
    if (step === 'return') changes.done_at = null;
    if (step === 'close') changes.closed_at = at;
    if (input.version !== row.version || !(await updateNoticeRow(trx, id, input.version, changes))) {
      throw new AppError('CONFLICT', undefined, { currentVersion: row.version });
    }
    await insertEventRow(trx, {
      id: newId(),
      notice_id: id,
      action: step,
      from_state: before.state,
      to_state: to,
      comment,
      actor_id: user.id,
      actor_name: user.displayName || user.username,
      at,
    });
    const after = toNotice(await requireNotice(trx, id), today);
    await recordAudit(trx, ctx, {
      action: `notice.${step}`,
      entityType: 'supervision_notice',
      entityId: id,
      before: { state: before.state, version: before.version },
      after: { state: after.state, version: after.version, comment },
    });
    return notifyStep(trx, notifier, step, after, comment);
  });
  notifier.afterCommit(outbound);
  return getNotice(db, ctx, id, now);
}
