import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, type RunningKesu, signIn, snap, startKesu } from '../lib/harness';

/**
 * Issue 2's flow: sign in as the initial admin, change the password, add a unit, see it in the list and in the
 * audit log.
 */
let kesu: RunningKesu;
let browser: Browser;
let page: Page;

before(async () => {
  kesu = await startKesu();
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'zh-CN' });
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

test('the console says where and how to sign in', () => {
  assert.match(kesu.output(), /已启动: http:\/\//);
  assert.match(kesu.output(), new RegExp(`一次性密码: ${kesu.initialPassword}`));
});

test('initial admin signs in, changes the password, adds a unit, sees it in the list and the audit log', async () => {
  await signIn(page, kesu.baseUrl, 'admin', kesu.initialPassword);

  // Forced password change on first sign-in.
  await page.locator('#currentPassword').waitFor();
  const newPassword = 'Xuzhou-kexie-2026';
  await page.locator('#currentPassword').fill(kesu.initialPassword);
  await page.locator('#newPassword').fill(newPassword);
  await page.locator('#confirmPassword').fill(newPassword);
  await page.getByRole('button', { name: /修\s*改\s*密\s*码/ }).click();

  // The full navigation appears once the password is changed.
  await page.getByRole('link', { name: '组织机构' }).first().waitFor();
  await page.getByRole('link', { name: '组织机构' }).first().click();
  await page.getByText('徐州市教育局').first().waitFor();

  await page.getByRole('button', { name: /新增单位/ }).click();
  await page.locator('#name').fill('徐州市数据局');
  await page.locator('#shortName').fill('市数据局');
  await page.locator('#kind').click();
  await page.locator('.ant-select-item-option[title="政府部门"]').click();
  await page.getByRole('button', { name: /保\s*存/ }).click();

  // In the list (search for it so paging does not hide it).
  await page.getByText('徐州市数据局').first().waitFor();
  await snap(page, 'first-admin-units');

  // And in the audit log: the newest row is the creation of that unit by the admin; its diff names it.
  await page.getByRole('link', { name: '审计日志' }).first().click();
  // The units table is still on screen for a moment: wait for the audit page and its newest entry.
  await page.waitForURL(/\/audit/);
  await page.getByText('单位·新增').first().waitFor();
  const newest = page.locator('.ant-table-tbody tr.ant-table-row').first();
  await newest.waitFor();
  assert.match((await newest.textContent()) ?? '', /单位·新增/);
  assert.match((await newest.textContent()) ?? '', /系统管理员/);
  await newest.locator('.ant-table-row-expand-icon').click();
  await page.locator('.ant-table-expanded-row').getByText('徐州市数据局').first().waitFor();
  await snap(page, 'first-admin-audit');

  // The old password no longer works; the new one does.
  const res = await fetch(`${kesu.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: kesu.baseUrl },
    body: JSON.stringify({ username: 'admin', password: kesu.initialPassword }),
  });
  assert.equal(res.status, 401);
});
