import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Repository root, for paths in tests. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Run the built CLI (`npm run build` first; `npm test` does) as a user would. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {},
) {
  const child = spawnSync(process.execPath, [`${ROOT}bin/palisade.js`, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  })
  return { code: child.status, stdout: child.stdout, stderr: child.stderr }
}
