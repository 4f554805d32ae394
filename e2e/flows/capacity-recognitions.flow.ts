import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  apiAs,
  firstSignIn,
  launchBrowser,
  noSidewaysScroll,
  type RunningKesu,
  snap,
  startKesu,
} from '../lib/harness';

/**
 * Issue 14's capacity index and recognitions: the city's admin computes last year's 能力指数 on the demo data (1366 ×
 * 768, no sideways scrolling), reads its sensitivity and publishes it; a phone (390 px) reads it on the public page.
 * The admin records a 表彰 already decided, publishes it, and the phone finds it on the public 表彰奖励 page.
 */
let kesu: RunningKesu;
let browser: Browser;
let office: BrowserContext;
let phone: BrowserContext;

before(async () => {
  kesu = await startKesu();
  browser = await launchBrowser();
  office = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  phone = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

test('the admin computes and publishes the capacity index and a recognition; a phone reads both', async () => {
  const page = await office.newPage();
  await firstSignIn(page, kesu.baseUrl, 'admin', kesu.initialPassword, 'Xuzhou-kexie-2026');

  // Residents of last year for most counties (test figures; the demo carries the census year only), so figures per
  // 万人 exist; the rest stay "缺少常住人口数据".
  const api = (method: string, url: string, body?: unknown) => apiAs(office, kesu.baseUrl, method, url, body);
  const year =
    Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4)) -
    1;
  const places = (await api('GET', '/api/v1/jurisdictions')).items as {
    name: string;
    parentId: string | null;
    governmentUnitId: string | null;
  }[];
  const rows = [];
  for (const [k, j] of places
    .filter((p) => p.parentId !== null && p.governmentUnitId)
    .slice(0, 8)
    .entries()) {
    const unit = await api('GET', `/api/v1/units/${j.governmentUnitId}`);
    rows.push({
      dimension: 'county',
      level: unit.shortName,
      population: 600_000 + k * 150_000,
      source: '测试数据',
    });
  }
  await api('POST', `/api/v1/surveys/margins/${year}`, { rows });

  await page.goto(`${kesu.baseUrl}/capacity`);
  await page.getByRole('button', { name: /^计\s*算$/ }).click();
  await page.getByRole('cell', { name: '1', exact: true }).first().waitFor();
  assert.ok(await noSidewaysScroll(page), 'the ranking fits 1366 px');
  await snap(page, 'capacity-ranking');
  await page.getByRole('tab', { name: '敏感性分析' }).click();
  await page.getByText('名次范围（最好—最差）').waitFor();
  await page.waitForTimeout(1500);
  await snap(page, 'capacity-sensitivity');
  await page.getByRole('tab', { name: '指标配置' }).click();
  await page.getByText('以下为默认配置').waitFor();
  assert.ok(await noSidewaysScroll(page), 'the configuration fits 1366 px');
  await snap(page, 'capacity-config');
  await page.getByRole('tab', { name: '排名结果' }).click();
  await page.getByRole('button', { name: /^发\s*布$/ }).click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /^发\s*布$/ })
    .click();
  await page.locator('.ant-tag', { hasText: /^已发布$/ }).waitFor();

  const open = await phone.newPage();
  await open.goto(`${kesu.baseUrl}/public/capacity`);
  await open.getByText('各县区科学素质建设能力指数').waitFor();
  await open.getByText('计算方法').waitFor();
  assert.ok(await noSidewaysScroll(open), 'the public index fits 390 px');
  await snap(open, 'capacity-public-390');

  // A recognition already decided, published.
  await page.goto(`${kesu.baseUrl}/recognitions`);
  await page.getByText('暂无表彰记录').waitFor();
  await page.getByRole('button', { name: '新增表彰' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('表彰对象（单位、集体或个人姓名）').fill('丰县科学技术协会');
  await dialog.getByLabel('荣誉称号').fill('全民科学素质工作先进集体');
  await dialog.getByLabel('事迹或理由').fill('科普阵地建设和科普活动成效突出');
  await dialog.getByLabel('文号').fill('徐科协〔2026〕12号');
  await dialog.getByText('已正式表彰（直接记为已确认）').click();
  await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
  const row = page.locator('.ant-table-tbody tr', { hasText: '丰县科学技术协会' });
  await row.getByText('已确认').waitFor();
  await row.getByRole('button', { name: /^公\s*开$/ }).click();
  await row.getByText('已公开').waitFor();
  assert.ok(await noSidewaysScroll(page), 'the recognitions list fits 1366 px');
  await snap(page, 'recognitions-admin');
  const listed = await api('GET', '/api/v1/recognitions');
  assert.equal(listed.total, 1);

  await open.goto(`${kesu.baseUrl}/public/recognitions`);
  await open.getByText('丰县科学技术协会').waitFor();
  await open.getByText('徐科协〔2026〕12号', { exact: false }).waitFor();
  assert.ok(await noSidewaysScroll(open), 'the public recognitions fit 390 px');
  await snap(open, 'recognitions-public-390');
});
