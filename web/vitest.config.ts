import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [react()],
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.ts?(x)'],
    setupFiles: ['./src/test/setup.ts'],
    // antd pages in jsdom are slow to render and query by role; a whole-page test needs more than 5 s on a busy CI.
    testTimeout: 20_000,
    // Files share a worker's module graph (antd, React, the pages): importing them afresh per file was 37% of the
    // project's time and the jsdom set-up another 18% (measured 123 s → 36 s for the 23 files on the CI machine).
    // src/test/setup.ts cleans the DOM and storage after each test, so no file sees another's leftovers.
    isolate: false,
    maxWorkers: 2,
  },
});
