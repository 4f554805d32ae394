import fs from 'node:fs';
import {
  type PlanDraft,
  type PlanPreview,
  type PlanTask,
  type PlanTree,
  tasksWithoutUnits,
} from '@kesu/shared';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../../test/env';
import { makePdf, makeScannedPdf } from '../../test/pdf';
import { goldenPlan, makeDocx, uploadPreview, xuzhouText } from '../../test/plans-factory';

const golden = goldenPlan();

describeEachDialect('plans: import, versions, browse, publish, export', (env) => {
  let admin = '';
  let leader = '';
  let samplePlanId = '';
  const req = async (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    cookie: string | null,
    payload?: object,
  ) =>
    env().app.inject({
      method,
      url,
      headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
      ...(payload ? { payload } : {}),
    });
  const unitId = async (shortName: string) =>
    (
      await env()
        .db.kysely.selectFrom('units')
        .select('id')
        .where('short_name', '=', shortName)
        .executeTakeFirstOrThrow()
    ).id;
  const preview = async (name: string, content: Uint8Array | string) => {
    const r = await uploadPreview(
      env().app,
      admin,
      name,
      typeof content === 'string' ? Buffer.from(content) : content,
    );
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as PlanPreview;
  };
  const tree = async (planId: string, query = '') => {
    const r = await req('GET', `/api/v1/plans/${planId}/tree${query}`, leader);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as PlanTree;
  };
  const task = (t: PlanTree, path: string): PlanTask => {
    const found = t.tasks.find((x) => x.path === path);
    if (!found) throw new Error(`no task ${path}`);
    return found;
  };

  beforeAll(async () => {
    admin = (await env().makeUser('admin')).cookie;
    leader = (await env().makeUser('leader')).cookie;
    const list = await req('GET', '/api/v1/plans', leader);
    samplePlanId = list
      .json()
      .items.find((p: { docNumber: string }) => p.docNumber === '徐政发〔2022〕13号')?.id;
  });

  it('a new database holds the Xuzhou plan, published, with units, roles and typed indicators', async () => {
    expect(samplePlanId).toBeTruthy();
    const t = await tree(samplePlanId);
    expect(t.plan.title).toBe('徐州市全民科学素质行动规划实施方案');
    expect(t.plan.publishedVersionId).toBe(t.version.id);
    // Every heading of the golden (docs/DOMAIN.md §6) is a task of the tree, in document order, with its units.
    expect(t.tasks.map((x) => [x.path, x.title, x.units.map((u) => u.writtenName)])).toEqual(
      golden.tasks.map((g) => [g.path, g.title, g.units]),
    );
    const t311 = task(t, '3.1.1');
    expect(t311.label).toBe('1.');
    expect(t311.units.map((u) => [u.unitShortName, u.role])).toEqual([
      ['市教育局', 'lead'],
      ['市人社局', 'co'],
      ['团市委', 'co'],
      ['市科协', 'co'],
    ]);
    expect(t311.units[3]?.unitName).toBe('徐州市科学技术协会');
    expect(t311.indicators.map((i) => [i.targetValue, i.unit, i.kind, i.deadline])).toEqual([
      [15, '所', 'cumulative', '2025-12-31'],
      [50, '所', 'cumulative', '2025-12-31'],
      [10, '个', 'cumulative', '2025-12-31'],
    ]);
    // The parent chain: 3.1.1 → 3.1 → 3.
    const t31 = task(t, '3.1');
    expect(t311.parentId).toBe(t31.id);
    expect(t31.parentId).toBe(task(t, '3').id);
    expect(t31.group).toBe('youth');
    expect(t311.group).toBe('youth');
    expect(task(t, '3.6.1').group).toBeNull();

    const annual = task(t, '3.2.1').indicators;
    expect(annual.map((i) => [i.targetValue, i.kind, i.comparator])).toEqual([
      [12000, 'annual', '='],
      [1800, 'annual', '>='],
    ]);
    const share = task(t, '3.9.3').indicators[0]!;
    expect([share.kind, share.targetValue, share.breakdownByCounty]).toEqual(['population_share', 80, true]);
    const rate = task(t, '2.3').indicators[0]!;
    expect([rate.kind, rate.targetValue, rate.baselineValue, rate.baselineYear]).toEqual([
      'survey_rate',
      15.5,
      11.7,
      2020,
    ]);
    // A count target never takes a percentage baseline.
    expect(t311.indicators[0]?.baselineValue).toBeNull();
  });

  it('filters the tree by unit, population group and county, keeping ancestors', async () => {
    const farmers = await tree(samplePlanId, '?group=farmers');
    const matched = farmers.tasks.filter((t) => farmers.matchedIds.includes(t.id)).map((t) => t.path);
    expect(matched).toEqual(['3.2', '3.2.1', '3.2.2', '3.2.3']);
    expect(farmers.tasks.map((t) => t.path)).toEqual(['3', '3.2', '3.2.1', '3.2.2', '3.2.3']);

    const officials = await tree(samplePlanId, '?group=officials');
    expect(officials.matchedIds).toHaveLength(4);

    const broadcaster = await unitId('徐州广播电视台');
    const byUnit = await tree(samplePlanId, `?unitId=${broadcaster}`);
    const paths = byUnit.tasks.filter((t) => byUnit.matchedIds.includes(t.id)).map((t) => t.path);
    expect(paths).toEqual(['3.7.2', '3.9.1']);

    const quanshan = await unitId('泉山区');
    const byCounty = await tree(samplePlanId, `?countyId=${quanshan}`);
    expect(byCounty.tasks.filter((t) => byCounty.matchedIds.includes(t.id)).map((t) => t.path)).toEqual([
      '3.9.3',
    ]);
    const both = await tree(samplePlanId, `?unitId=${broadcaster}&group=youth`);
    expect(both.matchedIds).toEqual([]);
  });

  it('previews UTF-8, GBK and .docx uploads alike, and lists unit matches', async () => {
    const text = xuzhouText();
    const utf8 = await preview('xuzhou.txt', text);
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.draft.tasks.map((x) => x.path)).toEqual(golden.tasks.map((g) => g.path));
    expect(utf8.units.every((u) => u.unit !== null)).toBe(true);
    expect(utf8.candidates.map((c) => c.id)).toContain(samplePlanId);
    const spans = utf8.draft.tasks.find((t) => t.path === '3.1.1')!.spans!;
    expect(utf8.draft.sourceText.slice(spans.targets[0]!.start, spans.targets[0]!.end)).toContain('15所');

    const gbk = await preview('xuzhou-gbk.txt', iconv.encode(text, 'gbk'));
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.draft.tasks).toEqual(utf8.draft.tasks);

    const docx = await preview('xuzhou.docx', await makeDocx(text));
    expect(docx.format).toBe('docx');
    const strip = (d: PlanDraft) => d.tasks.map((t) => [t.path, t.title, t.units, t.targets]);
    expect(strip(docx.draft)).toEqual(strip(utf8.draft));
    expect(docx.draft.title).toBe(utf8.draft.title);
  });

  it('says at the preview that a document is the same text as a plan’s latest version', async () => {
    const same = await preview('xuzhou.txt', xuzhouText());
    expect(same.identicalTo).toMatchObject({ planId: samplePlanId, versionNumber: 1 });
    const changed = await preview('xuzhou.txt', `${xuzhouText()}\n`.replace('团市委', '共青团徐州市委'));
    expect(changed.identicalTo).toBeNull();
  });

  it('previews a PDF like its text and lists what to check (a county plan whose units are in a table)', async () => {
    const pdf = await preview('xuzhou.pdf', await makePdf(xuzhouText()));
    expect(pdf.format).toBe('pdf');
    const strip = (d: PlanDraft) => d.tasks.map((t) => [t.path, t.title, t.units, t.targets]);
    expect(strip(pdf.draft)).toEqual(strip((await preview('xuzhou.txt', xuzhouText())).draft));
    expect(pdf.checks.headingLike).toEqual([]);

    const county = fs.readFileSync(
      new URL('../../../../fixtures/plans/county-web-oneline.txt', import.meta.url),
    );
    const p = await preview('county.txt', county);
    expect(p.draft.tasks).toHaveLength(20);
    expect(p.checks.untakenFigures).toEqual([
      { text: '全县现有县级以上科普教育基地21家,科普e站136个', path: '1' },
    ]);
    // County units are not in the city's registry: every one is listed for mapping, none dropped.
    expect(p.units.filter((u) => u.unit === null).map((u) => u.name)).toContain('县老龄办');
    expect(tasksWithoutUnits(p.draft.tasks)).toEqual([]);
    const stripped = p.draft.tasks.map((t) => (t.path === '3.3.1' ? { ...t, units: [] } : t));
    expect(tasksWithoutUnits(stripped)).toEqual(['3.3.1']);
  });

  it('answers a scan, an encrypted PDF and a 200-page PDF within its limits, /healthz meanwhile', async () => {
    const scan = await uploadPreview(env().app, admin, 'scan.pdf', await makeScannedPdf(2));
    expect([scan.statusCode, scan.json().error.code]).toEqual([422, 'PLAN_FILE_NEEDS_OCR']);
    const locked = await uploadPreview(
      env().app,
      admin,
      'locked.pdf',
      await makePdf(xuzhouText(), { userPassword: 'kesu' }),
    );
    expect([locked.statusCode, locked.json().error.code]).toEqual([422, 'PLAN_FILE_ENCRYPTED']);

    const copies = Array.from({ length: 13 }, () => xuzhouText()).join('\n');
    const big = await makePdf(copies, { fontSize: 16 });
    expect(big.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(200);
    const order: string[] = [];
    const parsing = uploadPreview(env().app, admin, 'big.pdf', big).then((r) => {
      order.push('preview');
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    const health = await env().app.inject({ url: '/healthz' });
    order.push('healthz');
    expect(health.statusCode).toBe(200);
    const r = await parsing;
    expect(r.statusCode, r.body).toBe(200);
    expect(order).toEqual(['healthz', 'preview']);
    const body = r.json() as PlanPreview;
    expect(body.draft.tasks).toHaveLength(13 * golden.tasks.length);
    expect(body.draft.warnings.some((w) => w.includes('编号重复'))).toBe(true);
  }, 120_000);

  it('refuses binary, empty, over-size and not-a-plan uploads with clear codes', async () => {
    const cases: [string, Uint8Array, number, string][] = [
      [
        'random.bin',
        Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256),
        415,
        'PLAN_FILE_UNSUPPORTED',
      ],
      ['scan.pdf', Buffer.from('%PDF-1.7\n一、总体要求\n'), 415, 'PLAN_FILE_UNSUPPORTED'],
      ['broken.docx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]), 415, 'PLAN_FILE_UNSUPPORTED'],
      ['empty.txt', new Uint8Array(0), 422, 'PLAN_FILE_EMPTY'],
      ['blank.txt', Buffer.from(' \n\r\n\t '), 422, 'PLAN_FILE_EMPTY'],
      ['letter.txt', Buffer.from('关于召开会议的通知\n请各单位准时参加。\n'), 422, 'PLAN_NOT_RECOGNISED'],
      ['huge.txt', Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [name, content, status, code] of cases) {
      const r = await uploadPreview(env().app, admin, name, content);
      expect(r.statusCode, `${name}: ${r.body}`).toBe(status);
      expect(r.json().error.code, name).toBe(code);
      expect(r.json().error.message, name).toMatch(/[\u4e00-\u9fff]/);
    }
    const notMultipart = await req('POST', '/api/v1/plans/preview', admin, { text: '一、总体要求' });
    expect(notMultipart.statusCode).toBe(415);
  });

  it('never drops an unknown unit: the import refuses until it is mapped, then remembers the name', async () => {
    const text = xuzhouText()
      .replaceAll('市妇联', '市妇儿工委')
      .replace('徐政发〔2022〕13号', '徐政发〔2022〕99号');
    const p = await preview('renamed.txt', text);
    const unknown = p.units.filter((u) => u.unit === null);
    expect(unknown.map((u) => u.name)).toEqual(['市妇儿工委']);
    expect(unknown[0]?.paths).toContain('3.1.3');

    const refused = await req('POST', '/api/v1/plans/import', admin, { draft: p.draft });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('PLAN_UNKNOWN_UNITS');
    expect(refused.json().error.details.names).toEqual(['市妇儿工委']);
    expect(refused.json().error.message).toContain('市妇儿工委');

    const women = await unitId('市妇联');
    const ok = await req('POST', '/api/v1/plans/import', admin, {
      draft: p.draft,
      unitMappings: [{ name: '市妇儿工委', unitId: women }],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().version.number).toBe(1);
    const t = await tree(ok.json().plan.id);
    const a = task(t, '3.1.3').units.find((u) => u.unitId === women);
    expect(a?.writtenName).toBe('市妇儿工委');
    expect(a?.unitShortName).toBe('市妇联');
    const again = await preview('renamed.txt', text);
    expect(again.units.find((u) => u.name === '市妇儿工委')?.unit?.id).toBe(women);
  });

  it('creates a unit for an unknown name when asked, all in one transaction', async () => {
    const text = xuzhouText()
      .replaceAll('市人防办', '市民防局')
      .replace('徐政发〔2022〕13号', '徐政发〔2022〕98号');
    const p = await preview('civil.txt', text);
    const before = await env().db.kysely.selectFrom('plans').select('id').execute();
    // A mapping whose new unit clashes with an existing name fails: nothing of the import remains.
    const clash = await req('POST', '/api/v1/plans/import', admin, {
      draft: p.draft,
      unitMappings: [
        { name: '市民防局', create: { kind: 'department', name: '徐州市教育局', shortName: '市民防局' } },
      ],
    });
    expect(clash.statusCode).toBe(409);
    expect(await env().db.kysely.selectFrom('plans').select('id').execute()).toHaveLength(before.length);

    const ok = await req('POST', '/api/v1/plans/import', admin, {
      draft: p.draft,
      unitMappings: [
        { name: '市民防局', create: { kind: 'department', name: '徐州市民防局', shortName: '市民防局' } },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().unitsCreated.map((u: { name: string }) => u.name)).toEqual(['徐州市民防局']);
    const t = await tree(ok.json().plan.id);
    expect(task(t, '3.8.1').units.at(-1)?.unitName).toBe('徐州市民防局');
  });

  it('re-importing a revised document makes a new version with a diff and keeps the old one', async () => {
    const original = xuzhouText().replace('徐政发〔2022〕13号', '徐政发〔2022〕77号');
    const first = await req('POST', '/api/v1/plans/import', admin, {
      draft: (await preview('v1.txt', original)).draft,
    });
    expect(first.statusCode, first.body).toBe(201);
    const planId = first.json().plan.id as string;
    const v1 = first.json().version.id as string;

    const revised = original
      .replace('全市创建15所', '全市创建20所')
      .replace('3.完善考核激励机制。', '3.健全考核激励机制。')
      .replace('(责任单位:市委组织部、市科协等)', '(责任单位:市委组织部、市科协、市委宣传部等)');
    const cut = revised.indexOf('4.推进科普基础设施普惠开放');
    const end = revised.indexOf('(九)', cut);
    const withoutTask = revised.slice(0, cut) + revised.slice(end);
    const p2 = await preview('v2.txt', withoutTask);
    expect(p2.candidates.map((c) => c.id)).toContain(planId);
    const second = await req('POST', '/api/v1/plans/import', admin, {
      draft: p2.draft,
      planId,
      note: '修订',
    });
    expect(second.statusCode, second.body).toBe(201);
    const diff = second.json().diff;
    expect(second.json().version.number).toBe(2);
    expect(diff.tasksRemoved).toEqual([{ path: '3.8.4', title: '推进科普基础设施普惠开放' }]);
    expect(diff.tasksAdded).toEqual([]);
    const changed = Object.fromEntries(
      diff.tasksChanged.map((c: { path: string; fields: string[] }) => [c.path, c.fields]),
    );
    expect(changed['3.5.3']).toEqual(['title']);
    expect(changed['3.5.1'] ?? changed['3.5.2']).toEqual(['units']);
    expect(diff.targetsChanged).toHaveLength(1);
    expect(diff.targetsChanged[0].path).toBe('3.1.1');
    expect(diff.targetsChanged[0].before[0].value).toBe(15);
    expect(diff.targetsChanged[0].after[0].value).toBe(20);

    // History: version 1 still reads as imported; the diff is served again from the stored versions.
    const old = await tree(planId, `?versionId=${v1}`);
    expect(task(old, '3.1.1').indicators[0]?.targetValue).toBe(15);
    expect(old.tasks.some((t) => t.path === '3.8.4')).toBe(true);
    const latest = await tree(planId);
    expect(task(latest, '3.1.1').indicators[0]?.targetValue).toBe(20);
    const served = await req(
      'GET',
      `/api/v1/plans/${planId}/versions/${second.json().version.id}/diff`,
      leader,
    );
    expect(served.json()).toEqual(diff);
    const detail = await req('GET', `/api/v1/plans/${planId}`, leader);
    expect(detail.json().versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);

    const same = await req('POST', '/api/v1/plans/import', admin, { draft: p2.draft, planId });
    expect(same.statusCode).toBe(409);
    expect(same.json().error.code).toBe('INVALID_STATE');
  });

  it('edits the latest version in place with optimistic concurrency; history is read-only', async () => {
    const text = xuzhouText().replace('徐政发〔2022〕13号', '徐政发〔2022〕66号');
    const first = await req('POST', '/api/v1/plans/import', admin, {
      draft: (await preview('e.txt', text)).draft,
    });
    const planId = first.json().plan.id as string;
    const v1 = await tree(planId);
    const t = task(v1, '3.1.1');
    const edu = await unitId('市教育局');
    const sci = await unitId('市科协');
    const edited = await req('PATCH', `/api/v1/plan-tasks/${t.id}`, admin, {
      title: '加强校内青少年科学教育（修订）',
      units: [
        { unitId: sci, role: 'lead' },
        { unitId: edu, role: 'co' },
      ],
      version: t.version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(
      edited.json().units.map((u: { unitShortName: string; role: string }) => [u.unitShortName, u.role]),
    ).toEqual([
      ['市科协', 'lead'],
      ['市教育局', 'co'],
    ]);
    const stale = await req('PATCH', `/api/v1/plan-tasks/${t.id}`, admin, { title: 'x', version: t.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');

    const ind = task(v1, '3.9.3').indicators[0]!;
    const quanshan = await unitId('泉山区');
    const ok = await req('PATCH', `/api/v1/indicators/${ind.id}`, admin, {
      targetValue: 85,
      breakdown: [{ unitId: quanshan, targetValue: 90 }],
      version: ind.version,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().targetValue).toBe(85);
    expect(ok.json().breakdown).toEqual([{ unitId: quanshan, unitName: '泉山区', targetValue: 90 }]);
    const notCounty = await req('PATCH', `/api/v1/indicators/${ind.id}`, admin, {
      breakdown: [{ unitId: edu, targetValue: 1 }],
      version: ok.json().version,
    });
    expect(notCounty.statusCode).toBe(400);

    // A new version freezes the old one.
    const revised = text.replace('全市创建15所', '全市创建16所');
    const second = await req('POST', '/api/v1/plans/import', admin, {
      draft: (await preview('e2.txt', revised)).draft,
      planId,
    });
    expect(second.statusCode, second.body).toBe(201);
    const frozen = await req('PATCH', `/api/v1/plan-tasks/${t.id}`, admin, {
      title: 'y',
      version: t.version + 1,
    });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().error.code).toBe('INVALID_STATE');
    const audit = await env()
      .db.kysely.selectFrom('audit_log')
      .select('action')
      .where('entity_id', 'in', [planId, t.id, ind.id])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'plan.import',
      'plan.task.update',
      'plan.indicator.update',
      'plan.revise',
    ]);
  });

  it('publishes a version for the public and withdraws it', async () => {
    const text = xuzhouText().replace('徐政发〔2022〕13号', '徐政发〔2022〕55号');
    const r = await req('POST', '/api/v1/plans/import', admin, {
      draft: (await preview('p.txt', text)).draft,
    });
    const { plan, version } = r.json();
    expect((await req('GET', `/api/v1/public/plans/${plan.id}`, null)).statusCode).toBe(404);
    const publicList = async () =>
      (await req('GET', '/api/v1/public/plans?pageSize=200', null))
        .json()
        .items.map((p: { id: string }) => p.id);
    expect(await publicList()).not.toContain(plan.id);
    expect(await publicList()).toContain(samplePlanId);

    const byLeader = await req('POST', `/api/v1/plans/${plan.id}/publish`, leader, {
      versionId: version.id,
      version: plan.version,
    });
    expect(byLeader.statusCode).toBe(403);
    const pub = await req('POST', `/api/v1/plans/${plan.id}/publish`, admin, {
      versionId: version.id,
      version: plan.version,
    });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().publishedVersionId).toBe(version.id);
    const seen = await req('GET', `/api/v1/public/plans/${plan.id}?group=youth`, null);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().matchedIds.length).toBeGreaterThan(0);
    expect(await publicList()).toContain(plan.id);
    const stale = await req('POST', `/api/v1/plans/${plan.id}/unpublish`, admin, { version: plan.version });
    expect(stale.statusCode).toBe(409);
    const off = await req('POST', `/api/v1/plans/${plan.id}/unpublish`, admin, {
      version: pub.json().version,
    });
    expect(off.statusCode).toBe(200);
    expect((await req('GET', `/api/v1/public/plans/${plan.id}`, null)).statusCode).toBe(404);
  });

  it("lists a unit's own tasks for its reporter, with pages", async () => {
    const edu = await unitId('市教育局');
    const reporter = await env().makeUser('reporter', { unitId: edu });
    const page1 = await req('GET', '/api/v1/plans/unit-tasks?pageSize=5', reporter.cookie);
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json().unit.shortName).toBe('市教育局');
    expect(page1.json().items).toHaveLength(5);
    const all = await req('GET', '/api/v1/plans/unit-tasks?pageSize=200', reporter.cookie);
    const items = all.json().items as { planId: string; role: string; task: PlanTask }[];
    expect(all.json().total).toBe(items.length);
    const sample = items.filter((i) => i.planId === samplePlanId);
    const t = await tree(samplePlanId, `?unitId=${edu}`);
    expect(sample.map((i) => i.task.path)).toEqual(
      t.tasks.filter((x) => t.matchedIds.includes(x.id)).map((x) => x.path),
    );
    expect(sample.find((i) => i.task.path === '3.1.1')?.role).toBe('lead');
    const page2 = await req('GET', '/api/v1/plans/unit-tasks?pageSize=5&page=2', reporter.cookie);
    expect(page2.json().items[0].task.id).not.toBe(page1.json().items[0].task.id);
    const noUnit = await req('GET', '/api/v1/plans/unit-tasks', leader);
    expect(noUnit.statusCode).toBe(400);
  });

  it('exports one row per task × unit and one per indicator', async () => {
    const r = await req('GET', `/api/v1/plans/${samplePlanId}/export.xlsx`, leader);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const t = await tree(samplePlanId);
    const taskRows = t.tasks.reduce((n, x) => n + Math.max(1, x.units.length), 0);
    const sheet = wb.getWorksheet('任务与责任单位')!;
    expect(sheet.rowCount).toBe(taskRows + 1);
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.filter((row) => row[1] === '3.1.1').map((row) => [row[5], row[7]])).toEqual([
      ['市教育局', '牵头'],
      ['市人社局', '配合'],
      ['团市委', '配合'],
      ['市科协', '配合'],
    ]);
    const ind = wb.getWorksheet('指标')!;
    expect(ind.rowCount).toBe(t.tasks.reduce((n, x) => n + x.indicators.length, 0) + 1);
    expect(ind.getRow(2).getCell(6).value).toBe(15.5);
  });

  it('merging units moves plan assignments', async () => {
    const text = xuzhouText()
      .replaceAll('市气象局', '市气象台')
      .replace('徐政发〔2022〕13号', '徐政发〔2022〕44号');
    const r = await req('POST', '/api/v1/plans/import', admin, {
      draft: (await preview('m.txt', text)).draft,
      createUnknownUnits: true,
    });
    expect(r.statusCode, r.body).toBe(201);
    const created = r.json().unitsCreated[0].id as string;
    const weather = await unitId('市气象局');
    const merged = await req('POST', `/api/v1/units/${weather}/merge`, admin, { sourceId: created });
    expect(merged.statusCode, merged.body).toBe(200);
    const t = await tree(r.json().plan.id, `?unitId=${weather}`);
    expect(t.matchedIds.length).toBeGreaterThan(3);
  });
});
