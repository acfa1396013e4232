import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is static files the gateway serves at `/` (same origin as the API). Vite 8 compiles TSX itself, so
 * no framework plugin is needed for a production build. Routes are split with `lazy()`, so the first page loads
 * only the shell and its own page.
 */
export default defineConfig({
  root,
  base: '/',
  // Files served under fixed names: the icon, which the server-rendered pages and `/favicon.ico` use too.
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The budget that matters is gzipped JavaScript on the first page: bench/console measures it.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: { '@tessera/api': fileURLToPath(new URL('../../libs/client/src/api.d.ts', import.meta.url)) },
  },
  server: {
    proxy: {
      '/v1': 'http://127.0.0.1:3000',
      '/auth': 'http://127.0.0.1:3000',
      '/signin': 'http://127.0.0.1:3000',
    },
  },
});
