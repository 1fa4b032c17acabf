import { RE2JS } from 're2js'
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

type Field =
  | 'year'
  | 'year2'
  | 'month'
  | 'monthName'
  | 'monthShort'
  | 'day'
  | 'hour'
  | 'hour12'
  | 'minute'
  | 'second'
  | 'fraction'
  | 'ampm'
  | 'zone'
  | 'zoneName'
  | 'weekday'

// Go reference-time tokens, longest first where they share a prefix.
const TOKENS: readonly [string, Field, string][] = [
  ['2006', 'year', '(\\d{4})'],
  ['January', 'monthName', `(${MONTHS.join('|')})`],
  ['Jan', 'monthShort', `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`],
  ['Monday', 'weekday', `(?:${DAYS.join('|')})`],
  ['Mon', 'weekday', `(?:${DAYS.map((d) => d.slice(0, 3)).join('|')})`],
  ['MST', 'zoneName', '([A-Z]{3,4})'],
  ['Z07:00', 'zone', '(Z|[+-]\\d{2}:\\d{2})'],
  ['Z0700', 'zone', '(Z|[+-]\\d{4})'],
  ['Z07', 'zone', '(Z|[+-]\\d{2})'],
  ['-07:00', 'zone', '([+-]\\d{2}:\\d{2})'],
  ['-0700', 'zone', '([+-]\\d{4})'],
  ['-07', 'zone', '([+-]\\d{2})'],
  ['.000000000', 'fraction', '(\\.\\d{9})'],
  ['.000000', 'fraction', '(\\.\\d{6})'],
  ['.000', 'fraction', '(\\.\\d{3})'],
  ['.999999999', 'fraction', '(\\.\\d+)?'],
  ['.999999', 'fraction', '(\\.\\d+)?'],
  ['.999', 'fraction', '(\\.\\d+)?'],
  ['01', 'month', '(\\d{2})'],
  ['02', 'day', '(\\d{2})'],
  ['_2', 'day', ' ?(\\d{1,2})'],
  ['06', 'year2', '(\\d{2})'],
  ['15', 'hour', '(\\d{2})'],
  ['03', 'hour12', '(\\d{2})'],
  ['04', 'minute', '(\\d{2})'],
  ['05', 'second', '(\\d{2})'],
  ['PM', 'ampm', '(AM|PM)'],
  ['pm', 'ampm', '(am|pm)'],
  ['1', 'month', '(\\d{1,2})'],
  ['2', 'day', '(\\d{1,2})'],
  ['3', 'hour12', '(\\d{1,2})'],
  ['4', 'minute', '(\\d{1,2})'],
  ['5', 'second', '(\\d{1,2})'],
]

/** A layout compiled to a whole-text matcher: the captured fields, or null when the text does not fit. */
interface LayoutMatcher {
  exec(text: string): (string | undefined)[] | null
}

const compiled = new Map<string, { re: LayoutMatcher; fields: Field[] }>()

/**
 * RE2 (linear time), not a JS RegExp: the layout can come from a resource (a JMESPath
 * argument), and a run of `1` or `_2` tokens, each `\d{1,2}`, backtracks exponentially.
 */
function re2Matcher(source: string): LayoutMatcher {
  const re = RE2JS.compile(`^${source}$`)
  const groups = re.groupCount()
  return {
    exec(text) {
      const m = re.matcher(text)
      if (!m.matches()) return null
      const out: (string | undefined)[] = [m.group(0) ?? '']
      for (let g = 1; g <= groups; g++) out.push(m.group(g) ?? undefined)
      return out
    },
  }
}

function compileLayout(layout: string): { re: LayoutMatcher; fields: Field[] } {
  let c = compiled.get(layout)
  if (c) return c
  let source = ''
  const fields: Field[] = []
  let i = 0
  outer: while (i < layout.length) {
    // The seconds fraction is a token only right after a seconds field.
    for (const [token, field, re] of TOKENS) {
      if (!layout.startsWith(token, i)) continue
      if (field === 'fraction' && !layout.slice(0, i).endsWith('05')) continue
      source += re
      if (re.startsWith('(') && !re.startsWith('(?:')) fields.push(field)
      i += token.length
      continue outer
    }
    source += (layout[i] as string).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
    i++
  }
  c = { re: re2Matcher(source), fields }
  if (compiled.size >= 1000) compiled.clear()
  compiled.set(layout, c)
  return c
}

/** Parse a time written in a Go layout ("2006-01-02T15:04:05Z07:00"); undefined when it does not fit. */
export function parseGoTime(layout: string, text: string): { date: Date } | undefined {
  const { re, fields } = compileLayout(layout)
  // Go's RFC 3339 parser accepts fractional seconds even when the layout has none.
  const m =
    re.exec(text) ??
    (layout.includes('05Z07:00') ? compileLayout(layout.replace('05Z07:00', '05.999999999Z07:00')).re.exec(text) : null)
  if (!m) return undefined
  const usedFields =
    m.length - 1 === fields.length ? fields : compileLayout(layout.replace('05Z07:00', '05.999999999Z07:00')).fields
  let year = 0
  let month = 1
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  let ms = 0
  let pm: boolean | undefined
  let offsetMin = 0
  usedFields.forEach((field, idx) => {
    const v = m[idx + 1]
    if (v === undefined) return
    switch (field) {
      case 'year':
        year = Number(v)
        break
      case 'year2':
        year = 2000 + Number(v) - (Number(v) >= 69 ? 100 : 0)
        break
      case 'month':
        month = Number(v)
        break
      case 'monthName':
        month = MONTHS.indexOf(v) + 1
        break
      case 'monthShort':
        month = MONTHS.findIndex((n) => n.startsWith(v)) + 1
        break
      case 'day':
        day = Number(v)
        break
      case 'hour':
        hour = Number(v)
        break
      case 'hour12':
        hour = Number(v) % 12
        break
      case 'minute':
        minute = Number(v)
        break
      case 'second':
        second = Number(v)
        break
      case 'fraction':
        ms = Math.round(Number(`0${v}`) * 1000)
        break
      case 'ampm':
        pm = v.toUpperCase() === 'PM'
        break
      case 'zone': {
        if (v === 'Z') break
        const digits = v.replace(':', '')
        const sign = digits[0] === '-' ? -1 : 1
        offsetMin = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0'))
        break
      }
      default:
        break
    }
  })
  if (pm === true) hour += 12
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000
  return { date: new Date(utc) }
}

/** RFC 3339 with seconds, as Go's time.RFC3339 formats a UTC time. */
export function formatGoTime(date: Date, _utc: boolean): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
