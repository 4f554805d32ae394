/**
 * The layering rules of docs/ARCHITECTURE.md, checked by `npm run deps` (part of `npm run check` and `.ci/run`).
 * Violations that existed when a rule was introduced are listed in .dependency-cruiser-known-violations.json and
 * tolerated until fixed; any new one fails. server/src/test/dependency-rules.test.ts shows each rule firing.
 */
const NOT_TESTS = '(\\.test\\.tsx?$|\\.test-helpers\\.ts$|/test/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-other-module-repository',
      comment: 'A module reaches another module through its service, never its repository (tests may).',
      severity: 'error',
      from: { path: '^server/src/modules/([^/]+)/', pathNot: NOT_TESTS },
      to: { path: '^server/src/modules/[^/]+/[^/]+\\.repository\\.ts$', pathNot: '^server/src/modules/$1/' },
    },
    {
      name: 'sql-only-in-repositories',
      comment:
        'Raw SQL (the sql tag and other kysely values) is written in *.repository.ts and server/src/db only.',
      severity: 'error',
      from: {
        path: '^server/src/',
        pathNot: [NOT_TESTS, '\\.repository\\.ts$', '^server/src/db/', '^server/src/test/'],
      },
      to: { path: '(^|/)node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'packages-stand-alone',
      comment: 'packages/* are libraries: they never import the server, the web or the bench.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(server|web|bench|e2e)/' },
    },
    {
      name: 'web-not-server',
      comment: 'The web app talks to the server over HTTP only; shared code lives in packages/.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^server/' },
    },
    {
      name: 'routes-through-services',
      comment: 'Routes are HTTP only: they call services, never a repository.',
      severity: 'error',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'components-below-features',
      comment: 'web/src/components are generic building blocks: they never import a feature.',
      severity: 'error',
      from: { path: '^web/src/components/' },
      to: { path: '^web/src/features/' },
    },
    {
      name: 'http-below-modules',
      comment:
        'server/src/http is cross-cutting plumbing: it never imports a feature module (app.ts wires them).',
      severity: 'error',
      from: { path: '^server/src/http/', pathNot: NOT_TESTS },
      to: { path: '^server/src/modules/' },
    },
    {
      name: 'jobs-below-modules',
      comment:
        'server/src/jobs is the background job queue: it never imports a feature module (modules register their handlers on it).',
      severity: 'error',
      from: { path: '^server/src/jobs/', pathNot: NOT_TESTS },
      to: { path: '^server/src/modules/' },
    },
    {
      name: 'storage-below-modules',
      comment:
        'server/src/storage keeps uploaded files (local folder or database rows): it never imports a feature module (modules store their files in it).',
      severity: 'error',
      from: { path: '^server/src/storage/', pathNot: NOT_TESTS },
      to: { path: '^server/src/modules/' },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'No cycles between folders (modules, http, db, files, cli, web features and components): each depends one way. ' +
        'server/src itself holds both the wiring (app.ts, main.ts) and the base (errors, context), so it is left out.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(server/src/.+|web/src/.+|packages/.+)', pathNot: '/test$' },
      to: { circular: true, pathNot: '^server/src$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles between files.',
      severity: 'error',
      from: { pathNot: NOT_TESTS },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests may reach across layers (factories, fixtures); the rules are about the product code. Leaving them out
    // also keeps a test that imports a module from making its folder look circular.
    exclude: { path: ['^(server|web|packages/[^/]+)/dist/', NOT_TESTS] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
