import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ColumnMapping, SurveyRole, WaveImport } from '@kesu/shared';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { systemCtx } from '../context';
import type { Database } from '../db/schema';
import { DEMO_SURVEY_HEADER, demoSurveyRecords } from '../modules/demo/demo-survey';
import { mulberry32 } from '../modules/demo/demo.service';
import { insertPreparedWave, prepareWaveFromRecords } from '../modules/surveys/surveys.service';
import { ORIGIN } from './env';

/** Test helpers for survey uploads. The R reference cases live in the repository's fixtures/ (copied from the reference set). */
export const FIXTURES = fileURLToPath(new URL('../../../fixtures/survey/', import.meta.url));
export const CASES = ['standard', 'stratified', 'lonely-missing'] as const;

export interface FixtureDesign {
  weights: string;
  strata: string | null;
  clusters: string | null;
  lonelyPsu: 'fail' | 'adjust';
  raking: {
    margins: { variable: string; totals: Record<string, number> }[];
    maxIter: number;
    epsilon: number;
  };
}

export interface ExpectedRecord {
  method: 'linearization' | 'raking' | 'jkn';
  by: string | null;
  domain: string | null;
  variable: string;
  n: number;
  estimate: number;
  se: number;
  ciLow?: number;
  ciHigh?: number;
  deff: number;
}

export function loadFixture(name: string) {
  const dir = `${FIXTURES}${name}/`;
  return {
    csv: fs.readFileSync(`${dir}data.csv`),
    design: JSON.parse(fs.readFileSync(`${dir}design.json`, 'utf8')) as FixtureDesign,
    expected: JSON.parse(fs.readFileSync(`${dir}expected.json`, 'utf8')) as ExpectedRecord[],
  };
}

const CATEGORY_ROLES: SurveyRole[] = ['district', 'area', 'gender', 'age_group', 'education', 'group'];

/** The import a fixture's design.json describes: its columns mapped to roles, its raking margins by role. */
export function importOf(design: FixtureDesign, overrides: Partial<WaveImport> = {}): WaveImport {
  const mapping: ColumnMapping = { weight: design.weights, literate: 'literate', score: 'score', age: 'age' };
  if (design.strata) mapping.stratum = design.strata;
  if (design.clusters) mapping.psu = design.clusters;
  for (const role of CATEGORY_ROLES) mapping[role] = role;
  return {
    name: '测试轮次',
    year: 2024,
    scoringRule: 'official-2021',
    mapping,
    lonelyPsu: design.lonelyPsu,
    raking: {
      source: 'explicit',
      margins: design.raking.margins,
      maxIter: design.raking.maxIter,
      epsilon: design.raking.epsilon,
    },
    ...overrides,
  };
}

/** A multipart/form-data body with one file field, as a browser's FormData sends it. */
export async function multipart(fileName: string, content: Buffer | string) {
  const fd = new FormData();
  fd.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), fileName);
  const req = new Request('http://localhost/', { method: 'POST', body: fd });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    contentType: req.headers.get('content-type') ?? '',
  };
}

export async function uploadFile(
  app: FastifyInstance,
  cookie: string,
  fileName: string,
  content: Buffer | string,
) {
  const { payload, contentType } = await multipart(fileName, content);
  return app.inject({
    method: 'POST',
    url: '/api/v1/surveys/uploads',
    headers: { cookie, origin: ORIGIN, 'content-type': contentType },
    payload,
  });
}

/** Start an import and poll until it is done or failed; returns the final upload. */
export async function importAndWait(
  app: FastifyInstance,
  cookie: string,
  uploadId: string,
  body: WaveImport,
) {
  const start = await app.inject({
    method: 'POST',
    url: `/api/v1/surveys/uploads/${uploadId}/import`,
    headers: { cookie, origin: ORIGIN },
    payload: body,
  });
  if (start.statusCode !== 202) throw new Error(`import refused: ${start.statusCode} ${start.body}`);
  const until = Date.now() + 60_000;
  for (;;) {
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/surveys/uploads/${uploadId}`,
      headers: { cookie },
    });
    const u = r.json();
    if (u.status === 'done' || u.status === 'failed') return u;
    if (Date.now() > until) throw new Error(`import did not finish: ${r.body}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/**
 * A survey wave of generated microdata (the demo's generator), validated, estimated and stored as an upload would be,
 * unpublished; returns its id (its version is 1).
 */
export async function insertGeneratedWave(
  db: Kysely<Database>,
  opts: { name: string; year: number; seed: number },
): Promise<string> {
  const wave = await prepareWaveFromRecords(
    systemCtx(),
    {
      name: opts.name,
      year: opts.year,
      scoringRule: 'official-2021',
      mapping: Object.fromEntries(DEMO_SURVEY_HEADER.map((c) => [c, c])),
      lonelyPsu: 'fail',
      raking: { source: 'none' },
    },
    [...DEMO_SURVEY_HEADER],
    demoSurveyRecords(mulberry32(opts.seed), ['甲区', '乙县']),
    { sourceFileName: 'test.csv', demoBatchId: null },
  );
  await db.transaction().execute((trx) => insertPreparedWave(trx, systemCtx(), wave));
  return wave.wave.id;
}
