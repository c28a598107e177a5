import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { serviceWorker } from './pwa/swPlugin.mjs';

// The local API (Chalice on :8000) is proxied so the SPA always talks to a
// same-origin /api, exactly like behind the gateway in `make dev` and in prod.
const apiTarget = 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  // serviceWorker(): dist/sw.js with this build's precache list (production builds only).
  plugins: [solid(), tailwindcss(), serviceWorker()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: true,
    // Read by scripts/check-bundle-size.mjs to find what a first visit loads.
    manifest: true,
  },
});
