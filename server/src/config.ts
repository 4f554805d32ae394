import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Every variable is documented in .env.example; a bad value stops the start
 * with a message naming each bad variable.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Folder for the embedded database, the initial admin password file and uploads. */
  DATA_DIR: z.string().default('./data'),
  /**
   * Where uploaded files (evidence, survey uploads, activity and 考核 files) live: `local` under DATA_DIR (the
   * default), or `database` in the database itself (chunked rows): several nodes on one PostgreSQL then share every
   * file with no shared disk.
   */
  FILE_STORAGE: z
    .enum(['local', 'database'], { message: 'FILE_STORAGE 只能是 local 或 database' })
    .default('local'),
  /** postgres://… selects PostgreSQL; unset means the embedded SQLite database at DATA_DIR/kesu.db. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 须以 postgres:// 开头')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Public address of the site (https://kesu.example.gov.cn); its origin is trusted for state-changing requests. */
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Extra trusted origins, comma-separated. */
  ALLOWED_ORIGINS: z.string().default(''),
  /**
   * Behind a reverse proxy that sets X-Forwarded-*: the proxies to believe, as a comma-separated list of addresses
   * or CIDR ranges (127.0.0.1,10.0.0.0/8), or the number of proxy hops in front of kesu (1). Never `true`: that
   * believes the leftmost X-Forwarded-For, which any client writes (a forged IP beats the sign-in limits).
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .refine((v) => v !== 'true', {
      message:
        '不能为 true（会信任任何人伪造的 X-Forwarded-For）：请写受信任代理的地址列表（如 127.0.0.1,10.0.0.0/8）或代理跳数（如 1）',
    })
    .refine(
      (v) =>
        v === 'false' ||
        v === '' ||
        /^\d{1,2}$/.test(v) ||
        v.split(',').every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a.trim())),
      {
        message: '应为 false、代理跳数（如 1）或受信任代理的地址列表（如 127.0.0.1,10.0.0.0/8）',
      },
    ),
  /** Force the Secure flag on the session cookie even when the request does not look like https. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Built web app to serve; defaults to web/dist of this repository. */
  WEB_DIST: z.string().optional(),
  /** Load the Xuzhou sample plan and units into a new database (true by default). */
  SEED_SAMPLE: z.enum(['true', 'false']).default('true'),
  /** With SEED_SAMPLE, also fill a new database with two years of demo reports (removable: kesu demo remove). */
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** Threads of the worker pool for heavy work (survey parsing, estimation); default: CPUs − 1, at least 1. */
  WORKER_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** Largest survey microdata upload (csv/xlsx), megabytes. */
  SURVEY_UPLOAD_MAX_MB: z.coerce.number().positive().max(10_000).default(200),
  /** Largest evidence attachment of a progress report, megabytes. */
  REPORT_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(1000).default(20),
  /** Webhook for notifications (e-mail gateway, chat bot…): empty = off. POSTed JSON after commit, never blocking. */
  NOTIFY_WEBHOOK_URL: z
    .string()
    .url('NOTIFY_WEBHOOK_URL 须为 http(s):// 地址')
    .regex(/^https?:\/\//, 'NOTIFY_WEBHOOK_URL 须为 http(s):// 地址')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** How long one webhook POST may take before it is abandoned (and logged), milliseconds. */
  NOTIFY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Body of the webhook: kesu's JSON, a 企业微信 or a 钉钉 group robot; auto = by the URL's host. */
  NOTIFY_WEBHOOK_FORMAT: z.enum(['auto', 'json', 'wecom', 'dingtalk']).default('auto'),
  /** 钉钉 robot 加签 secret (SEC…): when set, each POST carries timestamp and sign. */
  NOTIFY_WEBHOOK_SECRET: z.string().optional(),
  /** E-mail over SMTP: smtp://user:pass@host:587 or smtps://…:465; empty = no e-mail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL 须以 smtp:// 或 smtps:// 开头')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Sender of notification e-mails. */
  SMTP_FROM: z.string().default('科素 <kesu@localhost>'),
  /** How often reporting reminders are checked, minutes (0 = never in this process). */
  REMINDER_INTERVAL_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(15),
  /**
   * Background jobs on PostgreSQL: a job whose node stops heartbeating (killed) for this many seconds is taken by
   * another node (≥ 10; the takeover comes within about twice this).
   */
  JOB_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(10),
  /** Survey imports one node runs at once. */
  JOB_IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /**
   * When the supervision alert scan (预警扫描) runs as a background job: a 5-field cron (minute hour day month weekday;
   * `*`, `*\/n`, numbers, lists) evaluated in UTC by the job queue on both databases (pg-boss is given tz UTC), so the
   * default '0 0 * * *' is 08:00 Asia/Shanghai. Once per schedule across nodes. 'off' = no scheduled scan.
   */
  ALERT_SCAN_CRON: z
    .string()
    .trim()
    .default('0 0 * * *')
    .refine(
      (v) =>
        v === 'off' ||
        (v.split(/\s+/).length === 5 && v.split(/\s+/).every((f) => /^(\*|\*\/\d+|\d+(,\d+)*)$/.test(f))),
      'ALERT_SCAN_CRON 须为 5 段 cron（分 时 日 月 周，UTC；支持 *、*/n、数字和逗号列表），或 off',
    ),
  /** Days before a cycle's due date the deadline reminder goes out. */
  REMINDER_DAYS_BEFORE: z.coerce.number().int().min(1).max(30).default(3),
  /**
   * Requests per minute one client address may make to the public read API (everything under /api/v1/public/);
   * the address is the client's as seen through the proxies TRUST_PROXY names. 0 = no limit.
   */
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(120),
  /** Time zone of dates and times shown in pages, exports and reminders. */
  TZ: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'TZ 不是有效的时区名（如 Asia/Shanghai）'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** Where uploaded files live (storage/): under dataDir, or in the database. */
  fileStorage: 'local' | 'database';
  trustedOrigins: string[];
  /** Fastify's trustProxy: false, a hop count, or the trusted proxy addresses/CIDRs. */
  trustProxy: false | number | string[];
  cookieSecure: 'auto' | boolean;
  sessionTtlHours: number;
  logLevel: string;
  webDist: string | null;
  seedSample: boolean;
  /** Demo reports on a new database (only with seedSample). */
  seedDemo: boolean;
  /** Threads of the worker pool (files/worker-pool.ts). */
  workerThreads: number;
  /** Largest survey microdata upload, bytes. */
  surveyUploadMaxBytes: number;
  /** Largest evidence attachment of a progress report, bytes. */
  reportAttachmentMaxBytes: number;
  /** Notification webhook; null = off (the default). */
  notifyWebhookUrl: string | null;
  notifyWebhookTimeoutMs: number;
  notifyWebhookFormat: 'json' | 'wecom' | 'dingtalk';
  notifyWebhookSecret: string | null;
  /** SMTP for notification e-mails; null = off (the default). */
  smtpUrl: string | null;
  smtpFrom: string;
  reminderIntervalMinutes: number;
  /** Background jobs: a dead node's job is retried elsewhere after this lease lapses (PostgreSQL). */
  jobLeaseSeconds: number;
  jobImportConcurrency: number;
  reminderDaysBefore: number;
  /** Cron (UTC) of the scheduled alert scan; null = off. */
  alertScanCron: string | null;
  /** IANA time zone for shown dates and times (Asia/Shanghai). */
  timeZone: string;
  /**
   * The public read API's limit per client address: `max` requests per `windowMs` (0 = off). The window is a minute
   * from the environment; tests shorten it to see the limit recover.
   */
  publicRateLimit: { max: number; windowMs: number };
}

/** The body format of a webhook URL when not given: the robots' own hosts. */
function webhookFormat(url: string | undefined, given: string): 'json' | 'wecom' | 'dingtalk' {
  if (given !== 'auto') return given as 'json' | 'wecom' | 'dingtalk';
  if (!url) return 'json';
  const host = new URL(url).host;
  if (host === 'qyapi.weixin.qq.com') return 'wecom';
  if (host === 'oapi.dingtalk.com') return 'dingtalk';
  return 'json';
}

export class ConfigError extends Error {}

/** Parse the environment into a Config, or throw ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置错误（环境变量）：\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const trustedOrigins = [
    ...(e.PUBLIC_URL ? [new URL(e.PUBLIC_URL).origin] : []),
    ...e.ALLOWED_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'kesu.db') },
    fileStorage: e.FILE_STORAGE,
    trustedOrigins,
    trustProxy:
      e.TRUST_PROXY === 'false' || e.TRUST_PROXY === ''
        ? false
        : /^\d+$/.test(e.TRUST_PROXY)
          ? Number(e.TRUST_PROXY)
          : e.TRUST_PROXY.split(',').map((a) => a.trim()),
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    sessionTtlHours: e.SESSION_TTL_HOURS,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST ? path.resolve(e.WEB_DIST) : null,
    seedSample: e.SEED_SAMPLE === 'true',
    seedDemo: e.SEED_DEMO === 'true',
    workerThreads: e.WORKER_THREADS ?? Math.max(1, os.availableParallelism() - 1),
    surveyUploadMaxBytes: Math.round(e.SURVEY_UPLOAD_MAX_MB * 1024 * 1024),
    reportAttachmentMaxBytes: Math.round(e.REPORT_ATTACHMENT_MAX_MB * 1024 * 1024),
    notifyWebhookUrl: e.NOTIFY_WEBHOOK_URL ?? null,
    notifyWebhookTimeoutMs: e.NOTIFY_WEBHOOK_TIMEOUT_MS,
    notifyWebhookFormat: webhookFormat(e.NOTIFY_WEBHOOK_URL, e.NOTIFY_WEBHOOK_FORMAT),
    notifyWebhookSecret: e.NOTIFY_WEBHOOK_SECRET || null,
    smtpUrl: e.SMTP_URL ?? null,
    smtpFrom: e.SMTP_FROM,
    reminderIntervalMinutes: e.REMINDER_INTERVAL_MINUTES,
    jobLeaseSeconds: e.JOB_LEASE_SECONDS,
    jobImportConcurrency: e.JOB_IMPORT_CONCURRENCY,
    reminderDaysBefore: e.REMINDER_DAYS_BEFORE,
    alertScanCron: e.ALERT_SCAN_CRON === 'off' ? null : e.ALERT_SCAN_CRON,
    timeZone: e.TZ,
    publicRateLimit: { max: e.PUBLIC_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 },
  };
}
