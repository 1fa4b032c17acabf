import { DEFAULT_EVAL_COST, DEFAULT_EVAL_TIMEOUT_MS, type EvalLimits } from '../engine/index.js'

/** The limits of one user policy on one resource: Kubernetes' CEL cost budget and `--eval-timeout` (default 2 s) of wall-clock time. */
export function evalLimits(timeoutMs: number | undefined): EvalLimits {
  return { cost: DEFAULT_EVAL_COST, timeoutMs: timeoutMs ?? DEFAULT_EVAL_TIMEOUT_MS, clock: () => performance.now() }
}
