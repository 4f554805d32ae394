import { defineProject } from 'vitest/config';

// Server tests run against real databases: SQLite always, PostgreSQL when DIALECTS includes it.
export default defineProject({
  test: {
    name: 'server',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
