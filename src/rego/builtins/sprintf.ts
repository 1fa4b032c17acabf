import { BuiltinError } from '../errors.js'
import { isArray, show, type Value } from '../value.js'

/** Go's %v of a value as OPA passes it: strings bare at the top, composites in Rego syntax. */
function plain(v: Value): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number') return formatNumber(v)
  if (typeof v === 'bigint') return String(v)
  return show(v)
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n)
  const s = String(n)
  return s.replace(/e\+?/, 'e+').replace('e+-', 'e-')
}

const pad = (s: string, width: number | undefined, left: boolean, zero: boolean): string => {
  if (width === undefined || s.length >= width) return s
  if (left) return s + ' '.repeat(width - s.length)
  if (zero) {
    const neg = s.startsWith('-')
    const body = neg ? s.slice(1) : s
    return (neg ? '-' : '') + '0'.repeat(width - s.length) + body
  }
  return ' '.repeat(width - s.length) + s
}

/** Widths and precisions above this are refused (a format string must not allocate gigabytes). */
const MAX_WIDTH = 10_000

/** OPA's sprintf: Go fmt verbs %v %s %d %f %e %g %x %X %o %b %q %t %%, flags, width and precision. */
export function sprintf(format: string, args: readonly Value[]): string {
  let out = ''
  let argi = 0
  const re = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g
  let last = 0
  for (let m = re.exec(format); m !== null; m = re.exec(format)) {
    out += format.slice(last, m.index)
    last = re.lastIndex
    const [, flags = '', w, p, verb] = m
    if (verb === '%') {
      out += '%'
      continue
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    const v = args[argi++] as Value
    const width = w === undefined ? undefined : Number(w)
    const prec = p === undefined ? undefined : Number(p)
    if ((width ?? 0) > MAX_WIDTH || (prec ?? 0) > MAX_WIDTH)
      throw new BuiltinError(`sprintf: width or precision above ${MAX_WIDTH}`)
    const left = flags.includes('-')
    const zero = flags.includes('0')
    let s: string
    switch (verb) {
      case 'v':
      case 's':
        s = plain(v)
        if (prec !== undefined && typeof v === 'string') s = s.slice(0, prec)
        break
      case 'd':
        s =
          (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint'
            ? String(v)
            : `%!d(${typeLabel(v)}=${plain(v)})`
        if (flags.includes('+') && typeof v === 'number' && v >= 0) s = `+${s}`
        break
      case 'f':
      case 'F':
        s = typeof v === 'number' ? v.toFixed(prec ?? 6) : `%!f(${typeLabel(v)}=${plain(v)})`
        break
      case 'e':
        s =
          typeof v === 'number'
            ? v.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
            : `%!e(${typeLabel(v)}=${plain(v)})`
        break
      case 'g':
        s =
          typeof v === 'number'
            ? prec === undefined
              ? formatNumber(v)
              : String(Number(v.toPrecision(prec)))
            : `%!g(${typeLabel(v)}=${plain(v)})`
        break
      case 'x':
      case 'X': {
        const t =
          typeof v === 'number' && Number.isInteger(v)
            ? v.toString(16)
            : typeof v === 'string'
              ? Buffer.from(v).toString('hex')
              : `%!x(${typeLabel(v)}=${plain(v)})`
        s = verb === 'X' ? t.toUpperCase() : t
        break
      }
      case 'o':
        s = typeof v === 'number' && Number.isInteger(v) ? v.toString(8) : `%!o(${typeLabel(v)}=${plain(v)})`
        break
      case 'b':
        s = typeof v === 'number' && Number.isInteger(v) ? v.toString(2) : `%!b(${typeLabel(v)}=${plain(v)})`
        break
      case 'q':
        s = typeof v === 'string' ? JSON.stringify(v) : plain(v)
        break
      case 't':
        s = typeof v === 'boolean' ? String(v) : `%!t(${typeLabel(v)}=${plain(v)})`
        break
      default:
        throw new BuiltinError(`sprintf: unsupported verb %${verb}`)
    }
    out += pad(s, width, left, zero && typeof v === 'number')
  }
  out += format.slice(last)
  if (argi < args.length)
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => `${typeLabel(a)}=${plain(a)}`)
      .join(', ')})`
  return out
}

function typeLabel(v: Value): string {
  if (typeof v === 'string') return 'string'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64'
  if (typeof v === 'bigint') return '*big.Int'
  if (typeof v === 'boolean') return 'bool'
  if (isArray(v)) return 'ast.Array'
  return 'ast.Value'
}
