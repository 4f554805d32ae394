import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { firstSignIn, launchBrowser, type RunningKesu, snap, startKesu } from '../lib/harness';

/**
 * Issue 14's documents: on the demo data the admin downloads a cycle's 进展通报 as Word from 文档生成 (the built
 * server's bundle draws the charts with its native rasteriser), and the template editor refuses a placeholder the
 * kind does not know, naming it.
 */
let kesu: RunningKesu;
let browser: Browser;
let context: BrowserContext;

before(async () => {
  kesu = await startKesu();
  browser = await launchBrowser();
  context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
  });
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

test('the admin downloads a cycle’s 进展通报 and edits the level’s template', async () => {
  const page = await context.newPage();
  await firstSignIn(page, kesu.baseUrl, 'admin', kesu.initialPassword, 'Xuzhou-kexie-2026');
  await page.goto(`${kesu.baseUrl}/documents`);
  await page.getByRole('heading', { name: '文档生成' }).waitFor();

  // 进展通报: the plan, then a cycle of it.
  // Open each select and take its first option with the keyboard (the closing list of the one before may still be
  // on the page).
  for (const placeholder of ['选择规划', '选择填报周期']) {
    await page.locator('.ant-select').filter({ hasText: placeholder }).click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.ant-select').filter({ hasText: placeholder }).waitFor({ state: 'detached' });
  }
  await snap(page, 'documents-generate');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByRole('button', { name: /下载 Word/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /通报\.docx$/);
  const file = await download.path();
  assert.ok(file);
  // A .docx is a zip (PK…) holding a chart.
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  assert.ok(bytes.includes(Buffer.from('word/media/')), 'the document embeds a chart');

  // The template editor: an unknown placeholder is refused with its name.
  await page.getByRole('tab', { name: '文档模板' }).click();
  const docNumber = page.locator('#docNumber').first();
  await docNumber.waitFor();
  await docNumber.fill('徐科协〔{{年份}}〕{{文号}}号');
  await page
    .getByRole('button', { name: /保存模板/ })
    .first()
    .click();
  await page.getByText('{{文号}}').last().waitFor();
  await snap(page, 'documents-template-refused');
  await docNumber.fill('徐科协〔{{年份}}〕9号');
  await page
    .getByRole('button', { name: /保存模板/ })
    .first()
    .click();
  await page.getByText('模板已保存').waitFor();
  await page
    .getByText(/第 1 版/)
    .first()
    .waitFor();
  // The placeholders' current values for a cycle, and the preview with them filled in.
  for (const placeholder of ['选择规划', '选择填报周期']) {
    await page.locator('.ant-select').filter({ hasText: placeholder }).first().click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
  }
  await page
    .getByText(/^\d+(\.\d)?%$/)
    .first()
    .waitFor({ timeout: 60_000 });
  await page.getByText(/^徐科协〔20\d\d〕9号$/).waitFor();
  await snap(page, 'documents-template-saved');
  await page.close();
});
