import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Training tests share two cores; running files in parallel only slows each one down.
    fileParallelism: false,
  },
});
