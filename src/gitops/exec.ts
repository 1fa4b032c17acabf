import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

/** Output of a finished process. */
export interface ToolRun {
  code: number
  stdout: string
  stderr: string
  /** Set when the process was killed for going over a limit: which one, in words. */
  limit?: string
}

/** What a renderer may use before it is killed. */
export interface RenderLimits {
  timeoutMs: number
  /** Bytes of standard output. */
  maxOutputBytes: number
  /** Resident memory of the process and its children, in bytes (polled). */
  maxMemoryBytes: number
}

export const DEFAULT_LIMITS: RenderLimits = {
  timeoutMs: 120_000,
  maxOutputBytes: 64 * 1024 * 1024,
  maxMemoryBytes: 1024 * 1024 * 1024,
}

/** How a renderer is started: its whole environment, the network wrapper, the limits. */
export interface Confinement {
  env: Readonly<Record<string, string>>
  /** A command and its arguments that run the renderer without network (`unshare -n`), or none. */
  wrapper: readonly string[]
  limits: RenderLimits
}

const MAX_STDERR = 64 * 1024
const MEMORY_POLL_MS = 50

/**
 * Run a renderer confined: no shell, only the environment given (nothing of Palisade's
 * own), without network when the platform allows, killed with its children when it runs too long, prints too much or holds too much memory. Resolves
 * for any exit code (the caller turns a non-zero code or a limit into a render error);
 * rejects only when it could not start.
 */
export function runConfined(
  binary: string,
  args: readonly string[],
  options: { cwd: string; confinement: Confinement },
): Promise<ToolRun> {
  const { wrapper, limits, env } = options.confinement
  const [command, ...rest] = wrapper.length > 0 ? [...wrapper, binary, ...args] : [binary, ...args]
  return new Promise((resolve, reject) => {
    // Not detached: a Ctrl-C to Palisade reaches the renderer too.
    const child = spawn(command as string, rest, {
      cwd: options.cwd,
      env: { ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    let outBytes = 0
    let err = ''
    let limit: string | undefined
    let done = false
    const kill = (why: string): void => {
      if (limit !== undefined || done) return
      limit = why
      if (child.pid !== undefined) for (const pid of descendants(child.pid)) killQuietly(pid)
      child.kill('SIGKILL')
    }
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length
      if (outBytes > limits.maxOutputBytes)
        kill(`printed more than ${formatBytes(limits.maxOutputBytes)} (output limit)`)
      else out.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < MAX_STDERR) err += chunk.toString('utf8')
    })
    const timer = setTimeout(() => kill(`ran longer than ${limits.timeoutMs / 1000} s (time limit)`), limits.timeoutMs)
    const poll = setInterval(() => {
      if (child.pid === undefined) return
      void treeMemory(child.pid).then((bytes) => {
        if (bytes > limits.maxMemoryBytes)
          kill(`used more than ${formatBytes(limits.maxMemoryBytes)} of memory (memory limit)`)
      })
    }, MEMORY_POLL_MS)
    const finish = (): void => {
      done = true
      clearTimeout(timer)
      clearInterval(poll)
    }
    child.on('error', (error) => {
      finish()
      reject(new Error(`cannot run ${binary}: ${error.message}`, { cause: error }))
    })
    child.on('close', (code, signal) => {
      finish()
      const stdout = Buffer.concat(out).toString('utf8')
      const stderr = err.slice(0, MAX_STDERR)
      if (limit !== undefined) resolve({ code: code ?? 1, stdout: '', stderr, limit })
      else
        resolve({
          code: code ?? (signal ? 1 : 0),
          stdout,
          stderr: signal ? `${stderr}\n(killed by ${signal})` : stderr,
        })
    })
  })
}

/** Every process below `pid` (kustomize runs helm), from /proc; empty where there is no /proc. */
function descendants(pid: number): number[] {
  let children: number[]
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter((p) => p !== '')
      .map(Number)
  } catch {
    return []
  }
  return children.flatMap((c) => [c, ...descendants(c)])
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** Resident memory of a process and its direct children (kustomize runs helm), from /proc. */
async function treeMemory(pid: number): Promise<number> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
  const pids = [
    pid,
    ...children
      .split(' ')
      .filter((p) => p !== '')
      .map(Number),
  ]
  let total = 0
  for (const p of pids) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '')
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status)
    if (m) total += Number(m[1]) * 1024
  }
  return total
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 * 1024
    ? `${(n / 1024 / 1024 / 1024).toFixed(n % (1024 * 1024 * 1024) === 0 ? 0 : 1)} GiB`
    : `${Math.round(n / 1024 / 1024)} MiB`
}
