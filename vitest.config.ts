import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the corpus and biber checks are slow; on 2 cores run two files at once
    maxWorkers: 2,
  },
});
