import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Corpus-wide tests read hundreds of files; keep the default timeout generous but finite.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Says once when ../shared/corpus is absent (its tests skip), or fails with PALISADE_REQUIRE_CORPUS=1.
    globalSetup: ['test/corpus-setup.ts'],
  },
})
