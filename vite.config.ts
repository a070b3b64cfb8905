import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Two pages: the consumer pages (index.html) and the console (console.html), each with its own bundle so
// the consumer pages stay small.
export default defineConfig({
  root: 'web',
  plugins: [preact()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The console bundles ECharts (about 200 kB gzip); the consumer pages stay far below their 100 kB budget (e2e checks it).
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('web/index.html', import.meta.url)),
        console: fileURLToPath(new URL('web/console.html', import.meta.url)),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
