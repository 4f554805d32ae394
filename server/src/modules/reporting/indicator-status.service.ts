import type { IndicatorStatus, IndicatorStatusQuery } from '@kesu/shared';
import type { Kysely } from 'kysely';
import { authorize } from '../../authorize';
import { type Ctx, isAtRoot, readsJurisdiction } from '../../context';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { planJurisdictionPath } from '../plans/plan-reads.service';
import { evaluatePlan, indicatorStatusOf } from '../progress/progress.service';
import { canReadSurveys } from '../surveys/surveys.policy';
import { canReadIndicatorStatus } from './reporting.policy';

/**
 * The indicator page: the plan's evaluation (progress/progress.service.ts) for a cycle or an as-of date, every
 * indicator with the rule and sentence behind it and the reports behind each value, and the task tree's completion.
 * Unpublished survey waves count only for those who may read the surveys module.
 */
export async function getIndicatorStatus(
  db: Kysely<Database>,
  ctx: Ctx,
  q: IndicatorStatusQuery,
  now: Date = new Date(),
): Promise<IndicatorStatus> {
  authorize(ctx, canReadIndicatorStatus);
  // The root's staff read every plan; a county's staff the plans of the county (another county's is not found).
  if (!isAtRoot(ctx.user) && !readsJurisdiction(ctx.user, await planJurisdictionPath(db, q.planId))) {
    throw new AppError('NOT_FOUND', '规划不存在');
  }
  const evaluation = await evaluatePlan(
    db,
    { planId: q.planId, cycleId: q.cycleId, asOf: q.asOf, publishedSurveysOnly: !canReadSurveys(ctx.user) },
    now,
  );
  return indicatorStatusOf(evaluation);
}
