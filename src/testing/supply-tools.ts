import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findGo } from './kube-apiserver.js'

/** Where the supply project's test setup (and `npm run supply:tools`) builds registry, crane and cosign (git-ignored). */
export const SUPPLY_BIN = fileURLToPath(new URL('../../.tools/supply/bin/', import.meta.url))

/** Pinned versions: go-containerregistry serves registry and crane, Cosign v2 keeps the .sig tag layout. */
export const SUPPLY_TOOLS = [
  { name: 'registry', module: 'github.com/google/go-containerregistry/cmd/registry@v0.22.1' },
  { name: 'crane', module: 'github.com/google/go-containerregistry/cmd/crane@v0.22.1' },
  { name: 'cosign', module: 'github.com/sigstore/cosign/v2/cmd/cosign@v2.6.5' },
] as const

/** The supply tools not built yet. */
export function missingSupplyTools(): string[] {
  return SUPPLY_TOOLS.filter((t) => !existsSync(path.join(SUPPLY_BIN, t.name))).map((t) => t.name)
}

/**
 * Build registry, crane and cosign into .tools/supply/bin when they are missing (`go install`
 * from the Go module proxy; a no-op when present; cosign takes minutes the first time).
 * Returns why they could not be built (no Go, a failed build), or undefined when they are ready.
 * `log` gets one line per tool built; `stdio` is where go's own output goes.
 */
export function ensureSupplyTools(
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
  stdio: 'inherit' | 'pipe' = 'pipe',
): string | undefined {
  const missing = SUPPLY_TOOLS.filter((t) => !existsSync(path.join(SUPPLY_BIN, t.name)))
  if (missing.length === 0) return undefined
  const go = findGo(env)
  if (!go)
    return `${missing.map((t) => t.name).join(', ')} not built and go is not installed (set GO or put go on PATH)`
  mkdirSync(SUPPLY_BIN, { recursive: true })
  for (const tool of missing) {
    const started = Date.now()
    log(`go install ${tool.module}`)
    const run = spawnSync(go, ['install', tool.module], {
      stdio: ['ignore', stdio, stdio],
      encoding: 'utf8',
      env: { ...env, GOBIN: SUPPLY_BIN, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    })
    if (run.status !== 0) {
      const tail = `${run.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ')
      return `building ${tool.name} failed (exit ${run.status ?? run.signal})${tail ? `: ${tail}` : ''}`
    }
    log(`${tool.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  return undefined
}

/** The one line printed when the registry and cosign tests are skipped. */
export function supplySkipLine(why: string): string {
  return `skipped: ${why}; the registry and cosign tests need them (set PALISADE_REQUIRE_SUPPLY=1 to make this an error)`
}

/** Run one of the supply tools; the environment keeps cosign away from the network and the user's home. */
export function runTool(
  name: 'crane' | 'cosign',
  args: readonly string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(path.join(SUPPLY_BIN, name), args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/nonexistent', ...env },
    timeout: 120_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A real in-memory OCI registry (go-containerregistry) on the loopback interface. */
export async function startRegistry(): Promise<{ host: string; stop(): void }> {
  const child: ChildProcess = spawn(path.join(SUPPLY_BIN, 'registry'), ['-port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => reject(new Error(`registry did not start: ${text}`)), 30_000)
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      const m = /serving on port (\d+)/.exec(text)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.on('exit', (code) => reject(new Error(`registry exited (${code}): ${text}`)))
  })
  child.stderr?.resume()
  return { host: `127.0.0.1:${port}`, stop: () => child.kill() }
}
