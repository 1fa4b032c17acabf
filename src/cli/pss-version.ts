import { InvalidArgumentError } from 'commander'
import { parsePssVersion } from '../policies/index.js'

/** Parses `--pss-version`: `latest` or `v1.N`, as Pod Security Admission's version labels. */
export function pssVersionArg(value: string): string {
  if (parsePssVersion(value) === undefined)
    throw new InvalidArgumentError(`expected "latest" or "v1.N" (for example v1.25), got "${value}"`)
  return value
}
