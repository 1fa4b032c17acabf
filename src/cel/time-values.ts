import { evalError } from './errors.js'
import { CelValue } from './values.js'

/** Durations and timestamps, both held as exact nanosecond counts. */

const NS_PER_S = 1_000_000_000n
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z in Unix nanoseconds. */
export const MIN_TIMESTAMP_NS = -62135596800n * NS_PER_S
export const MAX_TIMESTAMP_NS = 253402300800n * NS_PER_S - 1n

/** A google.protobuf.Duration, limited to int64 nanoseconds as in cel-go. */
export class CelDuration extends CelValue {
  constructor(readonly nanos: bigint) {
    super()
  }
  /** A duration, or an error when outside the int64-nanosecond range. */
  static of(nanos: bigint): CelDuration {
    if (nanos < INT64_MIN || nanos > INT64_MAX) throw evalError('duration out of range')
    return new CelDuration(nanos)
  }
  get celType(): string {
    return 'google.protobuf.Duration'
  }
  equals(other: unknown): boolean {
    return other instanceof CelDuration && other.nanos === this.nanos
  }
  override compareTo(other: unknown): number | undefined {
    if (!(other instanceof CelDuration)) return undefined
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0
  }
  toJs(): unknown {
    return durationString(this.nanos)
  }
}

/** A google.protobuf.Timestamp between years 1 and 9999. */
export class CelTimestamp extends CelValue {
  constructor(readonly nanos: bigint) {
    super()
  }
  /** A timestamp, or an error when outside years 1..9999. */
  static of(nanos: bigint): CelTimestamp {
    if (nanos < MIN_TIMESTAMP_NS || nanos > MAX_TIMESTAMP_NS) throw evalError('timestamp out of range')
    return new CelTimestamp(nanos)
  }
  get celType(): string {
    return 'google.protobuf.Timestamp'
  }
  equals(other: unknown): boolean {
    return other instanceof CelTimestamp && other.nanos === this.nanos
  }
  override compareTo(other: unknown): number | undefined {
    if (!(other instanceof CelTimestamp)) return undefined
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0
  }
  toJs(): unknown {
    return timestampString(this.nanos)
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q
}

/** Seconds and nanoseconds (0..1e9-1) of a Unix-nanosecond count. */
export function splitNanos(nanos: bigint): { seconds: bigint; nanos: number } {
  const seconds = floorDiv(nanos, NS_PER_S)
  return { seconds, nanos: Number(nanos - seconds * NS_PER_S) }
}

function fraction(nanos: number): string {
  return nanos === 0 ? '' : `.${nanos.toString().padStart(9, '0').replace(/0+$/, '')}`
}

/** cel-go's string(duration): seconds with an 's' suffix ("3600s", "1.5s"). */
export function durationString(nanos: bigint): string {
  const negative = nanos < 0n
  const abs = negative ? -nanos : nanos
  return `${negative ? '-' : ''}${abs / NS_PER_S}${fraction(Number(abs % NS_PER_S))}s`
}

/** RFC 3339 in UTC with the fraction trimmed, as string(timestamp) gives it. */
export function timestampString(nanos: bigint): string {
  const { seconds, nanos: frac } = splitNanos(nanos)
  const date = new Date(Number(seconds) * 1000)
  const y = date.getUTCFullYear()
  const pad = (n: number, w = 2): string => n.toString().padStart(w, '0')
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  return `${pad(y, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${time}${fraction(frac)}Z`
}

export function addDurations(a: CelDuration, b: CelDuration): CelDuration {
  return CelDuration.of(a.nanos + b.nanos)
}
export function subDurations(a: CelDuration, b: CelDuration): CelDuration {
  return CelDuration.of(a.nanos - b.nanos)
}
export function addToTimestamp(t: CelTimestamp, d: CelDuration): CelTimestamp {
  return CelTimestamp.of(t.nanos + d.nanos)
}
export function subFromTimestamp(t: CelTimestamp, d: CelDuration): CelTimestamp {
  return CelTimestamp.of(t.nanos - d.nanos)
}
export function timestampDifference(a: CelTimestamp, b: CelTimestamp): CelDuration {
  return CelDuration.of(a.nanos - b.nanos)
}
