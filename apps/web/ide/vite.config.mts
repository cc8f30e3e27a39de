import * as path from 'node:path';
import { defineConfig } from 'vite';

// The local GraphQL IDE: GraphiQL from npm, bundled at build time so the page
// the API serves at GET /graphql loads nothing from any other host.
export default defineConfig({
  root: import.meta.dirname,
  base: '/graphiql/',
  // GraphiQL's dependencies warn about React directives a bundle does not need.
  logLevel: 'error',
  build: {
    outDir: path.resolve(import.meta.dirname, '../../../dist/web/ide'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
  },
});
