/**
 * Number and string formatting as Go's strconv does it, because CEL's string()
 * conversions and the strings extension are defined by cel-go's output.
 */

/** Shortest decimal digits and decimal-point position of a finite, non-zero |v|. */
function shortestDigits(v: number): { digits: string; exp: number } {
  const [mantissa = '', e = '0'] = Math.abs(v).toExponential().split('e')
  return { digits: mantissa.replace('.', ''), exp: Number(e) }
}

function expSuffix(exp: number): string {
  const abs = Math.abs(exp)
  return `e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64): what string(double) returns. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'
  const sign = v < 0 ? '-' : ''
  const { digits, exp } = shortestDigits(v)
  // Go switches to exponent form below 1e-4 and from 1e6 on (shortest 'g' uses precision 6 here).
  if (exp < -4 || exp >= 6) {
    const rest = digits.slice(1)
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}${expSuffix(exp)}`
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
}

/** Go's %.<p>f. */
export function formatFixed(v: number, precision: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf'
  if (Math.abs(v) < 1e21) return v.toFixed(precision)
  // Beyond 1e21 every double is an integer; toFixed would switch to exponent form.
  const int = BigInt(v).toString()
  return precision > 0 ? `${int}.${'0'.repeat(precision)}` : int
}

/** Go's %.<p>e. */
export function formatScientific(v: number, precision: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf'
  const [mantissa = '', e = '0'] = v.toExponential(precision).split('e')
  return mantissa + expSuffix(Number(e))
}

const ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

/** Go's strconv.Quote: a double-quoted string with Go escapes (used by strings.quote and %s of lists). */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const escaped = ESCAPES[ch]
    if (escaped !== undefined) out += escaped
    else if (PRINTABLE.test(ch)) out += ch
    else {
      const cp = ch.codePointAt(0) ?? 0
      // Lone surrogates are invalid UTF-8 in Go and print as the replacement character.
      if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd'
      else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`
      else out += `\\U${cp.toString(16).padStart(8, '0')}`
    }
  }
  return `${out}"`
}
