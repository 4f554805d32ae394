import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printTable, ROOT } from './lib';

/**
 * Issue 17's command-line figure: `kesu survey estimate` as a user runs it — the bundled command as a process, the
 * CSV read included — on 1,000,000 respondents (the `standard` fixture's 2,151 rows × 44 columns repeated, each copy
 * its own PSUs), overall + 6 breakdowns of `literate` by linearization; against R survey 4.1's estimation of the
 * same (svydesign, then svymean with deff and svyciprop "xlogit", overall and by svyby for each breakdown — what
 * kesu prints), timed inside R with system.time, the CSV read by R excluded, in the same run. PASS at ≥ 20× (aim
 * 50×). The overall estimate and SE of both are printed to 15 significant digits. BENCH_CLI_ROWS changes the size.
 */
const ROWS = Number(process.env.BENCH_CLI_ROWS ?? 1_000_000);
const BY = ['district', 'area', 'gender', 'age_group', 'education', 'group'];

export async function benchCli(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-bench-cli-'));
  try {
    const fixture = path.join(ROOT, 'fixtures/survey/standard');
    const [head, ...lines] = fs.readFileSync(path.join(fixture, 'data.csv'), 'utf8').trimEnd().split('\n');
    const header = head!.split(',').map((h) => h.replaceAll('"', ''));
    const psuAt = header.indexOf('psu');
    const file = path.join(dir, 'survey.csv');
    const out = fs.openSync(file, 'w');
    fs.writeSync(out, `${head}\n`);
    let written = 0;
    for (let copy = 0; written < ROWS; copy++) {
      let chunk = '';
      for (const line of lines) {
        if (written >= ROWS) break;
        const cells = line.split(',');
        cells[psuAt] = `"${cells[psuAt]!.replaceAll('"', '')}-${copy}"`;
        chunk += `${cells.join(',')}\n`;
        written++;
      }
      fs.writeSync(out, chunk);
    }
    fs.closeSync(out);
    const design = path.join(dir, 'design.json');
    fs.writeFileSync(
      design,
      JSON.stringify({ weights: 'w', strata: 'stratum', clusters: 'psu', lonelyPsu: 'fail' }),
    );
    const size = fs.statSync(file).size;

    const cli = path.join(ROOT, 'server/bin/kesu.js');
    const args = [cli, 'survey', 'estimate', '--data', file, '--design', design, '--json'];
    for (const b of BY) args.push('--by', b);
    const runs: number[] = [];
    let overall: { estimate: number; se: number } | null = null;
    let records = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
      runs.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`kesu survey estimate: ${r.status} ${r.stderr}`);
      const rows = JSON.parse(r.stdout) as { by: string | null; estimate: number; se: number }[];
      records = rows.length;
      overall = rows.find((x) => x.by === null) ?? null;
    }
    runs.sort((a, b) => a - b);
    const kesuMs = runs[1]!;

    let rMs: number | null = null;
    let rOverall: { estimate: number; se: number } | null = null;
    const rscript = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
    if (rscript.status === 0) {
      const script = path.join(dir, 'estimate.R');
      fs.writeFileSync(
        script,
        `suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
data <- read.csv(${JSON.stringify(file)}, fileEncoding = "UTF-8")
by <- c(${BY.map((b) => JSON.stringify(b)).join(', ')})
t <- system.time({
  d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = data)
  m <- svymean(~literate, d, deff = TRUE)
  ci <- svyciprop(~literate, d, method = "xlogit")
  for (g in by) {
    f <- as.formula(paste0("~", g))
    a <- svyby(~literate, f, d, svymean, deff = TRUE)
    b <- svyby(~literate, f, d, svyciprop, vartype = "ci", method = "xlogit")
  }
})
cat(sprintf("elapsed %.3f\\nestimate %.15g\\nse %.15g\\n", t[["elapsed"]], coef(m)[[1]], SE(m)[[1]]))
`,
      );
      const r = spawnSync('Rscript', [script], { encoding: 'utf8', maxBuffer: 16 << 20 });
      if (r.status === 0) {
        const value = (k: string) => Number(new RegExp(`${k} (\\S+)`).exec(r.stdout)?.[1]);
        rMs = value('elapsed') * 1000;
        rOverall = { estimate: value('estimate'), se: value('se') };
      } else console.log(`R failed: ${r.stderr.slice(0, 500)}`);
    }
    const ratio = rMs === null ? null : rMs / kesuMs;
    printTable(
      `kesu survey estimate, ${ROWS.toLocaleString('en')} rows × ${header.length} columns (${(size / 1024 / 1024).toFixed(0)} MB CSV), overall + ${BY.length} breakdowns, linearization`,
      [
        {
          'kesu, whole command (ms, median of 3)': Math.round(kesuMs),
          'kesu runs (ms)': runs.map(Math.round).join(' / '),
          records,
          'R survey, estimation only (ms)': rMs === null ? 'R not installed' : Math.round(rMs),
          'R ÷ kesu': ratio === null ? '—' : Number(ratio.toFixed(1)),
          'aim ≥ 20× (50×)': ratio === null ? '—' : ratio >= 20 ? 'PASS' : 'FAIL',
        },
      ],
    );
    if (overall && rOverall) {
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      console.log(
        `overall literate: kesu ${overall.estimate.toPrecision(15)} (SE ${overall.se.toPrecision(15)}), R ${rOverall.estimate.toPrecision(15)} (SE ${rOverall.se.toPrecision(15)}); relative differences ${rel(overall.estimate, rOverall.estimate).toExponential(1)}, ${rel(overall.se, rOverall.se).toExponential(1)}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
