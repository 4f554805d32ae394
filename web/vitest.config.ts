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
  },
});
