import { evalError } from '../errors.js'
import { formatDouble } from '../go-format.js'
import {
  intFromDouble,
  INT64_MAX,
  normInt,
  parseDoubleString,
  parseIntString,
  parseUintString,
  uintFromDouble,
} from '../numbers.js'
import { overload, type FunctionTable } from '../overloads.js'
import { durationString, splitNanos, timestampString, type CelDuration, type CelTimestamp } from '../time-values.js'
import { CelBytes, CelUint } from '../values.js'

/** Type conversions: int(), uint(), double(), string(), bytes(), bool(). */

type Int = number | bigint

const utf8 = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/** Decode UTF-8 bytes, failing on invalid sequences as cel-go does. */
export function bytesToString(b: CelBytes): string {
  try {
    return utf8.decode(b.bytes)
  } catch {
    throw evalError('invalid UTF-8 in bytes, cannot convert to string')
  }
}

/** Encode a string as UTF-8 bytes. */
export function stringToBytes(s: string): CelBytes {
  return new CelBytes(encoder.encode(s))
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/** Conversion function table. */
export const CONVERSION_FUNCTIONS: FunctionTable = {
  int: {
    global: [
      overload(['int'], 'int', (v: Int) => v),
      overload(['uint'], 'int', (v: CelUint) => {
        if (v.value > INT64_MAX) throw evalError('integer overflow')
        return normInt(v.value)
      }),
      overload(['double'], 'int', (v: number) => intFromDouble(v)),
      overload(['string'], 'int', (v: string) => parseIntString(v)),
      overload(['google.protobuf.Timestamp'], 'int', (t: CelTimestamp) => normInt(splitNanos(t.nanos).seconds)),
      overload(['google.protobuf.Duration'], 'int', (d: CelDuration) => normInt(d.nanos)),
    ],
  },
  uint: {
    global: [
      overload(['uint'], 'uint', (v: CelUint) => v),
      overload(['int'], 'uint', (v: Int) => {
        if (v < 0) throw evalError('unsigned integer overflow')
        return new CelUint(BigInt(v))
      }),
      overload(['double'], 'uint', (v: number) => uintFromDouble(v)),
      overload(['string'], 'uint', (v: string) => parseUintString(v)),
    ],
  },
  double: {
    global: [
      overload(['double'], 'double', (v: number) => v),
      overload(['int'], 'double', (v: Int) => Number(v)),
      overload(['uint'], 'double', (v: CelUint) => Number(v.value)),
      overload(['string'], 'double', (v: string) => parseDoubleString(v)),
    ],
  },
  string: {
    global: [
      overload(['string'], 'string', (v: string) => v),
      overload(['int'], 'string', (v: Int) => v.toString()),
      overload(['uint'], 'string', (v: CelUint) => v.value.toString()),
      overload(['double'], 'string', (v: number) => formatDouble(v)),
      overload(['bool'], 'string', (v: boolean) => (v ? 'true' : 'false')),
      overload(['bytes'], 'string', (v: CelBytes) => bytesToString(v)),
      overload(['google.protobuf.Timestamp'], 'string', (t: CelTimestamp) => timestampString(t.nanos)),
      overload(['google.protobuf.Duration'], 'string', (d: CelDuration) => durationString(d.nanos)),
    ],
  },
  bytes: {
    global: [
      overload(['bytes'], 'bytes', (v: CelBytes) => v),
      overload(['string'], 'bytes', (v: string) => stringToBytes(v)),
    ],
  },
  bool: {
    global: [
      overload(['bool'], 'bool', (v: boolean) => v),
      overload(['string'], 'bool', (v: string) => {
        if (TRUE.has(v)) return true
        if (FALSE.has(v)) return false
        throw evalError(`cannot convert string '${v}' to bool`)
      }),
    ],
  },
}
