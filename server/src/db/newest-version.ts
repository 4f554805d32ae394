import { type RawBuilder, sql } from 'kysely';

/**
 * `v` (a plan_versions row, aliased v) is the newest version of its plan. The same text on both engines; the query
 * that uses it must alias plan_versions as `v`.
 */
export const isNewestPlanVersion: RawBuilder<boolean> = sql<boolean>`v.number = (select max(w.number) from plan_versions w where w.plan_id = v.plan_id)`;
