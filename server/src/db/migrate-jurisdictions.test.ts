import { expect, it } from 'vitest';
import { systemCtx } from '../context';
import { loadDemoData } from '../modules/demo/demo.service';
import { evaluatePlan, indicatorStatusOf } from '../modules/progress/progress.service';
import { DIALECTS, openTestDatabase } from '../test/env';
import { samplePlanId, typedIndicators } from '../test/plans-factory';
import { BACKUP_TABLES, listTables } from './backup';
import { migrateDown, migrateToLatest } from './migrate';

/**
 * Migration 0130 on an existing database (the demo one, as it was before jurisdictions): every row stays, every figure
 * the dashboard is made from stays, and units, accounts and plans all land in the city, whose counties and zones
 * become its children.
 */
for (const dialect of DIALECTS) {
  it(`[${dialect}] moves an existing demo database into the city with no loss`, async () => {
    const t = await openTestDatabase(dialect);
    try {
      const db = t.db.kysely;
      const planId = await samplePlanId(db);
      // Reported figures are what must survive the move; registry bindings (migration 0170) did not exist before 0130.
      await typedIndicators(db);
      const figures = async () => {
        const e = await evaluatePlan(db, { planId, asOf: '2025-09-30', publishedSurveysOnly: false });
        const s = indicatorStatusOf(e);
        return {
          counts: s.counts,
          overall: s.overall,
          indicators: s.indicators.map((i) => [i.actual, i.status]),
        };
      };
      // The demo as an older kesu made it: the city's only (no county plans, nothing assigned down).
      await loadDemoData(db, systemCtx(), { planId, today: '2025-12-20', counties: false });
      // The figures are taken with the code of today, which reads tables of later migrations: before going back.
      const figuresBefore = await figures();
      // Back to the schema before 0130 (undoing what came after it too): the database as an older kesu left it.
      const undone: string[] = [];
      while (!undone.includes('0130-jurisdictions')) undone.push(...(await migrateDown(t.db)));

      // The tables of the older schema (those made by 0130 and later are not there yet).
      const present = new Set(await listTables(t.db));
      const counts = async () => {
        const out: Record<string, number> = {};
        for (const table of BACKUP_TABLES) {
          if (
            !present.has(table) ||
            table === 'jurisdictions' ||
            table === 'task_links' ||
            table === 'allocations'
          )
            continue;
          const r = await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow();
          out[table] = Number(r.n);
        }
        return out;
      };
      const before = { rows: await counts(), figures: figuresBefore };

      expect(await migrateToLatest(t.db)).toEqual([...undone].reverse());
      expect(await counts()).toEqual(before.rows);
      expect(await figures()).toEqual(before.figures);

      const tree = await db.selectFrom('jurisdictions').selectAll().orderBy('sort_order').execute();
      const city = tree.find((j) => j.parent_id === null)!;
      expect(city).toMatchObject({ code: '320300', name: '徐州市', level: 'city' });
      expect(tree.filter((j) => j.level === 'county').map((j) => j.code)).toHaveLength(10);
      expect(tree.find((j) => j.code === '320321')).toMatchObject({ name: '丰县', parent_id: city.id });
      for (const table of ['units', 'users', 'plans'] as const) {
        const stray = await db
          .selectFrom(table)
          .select('id')
          .where('jurisdiction_id', 'is distinct from', city.id)
          .execute();
        expect(stray, table).toEqual([]);
      }
    } finally {
      await t.cleanup();
    }
  });
}
