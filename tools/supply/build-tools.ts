/**
 * `npm run supply:tools`: build the real OCI registry, crane and cosign that the
 * supply-chain tests run, from the Go module proxy, into .tools/supply/bin (git-ignored).
 * The vitest "supply" project's setup does the same on demand (test/supply-setup.ts); this
 * script builds them ahead of time. Each binary is built once and reused (cosign takes
 * minutes). Without Go it says so in one line and exits 0, and the tests skip; with
 * PALISADE_REQUIRE_SUPPLY=1 (CI) a missing Go or a failed build exits 1.
 */
import { fileURLToPath } from 'node:url'
import { ensureSupplyTools, SUPPLY_BIN } from '../../src/testing/supply-tools.js'

function main(): number {
  const required = process.env.PALISADE_REQUIRE_SUPPLY === '1'
  const why = ensureSupplyTools((line) => console.log(`supply tools: ${line}`), process.env, 'inherit')
  if (why === undefined) {
    console.log(`supply tools present in ${SUPPLY_BIN}`)
    return 0
  }
  console.log(
    `supply tools: ${why}${required ? ' (PALISADE_REQUIRE_SUPPLY=1: failing)' : '; the registry and cosign tests will skip'}`,
  )
  return required ? 1 : 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main()
