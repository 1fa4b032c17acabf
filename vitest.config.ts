import { defineConfig } from 'vitest/config'

/** The tests that need registry, crane and cosign (the "supply" project). */
const SUPPLY_TESTS = ['test/e2e/supply-chain.test.ts']

/** Settings every project shares. */
const shared = {
  // Corpus-wide tests read hundreds of files; keep the default timeout generous but finite.
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks',
} as const

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/cluster/**', ...SUPPLY_TESTS, '**/node_modules/**'],
          // Says once when ../shared/corpus is absent (its tests skip), or fails with PALISADE_REQUIRE_CORPUS=1.
          globalSetup: ['test/corpus-setup.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'supply',
          // Tests against a real OCI registry, crane and cosign: built from the Go module proxy by this
          // project's setup when missing (only when one of these files runs), else one line says why they skip.
          include: SUPPLY_TESTS,
          globalSetup: ['test/supply-setup.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'cluster',
          // Tests against a real kube-apiserver + etcd, started once per run (only when one of these files runs):
          // built by tools/cluster/build.sh when Go is there, else one line says they are skipped and why.
          include: ['test/cluster/**/*.test.ts'],
          // One API server for all files; the admission tests install cluster-wide webhooks and VAPs, so files run one at a time.
          fileParallelism: false,
          globalSetup: ['test/cluster/global-setup.ts'],
        },
      },
    ],
  },
})
