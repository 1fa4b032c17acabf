import { InvalidArgumentError } from 'commander'
import { DEFAULT_EVAL_COST, DEFAULT_EVAL_TIMEOUT_MS, type EvalLimits } from '../engine/index.js'

/** Parse `--eval-timeout <ms>`: whole milliseconds, 1 to 600,000. */
export function evalTimeoutArg(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 600_000) throw new InvalidArgumentError(`expected milliseconds from 1 to 600000, got "${value}"`)
  return n
}

/** The limits of one user policy on one resource: Kubernetes' CEL cost budget and `--eval-timeout` (default 2 s) of wall-clock time. */
export function evalLimits(timeoutMs: number | undefined): EvalLimits {
  return { cost: DEFAULT_EVAL_COST, timeoutMs: timeoutMs ?? DEFAULT_EVAL_TIMEOUT_MS, clock: () => performance.now() }
}
