import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { apiAs, firstSignIn, launchBrowser, type RunningKesu, snap, startKesu } from '../lib/harness';

/**
 * Issue 13's activities: a county clerk records a 科普活动 on a phone-sized page with a photo from the camera button;
 * the city's 覆盖面 shows the county's person-times against its residents (entered by the city with their source), and
 * the public calendar lists it to anyone. Another unit's report of the same activity is counted once. The county's
 * coverage changes on the city's 县区对比 (the plan's coverage target is computed from the registries) and on the
 * county's own dashboard.
 */
let kesu: RunningKesu;
let browser: Browser;
let city: BrowserContext;
let clerk: BrowserContext;

before(async () => {
  kesu = await startKesu({ SEED_DEMO: 'false' });
  browser = await launchBrowser();
  city = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  clerk = await browser.newContext({
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

/** Today and a day ahead in Beijing time. */
const beijing = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + days * 86_400_000),
  );

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

test('a county clerk records an activity on a phone; coverage and the public calendar show it, counted once', async () => {
  const cityPage = await city.newPage();
  await firstSignIn(cityPage, kesu.baseUrl, 'admin', kesu.initialPassword, 'Xuzhou-kexie-2026');
  const api = (method: string, url: string, body?: unknown) => apiAs(city, kesu.baseUrl, method, url, body);
  const places = (await api('GET', '/api/v1/jurisdictions')).items as { id: string; name: string }[];
  const fengxian = places.find((j) => j.name === '丰县')!;
  const countyAdmin = await api('POST', '/api/v1/users', {
    username: 'fengxian',
    displayName: '丰县科协',
    role: 'admin',
    jurisdictionId: fengxian.id,
  });
  const countyCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  const countyPage = await countyCtx.newPage();
  await firstSignIn(countyPage, kesu.baseUrl, 'fengxian', countyAdmin.oneTimePassword, 'County-office-2026');
  const countyApi = (method: string, url: string, body?: unknown) =>
    apiAs(countyCtx, kesu.baseUrl, method, url, body);
  const unit = await countyApi('POST', '/api/v1/units', {
    kind: 'department',
    name: '丰县科学技术协会',
    shortName: '丰县科协',
    aliases: [],
  });
  const other = await countyApi('POST', '/api/v1/units', {
    kind: 'department',
    name: '丰县教育局',
    shortName: '丰县教育局',
    aliases: [],
  });
  const reporter = await countyApi('POST', '/api/v1/users', {
    username: 'fxkx',
    displayName: '丰县科协填报员',
    role: 'reporter',
    unitId: unit.id,
  });

  // The city enters 丰县's residents for this year (with the source).
  const year = Number(beijing(0).slice(0, 4));
  const gov = (await api('GET', '/api/v1/jurisdictions')).items.find(
    (j: { name: string }) => j.name === '丰县',
  );
  const govUnit = await api('GET', `/api/v1/units/${gov.governmentUnitId}`);
  await api('POST', `/api/v1/surveys/margins/${year}`, {
    rows: [{ dimension: 'county', level: govUnit.shortName, population: 1000, source: '丰县统计局公报' }],
  });

  // The city's reporting year is open: its dashboard's 县区对比 judges each county's coverage from the registries
  // (the plan's coverage target is bound to the year's activity person-times).
  const planId = (await api('GET', '/api/v1/plans')).items[0].id as string;
  await api('POST', '/api/v1/reporting/cycles', {
    planId,
    name: `${year}年度`,
    frequency: 'yearly',
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
    dueDate: `${year + 1}-01-15`,
  });
  const fengRow = async () => {
    await cityPage.goto(`${kesu.baseUrl}/dashboard`);
    const row = cityPage.getByTestId('children-comparison').locator('tr', { hasText: '丰县' }).first();
    await row.waitFor();
    return (await row.textContent()) ?? '';
  };
  assert.doesNotMatch(await fengRow(), /60\.0%/, 'no coverage before the activity');

  // On a phone: the clerk records the activity with a photo from the camera button.
  const phone = await clerk.newPage();
  await firstSignIn(phone, kesu.baseUrl, 'fxkx', reporter.oneTimePassword, 'Fengxian-kexie-2026');
  await phone.goto(`${kesu.baseUrl}/activities/new`);
  const day = beijing(3);
  await phone.getByLabel('活动名称').fill('全国科普日 丰县主场活动');
  await phone.getByLabel('活动地点').fill('丰县人民广场');
  await phone.getByLabel('开始日期').fill(day);
  await phone.getByLabel('结束日期').fill(day);
  await phone.getByLabel('参与人次').fill('600');
  await phone.getByLabel('拍照').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  assert.equal(
    await phone.evaluate(() => document.documentElement.scrollWidth),
    390,
    'no sideways scrolling',
  );
  await phone.getByRole('button', { name: /上\s*报/ }).click();
  await phone.waitForURL(/\/activities\/[0-9A-Z]{26}$/);
  await phone.getByRole('img', { name: 'photo.png' }).waitFor();
  await snap(phone, 'activity-phone');

  // Another unit reports the same activity (typed differently): counted once.
  const twin = await countyApi('POST', '/api/v1/activities', {
    title: '全国科普日丰县主场活动',
    organiserUnitId: other.id,
    place: '丰县 人民广场',
    startDate: day,
    endDate: day,
    mode: 'offline',
    participants: 500,
  });
  assert.ok(twin.duplicateOf, 'the second report points to the first');

  // The city's 覆盖面: 600 of 1,000 residents = 60.0%, below 80%; the caveat beside it.
  await cityPage.goto(`${kesu.baseUrl}/activities/coverage`);
  const row = cityPage.locator('tr', { hasText: '丰县' }).first();
  await row.getByText('60.0%').waitFor();
  assert.match((await row.textContent()) ?? '', /600.*1,000.*丰县统计局公报/s);
  await cityPage
    .getByText(/并非覆盖的人数/)
    .first()
    .waitFor();
  assert.match(
    (await cityPage.locator('tr', { hasText: '沛县' }).first().textContent()) ?? '',
    /缺少常住人口数据/,
  );
  await snap(cityPage, 'activity-coverage');

  // The city's 县区对比 now shows 丰县 at 60.0%; 丰县's own dashboard shows its coverage of the year.
  assert.match(await fengRow(), /60\.0%/);
  await snap(cityPage, 'activity-city-dashboard');
  await countyPage.goto(`${kesu.baseUrl}/dashboard`);
  await countyPage.getByTestId('resources-coverage-total').getByText('60.0%').waitFor();
  await snap(countyPage, 'activity-county-dashboard');

  // The public calendar, signed out, on a phone: listed once.
  const anon = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const pub = await anon.newPage();
  await pub.goto(`${kesu.baseUrl}/public/calendar`);
  await pub.getByText('全国科普日 丰县主场活动').waitFor();
  assert.equal(await pub.getByText(/丰县人民广场/).count(), 1);
  assert.equal(await pub.evaluate(() => document.documentElement.scrollWidth), 390);
  await anon.close();
  await countyCtx.close();
});
