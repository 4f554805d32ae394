import type { SurveyDesign } from '@kesu/shared';
import { StatsError } from '@kesu/stats';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeWorkerPool } from '../../files/worker-pool';
import { readRecordBatches } from './microdata.reader';
import { type CollectOptions, MicrodataCollector } from './microdata.validate';
import { CsvSyntaxError } from './microdata.reader';
import { collectMicrodata, estimateWave } from './surveys.offloop';
import { computeWaveEstimates, statsColumns } from './surveys.estimate';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-offloop-'));
afterAll(async () => {
  await closeWorkerPool();
  fs.rmSync(dir, { recursive: true, force: true });
});

const opts: CollectOptions = {
  mapping: { weight: 'w', stratum: 'h', psu: 'p', gender: 'g', literate: 'lit' },
  lonelyPsu: 'adjust',
  margins: null,
};

function writeCsv(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('survey work in the worker pool', () => {
  it('reads, validates and estimates in a worker thread with the same columns, report and estimates as here', async () => {
    let text = 'h,p,w,g,lit\n';
    for (let i = 0; i < 3000; i++)
      text += `S${i % 3},P${i % 12},${100 + (i % 7)},${i % 2 ? '男' : '女'},${i % 5 === 0 ? '' : (i * 7) % 3 === 0 ? 1 : 0}\n`;
    const okFile = writeCsv('ok.csv', text);
    const file = writeCsv('a.csv', `${text}S0,P0,-1,男,2\n`);
    const header = ['h', 'p', 'w', 'g', 'lit'];
    let lastRows = 0;
    const pooled = await collectMicrodata(file, 'csv', header, opts, (_b, rows) => {
      lastRows = rows;
    });

    const here = new MicrodataCollector(header, opts);
    let line = 2;
    let first = true;
    for await (const batch of readRecordBatches(file, 'csv')) {
      const recs = first ? batch.slice(1) : batch;
      first = false;
      here.add(recs, line);
      line += recs.length;
    }
    const expected = here.finish();
    expect(pooled.report).toEqual(expected.report);
    expect(pooled.report.errorCount).toBe(2);
    expect(lastRows).toBe(3001);
    // Built in the worker: the columns live in shared memory, so nothing was copied on the way back.
    const w = pooled.columns.weight;
    expect(w?.kind === 'num' && w.values.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(Array.from(w?.kind === 'num' ? w.values : [])).toEqual(
      Array.from(expected.columns.weight?.kind === 'num' ? expected.columns.weight.values : []),
    );

    const design: SurveyDesign = {
      weights: 'weight',
      strata: 'stratum',
      clusters: 'psu',
      fpc: null,
      lonelyPsu: 'adjust',
      raking: null,
    };
    // A StatsError crosses the thread as itself (here: the negative weight).
    const refused = await estimateWave(expected.columns, design).catch((e) => e);
    expect(refused).toBeInstanceOf(StatsError);
    expect((refused as StatsError).code).toBe('BAD_WEIGHT');
    const ok = await collectMicrodata(okFile, 'csv', header, opts);
    expect(ok.report.errorCount).toBe(0);
    const pooledEstimates = await estimateWave(ok.columns, design);
    expect(pooledEstimates.length).toBeGreaterThan(0);
    expect(pooledEstimates).toEqual(await computeWaveEstimates(statsColumns(ok.columns, design), design));
  });

  it('a malformed CSV is refused with its line, as when read here', async () => {
    const file = writeCsv('bad.csv', 'h,p,w,g,lit\nS0,P0,1,男,1\nS0,"P1,1,女,0\n');
    const err = await collectMicrodata(file, 'csv', ['h', 'p', 'w', 'g', 'lit'], opts).catch((e) => e);
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).line).toBe(3);
  });
});
