import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, type RunningKesu, signIn, snap, startKesu } from '../lib/harness';

/**
 * Issue 5's flow: the admin uploads a survey wave (the "standard" fixture with its design.json), maps the columns,
 * follows the import, and sees the headline rate and its 95% CI equal to what R's survey package computed, shown
 * as percentages with two decimals.
 */
const FIXTURE = path.join(ROOT, 'fixtures/survey/standard');

interface Expected {
  method: string;
  by: string | null;
  variable: string;
  estimate: number;
  ciLow?: number;
  ciHigh?: number;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

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

/** Pick an option of an antd Select by the visible title. */
async function choose(selectId: string, title: string): Promise<void> {
  await page.locator(`#${selectId}`).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).click();
}

test('admin uploads a survey wave, maps columns and sees the headline rate with its CI as R computed it', async () => {
  // The design has raking margins, so the headline is the raked rate (raking when margins exist, else linearization).
  const expected = (
    JSON.parse(fs.readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as Expected[]
  ).find((e) => e.method === 'raking' && e.by === null && e.variable === 'literate');
  assert.ok(expected?.ciLow !== undefined && expected.ciHigh !== undefined);
  const want = `${pct(expected.estimate)} [${pct(expected.ciLow)}, ${pct(expected.ciHigh)}]`;

  await signIn(page, kesu.baseUrl, 'admin', kesu.initialPassword);
  await page.locator('#currentPassword').waitFor();
  const newPassword = 'Xuzhou-kexie-2026';
  await page.locator('#currentPassword').fill(kesu.initialPassword);
  await page.locator('#newPassword').fill(newPassword);
  await page.locator('#confirmPassword').fill(newPassword);
  await page.getByRole('button', { name: /修\s*改\s*密\s*码/ }).click();

  await page.getByRole('link', { name: '科学素质监测' }).first().click();
  await page.getByRole('button', { name: /上传调查数据/ }).click();

  // Step 1: the data file and its design.json; the upload shows its progress.
  await page.locator('#survey-data-file').setInputFiles(path.join(FIXTURE, 'data.csv'));
  await page.locator('#survey-design-file').setInputFiles(path.join(FIXTURE, 'design.json'));
  await page.getByRole('button', { name: /上\s*传/ }).click();

  // Step 2: the mapping is pre-filled from the header and design.json; map the age group by hand.
  await page.getByText('文件预览（data.csv').waitFor();
  assert.equal(
    (
      await page
        .locator('#mapping-weight')
        .locator('xpath=ancestor::div[contains(@class,"ant-select")][1]')
        .textContent()
    )?.trim(),
    'w',
  );
  await choose('mapping-age_group', 'age_group');
  await page.locator('#wave-name').fill('2024 年公民科学素质抽样调查（测试）');
  await snap(page, 'survey-upload-mapping');
  await page.getByRole('button', { name: /开始导入/ }).click();

  // Step 3: validation and estimation, then the headline.
  const headline = page.getByTestId('import-headline');
  await headline.waitFor({ timeout: 60_000 });
  assert.equal((await headline.textContent())?.trim(), want);
  await page.getByRole('button', { name: /查看监测结果/ }).click();
  const rate = page.getByTestId('headline-rate');
  await rate.waitFor();
  assert.equal((await rate.textContent())?.trim(), want);
  await page.getByText('分组结果', { exact: true }).waitFor();
  await snap(page, 'survey-upload-monitoring');
});
