import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rules of .dependency-cruiser.cjs fire: a small tree laid out like the repository, with one breach of
 * each rule and one allowed import, is cruised with the project's own rules.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

const FILES: Record<string, string> = {
  'node_modules/kysely/package.json': '{"name":"kysely","version":"0.0.0","main":"index.js"}',
  'node_modules/kysely/index.js': 'exports.sql = () => 1;',
  // another module's repository, from a service
  'server/src/modules/a/a.service.ts': "import { x } from '../b/b.repository';\nexport const s = x;\n",
  'server/src/modules/b/b.repository.ts': 'export const x = 1;\n',
  // the sql tag in a route, and a route reaching a repository
  'server/src/modules/a/a.routes.ts':
    "import { sql } from 'kysely';\nimport { y } from './a.repository';\nexport const r = [sql, y];\n",
  // allowed: the sql tag in a repository
  'server/src/modules/a/a.repository.ts': "import { sql } from 'kysely';\nexport const y = sql;\n",
  // plumbing reaching a module
  'server/src/http/h.ts': "import { x } from '../modules/b/b.repository';\nexport const h = x;\n",
  // the job queue reaching a module
  'server/src/jobs/j.ts': "import { x } from '../modules/b/b.repository';\nexport const j = x;\n",
  // the file storage reaching a module
  'server/src/storage/s.ts': "import { x } from '../modules/b/b.repository';\nexport const s = x;\n",
  // a generic component reaching a feature; a feature reaching the server
  'web/src/components/c.tsx': "import { f } from '../features/f/f.api';\nexport const c = f;\n",
  'web/src/features/f/f.api.ts': 'export const f = 1;\n',
  'web/src/features/f/g.ts':
    "import { x } from '../../../../server/src/modules/b/b.repository';\nexport const g = x;\n",
  // a library reaching the web
  'packages/p/src/index.ts': "import { f } from '../../../web/src/features/f/f.api';\nexport const p = f;\n",
  // two folders needing each other through different files (no file cycle)
  'server/src/modules/c/one.ts': "import { d1 } from '../d/one';\nexport const c1 = d1;\n",
  'server/src/modules/d/one.ts': 'export const d1 = 1;\n',
  'server/src/modules/d/two.ts': "import { c2 } from '../c/two';\nexport const d2 = c2;\n",
  'server/src/modules/c/two.ts': 'export const c2 = 2;\n',
  // a cycle
  'server/src/lib/c1.ts': "import { c2 } from './c2';\nexport const c1 = () => c2;\n",
  'server/src/lib/c2.ts': "import { c1 } from './c1';\nexport const c2 = () => c1;\n",
};

let dir = '';
let result: ICruiseResult;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-deps-'));
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const reporterOutput = await cruise(['server', 'web', 'packages'], {
    ruleSet: { forbidden: config.forbidden ?? [] },
    exclude: config.options?.exclude ?? {},
    validate: true,
    baseDir: dir,
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  });
  result = reporterOutput.output as ICruiseResult;
}, 60_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('layering rules', () => {
  const broken = () => result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

  it('each rule fires on its breach', () => {
    const rules = new Set(result.summary.violations.map((v) => v.rule.name));
    expect([...rules].sort()).toEqual(
      [
        'components-below-features',
        'http-below-modules',
        'jobs-below-modules',
        'no-circular',
        'no-folder-cycles',
        'no-other-module-repository',
        'packages-stand-alone',
        'routes-through-services',
        'sql-only-in-repositories',
        'storage-below-modules',
        'web-not-server',
      ].sort(),
    );
    expect(broken()).toContain(
      'no-other-module-repository: server/src/modules/a/a.service.ts → server/src/modules/b/b.repository.ts',
    );
    expect(broken()).toContain(
      'sql-only-in-repositories: server/src/modules/a/a.routes.ts → node_modules/kysely/index.js',
    );
  });

  it('a cycle between folders fires even without a cycle between files', () => {
    const folders = result.folders?.filter((f) => f.name.startsWith('server/src/modules/')) ?? [];
    const violations = result.summary.violations.filter((v) => v.rule.name === 'no-folder-cycles');
    expect(violations.map((v) => `${v.from} → ${v.to}`).sort()).toEqual([
      'server/src/modules/c → server/src/modules/d',
      'server/src/modules/d → server/src/modules/c',
    ]);
    expect(folders.length).toBeGreaterThan(0);
  });

  it('a repository may write SQL', () => {
    expect(broken().filter((b) => b.includes('a.repository.ts →'))).toEqual([]);
  });
});

/**
 * Queries are built in repositories (and server/src/db): a service, route or helper that calls the query builder
 * itself fails here.
 */
describe('queries only in repositories', () => {
  const STILL_TO_MOVE = new Set<string>();
  const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(/;

  it('no query builder call outside *.repository.ts and server/src/db', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        const rel = path.relative(ROOT, full);
        if (e.isDirectory()) {
          if (!['db', 'test'].includes(e.name) || !rel.startsWith('server/src/')) walk(full);
          continue;
        }
        if (!/\.tsx?$/.test(e.name) || /\.test\.tsx?$|\.repository\.ts$/.test(e.name)) continue;
        if (QUERY.test(fs.readFileSync(full, 'utf8')) && !STILL_TO_MOVE.has(rel)) found.push(rel);
      }
    };
    walk(path.join(ROOT, 'server/src'));
    expect(found).toEqual([]);
  });
});

/**
 * A ChangeMark's `deletedOnlyWith` is a promise about the code: rows of that table are deleted nowhere but where the
 * other table's rows go too. The overview cache's fingerprint relies on it (db/change-mark.ts).
 */
describe('deletions the cache fingerprint relies on', () => {
  it('progress reports are deleted only by the demo removal (which deletes its demo_batches row)', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (
          /\.ts$/.test(e.name) &&
          !/\.test\.ts$/.test(e.name) &&
          !full.includes(`${path.sep}migrations${path.sep}`)
        ) {
          if (/deleteFrom\(\s*['"]progress_reports['"]/.test(fs.readFileSync(full, 'utf8'))) {
            found.push(path.relative(ROOT, full));
          }
        }
      }
    };
    walk(path.join(ROOT, 'server/src'));
    expect(found).toEqual(['server/src/modules/demo/demo.repository.ts']);
    const demo = fs.readFileSync(path.join(ROOT, 'server/src/modules/demo/demo.repository.ts'), 'utf8');
    expect(demo).toMatch(/deleteFrom\('demo_batches'\)/);
  });
});
