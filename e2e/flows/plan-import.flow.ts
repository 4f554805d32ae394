import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, type RunningKesu, signIn, snap, startKesu } from '../lib/harness';

/**
 * Issue 3's flow: upload the Xuzhou plan document with one responsible unit written in a way the registry does
 * not know, map it to the existing unit, confirm, and find task 三.(一).1 with its four units and its targets
 * (15, 50, 10).
 */
let kesu: RunningKesu;
let browser: Browser;
let page: Page;

before(async () => {
  kesu = await startKesu();
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

test('a new server already holds the sample plan', async () => {
  const login = await fetch(`${kesu.baseUrl}/api/v1/public/plans`);
  const body = (await login.json()) as { items: { title: string }[] };
  assert.deepEqual(
    body.items.map((p) => p.title),
    ['徐州市全民科学素质行动规划实施方案'],
  );
});

test('admin uploads the Xuzhou document, maps the unknown unit, confirms, and sees 三.(一).1', async () => {
  // "团市委" written out as "共青团徐州市委": no name or alias of the registry matches it.
  const text = fs
    .readFileSync(path.join(ROOT, 'server/sample/xuzhou-2022.txt'), 'utf8')
    .replaceAll('团市委', '共青团徐州市委');
  const file = path.join(kesu.dataDir, '徐州市全民科学素质行动规划实施方案（修订）.txt');
  fs.writeFileSync(file, text);

  await signIn(page, kesu.baseUrl, 'admin', kesu.initialPassword);
  await page.locator('#currentPassword').waitFor();
  const newPassword = 'Xuzhou-kexie-2026';
  await page.locator('#currentPassword').fill(kesu.initialPassword);
  await page.locator('#newPassword').fill(newPassword);
  await page.locator('#confirmPassword').fill(newPassword);
  await page.getByRole('button', { name: /修\s*改\s*密\s*码/ }).click();

  await page.getByText(/欢迎/).first().waitFor();
  await page.getByRole('link', { name: '规划', exact: true }).click();
  await page.getByText('徐政发〔2022〕13号').waitFor();
  await page.getByRole('button', { name: /导入规划文档/ }).click();
  await page.locator('input[type=file]').setInputFiles(file);

  // Preview: the source text is highlighted, the tree is beside it, the unknown name is listed.
  await page.getByTestId('source-view').waitFor();
  const marks = await page.getByTestId('source-view').locator('mark').count();
  assert.ok(marks > 100, `highlights in the source: ${marks}`);
  const unknown = page.getByTestId('unknown-units');
  await unknown.waitFor();
  assert.match((await unknown.textContent()) ?? '', /共青团徐州市委/);
  const confirm = page.getByRole('button', { name: /确认导入/ });
  assert.equal(await confirm.isDisabled(), true);
  await snap(page, 'plan-import-preview');

  await unknown.getByRole('combobox').click();
  await unknown.getByRole('combobox').fill('团市委');
  await page.locator('.ant-select-item-option').filter({ hasText: '共青团徐州市委员会' }).first().click();
  assert.equal(await confirm.isDisabled(), false);
  await confirm.click();

  // The plan page of the imported version.
  const row = page.locator('tr', {
    has: page.getByTestId('task-number').getByText('三.(一).1', { exact: true }),
  });
  await row.waitFor();
  const units = await row.getByTestId('task-unit').allTextContents();
  assert.deepEqual(units, ['市教育局（牵头）', '市人社局', '团市委', '市科协']);
  const indicators = (await row.getByTestId('indicator').allTextContents()).join(' | ');
  for (const n of ['15 所', '50 所', '10 个']) assert.ok(indicators.includes(n), `${n} in ${indicators}`);
  await snap(page, 'plan-import-task');

  // The mapped unit keeps the name the document used.
  await row.getByText('团市委').hover();
  await page.getByText('文中写作“共青团徐州市委”').waitFor();

  // It is the second version of the sample plan; the first is kept.
  await page.getByRole('tab', { name: /版本历史/ }).click();
  await page.getByText('第 2 版', { exact: true }).first().waitFor();
  await page.getByText('第 1 版', { exact: true }).first().waitFor();
  await snap(page, 'plan-import-versions');
});
