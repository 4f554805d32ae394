import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../context';
import type { Database } from '../../db/schema';
import { nowIso } from '../../ids';
import { recordAudit } from '../audit/audit.service';
import { parsePlanText, toDraft } from './plan-document';
import { hasAnyPlan, setPublishedVersion } from './plans.repository';
import { importPlanInTrx } from './plans.service';

/**
 * The sample plan shipped with kesu: 徐州市全民科学素质行动规划实施方案 (徐政发〔2022〕13号), a public government
 * document ("此件公开发布"). server/src/modules/plans and server/dist are both two levels below server/.
 */
export function samplePlanFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../../sample'), path.resolve(here, '../sample')];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'xuzhou-2022.txt'))) ?? candidates[0]!;
  return path.join(dir, 'xuzhou-2022.txt');
}

/**
 * Import and publish the sample plan into a database that has no plan yet, so a newcomer sees a real plan at
 * once; returns the plan id, or null when a plan already exists. Runs in the caller's transaction.
 */
export async function seedSamplePlan(trx: Kysely<Database>, ctx: Ctx): Promise<string | null> {
  if (await hasAnyPlan(trx)) return null;
  const file = samplePlanFile();
  const draft = toDraft(parsePlanText(fs.readFileSync(file, 'utf8')), path.basename(file));
  const result = await importPlanInTrx(trx, ctx, {
    draft,
    planId: null,
    unitMappings: [],
    createUnknownUnits: true,
    note: '示例数据：随 kesu 提供的公开文件',
  });
  await setPublishedVersion(trx, result.plan.id, result.version.id, nowIso());
  await recordAudit(trx, ctx, {
    action: 'plan.publish',
    entityType: 'plan',
    entityId: result.plan.id,
    after: { publishedVersionId: result.version.id, sample: true },
  });
  return result.plan.id;
}
