import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, launchBrowser, type RunningKesu, signIn, snap, startKesu } from '../lib/harness';

/**
 * Issue 4's flow: a reporter fills and submits a report; the admin returns it with a comment; the reporter fixes
 * and resubmits; the admin approves; the indicator number on the indicator status page changes.
 */
let kesu: RunningKesu;
let browser: Browser;
let adminCtx: BrowserContext;
let reporterCtx: BrowserContext;
let admin: Page;
let reporter: Page;

before(async () => {
  // On a database without demo reports, so the indicator starts with no data and the flow's approval is the number.
  kesu = await startKesu({ SEED_DEMO: 'false' });
  browser = await launchBrowser();
  adminCtx = await browser.newContext({ locale: 'zh-CN' });
  reporterCtx = await browser.newContext({ locale: 'zh-CN' });
  admin = await adminCtx.newPage();
  reporter = await reporterCtx.newPage();
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.locator('#currentPassword').waitFor();
  await page.locator('#currentPassword').fill(current);
  await page.locator('#newPassword').fill(next);
  await page.locator('#confirmPassword').fill(next);
  await page.getByRole('button', { name: /修\s*改\s*密\s*码/ }).click();
  await page.getByRole('link', { name: '填报事项' }).first().waitFor();
}

/** A JSON call with the admin's session (the browser context's cookies). */
const adminApi = (method: string, url: string, body?: unknown) =>
  apiAs(adminCtx, kesu.baseUrl, method, url, body);

async function confirmModal(page: Page, ok: RegExp): Promise<void> {
  await page.locator('.ant-modal-confirm').getByRole('button', { name: ok }).click();
}

test('report → return with comment → fix → resubmit → approve changes the indicator number', async () => {
  const adminPassword = 'Xuzhou-kexie-2026';
  await signIn(admin, kesu.baseUrl, 'admin', kesu.initialPassword);
  await changePassword(admin, kesu.initialPassword, adminPassword);

  // The sample plan: a task with a cumulative indicator and a lead unit.
  const plans = await adminApi('GET', '/api/v1/plans');
  const planId = plans.items[0].id as string;
  const tree = await adminApi('GET', `/api/v1/plans/${planId}/tree`);
  type T = {
    id: string;
    title: string;
    units: { unitId: string; role: string }[];
    indicators: { id: string; kind: string; targetValue: number }[];
  };
  const task = (tree.tasks as T[]).find(
    (t) => t.indicators.some((i) => i.kind === 'cumulative') && t.units.some((u) => u.role === 'lead'),
  );
  assert.ok(task, 'the sample plan has a task with a cumulative indicator');
  const indicator = task.indicators.find((i) => i.kind === 'cumulative')!;
  const unitId = task.units.find((u) => u.role === 'lead')!.unitId;
  // The plan's counts come computed from the registries; this office has its units type this one into reports.
  await adminApi('PUT', `/api/v1/indicators/${indicator.id}/binding`, { query: null });

  await adminApi('POST', '/api/v1/reporting/cycles', {
    planId,
    name: '2024年上半年',
    frequency: 'half_yearly',
    periodStart: '2024-01-01',
    periodEnd: '2024-06-30',
    dueDate: '2099-07-15',
    graceDays: 5,
  });
  const created = await adminApi('POST', '/api/v1/users', {
    username: 'tianbao',
    displayName: '填报员',
    role: 'reporter',
    unitId,
  });

  // Before any approval the indicator has no data.
  await admin.goto(`${kesu.baseUrl}/reporting/indicators`);
  const actual = admin.getByTestId(`actual-${indicator.id}`);
  await actual.waitFor();
  assert.match((await actual.textContent()) ?? '', /^—/);

  // The city dashboard before: how many indicators are green.
  const greenCount = async () => {
    await admin.goto(`${kesu.baseUrl}/dashboard`);
    const el = admin.getByTestId('count-green').first();
    await el.waitFor();
    return Number((await el.textContent())?.trim());
  };
  const greenBefore = await greenCount();
  assert.ok(Number.isInteger(greenBefore));

  // The reporter signs in (one-time password → new password), opens the task from the inbox and fills it.
  await signIn(reporter, kesu.baseUrl, 'tianbao', created.oneTimePassword);
  await changePassword(reporter, created.oneTimePassword, 'Kexie-unit-2026x');
  await reporter.getByRole('link', { name: '填报事项' }).first().click();
  const row = reporter.locator('.ant-table-row', { hasText: task.title }).first();
  await row.getByRole('button', { name: /填\s*报/ }).click();
  const value = reporter.getByLabel(/全市$/).first();
  await value.waitFor();
  await value.fill(String(indicator.targetValue - 1));
  await reporter.locator('#report-narrative').fill('按计划推进');
  await reporter.getByRole('button', { name: '提交审核' }).click();
  await confirmModal(reporter, /保存并提交/);
  await reporter.getByText('已提交', { exact: true }).first().waitFor();
  const reportUrl = reporter.url();

  // The admin returns it with a comment.
  await admin.getByRole('link', { name: '报告审核' }).first().click();
  await admin.locator('.ant-table-row', { hasText: task.title }).getByRole('link', { name: '审核' }).click();
  await admin.locator('#review-comment').fill('请补充名单');
  await admin.getByRole('button', { name: /退回修改/ }).click();
  await confirmModal(admin, /退\s*回/);
  await admin.getByText('已退回', { exact: true }).first().waitFor();

  // The reporter sees the comment, fixes the value and resubmits.
  await reporter.goto(reportUrl);
  await reporter.getByText('请补充名单').first().waitFor();
  const again = reporter.getByLabel(/全市$/).first();
  await again.fill(String(indicator.targetValue));
  await reporter.getByRole('button', { name: '提交审核' }).click();
  await confirmModal(reporter, /保存并提交/);
  await reporter.getByText('已提交', { exact: true }).first().waitFor();
  await snap(reporter, 'report-review-submitted');

  // The admin approves.
  await admin.goto(reportUrl);
  await admin.getByRole('button', { name: /审核通过/ }).click();
  await confirmModal(admin, /通\s*过/);
  await admin.getByText('已审核', { exact: true }).first().waitFor();

  // The number on the indicator status page is now the approved value.
  await admin.goto(`${kesu.baseUrl}/reporting/indicators`);
  await admin.getByTestId(`actual-${indicator.id}`).waitFor();
  await admin.waitForFunction(
    ([id, v]) =>
      new RegExp(`^${v}\\D*/`).test(
        document.querySelector(`[data-testid="actual-${id}"]`)?.textContent ?? '',
      ),
    [indicator.id, String(indicator.targetValue)] as const,
  );
  await snap(admin, 'report-review-indicators');

  // And the dashboard number changed: the indicator reached its target, so one more is green.
  assert.equal(await greenCount(), greenBefore + 1);
  await snap(admin, 'report-review-dashboard');
});
