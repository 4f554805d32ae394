// Bundles the server (and the workspace packages it imports as TypeScript source) into dist/cli.js (with shared
// chunks dist/chunk-*.js), and the PDF
// reading worker into dist/pdf-worker.js and the office-file worker into dist/office-worker.js, the plan parser for long
// texts into dist/plan-parse-worker.js, the surveys module's pool tasks into dist/surveys-worker.js and the documents
// module's (docx packing) into dist/documents-worker.js and the exports' xlsx writing into dist/table-export-worker.js
// (files/worker-pool.ts) (a Worker thread is started from a path:
// src/modules/plans/plan-document-pdf.ts, src/files/office-reader.ts, src/modules/plans/plan-document.ts), and the
// second half of a large CSV of `kesu survey estimate` into dist/survey-read-worker.js (src/cli/survey-csv.ts).
// Third-party packages stay external and load from node_modules at run time; every @kesu/* workspace package is
// TypeScript source and is bundled in, found through its package.json "exports" — no list to keep up to date.
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// `node build.mjs [outdir]`: the tests' global setup bundles into its own folder (src/test/cli-bundle.setup.ts).
const outdir = process.argv[2] ?? 'dist';
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !name.startsWith('@kesu/'));

// Chunk names carry a hash: start from an empty folder so old chunks do not pile up.
rmSync(new URL(`./${outdir}/`, import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: fileURLToPath(new URL('.', import.meta.url)),
  entryPoints: {
    cli: 'src/cli/index.ts',
    'pdf-worker': 'src/modules/plans/plan-pdf.worker.ts',
    'office-worker': 'src/files/office.worker.ts',
    'plan-parse-worker': 'src/modules/plans/plan-parse.worker.ts',
    'surveys-worker': 'src/modules/surveys/surveys.worker.ts',
    'documents-worker': 'src/modules/documents/documents.worker.ts',
    'table-export-worker': 'src/modules/exchange/table-export.worker.ts',
    'survey-read-worker': 'src/cli/survey-read.worker.ts',
  },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // Shared code in chunks: `kesu survey` (src/cli/index.ts) imports only the statistics, not the whole server.
  splitting: true,
  sourcemap: true,
  external,
  logLevel: 'warning',
});
