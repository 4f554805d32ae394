import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, firstSignIn, launchBrowser, type RunningKesu, snap, startKesu } from '../lib/harness';

/**
 * Issue 14's 考核 flow: the city admin writes a counties rubric with two items, computes it and opens the appeal
 * window; 丰县's admin appeals an item with a file; the city answers (accepts with a new score), freezes the ranking
 * and publishes it; the public page shows the ranking at 390 px.
 */
let kesu: RunningKesu;
let browser: Browser;
let cityCtx: BrowserContext;
let countyCtx: BrowserContext;

before(async () => {
  kesu = await startKesu({ SEED_DEMO: 'false' });
  browser = await launchBrowser();
  cityCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  countyCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

/**
 * Pick an option of an Ant Design select by its label. With `then`, the field the choice brings up: once in CI (with
 * the machine under other load) the choice did not take and `then` never came, so it is chosen again, up to 3 times.
 */
async function choose(
  p: Page,
  select: ReturnType<Page['getByLabel']>,
  option: string,
  then?: ReturnType<Page['getByLabel']>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await p.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
    if (!then) return;
    try {
      await then.waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('the city computes the year’s 考核, a county appeals, the city answers, freezes and publishes', async () => {
  const city = await cityCtx.newPage();
  const county = await countyCtx.newPage();
  await firstSignIn(city, kesu.baseUrl, 'admin', kesu.initialPassword, 'Xuzhou-kexie-2026');
  const places = (await apiAs(cityCtx, kesu.baseUrl, 'GET', '/api/v1/jurisdictions')).items as {
    id: string;
    name: string;
  }[];
  const fengxian = places.find((j) => j.name === '丰县')!;
  const account = await apiAs(cityCtx, kesu.baseUrl, 'POST', '/api/v1/users', {
    username: 'fengxian',
    displayName: '丰县科协',
    role: 'admin',
    jurisdictionId: fengxian.id,
  });

  // The rubric: 工作部署 (10 points, judged on evidence) and a 加分 for 人均科普经费.
  await city.getByRole('link', { name: '年度考核', exact: true }).click();
  await city.getByRole('button', { name: '新建考核' }).click();
  const modal = city.locator('.ant-modal:visible');
  await modal.getByRole('button', { name: '添加考核项目' }).click();
  await modal.getByLabel('考核项目').nth(0).fill('工作部署');
  await modal.getByRole('button', { name: '添加考核项目' }).click();
  await modal.getByLabel('考核项目').nth(1).fill('经费保障');
  await choose(city, modal.getByLabel('计分规则').nth(1), '加分项', modal.getByLabel('加分来源'));
  await choose(city, modal.getByLabel('加分来源'), '人均科普经费');
  await modal.getByLabel('分值').nth(1).fill('5');
  await snap(city, 'assessment-editor');
  await modal.getByRole('button', { name: /保\s*存/ }).click();
  await city.getByRole('button', { name: '计算得分' }).click();
  await city.getByText('已按最新数据计算').waitFor();
  await city.getByLabel('申诉开始日期').fill(day(-1));
  await city.getByLabel('申诉截止日期').fill(day(7));
  await city.getByRole('button', { name: '开放申诉' }).click();
  await city.getByText('已设置申诉期').waitFor();
  const rubricId = city.url().split('/').pop()!;

  // 丰县 appeals its 0 for 工作部署 with a document.
  await firstSignIn(county, kesu.baseUrl, 'fengxian', account.oneTimePassword, 'County-office-2026');
  await county.getByRole('link', { name: '我的考核', exact: true }).click();
  await county.getByText('工作部署').first().waitFor();
  await county
    .getByRole('button', { name: /申\s*诉/ })
    .first()
    .click();
  await county.getByLabel('申诉理由').fill('已印发县级实施方案并召开专题会，见附件');
  const pdf = path.join(kesu.dataDir, '专题会纪要.pdf');
  fs.writeFileSync(
    pdf,
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
  await county.getByLabel('申诉材料').setInputFiles(pdf);
  await county.getByRole('button', { name: '提交申诉' }).click();
  await county.getByText('申诉待答复').waitFor();
  await snap(county, 'assessment-mine');

  // The city answers: accepted, 8 points; then freezes and publishes.
  await city.reload();
  await city.getByRole('tab', { name: /申诉/ }).click();
  await city.getByText('专题会纪要.pdf').waitFor();
  await city.getByRole('button', { name: /答\s*复/ }).click();
  const answer = city.locator('.ant-modal:visible');
  await answer.getByLabel('调整后的分数').fill('8');
  await answer.getByLabel('答复意见').fill('材料属实，予以采纳');
  await answer.getByRole('button', { name: '提交答复' }).click();
  await city.getByText('已答复').waitFor();
  await city.getByRole('tab', { name: '考核结果' }).click();
  await snap(city, 'assessment-results');
  await city.getByRole('button', { name: '定稿排名' }).click();
  await city
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /定\s*稿/ })
    .click();
  await city.getByText('已定稿并排名').waitFor();
  await city.getByRole('button', { name: '向社会公开' }).click();
  await city
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /发\s*布/ })
    .click();
  await city.getByText('已向社会公开').waitFor();
  await snap(city, 'assessment-frozen');

  // The public sees the ranking: 丰县 first with 8 points, on a phone.
  const phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const pub = await phone.newPage();
  await pub.goto(`${kesu.baseUrl}/public/assessments`);
  const first = pub.locator('.ant-list-item').first();
  await first.waitFor();
  assert.match((await first.textContent()) ?? '', /第 1 名丰县.*8 分/);
  const width = await pub.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the public page scrolls sideways at 390 px (${width})`);
  await snap(pub, 'assessment-public-390');
  const listed = await (await fetch(`${kesu.baseUrl}/api/v1/public/assessments`)).json();
  assert.equal(listed.items[0].id, rubricId);
  await phone.close();
});
