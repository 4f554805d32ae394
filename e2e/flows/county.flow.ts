import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, firstSignIn, launchBrowser, ROOT, type RunningKesu, snap, startKesu } from '../lib/harness';

/**
 * Issue 12's flow: the county admin of 丰县 imports the county's 实施方案, confirms a proposed link to the city plan;
 * the city assigns its coverage target down (分解下达); a county unit reports, the county approves, and the city's
 * 县区对比 changes — from "no data" to a completion and a rank — and drills down to the county's own dashboard.
 */
let kesu: RunningKesu;
let browser: Browser;
const ctx: Record<'city' | 'county' | 'clerk', BrowserContext | null> = {
  city: null,
  county: null,
  clerk: null,
};
const page: Record<'city' | 'county' | 'clerk', Page | null> = { city: null, county: null, clerk: null };

before(async () => {
  kesu = await startKesu({ SEED_DEMO: 'false' });
  browser = await launchBrowser();
  for (const who of ['city', 'county', 'clerk'] as const) {
    ctx[who] = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    page[who] = await ctx[who].newPage();
  }
});

after(async () => {
  await browser?.close();
  await kesu?.stop();
});

/** A JSON call with a browser context's session. */
const api = (who: 'city' | 'county', method: string, url: string, body?: unknown) =>
  apiAs(ctx[who]!, kesu.baseUrl, method, url, body);

async function confirmModal(p: Page, ok: RegExp): Promise<void> {
  await p.locator('.ant-modal-confirm').getByRole('button', { name: ok }).click();
}

/** The 丰县 row of the city's 县区对比 (the dashboard reloaded). */
async function fengxianRow(p: Page) {
  await p.goto(`${kesu.baseUrl}/dashboard`);
  const table = p.getByTestId('children-comparison');
  await table.waitFor();
  const row = table.locator('tr', { hasText: '丰县' }).first();
  await row.waitFor();
  return row;
}

test('a county plans, links, reports and approves; the city assigns down and its 县区对比 changes', async () => {
  const city = page.city!;
  const county = page.county!;
  const clerk = page.clerk!;
  await firstSignIn(city, kesu.baseUrl, 'admin', kesu.initialPassword, 'Xuzhou-kexie-2026');

  // The city's year cycle, and the account of 丰县's coordinating office.
  const plans = await api('city', 'GET', '/api/v1/plans');
  const cityPlanId = plans.items[0].id as string;
  await api('city', 'POST', '/api/v1/reporting/cycles', {
    planId: cityPlanId,
    name: '2026年度',
    frequency: 'yearly',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    dueDate: '2099-01-15',
  });
  const places = (await api('city', 'GET', '/api/v1/jurisdictions')).items as { id: string; name: string }[];
  const fengxian = places.find((j) => j.name === '丰县')!;
  const countyAdmin = await api('city', 'POST', '/api/v1/users', {
    username: 'fengxian',
    displayName: '丰县科协',
    role: 'admin',
    jurisdictionId: fengxian.id,
  });

  // Before: 丰县 has no plan of its own.
  const before = await fengxianRow(city);
  assert.match((await before.textContent()) ?? '', /尚未导入实施方案/);

  // The county admin signs in, registers the county's units and imports the county's 实施方案.
  await firstSignIn(county, kesu.baseUrl, 'fengxian', countyAdmin.oneTimePassword, 'County-office-2026');
  const units: Record<string, string> = {};
  for (const [name, shortName] of [
    ['丰县教育局', '丰县教育局'],
    ['丰县科学技术协会', '丰县科协'],
    ['丰县农业农村局', '丰县农业农村局'],
  ]) {
    units[shortName!] = (
      await api('county', 'POST', '/api/v1/units', { kind: 'department', name, shortName, aliases: [] })
    ).id;
  }
  const file = path.join(kesu.dataDir, '丰县全民科学素质行动规划纲要实施方案.txt');
  fs.copyFileSync(path.join(ROOT, 'e2e/fixtures/fengxian-plan.txt'), file);
  await county.getByRole('link', { name: '规划', exact: true }).click();
  await county.getByRole('button', { name: /导入规划文档/ }).click();
  await county.locator('input[type=file]').setInputFiles(file);
  await county.getByTestId('source-view').waitFor();
  await county.getByRole('button', { name: /确认导入/ }).click();
  await county.getByText('丰政发〔2022〕36号').first().waitFor();
  await snap(county, 'county-plan');

  // kesu proposes links to the city plan; the county admin confirms the first proposal.
  await county.getByRole('tab', { name: '对接上级任务' }).click();
  await county.getByRole('button', { name: /生成对接建议/ }).click();
  await county.getByText(/已生成对接建议/).waitFor();
  await county
    .getByRole('button', { name: /确\s*认/, exact: false })
    .and(county.locator('.ant-btn-primary'))
    .first()
    .click();
  await county.getByText('已确认对接').waitFor();
  await snap(county, 'county-links');

  // The city assigns its coverage target (80% of each county's residents) down to the counties.
  await city.goto(`${kesu.baseUrl}/plans/${cityPlanId}`);
  await city
    .getByRole('button', { name: /^分解下达：.*覆盖/ })
    .first()
    .click();
  await city
    .getByRole('dialog')
    .getByText(/比例型指标对每个县区下达相同的目标比例/)
    .waitFor();
  await snap(city, 'city-allocation');
  await city.getByRole('button', { name: /确认下达/ }).click();
  await city.getByText(/已下达到 \d+ 个县区（其中 \d+ 个尚无实施方案/).waitFor();

  // 丰县's plan now holds the assigned task, linked to the city's.
  const countyPlans = (await api('county', 'GET', '/api/v1/plans')).items as { id: string; title: string }[];
  const countyPlan = countyPlans.find((p) => p.title.startsWith('丰县'))!;
  const links = await api('county', 'GET', `/api/v1/plans/${countyPlan.id}/links`);
  assert.ok(
    (links.tasks as { links: { reasons: string[] }[] }[]).some((t) =>
      t.links.some((l) => l.reasons.includes('上级分解下达')),
    ),
    'the assigned task is linked to the city task',
  );

  // The county opens its year cycle; a clerk of 丰县教育局 reports; the county admin approves.
  await api('county', 'POST', '/api/v1/reporting/cycles', {
    planId: countyPlan.id,
    name: '丰县2026年度',
    frequency: 'yearly',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    dueDate: '2099-01-15',
  });
  const reporter = await api('county', 'POST', '/api/v1/users', {
    username: 'fxjyj',
    displayName: '丰县教育局填报员',
    role: 'reporter',
    unitId: units['丰县教育局'],
  });
  await firstSignIn(clerk, kesu.baseUrl, 'fxjyj', reporter.oneTimePassword, 'Fengxian-jyj-2026');
  await clerk.getByRole('link', { name: '填报事项' }).first().click();
  const row = clerk.locator('.ant-table-row', { hasText: '加强全县校内青少年科学教育' }).first();
  await row.getByRole('button', { name: /填\s*报/ }).click();
  const value = clerk.getByLabel(/全县$/).first();
  await value.waitFor();
  await value.fill('10');
  await clerk.locator('#report-narrative').fill('已建成县级科学教育特色学校10所');
  await clerk.getByRole('button', { name: '提交审核' }).click();
  await confirmModal(clerk, /保存并提交/);
  await clerk.getByText('已提交', { exact: true }).first().waitFor();
  const reportUrl = clerk.url();

  await county.goto(reportUrl);
  await county.getByRole('button', { name: /审核通过/ }).click();
  await confirmModal(county, /通\s*过/);
  await county.getByText('已审核', { exact: true }).first().waitFor();

  // After: the city's 县区对比 shows 丰县's completion and rank, judged on its own plan.
  const after = await fengxianRow(city);
  const text = (await after.textContent()) ?? '';
  assert.doesNotMatch(text, /尚未导入实施方案/);
  assert.match(text, /^1丰县\d+(\.\d)?%/);
  await snap(city, 'city-county-comparison');

  // Drill down: 丰县's own dashboard, then a number to the report behind it.
  await after.getByRole('button', { name: '丰县', exact: true }).click();
  await city.getByText(/正在查看：丰县全民科学素质行动规划纲要实施方案/).waitFor();
  await snap(city, 'city-drill-county');
});
