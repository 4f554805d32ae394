import { describe, expect, it } from 'vitest';
import { VALUE_FIELD, diffSnapshots, stableStringify } from './audit-diff';

describe('diffSnapshots', () => {
  it('marks changed, unchanged, added and removed fields in before-then-after order', () => {
    const rows = diffSnapshots(
      { name: '市科协', aliases: ['科协'], sortOrder: 10, regionCode: null },
      { name: '徐州市科学技术协会', aliases: ['科协'], sortOrder: 10, isActive: false },
    );
    expect(rows.map((r) => [r.field, r.kind])).toEqual([
      ['name', 'changed'],
      ['aliases', 'unchanged'],
      ['sortOrder', 'unchanged'],
      ['regionCode', 'removed'],
      ['isActive', 'added'],
    ]);
    expect(rows[0]).toMatchObject({ before: '市科协', after: '徐州市科学技术协会' });
  });

  it('treats a create (null before) as all fields added', () => {
    expect(diffSnapshots(null, { name: 'a', kind: 'county' }).map((r) => r.kind)).toEqual(['added', 'added']);
  });

  it('compares nested values by content, not key order', () => {
    const rows = diffSnapshots({ meta: { a: 1, b: [1, 2] } }, { meta: { b: [1, 2], a: 1 } });
    expect(rows[0]?.kind).toBe('unchanged');
    expect(diffSnapshots({ list: [1, 2] }, { list: [2, 1] })[0]?.kind).toBe('changed');
  });

  it('wraps scalar snapshots in one value row', () => {
    expect(diffSnapshots('a', 'b')).toEqual([
      { field: VALUE_FIELD, before: 'a', after: 'b', kind: 'changed' },
    ]);
  });
});

describe('stableStringify', () => {
  it('sorts keys at every depth', () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});
