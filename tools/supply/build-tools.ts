/**
 * `npm run supply:tools`: build the real OCI registry, crane and cosign that the
 * supply-chain tests run, from the Go module proxy, into .tools/supply/bin (git-ignored).
 * Each binary is built once and reused (Go builds are heavy: cosign takes minutes).
 * Without Go it says so in one line and exits 0, and the tests skip; with
 * PALISADE_REQUIRE_SUPPLY=1 (CI) a missing Go or a failed build exits 1.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const SUPPLY_BIN = join(ROOT, '.tools', 'supply', 'bin')

/** Pinned versions: go-containerregistry serves registry and crane, Cosign v2 keeps the .sig tag layout. */
export const SUPPLY_TOOLS = [
  { name: 'registry', module: 'github.com/google/go-containerregistry/cmd/registry@v0.22.1' },
  { name: 'crane', module: 'github.com/google/go-containerregistry/cmd/crane@v0.22.1' },
  { name: 'cosign', module: 'github.com/sigstore/cosign/v2/cmd/cosign@v2.6.5' },
] as const

function findGo(): string | undefined {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    const r = spawnSync(candidate, ['version'], { encoding: 'utf8' })
    if (r.status === 0) return candidate
  }
  return undefined
}

function main(): number {
  const required = process.env.PALISADE_REQUIRE_SUPPLY === '1'
  const missing = SUPPLY_TOOLS.filter((t) => !existsSync(join(SUPPLY_BIN, t.name)))
  if (missing.length === 0) {
    console.log(`supply tools present in ${SUPPLY_BIN}`)
    return 0
  }
  const go = findGo()
  if (!go) {
    console.log(
      `supply tools: Go not found; the registry and cosign tests will skip${required ? ' (PALISADE_REQUIRE_SUPPLY=1: failing)' : ''}`,
    )
    return required ? 1 : 0
  }
  mkdirSync(SUPPLY_BIN, { recursive: true })
  for (const tool of missing) {
    console.log(`supply tools: go install ${tool.module}`)
    const r = spawnSync(go, ['install', tool.module], {
      stdio: 'inherit',
      env: { ...process.env, GOBIN: SUPPLY_BIN, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    })
    if (r.status !== 0) {
      console.error(`supply tools: building ${tool.name} failed (exit ${r.status ?? r.signal})`)
      return 1
    }
  }
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main()
