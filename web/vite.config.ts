import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** Where `npm run dev -w web` proxies /graphql (HTTP and graphql-ws): a running gateway. */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

/**
 * The web app: `vite build` writes web/dist (hashed assets under /assets, served by the gateway's
 * web-app module); `vite` serves it with hot reload and proxies /graphql to the gateway, so the
 * browser sees one origin as in production. The SDK comes from its sources (the workspace's
 * `development` export), so no SDK build step is needed.
 */
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['development'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Lets a strict CSP keep `script-src 'self'`: no inline module-preload polyfill.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    proxy: { '/graphql': { target: gateway, ws: true, changeOrigin: false } },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
