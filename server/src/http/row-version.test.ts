import { expect, it } from 'vitest';
import { describeEachDialect, ORIGIN } from '../test/env';

/** A row version beyond the integer column reached PostgreSQL and answered 500 (found by the fuzz walk). */
describeEachDialect('row versions at the boundary', (env) => {
  it('refuses versions that are not positive integers up to 10⁹ with a 400', async () => {
    const { cookie } = await env().makeUser('admin');
    const unit = await env().makeUnit();
    for (const version of [-9007199254740986, 0, 1_000_000_001, 2_147_483_648, 1.5]) {
      const r = await env().app.inject({
        method: 'POST',
        url: `/api/v1/units/${unit.id}/deactivate`,
        headers: { cookie, origin: ORIGIN },
        payload: { version },
      });
      expect(r.statusCode, `${version}: ${r.body}`).toBe(400);
    }
    const stale = await env().app.inject({
      method: 'POST',
      url: `/api/v1/units/${unit.id}/deactivate`,
      headers: { cookie, origin: ORIGIN },
      payload: { version: 1_000_000_000 },
    });
    expect(stale.statusCode).toBe(409);
  });
});
