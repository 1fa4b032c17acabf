import { spawn } from 'node:child_process'
import { ToolError } from '../core/index.js'

/** Where and how to run git. */
export interface GitOptions {
  /** Folder to run in (any folder inside the repository). */
  cwd: string
  /** Bytes written to git's stdin. */
  input?: Uint8Array | string
  /** Exit codes that are answers, not failures (`git rev-parse --verify` exits 1 for "no such ref"). */
  okCodes?: readonly number[]
  /** The whole environment of git (default: this process's), e.g. with a private GIT_INDEX_FILE. */
  env?: Readonly<Record<string, string | undefined>>
}

/** What git printed and how it exited. */
export interface GitOutput {
  stdout: Buffer
  code: number
}

/**
 * Run the git binary and collect its output. A missing git, a signal or an exit code
 * outside `okCodes` (default: 0 only) throws GIT_FAILED with git's own message.
 * Arguments are passed as an array (no shell), and refs given by users are always
 * placed after `--end-of-options` by the callers, so a ref cannot turn into an option.
 */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? 'install git and make sure it is on PATH' : undefined
      reject(
        new ToolError('GIT_FAILED', `cannot run git ${args[0] ?? ''}`, { cause: error, ...(hint ? { hint } : {}) }),
      )
    })
    child.on('close', (code, signal) => {
      const exit = code ?? -1
      if (signal !== null || !(options.okCodes ?? [0]).includes(exit)) {
        const message = Buffer.concat(err).toString('utf8').trim().split('\n').slice(0, 3).join('; ')
        reject(
          new ToolError(
            'GIT_FAILED',
            `git ${args
              .filter((a) => !a.includes('\n'))
              .slice(0, 3)
              .join(' ')} failed (${signal ?? `exit ${exit}`})${message ? `: ${message}` : ''}`,
          ),
        )
        return
      }
      resolve({ stdout: Buffer.concat(out), code: exit })
    })
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      // git may exit before reading all of stdin (a bad ref in a batch); the exit code tells the story.
      if (error.code !== 'EPIPE')
        reject(new ToolError('GIT_FAILED', `cannot write to git ${args[0] ?? ''}`, { cause: error }))
    })
    child.stdin.end(options.input ?? '')
  })
}

/** Run git and return stdout as UTF-8 text. */
export async function gitText(args: readonly string[], cwd: string): Promise<string> {
  return (await runGit(args, { cwd })).stdout.toString('utf8')
}
