import { createHmac } from 'node:crypto';
import type { NotifyChannel } from '@kesu/shared';
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Config } from '../../config';
import type { Database } from '../../db/schema';
import { contactRows, insertNotificationRows } from './notifications.repository';

/** One notification as channels see it (the in-app row, and what a webhook receives). */
export interface OutboundNotification {
  id: string;
  /** Exactly one of the two is set. */
  recipient: { userId: string | null; unitId: string | null };
  kind: string;
  title: string;
  body: string;
  /** In-app path, e.g. /supervision/notices/<id>. */
  link: string | null;
  createdAt: string;
}

/**
 * A way notifications reach people. `record` runs inside the write's transaction (commits or rolls back with it);
 * `deliver` runs after the commit, must not throw into the caller, and may be slow: nothing waits for it.
 */
export interface NotificationChannel {
  readonly name: string;
  record?(trx: Kysely<Database>, items: OutboundNotification[]): Promise<void>;
  deliver?(items: OutboundNotification[]): Promise<void>;
}

/** The part of pino the channels use. */
export interface ChannelLogger {
  warn(obj: object, msg: string): void;
}

/** In-app: a row per notification in the same transaction as the change. Always on. */
export const inAppChannel: NotificationChannel = {
  name: 'in-app',
  async record(trx, items) {
    if (items.length === 0) return;
    await insertNotificationRows(
      trx,
      items.map((n) => ({
        id: n.id,
        recipient_user_id: n.recipient.userId,
        recipient_unit_id: n.recipient.unitId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
        read_at: null,
        created_at: n.createdAt,
      })),
    );
  },
};

/** Who a notification reaches, as the outward channels need it (resolved after the commit). */
export interface Contact {
  userId: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  /** Channels the person chose besides in-app. */
  channels: string[];
}

/** Contacts per notification id: the user, or every active reporter of the unit. */
export type ContactResolver = (items: OutboundNotification[]) => Promise<Map<string, Contact[]>>;

/** Read recipients' contacts from the database (a unit: its active reporters). */
export function databaseContacts(db: Kysely<Database>): ContactResolver {
  return async (items) => {
    const userIds = [...new Set(items.flatMap((n) => (n.recipient.userId ? [n.recipient.userId] : [])))];
    const unitIds = [...new Set(items.flatMap((n) => (n.recipient.unitId ? [n.recipient.unitId] : [])))];
    const out = new Map<string, Contact[]>();
    if (userIds.length === 0 && unitIds.length === 0) return out;
    const rows = await contactRows(db, userIds, unitIds);
    const contact = (r: (typeof rows)[number]): Contact => ({
      userId: r.id,
      displayName: r.display_name || r.username,
      email: r.email,
      phone: r.phone,
      channels: r.notify_channels.split(',').filter(Boolean),
    });
    for (const n of items) {
      const who = n.recipient.userId
        ? rows.filter((r) => r.id === n.recipient.userId)
        : rows.filter((r) => r.unit_id === n.recipient.unitId && r.role === 'reporter');
      out.set(n.id, who.map(contact));
    }
    return out;
  };
}

const noContacts: ContactResolver = async () => new Map();

/** The text a person reads in a chat robot or an e-mail: title, body and the address to open. */
function plainText(n: OutboundNotification, publicUrl: string | null): string {
  const url = n.link && publicUrl ? new URL(n.link, publicUrl).href : null;
  return [`【科素】${n.title}`, n.body, url ? `查看：${url}` : ''].filter(Boolean).join('\n');
}

export type WebhookFormat = 'json' | 'wecom' | 'dingtalk';

/**
 * The body for one notification: kesu's own JSON, or a 企业微信 / 钉钉 group robot text message that @-mentions
 * the recipients who chose the robot and gave a phone number.
 */
export function webhookBody(
  format: WebhookFormat,
  n: OutboundNotification,
  publicUrl: string | null,
  mentions: string[] = [],
): unknown {
  if (format === 'wecom') {
    return {
      msgtype: 'text',
      text: {
        content: plainText(n, publicUrl),
        ...(mentions.length ? { mentioned_mobile_list: mentions } : {}),
      },
    };
  }
  if (format === 'dingtalk') {
    const at = mentions.map((m) => `@${m}`).join(' ');
    return {
      msgtype: 'text',
      text: { content: at ? `${plainText(n, publicUrl)}\n${at}` : plainText(n, publicUrl) },
      at: { atMobiles: mentions, isAtAll: false },
    };
  }
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.link,
    url: n.link && publicUrl ? new URL(n.link, publicUrl).href : null,
    recipient: n.recipient,
    createdAt: n.createdAt,
  };
}

/** 钉钉 加签: the URL with timestamp and sign = base64(HMAC-SHA256(secret, "timestamp\nsecret")). */
export function signedDingtalkUrl(url: string, secret: string, now: number = Date.now()): string {
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(now));
  u.searchParams.set('sign', sign);
  return u.href;
}

export interface WebhookOptions {
  format?: WebhookFormat;
  /** 钉钉 加签 secret. */
  secret?: string | null;
  contacts?: ContactResolver;
}

/**
 * POST each notification to a URL (kesu JSON, or a 企业微信 / 钉钉 group robot), one at a time, each with a timeout.
 * A failure is logged (host and status only: the URL may carry a token) and the next one is tried.
 */
export function webhookChannel(
  url: string,
  timeoutMs: number,
  log: ChannelLogger,
  publicUrl: string | null = null,
  opts: WebhookOptions = {},
): NotificationChannel {
  const host = new URL(url).host;
  const format = opts.format ?? 'json';
  const contacts = opts.contacts ?? noContacts;
  return {
    name: 'webhook',
    async deliver(items) {
      const who = format === 'json' ? new Map<string, Contact[]>() : await contacts(items);
      for (const n of items) {
        const mentions = (who.get(n.id) ?? [])
          .filter((c) => c.phone && c.channels.includes('webhook'))
          .map((c) => c.phone as string);
        try {
          const target = format === 'dingtalk' && opts.secret ? signedDingtalkUrl(url, opts.secret) : url;
          const res = await fetch(target, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(webhookBody(format, n, publicUrl, mentions)),
            signal: AbortSignal.timeout(timeoutMs),
          });
          // Drain the body so the connection is released.
          await res.arrayBuffer().catch(() => undefined);
          if (!res.ok)
            log.warn({ host, status: res.status, notificationId: n.id }, 'notification webhook refused');
        } catch (err) {
          log.warn(
            { host, notificationId: n.id, err: err instanceof Error ? err.message : String(err) },
            'notification webhook failed',
          );
        }
      }
    },
  };
}

/**
 * E-mail over SMTP to each recipient who gave an address and chose e-mail (a unit: each of its reporters). One
 * message per person; a failure is logged (no address in the log) and the next one is tried.
 */
export function emailChannel(
  smtpUrl: string,
  from: string,
  contacts: ContactResolver,
  log: ChannelLogger,
  publicUrl: string | null = null,
): NotificationChannel & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  const host = new URL(smtpUrl).host;
  return {
    name: 'email',
    close: () => transport.close(),
    async deliver(items) {
      const who = await contacts(items);
      for (const n of items) {
        for (const c of who.get(n.id) ?? []) {
          if (!c.email || !c.channels.includes('email')) continue;
          try {
            await transport.sendMail({
              from,
              to: { name: c.displayName, address: c.email },
              subject: `【科素】${n.title}`,
              text: `${c.displayName}：\n\n${plainText(n, publicUrl)}\n\n（本邮件由科素系统自动发送，可在“账号”页面修改通知方式。）`,
            });
          } catch (err) {
            log.warn(
              { host, notificationId: n.id, err: err instanceof Error ? err.message : String(err) },
              'notification e-mail failed',
            );
          }
        }
      }
    },
  };
}

/** The outward channels this server has set up: the others send nothing. */
export function configuredChannels(config: Pick<Config, 'smtpUrl' | 'notifyWebhookUrl'>): NotifyChannel[] {
  return [
    ...(config.smtpUrl ? ['email' as const] : []),
    ...(config.notifyWebhookUrl ? ['webhook' as const] : []),
  ];
}

/**
 * Sends notifications through every channel: `record` inside the caller's transaction, `afterCommit` once it has
 * committed (fire and forget; `idle()` waits for what is in flight, for shutdown and tests).
 */
export class Notifier {
  private readonly inFlight = new Set<Promise<void>>();
  constructor(
    readonly channels: readonly NotificationChannel[],
    private readonly log: ChannelLogger,
  ) {}

  async record(trx: Kysely<Database>, items: OutboundNotification[]): Promise<void> {
    for (const c of this.channels) if (c.record) await c.record(trx, items);
  }

  afterCommit(items: OutboundNotification[]): void {
    if (items.length === 0) return;
    for (const c of this.channels) {
      if (!c.deliver) continue;
      const p: Promise<void> = c
        .deliver(items)
        .catch((err: unknown) =>
          this.log.warn(
            { channel: c.name, err: err instanceof Error ? err.message : String(err) },
            'notification delivery failed',
          ),
        )
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Wait for deliveries, then release channel resources (SMTP connections). */
  async close(): Promise<void> {
    await this.idle();
    for (const c of this.channels) (c as { close?: () => void }).close?.();
  }
}

/** In-app always; e-mail only when SMTP_URL is set; the webhook only when NOTIFY_WEBHOOK_URL is set. */
export function createNotifier(
  config: Pick<Config, 'notifyWebhookUrl' | 'notifyWebhookTimeoutMs'> &
    Partial<Pick<Config, 'notifyWebhookFormat' | 'notifyWebhookSecret' | 'smtpUrl' | 'smtpFrom'>> & {
      publicUrl?: string | null;
    },
  log: ChannelLogger,
  db?: Kysely<Database>,
): Notifier {
  const channels: NotificationChannel[] = [inAppChannel];
  const contacts = db ? databaseContacts(db) : noContacts;
  const publicUrl = config.publicUrl ?? null;
  if (config.smtpUrl && db) {
    channels.push(
      emailChannel(config.smtpUrl, config.smtpFrom ?? '科素 <kesu@localhost>', contacts, log, publicUrl),
    );
  }
  if (config.notifyWebhookUrl) {
    channels.push(
      webhookChannel(config.notifyWebhookUrl, config.notifyWebhookTimeoutMs, log, publicUrl, {
        format: config.notifyWebhookFormat ?? 'json',
        secret: config.notifyWebhookSecret ?? null,
        contacts,
      }),
    );
  }
  return new Notifier(channels, log);
}
