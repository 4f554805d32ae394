import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, type RunningKesu, snap, startKesu } from '../lib/harness';

/**
 * Issue 11: a clerk's and a leader's year. (1) Every page of every role fits at 1366×768, and the public pages and a
 * clerk's also at 390×844 (no sideways scrolling: scrollWidth ≤ clientWidth), and shows no internals (no ULID, no ISO timestamp,
 * no `T12:`); a screenshot of each is saved. (2) A reporter uploads a filled template and submits all; the
 * reviewer approves three reports at once; the unit gets the approval notification.
 */
let kesu: RunningKesu;
let browser: Browser;
const PASSWORD = 'Xuzhou-kexie-2026';
const cookies: Record<string, string> = {};

before(async () => {
  kesu = await startKesu({ REMINDER_INTERVAL_MINUTES: '0' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

/** Sign in through the API (and change the one-time password); returns the session cookie value. */
async function apiLogin(username: string, password: string, next?: string): Promise<string> {
  const res = await fetch(`${kesu.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: kesu.baseUrl },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, `login ${username}: ${await res.clone().text()}`);
  const cookie = /kesu_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  if (next) {
    const ch = await fetch(`${kesu.baseUrl}/api/v1/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: kesu.baseUrl, cookie: `kesu_session=${cookie}` },
      body: JSON.stringify({ currentPassword: password, newPassword: next }),
    });
    assert.ok(ch.ok, `password ${username}: ${await ch.text()}`);
    return apiLogin(username, next);
  }
  return cookie;
}

async function api(who: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${kesu.baseUrl}${url}`, {
    method,
    headers: {
      'content-type': 'application/json',
      origin: kesu.baseUrl,
      cookie: `kesu_session=${cookies[who]}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${url}: ${res.status} ${await res.clone().text()}`);
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.arrayBuffer();
}

async function contextFor(who: string | null, viewport: { width: number; height: number }) {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport, timezoneId: 'Europe/London' });
  if (who) {
    await ctx.addCookies([{ name: 'kesu_session', value: cookies[who] ?? '', url: kesu.baseUrl }]);
  }
  return ctx;
}

let planId = '';
let reportId = '';
let noticeId = '';

async function setUp(): Promise<void> {
  if (cookies.admin) return;
  cookies.admin = await apiLogin('admin', kesu.initialPassword, PASSWORD);
  const plans = await api('admin', 'GET', '/api/v1/plans');
  planId = plans.items[0].id;
  // A unit with three or more tasks that carry reported indicators: the clerk of the flow.
  const tree = await api('admin', 'GET', `/api/v1/plans/${planId}/tree`);
  type T = { id: string; units: { unitId: string; role: string }[]; indicators: { kind: string }[] };
  const count = new Map<string, number>();
  for (const t of tree.tasks as T[]) {
    if (!t.indicators.some((i) => i.kind !== 'survey_rate')) continue;
    for (const u of t.units) if (u.role === 'lead') count.set(u.unitId, (count.get(u.unitId) ?? 0) + 1);
  }
  const unitId = [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  assert.ok(unitId, 'a unit leads tasks with indicators');
  for (const [username, role, unit] of [
    ['clerk', 'reporter', unitId],
    ['leader', 'leader', null],
    ['analyst', 'analyst', null],
  ] as const) {
    const made = await api('admin', 'POST', '/api/v1/users', {
      username,
      displayName: { clerk: '王填报', leader: '李领导', analyst: '赵分析' }[username],
      role,
      unitId: unit,
    });
    cookies[username] = await apiLogin(username, made.oneTimePassword, PASSWORD);
  }
  // A report of the clerk's unit (demo data) and a notice to it, for the detail pages.
  const reports = await api('admin', 'GET', `/api/v1/reports?unitId=${unitId}&pageSize=1`);
  reportId = reports.items[0]?.id ?? '';
  const notice = await api('admin', 'POST', '/api/v1/supervision/notices', {
    unitId,
    subject: '请加快示范学校创建进度',
    content: '请于月底前报送推进计划。',
    severity: 'yellow',
    deadline: new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10),
  });
  noticeId = notice.id;
}

const ULID = /\b[0-9A-HJKMNP-TV-Z]{26}\b/;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const T_TIME = /T\d\d:/;

function pagesOf(role: string | null): string[] {
  if (role === null)
    return [
      '/login',
      '/public/plans',
      `/public/plans/${planId}`,
      '/public/dashboard',
      '/public/venues',
      '/public/open-data',
      '/public/assessments',
      '/public/capacity',
      '/public/recognitions',
      '/self-test',
    ];
  const common = [
    '/',
    '/dashboard',
    '/plans',
    `/plans/${planId}`,
    '/plans/my-tasks',
    '/reporting',
    '/reporting/indicators',
    '/registries/science_base',
    '/registries/volunteer',
    '/activities',
    '/account',
  ];
  const report = reportId ? [`/reporting/reports/${reportId}`] : [];
  const notice = [`/supervision/notices/${noticeId}`];
  if (role === 'reporter') return [...common, ...report, '/supervision/mine', ...notice, '/assessments/mine'];
  const readers = [
    ...common,
    ...report,
    '/reporting/review',
    '/supervision',
    '/supervision/alerts',
    ...notice,
    '/monitoring',
    '/instruments',
    '/assessments',
    '/capacity',
    '/recognitions',
  ];
  if (role !== 'admin') return readers;
  return [
    ...readers,
    '/reporting/cycles',
    '/units',
    '/jurisdictions',
    '/users',
    '/audit',
    '/plans/import',
    '/monitoring/upload',
    '/monitoring/margins',
  ];
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => undefined);
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.waitForTimeout(300);
}

test('every page of every role fits at 1366×768, public and clerk pages at 390×844, and shows no internals', {
  timeout: 1_200_000,
}, async () => {
  await setUp();
  const problems: string[] = [];
  const who: [string | null, string | null][] = [
    [null, null],
    ['clerk', 'reporter'],
    ['admin', 'admin'],
    ['leader', 'leader'],
    ['analyst', 'analyst'],
  ];
  // Desk pages are walked at 1366×768 for every role; at 390×844 only what is used on a phone — the public pages and a
  // clerk's (the brief: "a clerk's pages and the public pages work on a 390 px phone"). Three walks run side by side
  // (each its own browser context): most of a page's time is waiting for the network to settle.
  const walk = async (viewport: { width: number; height: number }, roles: typeof who) => {
    for (const [user, role] of roles) {
      const ctx: BrowserContext = await contextFor(user, viewport);
      const page = await ctx.newPage();
      for (const p of pagesOf(role)) {
        await page.goto(`${kesu.baseUrl}${p}`);
        await settle(page);
        const m = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          // biome-ignore lint/performance/useDomNodeTextContent: the walk checks what the user sees, and only innerText leaves hidden nodes out
          text: document.body.innerText,
          title: document.title,
        }));
        const where = `${role ?? '公众'} ${viewport.width}×${viewport.height} ${p}`;
        if (m.scrollWidth > m.clientWidth)
          problems.push(`${where}: scrollWidth ${m.scrollWidth} > ${m.clientWidth}`);
        for (const [name, re] of [
          ['ULID', ULID],
          ['ISO time', ISO],
          ['T hh:', T_TIME],
        ] as const) {
          const hit = re.exec(m.text);
          if (hit) problems.push(`${where}: ${name} “${hit[0]}” on screen`);
        }
        if (!m.title.includes('科素')) problems.push(`${where}: tab title “${m.title}”`);
        await snap(
          page,
          `fit-${viewport.width}-${role ?? 'public'}${p.replace(/[/:]+/g, '_').replace(/_[0-9A-Z]{26}/, '_id')}`,
        );
      }
      await ctx.close();
    }
  };
  const desk = { width: 1366, height: 768 };
  await Promise.all([
    walk(
      desk,
      who.filter(([, r]) => r === 'admin' || r === 'reporter'),
    ),
    walk(
      desk,
      who.filter(([, r]) => r !== 'admin' && r !== 'reporter'),
    ),
    walk(
      { width: 390, height: 844 },
      who.filter(([, r]) => r === null || r === 'reporter'),
    ),
  ]);
  problems.sort();
  assert.deepEqual(problems, []);
});

test('a reporter uploads a filled template and submits all; the reviewer approves three at once; the unit is told', {
  timeout: 600_000,
}, async () => {
  await setUp();
  const today = new Date().toISOString().slice(0, 10);
  const cycle = await api('admin', 'POST', '/api/v1/reporting/cycles', {
    planId,
    name: '日常使用测试周期',
    frequency: 'yearly',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    dueDate: new Date(Date.now() + 20 * 86400_000).toISOString().slice(0, 10),
    graceDays: 5,
  });
  assert.ok(today);
  // The clerk's template for the new cycle, filled as a clerk would in Excel: every value and a note, a status
  // and a narrative per task.
  const xlsx = (await api('clerk', 'POST', '/api/v1/exchange/templates', {
    cycleId: cycle.id,
  })) as ArrayBuffer;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx);
  const ws = wb.getWorksheet('填报');
  assert.ok(ws);
  let tasks = 0;
  ws.eachRow((row, n) => {
    if (n === 1) return;
    if (row.getCell(1).value === '任务') {
      row.getCell(12).value = '推进中';
      row.getCell(13).value = '已按年度计划推进，详见佐证材料。';
      tasks += 1;
    } else if (row.getCell(1).value === '指标') {
      row.getCell(10).value = 1000;
      row.getCell(11).value = '按统计口径汇总';
    }
  });
  assert.ok(tasks >= 3, `the clerk's unit has ${tasks} tasks`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-tpl-')), '填报模板.xlsx');
  await wb.xlsx.writeFile(file);

  const clerkCtx = await contextFor('clerk', { width: 390, height: 844 });
  const clerk = await clerkCtx.newPage();
  await clerk.goto(`${kesu.baseUrl}/reporting`);
  await settle(clerk);
  if (await clerk.getByLabel('模板周期').count()) {
    await clerk.getByLabel('模板周期').click();
    await clerk.locator('.ant-select-item-option').filter({ hasText: '日常使用测试周期' }).click();
  }
  await clerk.locator('input[type=file]').setInputFiles(file);
  const result = clerk.locator('.ant-modal').filter({ hasText: '填报模板导入结果' });
  await result.getByTestId('template-summary').waitFor();
  await snap(clerk, 'daily-template-result');
  await result.getByRole('button', { name: /提交全部/ }).click();
  await clerk
    .locator('.ant-modal-confirm')
    .getByRole('button', { name: /提交全部/ })
    .click();
  const done = clerk.locator('.ant-modal-confirm').filter({ hasText: '提交结果' });
  await done.waitFor();
  await snap(clerk, 'daily-submit-all');
  const submitted = await api(
    'admin',
    'GET',
    `/api/v1/reports?cycleId=${cycle.id}&state=submitted&pageSize=50`,
  );
  assert.ok(submitted.total >= 3, `${submitted.total} reports submitted`);

  const adminCtx = await contextFor('admin', { width: 1366, height: 768 });
  const admin = await adminCtx.newPage();
  await admin.goto(`${kesu.baseUrl}/reporting/review`);
  await settle(admin);
  await admin.getByLabel('周期').click();
  await admin.locator('.ant-select-item-option').filter({ hasText: '日常使用测试周期' }).click();
  await settle(admin);
  const boxes = admin.locator(
    'tr.ant-table-row td.ant-table-selection-column .ant-checkbox-wrapper:not(.ant-checkbox-wrapper-disabled)',
  );
  for (let k = 0; k < 3; k++) await boxes.nth(k).click();
  await admin.getByText('已选 3 份').waitFor();
  await admin.getByRole('button', { name: '批量通过' }).click();
  await admin.getByRole('button', { name: '确认通过' }).click();
  await admin.locator('.ant-modal-confirm').filter({ hasText: '审核通过结果' }).waitFor();
  await snap(admin, 'daily-bulk-approve');
  const approved = await api(
    'admin',
    'GET',
    `/api/v1/reports?cycleId=${cycle.id}&state=approved&pageSize=50`,
  );
  assert.equal(approved.total, 3);

  // The unit's bell: three approval notifications.
  await clerk.goto(`${kesu.baseUrl}/reporting`);
  await settle(clerk);
  await clerk.getByRole('button', { name: /通知/ }).click();
  const drawer = clerk.locator('.ant-drawer');
  await drawer.getByText('报告已审核通过').first().waitFor();
  assert.equal(await drawer.getByText('报告已审核通过').count(), 3);
  await snap(clerk, 'daily-approved-notification');
  await clerkCtx.close();
  await adminCtx.close();
});
