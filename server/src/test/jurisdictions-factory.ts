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
