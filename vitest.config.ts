import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // timeouts only catch hangs: no test should be near them, even on a machine three times slower
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // the corpus and biber checks are slow; on 2 cores run two files at once
    maxWorkers: 2,
  },
});
