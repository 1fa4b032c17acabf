import { evalError } from '../errors.js'
import { normInt } from '../numbers.js'
import { overload, type FunctionTable } from '../overloads.js'
import { CelValue } from '../values.js'

/** The Kubernetes semver library: strict semver.org 2.0.0 parsing, optional normalisation. */

/** A semantic version. Build metadata is kept but ignored when comparing. */
export class Semver extends CelValue {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
    readonly build: readonly string[],
  ) {
    super()
  }
  get celType(): string {
    return 'kubernetes.Semver'
  }
  equals(other: unknown): boolean {
    return other instanceof Semver && compareSemver(this, other) === 0
  }
  toJs(): unknown {
    const pre = this.pre.length > 0 ? `-${this.pre.join('.')}` : ''
    const build = this.build.length > 0 ? `+${this.build.join('.')}` : ''
    return `${this.major}.${this.minor}.${this.patch}${pre}${build}`
  }
}

const NUMBER = /^(0|[1-9][0-9]*)$/
const IDENT = /^[0-9A-Za-z-]+$/
const MAX_UINT64 = 2n ** 64n - 1n

/** Parse a version strictly (no "v" prefix, all three components). */
export function parseSemver(s: string): Semver {
  const fail = (why: string): Error => evalError(`invalid semantic version "${s}": ${why}`)
  let rest = s
  let build: string[] = []
  const plus = rest.indexOf('+')
  if (plus >= 0) {
    build = rest.slice(plus + 1).split('.')
    rest = rest.slice(0, plus)
    if (build.some((b) => !IDENT.test(b))) throw fail('invalid build metadata')
  }
  let pre: string[] = []
  const dash = rest.indexOf('-')
  if (dash >= 0) {
    pre = rest.slice(dash + 1).split('.')
    rest = rest.slice(0, dash)
    if (pre.some((p) => !IDENT.test(p) || (/^[0-9]+$/.test(p) && !NUMBER.test(p)))) throw fail('invalid prerelease')
  }
  const parts = rest.split('.')
  if (parts.length !== 3) throw fail('expected major.minor.patch')
  const nums = parts.map((p) => {
    if (!NUMBER.test(p)) throw fail(`invalid number "${p}"`)
    const n = BigInt(p)
    if (n > MAX_UINT64) throw fail(`number "${p}" out of range`)
    return n
  }) as [bigint, bigint, bigint]
  return new Semver(nums[0], nums[1], nums[2], pre, build)
}

/** Parse with normalisation: drop a "v" prefix, fill minor/patch, strip leading zeros. */
export function parseSemverNormalized(s: string): Semver {
  const parts = (s.startsWith('v') ? s.slice(1) : s).split('.')
  const head = parts.slice(0, 2)
  const rest = parts.slice(2).join('.')
  const all = parts.length > 2 ? [...head, rest] : head
  const trimmed = all.map((p) => {
    if (p.length <= 1) return p
    const t = p.replace(/^0+/, '')
    return t === '' || !/^[0-9]/.test(t) ? `0${t}` : t
  })
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1] ?? ''))
      throw evalError(`invalid semantic version "${s}": short version cannot contain PreRelease/Build meta data`)
    while (trimmed.length < 3) trimmed.push('0')
  }
  return parseSemver(trimmed.join('.'))
}

function compareIdent(a: string, b: string): number {
  const an = /^[0-9]+$/.test(a)
  const bn = /^[0-9]+$/.test(b)
  if (an && bn) {
    const x = BigInt(a)
    const y = BigInt(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (an !== bn) return an ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** semver.org precedence: -1, 0, 1. */
export function compareSemver(a: Semver, b: Semver): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1
  }
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const c = compareIdent(a.pre[i] as string, b.pre[i] as string)
    if (c !== 0) return c
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1
}

const test = (parse: (s: string) => unknown, s: string): boolean => {
  try {
    parse(s)
    return true
  } catch {
    return false
  }
}

const S = 'kubernetes.Semver'

/** Semver function table. */
export const SEMVER_FUNCTIONS: FunctionTable = {
  semver: {
    global: [
      overload(['string'], S, parseSemver),
      overload(['string', 'bool'], S, (s: string, n: boolean) => (n ? parseSemverNormalized(s) : parseSemver(s))),
    ],
  },
  isSemver: {
    global: [
      overload(['string'], 'bool', (s: string) => test(parseSemver, s)),
      overload(['string', 'bool'], 'bool', (s: string, n: boolean) => test(n ? parseSemverNormalized : parseSemver, s)),
    ],
  },
  major: { member: [overload([S], 'int', (v: Semver) => normInt(v.major))] },
  minor: { member: [overload([S], 'int', (v: Semver) => normInt(v.minor))] },
  patch: { member: [overload([S], 'int', (v: Semver) => normInt(v.patch))] },
  isGreaterThan: { member: [overload([S, S], 'bool', (a: Semver, b: Semver) => compareSemver(a, b) > 0)] },
  isLessThan: { member: [overload([S, S], 'bool', (a: Semver, b: Semver) => compareSemver(a, b) < 0)] },
  compareTo: { member: [overload([S, S], 'int', compareSemver)] },
}
