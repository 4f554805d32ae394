import { describe, expect, it } from 'vitest';
import { filtersFromParams, paramsFromFilters, venueScatterOption } from './registry-filters';

describe('registry filters from the address', () => {
  it('reads the link behind a number and drops what is not valid', () => {
    const f = filtersFromParams(
      new URLSearchParams(
        'level=省级&status=in_force&asOf=2025-12-31&recognisedFrom=2022-01-01&year=2024&category=科技辅导员',
      ),
    );
    expect(f).toMatchObject({
      level: '省级',
      status: 'in_force',
      asOf: '2025-12-31',
      recognisedFrom: '2022-01-01',
      year: 2024,
      category: '科技辅导员',
      page: 1,
    });
    const bad = filtersFromParams(
      new URLSearchParams('level=乡级&status=x&asOf=2025-02-30&year=abc&pageSize=500'),
    );
    expect(bad).toEqual({ status: 'all', page: 1, pageSize: 20 });
  });

  it('writes back only what differs from the defaults', () => {
    expect(paramsFromFilters({ status: 'all', page: 1, pageSize: 20, level: '市级' })).toEqual({
      level: '市级',
    });
    expect(paramsFromFilters({ status: 'in_force', page: 2, pageSize: 20, asOf: '2025-12-31' })).toEqual({
      status: 'in_force',
      page: '2',
      asOf: '2025-12-31',
    });
  });
});

describe('venue scatter', () => {
  it('plots only venues with coordinates, one series per kind, axes around the points', () => {
    const v = (name: string, kindLabel: string, lng: number | null, lat: number | null) => ({
      id: '01J0000000000000000000000A',
      kind: 'science_base' as const,
      kindLabel,
      name,
      level: null,
      jurisdictionName: '徐州市',
      address: null,
      openingHours: null,
      longitude: lng,
      latitude: lat,
    });
    const { located, option } = venueScatterOption([
      v('甲', '科技馆', 117.2, 34.2),
      v('乙', '科普教育基地', 116.6, 34.7),
      v('丙', '科普教育基地', null, null),
    ]);
    expect(located).toBe(2);
    expect(option.series.map((s) => [s.name, s.data.length])).toEqual([
      ['科技馆', 1],
      ['科普教育基地', 1],
    ]);
    expect(option.xAxis.min).toBeLessThan(116.6);
    expect(option.xAxis.max).toBeGreaterThan(117.2);
  });
});
