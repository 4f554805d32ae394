import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makePdf, makeScannedPdf } from '../../server/src/test/pdf';
import { launchBrowser, ROOT, type RunningKesu, signIn, snap, startKesu } from '../lib/harness';

/**
 * Issue 15's flow: a county plan as counties really have it — a PDF made from a web page's text pasted one line per
 * part — previewed at 1366×768 with the list of what to check; a sentence with a figure opens its task for
 * correction. A scanned PDF is refused with a Chinese message about OCR.
 */
let kesu: RunningKesu;
let browser: Browser;
let page: Page;

before(async () => {
  kesu = await startKesu();
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

test('admin previews a county PDF, sees what to check, and corrects a task in place', async () => {
  const text = fs.readFileSync(path.join(ROOT, 'fixtures/plans/county-web-oneline.txt'), 'utf8');
  const pdf = path.join(kesu.dataDir, '云溪县全民科学素质行动实施方案.pdf');
  fs.writeFileSync(pdf, await makePdf(text, { header: '云溪县全民科学素质行动实施方案' }));
  const scan = path.join(kesu.dataDir, '扫描件.pdf');
  fs.writeFileSync(scan, await makeScannedPdf(2));

  await signIn(page, kesu.baseUrl, 'admin', kesu.initialPassword);
  await page.locator('#currentPassword').waitFor();
  const newPassword = 'Yunxi-kexie-2026';
  await page.locator('#currentPassword').fill(kesu.initialPassword);
  await page.locator('#newPassword').fill(newPassword);
  await page.locator('#confirmPassword').fill(newPassword);
  await page.getByRole('button', { name: /修\s*改\s*密\s*码/ }).click();
  await page.getByText(/欢迎/).first().waitFor();

  await page.goto(`${kesu.baseUrl}/plans/import`);
  await page.locator('input[type=file]').setInputFiles(scan);
  const error = page.getByTestId('upload-error');
  await error.waitFor();
  assert.match((await error.textContent()) ?? '', /OCR/);
  await snap(page, 'plan-formats-scan-refused');

  await page.locator('input[type=file]').setInputFiles(pdf);
  const checks = page.getByTestId('plan-checks');
  await checks.waitFor();
  const summary = (await page.getByText(/识别出 \d+ 个标题/).textContent()) ?? '';
  assert.match(summary, /识别出 20 个标题、\d+ 个目标/);
  assert.match(summary, /PDF/);
  // County units are not in the city's registry: the admin is asked about each of them.
  assert.match((await checks.textContent()) ?? '', /个责任单位未能识别/);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 1366, `no sideways scroll at 1366 px: ${scrollWidth}`);
  await snap(page, 'plan-formats-preview');

  await checks.getByText('全县现有县级以上科普教育基地21家').waitFor();
  await snap(page, 'plan-formats-checks');
  await checks.getByRole('button', { name: '补充目标' }).click();
  await page.getByText('校正任务 1', { exact: true }).waitFor();
  await snap(page, 'plan-formats-correct');
});
