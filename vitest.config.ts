import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The machines are small and shared: two workers, and generous timeouts for tests that
    // spawn git, npm pack or the built CLI. Speed targets live in `npm run bench`, not here.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
  },
});
