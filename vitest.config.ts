import { defineConfig } from 'vitest/config';

// One runner for the whole repository: each workspace is a project with its own environment. Every project states
// the same maxWorkers (projects that differ in it must be ordered in groups) and isolate: false (see server/vitest.config.ts).
export default defineConfig({
  test: {
    // Two test files at a time even on a 2-core machine (the default is cores − 1 = one): many wait on child processes,
    // PostgreSQL or a server they started, so CI's `npm test` and PostgreSQL suite finish sooner.
    maxWorkers: 2,
    projects: [
      {
        test: { name: 'shared', root: 'packages/shared', environment: 'node', isolate: false, maxWorkers: 2 },
      },
      { test: { name: 'stats', root: 'packages/stats', environment: 'node', isolate: false, maxWorkers: 2 } },
      {
        test: {
          name: 'plan-parser',
          root: 'packages/plan-parser',
          environment: 'node',
          isolate: false,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'indicators',
          root: 'packages/indicators',
          environment: 'node',
          isolate: false,
          maxWorkers: 2,
        },
      },
      'server/vitest.config.ts',
      'web/vitest.config.ts',
    ],
  },
});
