import { systemCtx } from '../context';
import { newId } from '../ids';
import { insertUnit } from '../modules/units/units.service';
import type { TestEnv } from './env';
import { call } from './reporting-factory';

/** The jurisdictions the city admin reads, id by name (徐州市, 丰县, …). */
export async function jurisdictionIds(e: TestEnv, cityCookie: string): Promise<Map<string, string>> {
  const r = await call(e.app, cityCookie, 'GET', '/api/v1/jurisdictions');
  if (r.statusCode !== 200) throw new Error(`jurisdictions: ${r.statusCode} ${r.body}`);
  return new Map((r.json().items as { id: string; name: string }[]).map((j) => [j.name, j.id]));
}

/** An admin account of the named county: its session cookie and the county's id. */
export async function countyAdmin(
  e: TestEnv,
  cityCookie: string,
  county: string,
): Promise<{ cookie: string; jurisdictionId: string }> {
  const jurisdictionId = (await jurisdictionIds(e, cityCookie)).get(county);
  if (!jurisdictionId) throw new Error(`no jurisdiction named ${county}`);
  return { cookie: (await e.makeUser('admin', { jurisdictionId })).cookie, jurisdictionId };
}

/**
 * Put the test database's city under a province (江苏省 as the new root), with a second city (宿迁市, no plan yet),
 * each city standing in the province's plan for its government unit (kind 设区市). Paths are rewritten as a real
 * move would; returns the ids by name.
 */
export async function underProvince(e: TestEnv): Promise<Map<string, string>> {
  const db = e.db.kysely;
  const now = new Date().toISOString();
  const province = newId();
  await db.transaction().execute(async (trx) => {
    const city = await trx
      .selectFrom('jurisdictions')
      .select(['id', 'path'])
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const row = (
      id: string,
      code: string,
      name: string,
      level: string,
      parent: string | null,
      path: string,
    ) => ({
      id,
      code,
      name,
      short_name: name,
      level,
      parent_id: parent,
      path,
      government_unit_id: null,
      sort_order: 0,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    await trx
      .insertInto('jurisdictions')
      .values(row(province, '320000', '江苏省', 'province', null, `/${province}/`))
      .execute();
    for (const j of await trx
      .selectFrom('jurisdictions')
      .select(['id', 'path'])
      .where('id', '!=', province)
      .execute()) {
      await trx
        .updateTable('jurisdictions')
        .set({ path: `/${province}${j.path}` })
        .where('id', '=', j.id)
        .execute();
    }
    await trx.updateTable('jurisdictions').set({ parent_id: province }).where('id', '=', city.id).execute();
    const suqian = newId();
    await trx
      .insertInto('jurisdictions')
      .values({
        ...row(suqian, '321300', '宿迁市', 'city', province, `/${province}/${suqian}/`),
        sort_order: 2,
      })
      .execute();
    for (const [jid, name] of [
      [city.id, '徐州市人民政府'],
      [suqian, '宿迁市人民政府'],
    ] as const) {
      const unit = await insertUnit(trx, systemCtx(), {
        kind: 'city',
        name,
        shortName: name.replace('人民政府', ''),
        aliases: [],
        regionCode: null,
        sortOrder: 1,
        jurisdictionId: province,
      });
      await trx
        .updateTable('jurisdictions')
        .set({ government_unit_id: unit.id })
        .where('id', '=', jid)
        .execute();
    }
  });
  const rows = await db.selectFrom('jurisdictions').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}
