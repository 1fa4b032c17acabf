/**
 * Plain-scalar resolution as kubectl does it: sigs.k8s.io/yaml decodes with go-yaml v2,
 * whose resolver (resolve.go) follows YAML 1.1 with its own twists. Transcribed from
 * go-yaml v2.4 resolve() and decode.go:
 *
 * - exact spellings: y/Y/yes/Yes/YES/true/True/TRUE/on/On/ON are true, the n/no/false/off
 *   families are false, ''/~/null/Null/NULL are null, .inf/.nan families are floats;
 * - a first character of 0-9, '+' or '-' tries, with every '_' removed first: Go's
 *   strconv.ParseInt(s, 0, 64) (0x/0o/0b prefixes, a leading 0 means octal), then
 *   ParseUint, then the float syntax `^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$` (an exponent
 *   needs its sign: `1e5` stays a string);
 * - a first character of '.' tries Go's ParseFloat (`.5`, `.5e3`);
 * - timestamps stay strings (decode.go keeps the text when decoding into interface{});
 * - base-60 numbers (`1:30`) are strings: v2 dropped them.
 */

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
])

const NULLS: ReadonlySet<string> = new Set(['', '~', 'null', 'Null', 'NULL'])

const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, -Infinity] as const),
])

/** Go's ParseInt(s, 0, 64) syntax, after go-yaml removed the underscores. */
const GO_INTEGER = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/
const GO_YAML_FLOAT = /^[-+]?[0-9]*\.?[0-9]+(?:[eE][-+][0-9]+)?$/
const GO_DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/

const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/** Value of a Go integer literal, or undefined when ParseInt and ParseUint would both fail. */
function goInteger(plain: string): number | undefined {
  const match = GO_INTEGER.exec(plain)
  if (match === null) return undefined
  const [, sign, hex, octal, binary, leadingZeroOctal, decimal] = match
  const [digits, radix] =
    hex !== undefined
      ? [hex, 16]
      : octal !== undefined
        ? [octal, 8]
        : binary !== undefined
          ? [binary, 2]
          : leadingZeroOctal !== undefined
            ? [leadingZeroOctal || '0', 8]
            : [decimal ?? '0', 10]
  const magnitude = parseInt(digits, radix)
  if (magnitude > Number.MAX_SAFE_INTEGER) {
    // ParseInt fails past int64; ParseUint then accepts up to uint64 but only without a sign.
    const big = BigInt((radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '') + digits)
    const fits = sign === '-' ? big <= INT64_MAX + 1n : sign === '+' ? big <= INT64_MAX : big <= UINT64_MAX
    if (!fits) return undefined
  }
  return sign === '-' && magnitude !== 0 ? -magnitude : magnitude
}

/** Sentinel for a scalar whose text does not fit the tag being tried. */
export const UNRESOLVED: unique symbol = Symbol('unresolved')
type Resolved<T> = T | typeof UNRESOLVED

/** null: '', ~, null, Null, NULL. */
export function goNull(source: string): Resolved<null> {
  return source.length <= 4 && NULLS.has(source) ? null : UNRESOLVED
}

/** bool: the y/yes/true/on and n/no/false/off families, in the three spellings go-yaml lists. */
export function goBool(source: string): Resolved<boolean> {
  return source.length > 5 ? UNRESOLVED : (BOOLEANS.get(source) ?? UNRESOLVED)
}

/** int: Go's ParseInt/ParseUint with base prefixes, after removing underscores. */
export function goInt(source: string): Resolved<number> {
  if (!startsLikeNumber(source.charCodeAt(0))) return UNRESOLVED
  return goInteger(source.includes('_') ? source.replaceAll('_', '') : source) ?? UNRESOLVED
}

/** float: .inf/.nan spellings, `.5`-style ParseFloat, or go-yaml's float syntax (tried after int). */
export function goFloat(source: string): Resolved<number> {
  const special = SPECIAL_FLOATS.get(source)
  if (special !== undefined) return special
  const first = source.charCodeAt(0)
  if (first === 0x2e) return GO_DOT_FLOAT.test(source) ? finiteOr(Number(source)) : UNRESOLVED
  if (!startsLikeNumber(first)) return UNRESOLVED
  const plain = source.includes('_') ? source.replaceAll('_', '') : source
  return GO_YAML_FLOAT.test(plain) ? finiteOr(Number(plain)) : UNRESOLVED
}

/** Resolve the text of an untagged plain scalar as go-yaml v2 does (null, bool, int, float, else string). */
export function resolvePlainScalar(source: string): unknown {
  for (const resolve of PLAIN_RESOLVERS) {
    const value = resolve(source)
    if (value !== UNRESOLVED) return value
  }
  return source
}

const PLAIN_RESOLVERS: readonly ((source: string) => unknown)[] = [goNull, goBool, goInt, goFloat]

/** go-yaml's resolve table sends only scalars starting with a digit or a sign to the number parsers. */
function startsLikeNumber(code: number): boolean {
  return code === 0x2b || code === 0x2d || (code >= 0x30 && code <= 0x39)
}

/** Go's ParseFloat reports out-of-range values as errors, so go-yaml keeps them as strings. */
function finiteOr(value: number): Resolved<number> {
  return Number.isFinite(value) ? value : UNRESOLVED
}

const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?(?:Z|[-+][0-9]{2}:[0-9]{2}))|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?))?$/

/** `!!timestamp`: accepted when go-yaml's time layouts parse it, and kept as the text. */
export function goTimestamp(source: string): Resolved<string> {
  return TIMESTAMP.test(source) ? source : UNRESOLVED
}

/** `!!binary`: go-yaml decodes the base64 into a Go string, which JSON then reads as UTF-8. */
export function goBinary(source: string): Resolved<string> {
  const compact = source.replace(/[\s]/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return UNRESOLVED
  const binary = atob(compact)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return new TextDecoder().decode(bytes)
}
