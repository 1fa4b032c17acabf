import { InvalidArgumentError } from 'commander'

/** Parse a size flag (`--max-file-size <bytes>`): a positive whole number of bytes. */
export function byteCountArg(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive whole number of bytes, got "${value}"`)
  return n
}
