import { execFile } from 'node:child_process'

/** Output of a finished process. */
export interface ToolRun {
  code: number
  stdout: string
  stderr: string
}

const MAX_OUTPUT = 256 * 1024 * 1024

/**
 * Run a binary without a shell and collect its output. Resolves for any exit code (the
 * caller turns a non-zero code into a diagnostic); rejects only when it could not start.
 */
export function runTool(binary: string, args: readonly string[], options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { cwd: options.cwd, maxBuffer: MAX_OUTPUT, timeout: options.timeoutMs ?? 120_000, encoding: 'utf8', ...(options.env ? { env: options.env } : {}) },
      (error, stdout, stderr) => {
        if (error && typeof error.code === 'string') {
          reject(new Error(`cannot run ${binary}: ${error.message}`, { cause: error }))
          return
        }
        const killed = error?.killed === true ? `\n(killed after ${options.timeoutMs ?? 120_000} ms)` : ''
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr: stderr + killed })
      },
    )
  })
}
