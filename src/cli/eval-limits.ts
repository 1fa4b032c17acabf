import { InvalidArgumentError } from 'commander'

/** Parse `--eval-timeout <ms>`: whole milliseconds, 1 to 600,000. */
export function evalTimeoutArg(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 600_000)
    throw new InvalidArgumentError(`expected milliseconds from 1 to 600000, got "${value}"`)
  return n
}
