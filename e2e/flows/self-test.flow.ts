import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, type RunningKesu, snap, startKesu } from '../lib/harness';

/**
 * Issue 5's public self-test: a citizen, not signed in, goes from the sign-in page to 公民科学素质自测, answers the
 * 50 questions one at a time, hands in (the browser's Origin passes the CSRF check), and sees the score, pass/fail
 * and the explanations; the score is 2 points per right answer, as the 《基准》rule says.
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

test('a citizen takes the self-test without signing in and gets the score with explanations', async () => {
  await page.goto(`${kesu.baseUrl}/login`);
  await page.getByRole('link', { name: '公民科学素质自测' }).click();
  await page.getByText('已答 0 题，还剩 50 题').waitFor();

  for (let i = 0; i < 50; i++) {
    await page
      .getByText(`第 ${i + 1} 题`, { exact: true })
      .first()
      .waitFor();
    // The first option of every question: some right, some wrong.
    await page.locator('.ant-card .ant-radio-wrapper, .ant-card .ant-checkbox-wrapper').first().click();
    if (i < 49) await page.getByRole('button', { name: '下一题' }).click();
  }
  await page.getByText('已答 50 题，还剩 0 题').waitFor();
  await snap(page, 'self-test-last-question');
  await page.getByRole('button', { name: /交\s*卷/ }).click();

  const title = page.locator('.ant-result-title');
  await title.waitFor();
  const heading = (await title.textContent()) ?? '';
  const sub = (await page.locator('.ant-result-subtitle').textContent()) ?? '';
  const right = Number(/答对 (\d+) \/ 50 题/.exec(sub)?.[1]);
  const score = Number(/^(\d+) 分/.exec(heading)?.[1]);
  assert.ok(Number.isInteger(right), sub);
  assert.equal(score, right * 2);
  assert.match(heading, score >= 60 ? /通过/ : /未通过/);
  // Wrong answers are listed first; switch to all 50, each with its explanation.
  const wrong = 50 - right;
  await page.waitForFunction((n) => document.querySelectorAll('.ant-list-item').length === n, wrong);
  await page.getByText('全部（50）').click();
  await page.waitForFunction(() => document.querySelectorAll('.ant-list-item').length === 50);
  assert.equal(await page.locator('.ant-list-item').filter({ hasText: '解析：' }).count(), 50);
  await snap(page, 'self-test-result');
});
