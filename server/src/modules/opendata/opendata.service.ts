import {
  JURISDICTION_LEVEL_LABELS,
  type JurisdictionLevel,
  OPEN_DATA_FORMATS,
  OPEN_DATA_LATEST,
  OPEN_DATA_LICENCE,
  type OpenDataCatalogue,
  type OpenDataDocument,
  type OpenDataEntry,
  type OpenDataFileParams,
  type OpenDataFormat,
  type OpenDataJurisdiction,
} from '@kesu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { type ExportTable, toCsv, toXlsx } from '../exchange/table-export';
import { findJurisdiction, jurisdictionOfCode } from '../jurisdictions/jurisdictions.service';
import { OPEN_DATASETS, type OpenDataEnv, type OpenDataset, type OpenEdition } from './open-datasets';

const BASE = '/api/v1/public/open-data';

/** How a csv file carries what a bare table cannot: the one rule, said in the catalogue and docs/ARCHITECTURE.md. */
export const CSV_NOTE =
  'CSV 只含数据表（UTF-8 带 BOM，首行为中文列名）；数据截至日期在响应头 X-Open-Data-As-Of，期别在 X-Open-Data-Period，统计方法、来源和许可见本目录或同一地址的 .json / .xlsx（“说明”工作表）。';

interface Place {
  id: string;
  info: OpenDataJurisdiction;
}

/** A level's URL key: its GB/T 2260 code, or its id when it has none (function zones). */
async function placeOf(
  db: Kysely<Database>,
  id: string,
  cache: Map<string, Place | null>,
): Promise<Place | null> {
  if (cache.has(id)) return cache.get(id) ?? null;
  const row = await findJurisdiction(db, id);
  const place = row
    ? {
        id: row.id,
        info: {
          key: row.code ?? row.id,
          name: row.name,
          level: JURISDICTION_LEVEL_LABELS[row.level as JurisdictionLevel] ?? row.level,
          depth: row.path.split('/').filter(Boolean).length - 1,
        },
      }
    : null;
  cache.set(id, place);
  return place;
}

function links(place: OpenDataJurisdiction, dataset: string, period: string) {
  const stem = `${BASE}/${encodeURIComponent(place.key)}/${dataset}/${encodeURIComponent(period)}`;
  return Object.fromEntries(OPEN_DATA_FORMATS.map((f) => [f, `${stem}.${f}`])) as Record<
    OpenDataFormat,
    string
  >;
}

/** Every dataset of every level with something published, the top level first, with its periods and URLs. */
export async function openDataCatalogue(
  env: OpenDataEnv,
  rateLimitPerMinute: number,
): Promise<OpenDataCatalogue> {
  const cache = new Map<string, Place | null>();
  const items: OpenDataEntry[] = [];
  for (const d of OPEN_DATASETS) {
    const byPlace = new Map<string, OpenEdition[]>();
    for (const e of await d.editions(env))
      byPlace.set(e.jurisdictionId, [...(byPlace.get(e.jurisdictionId) ?? []), e]);
    for (const [id, editions] of byPlace) {
      const place = await placeOf(env.db, id, cache);
      if (!place) continue;
      items.push({
        dataset: d.key,
        title: d.title,
        description: d.description,
        method: d.method,
        source: d.source,
        jurisdiction: place.info,
        periods: editions.map((e) => ({
          period: e.period,
          label: e.label,
          asOf: e.asOf,
          urls: links(place.info, d.key, e.period),
        })),
        latest: links(place.info, d.key, OPEN_DATA_LATEST),
      });
    }
  }
  const order = new Map(OPEN_DATASETS.map((d, i) => [d.key, i]));
  items.sort(
    (a, b) =>
      a.jurisdiction.depth - b.jurisdiction.depth ||
      a.jurisdiction.name.localeCompare(b.jurisdiction.name, 'zh-CN') ||
      (order.get(a.dataset) ?? 0) - (order.get(b.dataset) ?? 0),
  );
  return { licence: OPEN_DATA_LICENCE, rateLimitPerMinute, csvNote: CSV_NOTE, items };
}

/** The level of a URL key: a code names the level holding it; an id only a level without a code. */
async function resolvePlace(db: Kysely<Database>, key: string): Promise<Place | null> {
  const cache = new Map<string, Place | null>();
  const byCode = /^\d{6,12}$/.test(key) ? await jurisdictionOfCode(db, key) : null;
  const place = await placeOf(db, byCode?.id ?? key, cache);
  return place && place.info.key === key ? place : null;
}

/** One edition as the JSON document every format is made from. Unknown or unpublished → 404 (alike). */
export async function openDataDocument(env: OpenDataEnv, p: OpenDataFileParams): Promise<OpenDataDocument> {
  const dataset: OpenDataset | undefined = OPEN_DATASETS.find((d) => d.key === p.dataset);
  if (!dataset) throw new AppError('NOT_FOUND', `没有名为“${p.dataset}”的开放数据集，请查看开放数据目录`);
  const place = await resolvePlace(env.db, p.jurisdiction);
  if (!place) throw new AppError('NOT_FOUND', `没有代码为“${p.jurisdiction}”的行政区划`);
  const editions = (await dataset.editions(env)).filter((e) => e.jurisdictionId === place.id);
  const edition = p.period === OPEN_DATA_LATEST ? editions[0] : editions.find((e) => e.period === p.period);
  const missing = () =>
    new AppError('NOT_FOUND', `${place.info.name}“${dataset.title}”没有“${p.period}”这一期已发布的数据`);
  if (!edition) throw missing();
  const table = await dataset.read(env, edition);
  if (!table) throw missing();
  return {
    dataset: dataset.key,
    title: dataset.title,
    jurisdiction: place.info,
    period: edition.period,
    periodLabel: edition.label,
    asOf: table.asOf,
    method: dataset.method,
    source: dataset.source,
    licence: OPEN_DATA_LICENCE,
    columns: table.columns,
    rows: table.rows,
  };
}

export interface OpenDataFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** The file name people see: 徐州市-规划实施总体情况-2024-12-31.csv. */
export function openDataFileName(doc: OpenDataDocument, format: OpenDataFormat): string {
  return `${doc.jurisdiction.name}-${doc.title}-${doc.period}.${format}`.replace(/[\\/:*?"<>|]/g, '_');
}

/** csv and xlsx through exchange's table writer (formula-injection guard, BOM); xlsx with the 说明 sheet. */
export async function renderOpenData(doc: OpenDataDocument, format: 'csv' | 'xlsx'): Promise<OpenDataFile> {
  const table: ExportTable<Record<string, string | number | null>> = {
    title: doc.title,
    columns: doc.columns.map((c) => ({
      header: c.label,
      value: (r) => r[c.key] ?? null,
      width: c.type === 'text' ? 24 : 14,
    })),
    rows: doc.rows,
    notes: [
      ['数据集', doc.title],
      ['地区', doc.jurisdiction.name],
      ['期别', `${doc.periodLabel}（${doc.period}）`],
      ['数据截至', doc.asOf],
      ['统计方法', doc.method],
      ['来源', doc.source],
      ['许可', doc.licence],
      ['列说明', doc.columns.map((c) => `${c.label}（${c.key}）`).join('；')],
    ],
  };
  if (format === 'csv') {
    return {
      body: toCsv(table),
      contentType: 'text/csv; charset=utf-8',
      fileName: openDataFileName(doc, 'csv'),
    };
  }
  return {
    body: await toXlsx(table),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: openDataFileName(doc, 'xlsx'),
  };
}
