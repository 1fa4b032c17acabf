const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
}
const PART = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y

/**
 * Parse a Go duration ("1h30m", "-1.5s", "0") into nanoseconds, as time.ParseDuration
 * does; undefined when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  let s = text
  let sign = 1
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1
    s = s.slice(1)
  }
  if (s === '0') return 0
  if (s === '') return undefined
  let total = 0
  PART.lastIndex = 0
  let at = 0
  while (at < s.length) {
    PART.lastIndex = at
    const m = PART.exec(s)
    if (!m || m[1] === '' || m[1] === '.') return undefined
    total += Number(m[1]) * (UNITS[m[2] as string] as number)
    at = PART.lastIndex
  }
  return sign * total
}

/** Format nanoseconds as Go's Duration.String() does ("1h0m0s", "1.5s", "0s"). */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s'
  const neg = ns < 0
  let n = Math.abs(Math.round(ns))
  let out: string
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6]
    out = `${trimFloat(n / (size as number))}${unit as string}`
  } else {
    const h = Math.floor(n / 3600e9)
    n -= h * 3600e9
    const m = Math.floor(n / 60e9)
    n -= m * 60e9
    const s = trimFloat(n / 1e9)
    out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`
  }
  return neg ? `-${out}` : out
}

function trimFloat(x: number): string {
  return String(Number(x.toFixed(9)))
}
