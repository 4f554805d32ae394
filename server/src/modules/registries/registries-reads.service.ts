import type { ResourceKind } from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { listResourceRows } from './registries.repository';

/** What other modules may read of the registries: they come here, never to registries.repository. */
export { recognitionRows } from './registries.repository';

/**
 * Records of a registry kind in force on a day (在册: recognised, not expired, not 摘牌 — the list's own judgement)
 * in the subtree of each jurisdiction, optionally of some levels and categories: what the capacity index counts.
 * No permission check: the caller has decided the reader may see these jurisdictions.
 */
export async function registryCountsIn(
  db: Kysely<Database>,
  q: { kind: ResourceKind; levels: string[]; categories: string[]; asOf: string },
  jurisdictions: { id: string; path: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const j of jurisdictions) {
    const { total } = await listResourceRows(
      db,
      {
        kind: q.kind,
        withinPath: j.path,
        ...(q.levels.length ? { level: q.levels.join(',') } : {}),
        ...(q.categories.length ? { category: q.categories.join(',') } : {}),
        status: 'in_force',
        asOf: q.asOf,
      },
      1,
      1,
    );
    out.set(j.id, total);
  }
  return out;
}
