import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where `npm run supply:tools` builds registry, crane and cosign (git-ignored). */
export const SUPPLY_BIN = fileURLToPath(new URL('../../.tools/supply/bin/', import.meta.url))

/**
 * True when registry, crane and cosign are built. When they are not: false (the tests
 * skip, and say so in one line), or with PALISADE_REQUIRE_SUPPLY=1 (CI) an error.
 */
export function hasSupplyTools(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const missing = ['registry', 'crane', 'cosign'].filter((t) => !existsSync(path.join(SUPPLY_BIN, t)))
  if (missing.length === 0) return true
  if (env.PALISADE_REQUIRE_SUPPLY === '1')
    throw new Error(
      `PALISADE_REQUIRE_SUPPLY=1 but ${missing.join(', ')} missing in ${SUPPLY_BIN}: run npm run supply:tools`,
    )
  process.stderr.write(
    `palisade tests: ${missing.join(', ')} not built (npm run supply:tools needs Go): the registry and cosign tests are skipped\n`,
  )
  return false
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
