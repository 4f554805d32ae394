import {
  isCalendarDate,
  type PublicVenue,
  REGISTRY_STATUSES,
  RESOURCE_KINDS,
  RESOURCE_LEVELS,
  type RegistryStatusFilter,
  type ResourceKind,
} from '@kesu/shared';

/** A registry page's filters, as the list query sends them and the address bar keeps them. */
export interface RegistryFilters {
  jurisdictionId?: string;
  /** One level, or several separated by commas (from an indicator's link). */
  level?: string;
  category?: string;
  status: RegistryStatusFilter;
  asOf?: string;
  recognisedFrom?: string;
  year?: number;
  q?: string;
  parentId?: string;
  page: number;
  pageSize: number;
}

export const DEFAULT_FILTERS: RegistryFilters = { status: 'all', page: 1, pageSize: 20 };

export function isResourceKind(v: string | undefined): v is ResourceKind {
  return v !== undefined && (RESOURCE_KINDS as readonly string[]).includes(v);
}

/**
 * The filters of an address such as `/registries/demo_school?level=省级&status=in_force&asOf=2025-12-31`, so other
 * pages link to "the records behind a number". Values that are not valid are dropped, never sent.
 */
export function filtersFromParams(params: URLSearchParams): RegistryFilters {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const f: RegistryFilters = { ...DEFAULT_FILTERS };
  const level = get('level');
  if (level?.split(',').every((l) => (RESOURCE_LEVELS as readonly string[]).includes(l))) f.level = level;
  const status = get('status');
  if (status && (REGISTRY_STATUSES as readonly string[]).includes(status))
    f.status = status as RegistryStatusFilter;
  for (const k of ['asOf', 'recognisedFrom'] as const) {
    const d = get(k);
    if (d && isCalendarDate(d)) f[k] = d;
  }
  const year = Number(get('year'));
  if (Number.isInteger(year) && year >= 2000 && year <= 2100) f.year = year;
  for (const k of ['category', 'jurisdictionId', 'q', 'parentId'] as const) {
    const v = get(k);
    if (v) f[k] = v;
  }
  const page = Number(get('page'));
  if (Number.isInteger(page) && page >= 1) f.page = page;
  const size = Number(get('pageSize'));
  if (Number.isInteger(size) && size >= 1 && size <= 100) f.pageSize = size;
  return f;
}

/** The address bar's parameters of some filters (defaults left out). */
export function paramsFromFilters(f: RegistryFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(toQuery(f))) {
    if (v === undefined) continue;
    if (k === 'status' && v === 'all') continue;
    if (k === 'page' && v === 1) continue;
    if (k === 'pageSize' && v === 20) continue;
    out[k] = String(v);
  }
  return out;
}

/** The list query of some filters (blank ones left out). */
export function toQuery(f: RegistryFilters): Record<string, string | number | undefined> {
  return {
    jurisdictionId: f.jurisdictionId,
    level: f.level,
    category: f.category,
    status: f.status,
    asOf: f.asOf,
    recognisedFrom: f.recognisedFrom,
    year: f.year,
    q: f.q,
    parentId: f.parentId,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** Whether any filter narrows the list (for the empty state's wording). */
export function isFiltered(f: RegistryFilters): boolean {
  return Boolean(
    f.jurisdictionId ||
      f.level ||
      f.category ||
      f.status !== 'all' ||
      f.recognisedFrom ||
      f.year ||
      f.q ||
      f.parentId,
  );
}

/**
 * The scatter of venues on longitude/latitude axes (no map tiles): one series per kind, axes fitted to the points
 * with a margin, equal degrees not forced. Venues without coordinates are left out (the list still shows them).
 */
export function venueScatterOption(venues: PublicVenue[]) {
  const located = venues.filter((v) => v.longitude !== null && v.latitude !== null);
  const lngs = located.map((v) => v.longitude as number);
  const lats = located.map((v) => v.latitude as number);
  const pad = (lo: number, hi: number) => Math.max((hi - lo) * 0.1, 0.05);
  const range = (xs: number[]) => {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const p = pad(lo, hi);
    return { min: Math.floor((lo - p) * 10) / 10, max: Math.ceil((hi + p) * 10) / 10 };
  };
  const kinds = [...new Set(located.map((v) => v.kindLabel))];
  return {
    located: located.length,
    option: {
      tooltip: { trigger: 'item' as const, formatter: '{b}' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: {
        type: 'value' as const,
        name: '经度',
        ...(lngs.length ? range(lngs) : {}),
        axisLabel: { formatter: '{value}°' },
      },
      yAxis: {
        type: 'value' as const,
        name: '纬度',
        ...(lats.length ? range(lats) : {}),
        axisLabel: { formatter: '{value}°' },
      },
      series: kinds.map((k) => ({
        type: 'scatter' as const,
        name: k,
        symbolSize: 12,
        data: located
          .filter((v) => v.kindLabel === k)
          .map((v) => ({
            name: `${v.name}（${v.jurisdictionName}）`,
            value: [v.longitude as number, v.latitude as number],
          })),
      })),
    },
  };
}
