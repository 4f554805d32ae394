import fs from 'node:fs';
import path from 'node:path';
import { defineProject } from 'vitest/config';

/**
 * The test files that open a database per dialect (test/env.ts). `DB_SUITE=1` runs only these: the PostgreSQL suite
 * (`npm run test:pg`) has no reason to run again the tests that never open PostgreSQL (parsers, CLI on SQLite, …).
 */
function databaseTestFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (
        e.name.endsWith('.test.ts') &&
        /describeEachDialect|openTestDatabase|DIALECTS/.test(fs.readFileSync(full, 'utf8'))
      )
        out.push(path.relative(root, full));
    }
  };
  walk(path.join(root, 'src'));
  return out.sort();
}

// Server tests run against real databases: SQLite always, PostgreSQL when DIALECTS includes it.
export default defineProject({
  test: {
    name: 'server',
    environment: 'node',
    include: process.env.DB_SUITE === '1' ? databaseTestFiles(import.meta.dirname) : ['src/**/*.test.ts'],
    globalSetup: ['src/test/cli-bundle.setup.ts'],
    // Files share a worker's module graph: each file importing the whole app afresh (Fastify, Kysely, exceljs, docx,
    // pdf.js …) was a third of the time (measured on 10 files: 36 s → 13 s; the whole project on SQLite then ran in
    // 218 s). Every test opens its own database and app, and caches are keyed by the database they read.
    // The PostgreSQL suite keeps isolation: once, with files sharing workers, surveys.test.ts's raking-margins case
    // failed on PostgreSQL only after other files had run in its worker (alone it passes); not yet understood.
    isolate: process.env.DB_SUITE !== '1',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
