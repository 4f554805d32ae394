import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { Database } from '../../db/schema';

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
    await trx
      .insertInto('notifications')
      .values(
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
      )
      .execute();
  },
};

/**
 * POST each notification as JSON to a URL (an e-mail gateway, a chat bot…), one at a time, each with a timeout.
 * A failure is logged (host and status only: the URL may carry a token) and the next one is tried.
 */
export function webhookChannel(
  url: string,
  timeoutMs: number,
  log: ChannelLogger,
  publicUrl: string | null = null,
): NotificationChannel {
  const host = new URL(url).host;
  return {
    name: 'webhook',
    async deliver(items) {
      for (const n of items) {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              id: n.id,
              kind: n.kind,
              title: n.title,
              body: n.body,
              link: n.link,
              url: n.link && publicUrl ? new URL(n.link, publicUrl).href : null,
              recipient: n.recipient,
              createdAt: n.createdAt,
            }),
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
}

/** In-app always; the webhook only when NOTIFY_WEBHOOK_URL is set. */
export function createNotifier(
  config: Pick<Config, 'notifyWebhookUrl' | 'notifyWebhookTimeoutMs'> & { publicUrl?: string | null },
  log: ChannelLogger,
): Notifier {
  const channels: NotificationChannel[] = [inAppChannel];
  if (config.notifyWebhookUrl) {
    channels.push(
      webhookChannel(config.notifyWebhookUrl, config.notifyWebhookTimeoutMs, log, config.publicUrl ?? null),
    );
  }
  return new Notifier(channels, log);
}
