import * as path from 'node:path';
import { defineConfig } from 'vite';

// The dashboard: a static build the API serves at /app (DASHBOARD=off turns it off).
// Preact keeps the framework's share of the bundle small; JSX is compiled for it.
export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/web/app'),
    emptyOutDir: true,
  },
});
