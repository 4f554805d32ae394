import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanDraft } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { parsePlanText, toDraft } from './plan-document';
import { hasAnyPlan } from './plans.repository';
import { importPlanInTrx, publishImportedVersionInTrx } from './plans.service';

/**
 * A document of server/sample/: the sample plan shipped with kesu, 徐州市全民科学素质行动规划实施方案 (徐政发〔2022〕13号),
 * a public government document ("此件公开发布"), and the demo's invented county 实施方案. server/src/modules/plans and
 * server/dist are both two levels below server/.
 */
export function sampleFile(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../../sample'), path.resolve(here, '../sample')];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, name))) ?? candidates[0]!;
  return path.join(dir, name);
}

const SAMPLE_PLAN = 'xuzhou-2022.txt';

export function samplePlanFile(): string {
  return sampleFile(SAMPLE_PLAN);
}

/** A document of server/sample/ parsed into the draft an admin would import from the preview. */
export function sampleDraft(name: string): PlanDraft {
  const file = sampleFile(name);
  return toDraft(parsePlanText(fs.readFileSync(file, 'utf8')), path.basename(file));
}

let sampleDocNumber: string | null | undefined;

/** Whether a plan is the sample plan: it carries the sample document's 发文字号 (徐政发〔2022〕13号). */
export function isSamplePlan(plan: { doc_number: string | null }): boolean {
  sampleDocNumber ??= sampleDraft(SAMPLE_PLAN).docNumber;
  return sampleDocNumber !== null && plan.doc_number === sampleDocNumber;
}

/**
 * Import and publish the sample plan into a database that has no plan yet, so a newcomer sees a real plan at
 * once; returns the plan id, or null when a plan already exists. Runs in the caller's transaction.
 */
export async function seedSamplePlan(trx: Kysely<Database>, ctx: Ctx): Promise<string | null> {
  if (await hasAnyPlan(trx)) return null;
  const draft = sampleDraft(SAMPLE_PLAN);
  const result = await importPlanInTrx(trx, ctx, {
    draft,
    planId: null,
    unitMappings: [],
    createUnknownUnits: true,
    note: '示例数据：随 kesu 提供的公开文件',
  });
  await publishImportedVersionInTrx(trx, ctx, result.plan.id, result.version.id, { sample: true });
  return result.plan.id;
}
