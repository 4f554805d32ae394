import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

// Frozen in time: this file never imports app code.
// Jurisdictions (行政区划): a tree (province → city → counties and function zones), each running its own plan with its
// own units and users. Units, users and plans belong to one. An existing database is Xuzhou's (the registry kesu
// seeds): its rows move into the city 徐州市 (320300), whose counties and zones become its children, each linked to the
// unit that stands for it in the city's plan (丰县人民政府 for 丰县). Nothing else changes.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let last = 0;
let seq = 0;
/** A ULID made here (migrations import no app code): time, then a random part, increasing within a millisecond. */
function ulid(): string {
  let now = Date.now();
  if (now <= last) {
    now = last;
    seq += 1;
  } else {
    seq = 0;
  }
  last = now;
  let t = now;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(16);
  let rest = '';
  for (let i = 0; i < 12; i++) rest += ALPHABET[rnd[i]! % 32];
  const s = seq
    .toString(32)
    .toUpperCase()
    .padStart(4, '0')
    .replace(/[ILOU]/g, '0');
  return time + rest + s.slice(-4);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jurisdictions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('jurisdictions.id'))
    /** '/<root id>/…/<own id>/': a subtree is every path starting with its root's. */
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('government_unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(1000))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jurisdictions_parent_idx').on('jurisdictions').column('parent_id').execute();
  for (const table of ['units', 'users', 'plans']) {
    await db.schema
      .alterTable(table)
      .addColumn('jurisdiction_id', 'text', (c) => c.references('jurisdictions.id'))
      .execute();
    await db.schema.createIndex(`${table}_jurisdiction_idx`).on(table).column('jurisdiction_id').execute();
  }

  const count = async (table: string) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  if ((await count('units')) + (await count('users')) + (await count('plans')) === 0) return;

  const now = new Date().toISOString();
  const cityId = ulid();
  await db
    .insertInto('jurisdictions')
    .values({
      id: cityId,
      code: '320300',
      name: '徐州市',
      short_name: '徐州市',
      level: 'city',
      parent_id: null,
      path: `/${cityId}/`,
      government_unit_id: null,
      sort_order: 0,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const below = await db
    .selectFrom('units')
    .select(['id', 'kind', 'short_name', 'region_code', 'sort_order'])
    .where('kind', 'in', ['county', 'zone'])
    .where('merged_into_id', 'is', null)
    .orderBy('sort_order')
    .execute();
  for (const u of below) {
    const id = ulid();
    await db
      .insertInto('jurisdictions')
      .values({
        id,
        code: u.region_code ?? null,
        name: u.short_name,
        short_name: u.short_name,
        level: u.kind === 'county' ? 'county' : 'zone',
        parent_id: cityId,
        path: `/${cityId}/${id}/`,
        government_unit_id: u.id,
        sort_order: u.sort_order,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  for (const table of ['units', 'users', 'plans']) {
    await db.updateTable(table).set({ jurisdiction_id: cityId }).execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['units', 'users', 'plans']) {
    await db.schema.dropIndex(`${table}_jurisdiction_idx`).execute();
    await db.schema.alterTable(table).dropColumn('jurisdiction_id').execute();
  }
  await db.schema.dropTable('jurisdictions').execute();
}
