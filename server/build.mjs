// Bundles the server (and the workspace packages it imports as TypeScript source) into dist/cli.js.
// Third-party packages stay external and load from node_modules at run time.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  packages: 'external',
  // Workspace packages are source, not built: bundle them in.
  alias: {
    '@kesu/shared': '../packages/shared/src/index.ts',
    '@kesu/stats': '../packages/stats/src/index.ts',
    '@kesu/plan-parser': '../packages/plan-parser/src/index.ts',
    '@kesu/indicators': '../packages/indicators/src/index.ts',
  },
  logLevel: 'warning',
});
