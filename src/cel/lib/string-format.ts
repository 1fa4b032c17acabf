import { evalError } from '../errors.js'
import { formatDouble, formatFixed, formatScientific, goQuote } from '../go-format.js'
import { mapGet, mapKeys } from '../maps.js'
import { overload, type FunctionTable } from '../overloads.js'
import { isMap, typeOf, unboxDouble } from '../runtime-types.js'
import { CelDuration, CelTimestamp, durationString, timestampString } from '../time-values.js'
import { CelBytes, CelType, CelUint, CelValue } from '../values.js'
import { bytesToString } from './conversions.js'

/** `"%s is %d".format([a, b])` from the cel-go strings extension (verbs %s %d %f %e %x %X %o %b). */

interface Clause {
  verb: string
  precision: number | undefined
}
type Piece = string | Clause

/** Split a format string into literal text and clauses; errors on unknown verbs. */
function parseFormat(format: string): Piece[] {
  const pieces: Piece[] = []
  let text = ''
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string
    if (ch !== '%') {
      text += ch
      continue
    }
    i++
    if (format[i] === '%') {
      text += '%'
      continue
    }
    let precision: number | undefined
    if (format[i] === '.') {
      const digits = /^[0-9]+/.exec(format.slice(i + 1))?.[0]
      if (digits === undefined) throw evalError('could not parse formatting clause: unable to find precision')
      precision = Number(digits)
      i += digits.length + 1
    }
    const verb = format[i]
    if (verb === undefined || !'sdfeExXob'.includes(verb)) {
      throw evalError(`could not parse formatting clause: unrecognized formatting clause "${verb ?? ''}"`)
    }
    if (text) pieces.push(text)
    text = ''
    pieces.push({ verb, precision })
  }
  if (text) pieces.push(text)
  return pieces
}

function isIntLike(v: unknown): v is number | bigint | CelUint {
  const t = typeOf(v)
  return t === 'int' || t === 'uint'
}

function intText(v: number | bigint | CelUint, radix: number): string {
  return (v instanceof CelUint ? v.value : v).toString(radix)
}

/** The %s rendering of a value. */
function asString(v: unknown): string {
  if (typeof v === 'string') return v
  if (isIntLike(v)) return intText(v, 10)
  if (typeOf(v) === 'double') return formatDouble(unboxDouble(v))
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (v === null || v === undefined) return 'null'
  if (v instanceof CelBytes) return bytesToString(v)
  if (v instanceof CelTimestamp) return timestampString(v.nanos)
  if (v instanceof CelDuration) return durationString(v.nanos)
  if (v instanceof CelType) return v.name
  if (Array.isArray(v)) return `[${v.map(asMember).join(', ')}]`
  if (isMap(v)) {
    const entries = mapKeys(v).map((k) => [asMember(k), asMember(mapGet(v, k))] as const)
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    return `{${entries.map(([k, x]) => `${k}:${x}`).join(', ')}}`
  }
  throw evalError(
    `string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given ${typeOf(v)}`,
  )
}

/** A value inside a list or map, rendered as a CEL literal. */
function asMember(v: unknown): string {
  if (typeof v === 'string') return goQuote(v)
  if (v instanceof CelBytes) return `b${goQuote(bytesToString(v))}`
  if (typeOf(v) === 'double') {
    const d = unboxDouble(v)
    return Number.isFinite(d) ? formatFixed(d, 6) : `"${formatFixed(d, 6)}"`
  }
  if (v instanceof CelTimestamp) return `timestamp(${goQuote(timestampString(v.nanos))})`
  if (v instanceof CelDuration) return `duration(${goQuote(durationString(v.nanos))})`
  if (v instanceof CelValue && !(v instanceof CelType) && !(v instanceof CelUint) && !isMap(v)) {
    throw evalError(`no formatting function for ${typeOf(v)}`)
  }
  return asString(v)
}

function floatArg(v: unknown, verb: string): number {
  if (typeOf(v) === 'double') return unboxDouble(v)
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  const name = verb === 'f' ? 'fixed-point' : 'scientific'
  throw evalError(`${name} clause can only be used on doubles, was given ${typeOf(v)}`)
}

function applyClause(c: Clause, v: unknown): string {
  switch (c.verb) {
    case 's':
      return asString(v)
    case 'd':
      if (isIntLike(v)) return intText(v, 10)
      throw evalError(`decimal clause can only be used on integers, was given ${typeOf(v)}`)
    case 'f':
      return formatFixed(floatArg(v, 'f'), c.precision ?? 6)
    case 'e':
      return formatScientific(floatArg(v, 'e'), c.precision ?? 6)
    case 'x':
    case 'X': {
      let hex: string
      if (isIntLike(v)) hex = intText(v, 16)
      else if (typeof v === 'string') hex = Buffer.from(v, 'utf8').toString('hex')
      else if (v instanceof CelBytes) hex = Buffer.from(v.bytes).toString('hex')
      else throw evalError(`only integers, byte buffers, and strings can be formatted as hex, was given ${typeOf(v)}`)
      return c.verb === 'X' ? hex.toUpperCase() : hex
    }
    case 'o':
      if (isIntLike(v)) return intText(v, 8)
      throw evalError(`octal clause can only be used on integers, was given ${typeOf(v)}`)
    default:
      if (isIntLike(v)) return intText(v, 2)
      if (typeof v === 'boolean') return v ? '1' : '0'
      throw evalError(`only integers and bools can be formatted as binary, was given ${typeOf(v)}`)
  }
}

function render(pieces: readonly Piece[], args: readonly unknown[]): string {
  let out = ''
  let next = 0
  for (const p of pieces) {
    if (typeof p === 'string') {
      out += p
      continue
    }
    if (next >= args.length) throw evalError(`index ${next} out of range`)
    out += applyClause(p, args[next++])
  }
  return out
}

/** String formatting function table. */
export const FORMAT_FUNCTIONS: FunctionTable = {
  format: {
    member: [
      overload(['string', 'list'], 'string', (f: string, args: unknown[]) => render(parseFormat(f), args), {
        sized: true,
        specialize: ([format]) => {
          if (format === undefined) return undefined
          const pieces = parseFormat(format.value as string)
          return (_f: unknown, args: unknown) => render(pieces, args as unknown[])
        },
      }),
    ],
  },
}
