import { type DemoStatus, normalizeUnitName } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize } from '../../authorize';
import type { Ctx } from '../../context';
import type { Database, ReportingCyclesTable } from '../../db/schema';
import { AppError } from '../../errors';
import { type FileStorage, isValidKey } from '../../storage';
import { newId, nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { allocateIndicatorInTrx } from '../allocations/allocations.service';
import {
  childJurisdictions,
  jurisdictionOfCode,
  parentJurisdictionId,
} from '../jurisdictions/jurisdictions.service';
import { setAssignedTaskLead } from '../plans/assigned-tasks';
import { confirmProposedLinksInTrx, proposeLinksInTrx } from '../plans/plan-links.service';
import { contentOfTasks, planRowsOfJurisdiction, versionHeads } from '../plans/plan-reads.service';
import { isSamplePlan, sampleDraft } from '../plans/plans.sample';
import { importPlanInTrx, publishImportedVersionInTrx } from '../plans/plans.service';
import { planStart } from '../progress/plan-dates';
import { countyRows } from '../progress/progress-reads.service';
import { insertPreparedWave, prepareWaveFromRecords } from '../surveys/surveys.service';
import { allUnitRows, UNIT_REFERENCES } from '../units/unit-reads.service';
import { insertUnit, toUnit } from '../units/units.service';
import { DEMO_CONFIRM_AT, DEMO_COUNTIES, type DemoCounty } from './demo-counties';
import { addDays, at, type DemoReports, makeDemoReports, ymd } from './demo-reports';
import { makeDemoResources } from './demo-resources';
import { DEMO_SURVEY_HEADER, demoSurveyRecords } from './demo-survey';
import { canReadDemoStatus } from './demo.policy';
import {
  cyclesEndedBefore,
  deleteDemoRows,
  demoActivityFilePaths,
  demoAttachmentPaths,
  demoBatchIds,
  demoPlanContent,
  demoPlanRows,
  demoResourceContext,
  firstDemoBatch,
  insertChunks,
  insertDemoBatch,
  latestDeadline,
  markDemoAllocations,
  markDemoRows,
  planForDemo,
  planRowCounts,
  setDemoBatchCounts,
} from './demo.repository';

/**
 * Demo data: two years of plausible quarterly reports for the sample plan, so the dashboards show something
 * real-looking on a new database; on the sample plan also two counties (丰县, 睢宁县) running 实施方案 of their own
 * (invented documents, imported like a county admin's), linked to the city plan, with their own reports. Every row
 * made carries `demo_batch_id`, or hangs off a row that does (a demo plan's versions, tasks, indicators, links);
 * `removeDemoData` deletes exactly those rows (and anything hanging off a demo report: values, events, evidence
 * files) in one transaction.
 *
 * Plausible and reproducible: a seeded PRNG (mulberry32) draws which units lag, the noise around 序时进度 and the
 * workflow states (demo-reports.ts); each county draws from a PRNG of its own, so the city's reports are the same with
 * or without the counties. Only the dates depend on `today`.
 */

export const DEMO_SEED = 20220513;

/** mulberry32: a small, fast, seedable PRNG (uniform [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/** The eight complete quarters before `today` (YYYY-MM-DD), oldest first. */
export function lastQuarters(today: string, n = 8): { start: string; end: string; name: string }[] {
  const d = new Date(`${today}T00:00:00Z`);
  let year = d.getUTCFullYear();
  let q = Math.floor(d.getUTCMonth() / 3); // the current quarter (0-based) is not complete
  const out: { start: string; end: string; name: string }[] = [];
  for (let k = 0; k < n; k++) {
    q -= 1;
    if (q < 0) {
      q = 3;
      year -= 1;
    }
    const start = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    const end = ymd(Date.UTC(year, q * 3 + 3, 1) - DAY);
    out.unshift({ start, end, name: `${year}年第${q + 1}季度` });
  }
  return out;
}

/** Rows made per table. */
type Counts = Record<string, number>;
const add = (counts: Counts, more: Counts) => {
  for (const [t, n] of Object.entries(more)) counts[t] = (counts[t] ?? 0) + n;
};

/** Demo status for a signed-in user (the web's banner). */
export function demoStatusFor(db: Kysely<Database>, ctx: Ctx): Promise<DemoStatus> {
  authorize(ctx, canReadDemoStatus);
  return demoStatus(db);
}

/** Is demo data loaded, and how much. */
export async function demoStatus(db: Kysely<Database>): Promise<DemoStatus> {
  const b = await firstDemoBatch(db);
  if (!b) return { isLoaded: false, batchId: null, createdAt: null, counts: {} };
  return { isLoaded: true, batchId: b.id, createdAt: b.created_at, counts: JSON.parse(b.counts) };
}

/** A county plan of the demo: the county (its jurisdiction and the unit standing for it above), its plan. */
export interface DemoCountyPlan {
  jurisdictionId: string;
  jurisdictionName: string;
  /** The county's unit in the city's plan (丰县人民政府), if any. */
  governmentUnitId: string | null;
  planId: string;
  versionId: string;
}

/**
 * The demo's county plans, inside the load's transaction: for each county of DEMO_COUNTIES that is a child of the
 * city plan's jurisdiction and has no plan of its own yet (a real county plan is never doubled or touched) — the
 * units its document names (in the county, marked demo; a unit that already answers to a name is used as it is),
 * its 实施方案 imported by the same import as an admin's and published, in the county, marked demo; task links to the
 * city plan proposed by kesu's own rule and the strong ones confirmed (DEMO_CONFIRM_AT), as the county admin would.
 * Returns the county plans made, in DEMO_COUNTIES order: the 分解下达 of a city indicator to these counties (quotas)
 * is added on top of this.
 */
export async function demoCountyPlans(
  trx: Kysely<Database>,
  ctx: Ctx,
  opts: { batchId: string; cityJurisdictionId: string | null; counts: Counts },
): Promise<DemoCountyPlan[]> {
  const made: DemoCountyPlan[] = [];
  for (const county of DEMO_COUNTIES) {
    const j = await jurisdictionOfCode(trx, county.code);
    if (!j || j.parentId === null || j.parentId !== opts.cityJurisdictionId) continue;
    if ((await planRowsOfJurisdiction(trx, j.id)).length > 0) continue;
    add(opts.counts, { units: await demoCountyUnits(trx, ctx, county, j.id, opts.batchId) });
    const result = await importPlanInTrx(
      trx,
      ctx,
      {
        draft: sampleDraft(county.file),
        planId: null,
        unitMappings: [],
        createUnknownUnits: false,
        note: '演示数据：虚构的县级实施方案（kesu demo remove 删除）',
      },
      { jurisdictionId: j.id },
    );
    await publishImportedVersionInTrx(trx, ctx, result.plan.id, result.version.id, { demo: true });
    await markDemoRows(trx, 'plans', [result.plan.id], opts.batchId);
    const { proposed } = await proposeLinksInTrx(trx, { id: result.plan.id, jurisdiction_id: j.id });
    await confirmProposedLinksInTrx(
      trx,
      ctx,
      proposed.filter((l) => l.score >= DEMO_CONFIRM_AT).map((l) => l.id),
    );
    made.push({
      jurisdictionId: j.id,
      jurisdictionName: j.name,
      governmentUnitId: j.governmentUnitId,
      planId: result.plan.id,
      versionId: result.version.id,
    });
  }
  add(
    opts.counts,
    await planRowCounts(
      trx,
      made.map((m) => m.planId),
    ),
  );
  return made;
}

/**
 * The units a county's document names, made in the county and marked demo. A name some unit already answers to
 * (a real unit, or a merged one the import follows) is left to the import to find; a full name already taken gives
 * way to the written name. Returns how many were made.
 */
async function demoCountyUnits(
  trx: Kysely<Database>,
  ctx: Ctx,
  county: DemoCounty,
  jurisdictionId: string,
  batchId: string,
): Promise<number> {
  const taken = new Set<string>();
  for (const row of await allUnitRows(trx)) {
    const u = toUnit(row);
    for (const n of [u.name, u.shortName, ...u.aliases]) taken.add(normalizeUnitName(n));
  }
  const ids: string[] = [];
  for (const [i, [kind, name, shortName]] of county.units.entries()) {
    if (taken.has(normalizeUnitName(shortName))) continue;
    const unit = await insertUnit(trx, ctx, {
      kind,
      name: taken.has(normalizeUnitName(name)) ? shortName : name,
      shortName,
      aliases: [],
      regionCode: null,
      sortOrder: 1000 + 10 * i,
      jurisdictionId,
    });
    ids.push(unit.id);
  }
  await markDemoRows(trx, 'units', ids, batchId);
  return ids.length;
}

/**
 * The demo's 分解下达: the city plan's count of 科普教育基地 (else its first count of at least 10 not yet broken down)
 * split into whole quotas over the counties and zones of the city without a real plan — the demo counties three each,
 * the rest as evenly as whole numbers allow — through the same rules as an admin's (a real county plan is never
 * written to); in each demo county the county's 科协 leads the task it
 * receives, so the county reports below carry it and the city's value rolls up from them. Marked demo: removing the
 * demo deletes the allocations and restores the city indicator.
 */
const contentOfVersion = (trx: Kysely<Database>, versionId: string) => contentOfTasks(trx, { versionId });

async function demoAllocation(
  trx: Kysely<Database>,
  ctx: Ctx,
  opts: { versionId: string; countyPlans: DemoCountyPlan[]; batchId: string },
): Promise<Counts> {
  const { indicators, breakdowns } = await contentOfVersion(trx, opts.versionId);
  const free = indicators.filter(
    (i) =>
      i.kind === 'cumulative' &&
      i.breakdown_by_county === 0 &&
      Number(i.target_value) >= 10 &&
      Number.isInteger(Number(i.target_value)) &&
      !breakdowns.some((b) => b.indicator_id === i.id),
  );
  const chosen = free.find((i) => i.text.includes('科普教育基地')) ?? free[0];
  if (!chosen) return {};
  const city = opts.countyPlans[0]
    ? await parentJurisdictionId(trx, opts.countyPlans[0].jurisdictionId)
    : null;
  const children = city ? await childJurisdictions(trx, city) : [];
  const demo = new Set(opts.countyPlans.map((c) => c.jurisdictionId));
  const target = Number(chosen.target_value);
  // A county with a real plan of its own is never written to by the demo: it gets no quota.
  const others: typeof children = [];
  for (const j of children) {
    if (!demo.has(j.id) && (await planRowsOfJurisdiction(trx, j.id)).length === 0) others.push(j);
  }
  const each = others.length > 0 ? 3 : Math.floor(target / demo.size);
  const left = target - each * demo.size;
  if (left < 0) return {};
  const quotas = [
    ...[...demo].map((id, i) => ({
      jurisdictionId: id,
      targetValue: each + (others.length === 0 && i === 0 ? left : 0),
    })),
    ...others.map((j, i) => ({
      jurisdictionId: j.id,
      targetValue: Math.floor(left / others.length) + (i < left % others.length ? 1 : 0),
    })),
  ];
  const result = await allocateIndicatorInTrx(trx, ctx, chosen.id, { mode: 'quota', quotas });
  await markDemoAllocations(trx, chosen.id, opts.batchId);
  for (const c of result.counties) {
    if (!demo.has(c.jurisdictionId) || !c.countyTaskId) continue;
    const lead = (await allUnitRows(trx)).find(
      (u) => u.jurisdiction_id === c.jurisdictionId && u.short_name.endsWith('科协'),
    );
    if (lead) await setAssignedTaskLead(trx, c.countyTaskId, { id: lead.id, shortName: lead.short_name });
  }
  return { allocations: quotas.length };
}

/** The county plans of the loaded demo (see demoCountyPlans), in the counties' order; none when not loaded. */
export async function loadedDemoCountyPlans(db: Kysely<Database>): Promise<DemoCountyPlan[]> {
  const rows = await demoPlanRows(db);
  const heads = await versionHeads(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    jurisdictionId: r.jurisdiction_id!,
    jurisdictionName: r.jurisdiction_name,
    governmentUnitId: r.government_unit_id,
    planId: r.id,
    versionId: (heads.find((h) => h.plan_id === r.id && h.is_published === 1) ??
      heads.find((h) => h.plan_id === r.id))!.id,
  }));
}

async function insertReports(trx: Kysely<Database>, made: DemoReports, counts: Counts): Promise<void> {
  await insertChunks(trx, 'progress_reports', made.reports);
  await insertChunks(trx, 'report_values', made.values);
  await insertChunks(trx, 'report_events', made.events);
  add(counts, {
    progress_reports: made.reports.length,
    report_values: made.values.length,
    report_events: made.events.length,
  });
}

/**
 * The demo's resources (demo-resources.ts) for the city: its child levels (each with the unit standing for it and a
 * unit of its own, its 科协 first), the city's units by short name; real 科普经费 and standards are left as they are.
 * Its own PRNG, so the reports are the same with or without it. Returns rows made per table.
 */
async function insertDemoResources(
  trx: Kysely<Database>,
  o: { seed: number; batchId: string; cityJurisdictionId: string; start: string; end: string; today: string },
): Promise<Counts> {
  const c = await demoResourceContext(trx, o.cityJurisdictionId);
  const city = c.city;
  if (!city) return {};
  const cityUnits = new Map<string, string>();
  for (const u of c.units) {
    if (u.jurisdiction_id === null || u.jurisdiction_id === city.id) cityUnits.set(u.short_name, u.id);
  }
  if (cityUnits.size === 0) return {};
  const places = c.children.map((j) => {
    const own = c.units.filter((u) => u.jurisdiction_id === j.id);
    return {
      id: j.id,
      name: j.name,
      shortName: j.short_name,
      level: j.level,
      governmentUnitId: j.government_unit_id,
      ownUnitId: (own.find((u) => u.short_name.endsWith('科协')) ?? own[0])?.id ?? null,
    };
  });
  const made = makeDemoResources({
    rnd: mulberry32(o.seed + 200),
    batchId: o.batchId,
    city,
    places,
    cityUnits,
    start: o.start,
    end: o.end,
    today: o.today,
    fundedKeys: new Set(c.funded.map((f) => `${f.jurisdiction_id}|${f.year}`)),
    standardKeys: new Set(c.standards.map((f) => `${f.jurisdiction_id}|${f.year}`)),
  });
  await insertChunks(trx, 'resources', made.resources);
  await insertChunks(trx, 'activities', made.activities);
  await insertChunks(trx, 'activity_coorganisers', made.coorganisers);
  await insertChunks(trx, 'volunteer_services', made.services);
  await insertChunks(trx, 'funding', made.funding);
  await insertChunks(trx, 'funding_standards', made.standards);
  await insertChunks(trx, 'content_items', made.content);
  return {
    resources: made.resources.length,
    activities: made.activities.length,
    activity_coorganisers: made.coorganisers.length,
    volunteer_services: made.services.length,
    funding: made.funding.length,
    funding_standards: made.standards.length,
    content_items: made.content.length,
  };
}

/**
 * Load the demo batch for a plan (default: the first plan, i.e. the sample) in one transaction; refuses when a
 * batch is already loaded. Quarterly cycles for the two years before `today` are made when the plan has none. On the
 * sample plan the demo's counties come too (demoCountyPlans), with the same quarters and reports of their own.
 */
export async function loadDemoData(
  db: Kysely<Database>,
  ctx: Ctx,
  /** `counties: false` loads the city's demo only (the demo as kesu made it before levels existed). */
  opts: { seed?: number; today?: string; planId?: string; counties?: boolean } = {},
): Promise<{ batchId: string; counts: Counts; ms: number }> {
  const t0 = performance.now();
  const seed = opts.seed ?? DEMO_SEED;
  const today = opts.today ?? ymd(Date.now());
  const rnd = mulberry32(seed);
  const batchId = newId();
  const counts: Counts = { reporting_cycles: 0, progress_reports: 0, report_values: 0, report_events: 0 };
  // The survey wave is estimated before the transaction (it is CPU work); written inside it with the rest.
  const surveyYear = Number(today.slice(0, 4)) - 1;
  const wave = await prepareWaveFromRecords(
    ctx,
    {
      name: `${surveyYear} 年公民科学素质抽样调查（演示）`,
      year: surveyYear,
      scoringRule: 'official-2021',
      mapping: Object.fromEntries(DEMO_SURVEY_HEADER.map((c) => [c, c])),
      lonelyPsu: 'fail',
      raking: { source: 'none' },
    },
    [...DEMO_SURVEY_HEADER],
    demoSurveyRecords(
      mulberry32(seed + 1),
      (await countyRows(db)).map((c) => c.short_name),
    ),
    { sourceFileName: '演示数据（系统生成）', demoBatchId: batchId },
  );

  await db.transaction().execute(async (trx) => {
    if ((await demoStatus(trx)).isLoaded)
      throw new AppError('INVALID_STATE', '演示数据已载入；如需重新载入，请先运行 kesu demo remove');
    const plan = await planForDemo(trx, opts.planId);
    if (!plan) throw new AppError('NOT_FOUND', '没有规划，无法生成演示数据（请先导入规划）');
    const heads = await versionHeads(trx, [plan.id]);
    const head = heads.find((h) => h.is_published === 1) ?? heads[0];
    if (!head) throw new AppError('NOT_FOUND', '该规划没有版本');
    const now = nowIso();
    await insertDemoBatch(trx, { id: batchId, seed, plan_id: plan.id, counts: '{}', created_at: now });

    // Cycles: the plan's own complete cycles before today, or eight quarters made for the demo.
    let cycles: ReportingCyclesTable[] = (await cyclesEndedBefore(trx, plan.id, today)).slice(-8);
    if (cycles.length === 0) {
      // The demo ends with the plan: past the plan period's end (its latest indicator deadline) the quarters stop there.
      const planEnd = await latestDeadline(trx, head.id);
      const quarters = lastQuarters(planEnd && today > planEnd ? addDays(planEnd, 1) : today);
      const made: ReportingCyclesTable[] = quarters.map((q, k) => {
        const last = k === quarters.length - 1;
        const state = last ? 'open' : k === quarters.length - 2 ? 'closed' : 'locked';
        const due = addDays(q.end, 15);
        return {
          id: newId(),
          plan_id: plan.id,
          version_id: head.id,
          name: q.name,
          frequency: 'quarterly',
          period_start: q.start,
          period_end: q.end,
          due_date: due,
          grace_days: 5,
          state,
          closed_at: state === 'open' ? null : at(addDays(due, 10), 9),
          locked_at: state === 'locked' ? at(addDays(due, 40), 9) : null,
          created_by: null,
          version: 1,
          created_at: at(q.start, 8),
          updated_at: at(q.start, 8),
          demo_batch_id: batchId,
        };
      });
      await insertChunks(trx, 'reporting_cycles', made);
      counts.reporting_cycles = made.length;
      cycles = made;
    }

    // What the plan asks of whom, and the reports on it.
    const versionIds = [...new Set(cycles.map((c) => c.version_id))];
    await insertReports(
      trx,
      makeDemoReports({
        cycles,
        content: await demoPlanContent(trx, versionIds),
        counties: await countyRows(trx),
        startDate: planStart(head.doc_date, cycles[0]?.period_start, today),
        rnd,
        batchId,
      }),
      counts,
    );

    // Two counties with plans of their own, on the sample plan only; the same quarters as the city's.
    const countyPlans =
      isSamplePlan(plan) && opts.counties !== false
        ? await demoCountyPlans(trx, ctx, { batchId, cityJurisdictionId: plan.jurisdiction_id, counts })
        : [];
    // 分解下达: a count of the city plan assigned to its counties with quotas; the demo counties' 科协 take it on.
    if (countyPlans.length > 0 && (await versionHeads(trx, [plan.id]))[0]?.id === head.id) {
      add(counts, await demoAllocation(trx, ctx, { versionId: head.id, countyPlans, batchId }));
    }
    for (const [k, c] of countyPlans.entries()) {
      const [countyHead] = await versionHeads(trx, [c.planId]);
      const own: ReportingCyclesTable[] = cycles.map((cycle) => ({
        ...cycle,
        id: newId(),
        plan_id: c.planId,
        version_id: c.versionId,
        created_by: null,
        version: 1,
        demo_batch_id: batchId,
      }));
      await insertChunks(trx, 'reporting_cycles', own);
      add(counts, { reporting_cycles: own.length });
      await insertReports(
        trx,
        makeDemoReports({
          cycles: own,
          content: await demoPlanContent(trx, [c.versionId]),
          // A county's per-county figures are its own.
          counties: c.governmentUnitId ? [{ id: c.governmentUnitId }] : [],
          startDate: planStart(countyHead?.doc_date, own[0]?.period_start, today),
          rnd: mulberry32(seed + 100 + k),
          batchId,
        }),
        counts,
      );
    }

    // The registries, activities, 科普经费 and content of the sample city (issue 13), over the same quarters.
    if (isSamplePlan(plan) && opts.counties !== false && plan.jurisdiction_id && cycles.length > 0) {
      add(
        counts,
        await insertDemoResources(trx, {
          seed,
          batchId,
          cityJurisdictionId: plan.jurisdiction_id,
          start: cycles[0]!.period_start,
          end: cycles[cycles.length - 1]!.period_end,
          today,
        }),
      );
    }

    await insertPreparedWave(trx, ctx, wave);
    counts.survey_waves = 1;
    await setDemoBatchCounts(trx, batchId, counts);
    await recordAudit(trx, ctx, {
      action: 'demo.load',
      entityType: 'demo_batch',
      entityId: batchId,
      after: { planId: plan.id, seed, today, counts, countyPlans: countyPlans.map((c) => c.planId) },
    });
  });
  return { batchId, counts, ms: Math.round(performance.now() - t0) };
}

/**
 * Delete exactly the demo rows, in one transaction, audited: the demo reports with everything hanging off them
 * (values, events, evidence rows — real ones too, as they belong to a demo report), then the demo cycles that no
 * real report uses, the demo's county plans with their content and their units (a demo plan or unit that real data
 * came to use stays, as real: `plans_kept`, `units_kept`), the survey wave. Nothing real is deleted: a county plan
 * imported by a county admin carries no mark. Evidence files are unlinked after the commit. Returns rows deleted per
 * table.
 */
export async function removeDemoData(
  db: Kysely<Database>,
  ctx: Ctx,
  opts: { storage?: FileStorage } = {},
): Promise<Record<string, number>> {
  const files: string[] = [];
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    const ids = await demoBatchIds(trx);
    if (ids.length === 0) throw new AppError('NOT_FOUND', '没有演示数据');
    files.push(...(await demoAttachmentPaths(trx, ids)), ...(await demoActivityFilePaths(trx, ids)));
    Object.assign(counts, await deleteDemoRows(trx, ids, UNIT_REFERENCES));
    await recordAudit(trx, ctx, {
      action: 'demo.remove',
      entityType: 'demo_batch',
      entityId: ids[0]!,
      before: { batches: ids },
      after: { deleted: counts },
    });
  });
  if (opts.storage) for (const f of files) if (isValidKey(f)) await opts.storage.delete(f);
  return counts;
}
