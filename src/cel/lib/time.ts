import { evalError } from '../errors.js'
import { overload, type FunctionTable, type Overload } from '../overloads.js'
import { CelDuration, CelTimestamp, splitNanos } from '../time-values.js'

/** duration() and timestamp() with their getters. Times zones: UTC, "+HH:MM" offsets, IANA names. */

const NS = 1_000_000_000n
const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: NS,
  m: 60n * NS,
  h: 3600n * NS,
}

/** Parse a Go duration string ("1h30m", "-1.5s", "300ms"). */
export function parseDuration(s: string): CelDuration {
  const fail = (): Error => evalError(`invalid duration: "${s}"`)
  let rest = s
  let sign = 1n
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1n
    rest = rest.slice(1)
  }
  if (rest === '0') return new CelDuration(0n)
  if (rest === '') throw fail()
  let total = 0n
  const part = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/
  while (rest !== '') {
    const m = part.exec(rest)
    if (m === null) throw fail()
    const [whole, int = '', frac = '', unit = ''] = m
    if (int === '' && frac === '') throw fail()
    const scale = UNITS[unit] as bigint
    total += BigInt(int || '0') * scale
    if (frac !== '') total += (BigInt(frac) * scale) / 10n ** BigInt(frac.length)
    rest = rest.slice(whole.length)
  }
  try {
    return CelDuration.of(sign * total)
  } catch {
    throw evalError(`invalid duration: "${s}" is out of range`)
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468
  const era = Math.floor(zz / 146097)
  const doe = zz - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp + (mp < 10 ? 3 : -9)
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

/** Parse an RFC 3339 timestamp ("2023-01-02T03:04:05.5Z", "...+02:00"). */
export function parseTimestamp(s: string): CelTimestamp {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s)
  const fail = (): Error => evalError(`invalid timestamp: "${s}"`)
  if (m === null) throw fail()
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const maxDay = mo === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0)
  if (mo < 1 || mo > 12 || d < 1 || d > maxDay || h > 23 || mi > 59 || sec > 59) throw fail()
  let offset = 0
  const zone = m[8] as string
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3))
    const om = Number(zone.slice(4, 6))
    if (oh > 23 || om > 59) throw fail()
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60)
  }
  const seconds = BigInt(daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset)
  const nanos = BigInt((m[7] ?? '').padEnd(9, '0') || '0')
  try {
    return CelTimestamp.of(seconds * NS + nanos)
  } catch {
    throw evalError(`invalid timestamp: "${s}" is out of range`)
  }
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>()

/** Offset from UTC, in seconds, of a time zone at a given instant. */
function zoneOffset(tz: string, seconds: number): number {
  const fixed = /^([+-])(\d{2}):(\d{2})$/.exec(tz)
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60)
  if (tz === 'UTC' || tz === 'Z') return 0
  let fmt = zoneFormats.get(tz)
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch {
      throw evalError(`invalid time zone: "${tz}"`)
    }
    if (zoneFormats.size > 64) zoneFormats.clear()
    zoneFormats.set(tz, fmt)
  }
  const parts: Record<string, number> = {}
  for (const p of fmt.formatToParts(new Date(seconds * 1000))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const local =
    daysFromCivil(parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1) * 86400 +
    (parts.hour ?? 0) * 3600 +
    (parts.minute ?? 0) * 60 +
    (parts.second ?? 0)
  return local - seconds
}

interface Fields {
  y: number
  m: number
  d: number
  dayOfWeek: number
  dayOfYear: number
  h: number
  mi: number
  s: number
  ms: number
}

function fields(t: CelTimestamp, tz = 'UTC'): Fields {
  const { seconds: big, nanos } = splitNanos(t.nanos)
  const utc = Number(big)
  const local = utc + zoneOffset(tz, utc)
  const days = Math.floor(local / 86400)
  const secs = local - days * 86400
  const { y, m, d } = civilFromDays(days)
  return {
    y,
    m,
    d,
    dayOfWeek: (((days + 4) % 7) + 7) % 7,
    dayOfYear: days - daysFromCivil(y, 1, 1),
    h: Math.floor(secs / 3600),
    mi: Math.floor((secs % 3600) / 60),
    s: secs % 60,
    ms: Math.floor(nanos / 1e6),
  }
}

const tsGetter = (get: (f: Fields) => number): Overload[] => [
  overload(['google.protobuf.Timestamp'], 'int', (t: CelTimestamp) => get(fields(t))),
  overload(['google.protobuf.Timestamp', 'string'], 'int', (t: CelTimestamp, tz: string) => get(fields(t, tz))),
]
const durGetter = (unit: bigint): Overload =>
  overload(['google.protobuf.Duration'], 'int', (d: CelDuration) => Number(d.nanos / unit))

/** Time function table. */
export const TIME_FUNCTIONS: FunctionTable = {
  duration: {
    global: [
      overload(['string'], 'google.protobuf.Duration', parseDuration),
      overload(['google.protobuf.Duration'], 'google.protobuf.Duration', (d: CelDuration) => d),
    ],
  },
  timestamp: {
    global: [
      overload(['string'], 'google.protobuf.Timestamp', parseTimestamp),
      overload(['google.protobuf.Timestamp'], 'google.protobuf.Timestamp', (t: CelTimestamp) => t),
      overload(['int'], 'google.protobuf.Timestamp', (n: number | bigint) => CelTimestamp.of(BigInt(n) * NS)),
    ],
  },
  getFullYear: { member: tsGetter((f) => f.y) },
  getMonth: { member: tsGetter((f) => f.m - 1) },
  getDate: { member: tsGetter((f) => f.d) },
  getDayOfMonth: { member: tsGetter((f) => f.d - 1) },
  getDayOfWeek: { member: tsGetter((f) => f.dayOfWeek) },
  getDayOfYear: { member: tsGetter((f) => f.dayOfYear) },
  getHours: { member: [...tsGetter((f) => f.h), durGetter(3600n * NS)] },
  getMinutes: { member: [...tsGetter((f) => f.mi), durGetter(60n * NS)] },
  getSeconds: { member: [...tsGetter((f) => f.s), durGetter(NS)] },
  getMilliseconds: { member: [...tsGetter((f) => f.ms), durGetter(1_000_000n)] },
}
