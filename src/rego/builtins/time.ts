import { BuiltinError } from '../errors.js'
import { fixed, str, type BuiltinTable } from './types.js'

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }

/** Go's time.ParseDuration, in nanoseconds. */
function parseDuration(s: string): number {
  if (s === '0') return 0
  const m = /^([+-]?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(s)
  if (!m) throw new BuiltinError(`time: invalid duration ${JSON.stringify(s)}`)
  let total = 0
  for (const part of (m[2] as string).matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(part[1]) * (DURATION_UNITS[part[2] as string] as number)
  return m[1] === '-' ? -total : total
}

export const TIME: BuiltinTable = {
  'time.now_ns': fixed(0, (_a, c) => c.nowNs),
  'time.parse_rfc3339_ns': fixed(1, (a) => {
    const s = str(a, 0)
    const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s)
    const ms = m ? Date.parse(`${m[1]}T${m[2]}${m[4]}`) : NaN
    if (!m || Number.isNaN(ms)) throw new BuiltinError(`time.parse_rfc3339_ns: cannot parse ${JSON.stringify(s)}`)
    const frac = m[3] ? Math.round(Number(`0${m[3]}`) * 1e9) : 0
    return ms * 1e6 + frac
  }),
  'time.parse_duration_ns': fixed(1, (a) => parseDuration(str(a, 0))),
}
