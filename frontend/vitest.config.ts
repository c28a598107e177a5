import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      setupFiles: ['./src/test/setup.ts'],
      include: ['src/**/*.test.{ts,tsx}'],
      restoreMocks: true,
      // Page tests render a lazy route and wait for its first query; on a loaded 2-core CI box that can pass 5 s.
      testTimeout: 20_000,
      unstubGlobals: true,
      // One jsdom per worker, not per file: src/test/setup.ts resets the app's stores before each file.
      isolate: false,
    },
  }),
);
