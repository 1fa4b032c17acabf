import { formatDuration, parseDuration } from './duration.js'
import { CompatError } from '../shared/errors.js'
import { sig, STRING, type Fn } from './function-signature.js'
import { formatGoTime, parseGoTime } from './time-layout.js'

function toTime(s: string, fn: string): Date {
  const t = parseGoTime('2006-01-02T15:04:05Z07:00', s)
  if (t === undefined)
    throw new CompatError('POLICY_INVALID', `JMESPath function '${fn}': "${s}" is not an RFC 3339 time`)
  return t.date
}

/** Kyverno's time_* JMESPath functions; `now` is the injected clock. */
export function registerTimeFunctions(
  add: (name: string, fn: Fn, signature: { types: number[] }[]) => void,
  now: () => Date,
): void {
  add('time_now', () => formatGoTime(now(), false), [])
  add('time_now_utc', () => formatGoTime(now(), true), [])
  add(
    'time_since',
    ([layout, a, b]: string[]) => {
      const l = layout === '' ? '2006-01-02T15:04:05Z07:00' : (layout as string)
      const t1 = parseGoTime(l, a as string)
      if (!t1)
        throw new CompatError(
          'POLICY_INVALID',
          `JMESPath function 'time_since': cannot parse "${a}" with layout "${l}"`,
        )
      const t2 = b === '' ? now() : parseGoTime(l, b as string)?.date
      if (!t2)
        throw new CompatError(
          'POLICY_INVALID',
          `JMESPath function 'time_since': cannot parse "${b}" with layout "${l}"`,
        )
      return formatDuration((t2.getTime() - t1.date.getTime()) * 1e6)
    },
    sig([STRING], [STRING], [STRING]),
  )
  add(
    'time_add',
    ([t, d]: string[]) => {
      const ns = parseDuration(d as string)
      if (ns === undefined)
        throw new CompatError('POLICY_INVALID', `JMESPath function 'time_add': "${d}" is not a duration`)
      return formatGoTime(new Date(toTime(t as string, 'time_add').getTime() + ns / 1e6), true)
    },
    sig([STRING], [STRING]),
  )
  add(
    'time_parse',
    ([layout, t]: string[]) => {
      const parsed = /^\d+$/.test(layout as string) ? undefined : parseGoTime(layout as string, t as string)
      if (/^\d+$/.test(layout as string)) return formatGoTime(new Date(Number(t) * 1000), true)
      if (!parsed)
        throw new CompatError(
          'POLICY_INVALID',
          `JMESPath function 'time_parse': cannot parse "${t}" with layout "${layout}"`,
        )
      return formatGoTime(parsed.date, true)
    },
    sig([STRING], [STRING]),
  )
  add('time_utc', ([t]: string[]) => formatGoTime(toTime(t as string, 'time_utc'), true), sig([STRING]))
  add(
    'time_diff',
    ([a, b]: string[]) =>
      formatDuration((toTime(b as string, 'time_diff').getTime() - toTime(a as string, 'time_diff').getTime()) * 1e6),
    sig([STRING], [STRING]),
  )
  add(
    'time_before',
    ([a, b]: string[]) => toTime(a as string, 'time_before').getTime() < toTime(b as string, 'time_before').getTime(),
    sig([STRING], [STRING]),
  )
  add(
    'time_after',
    ([a, b]: string[]) => toTime(a as string, 'time_after').getTime() > toTime(b as string, 'time_after').getTime(),
    sig([STRING], [STRING]),
  )
  add(
    'time_between',
    ([t, a, b]: string[]) => {
      const x = toTime(t as string, 'time_between').getTime()
      return x > toTime(a as string, 'time_between').getTime() && x < toTime(b as string, 'time_between').getTime()
    },
    sig([STRING], [STRING], [STRING]),
  )
  add(
    'time_truncate',
    ([t, d]: string[]) => {
      const ns = parseDuration(d as string)
      if (ns === undefined || ns <= 0)
        throw new CompatError('POLICY_INVALID', `JMESPath function 'time_truncate': "${d}" is not a positive duration`)
      const ms = toTime(t as string, 'time_truncate').getTime()
      const step = ns / 1e6
      return formatGoTime(new Date(Math.floor(ms / step) * step), true)
    },
    sig([STRING], [STRING]),
  )
  add(
    'time_to_cron',
    ([t]: string[]) => {
      const d = toTime(t as string, 'time_to_cron')
      return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} ${d.getUTCDay()}`
    },
    sig([STRING]),
  )
}
