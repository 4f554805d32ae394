import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves web/dist in production; in development the API lives on :3000 and is proxied, so the
// session cookie stays same-origin in both.
const API = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: API, changeOrigin: false },
      '/healthz': API,
      '/readyz': API,
    },
  },
});
