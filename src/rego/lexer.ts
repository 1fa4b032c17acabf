/**
 * Rego lexer: turns module text into tokens. Newlines are not tokens; each token records
 * whether a newline came before it (literals in a body are separated by newlines or `;`),
 * and whether any whitespace did (a ref continues only when `[`, `.` or `(` is adjacent).
 */

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'eof'

export interface Token {
  kind: TokenKind
  /** Identifier name, punctuation text, decoded string or number text. */
  text: string
  line: number
  col: number
  nlBefore: boolean
  wsBefore: boolean
  /** Raw (backquoted) string. */
  raw?: boolean
}

/** A syntax error with the line and column of the token that caused it. */
export class RegoSyntaxError extends Error {
  override readonly name = 'RegoSyntaxError'
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(`${line}:${col}: ${message}`)
  }
}

const PUNCT3 = new Set([':=', '==', '!=', '<=', '>='])
const PUNCT1 = new Set([
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '.',
  ',',
  ';',
  ':',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '|',
  '&',
])

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c)
const isIdent = (c: string): boolean => /[A-Za-z0-9_]/.test(c)
const isDigit = (c: string): boolean => c >= '0' && c <= '9'

/** Tokenize Rego source. Throws RegoSyntaxError on an unterminated string or an unknown character. */
export function lex(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  let nl = true
  let ws = true
  while (i < src.length) {
    const c = src[i] as string
    if (c === '\n') {
      nl = true
      ws = true
      i++
      line++
      lineStart = i
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      ws = true
      i++
      continue
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++
      continue
    }
    const col = i - lineStart + 1
    const push = (kind: TokenKind, text: string, extra: Partial<Token> = {}): void => {
      out.push({ kind, text, line, col, nlBefore: nl, wsBefore: ws, ...extra })
      nl = false
      ws = false
    }
    if (isIdentStart(c)) {
      let j = i + 1
      while (j < src.length && isIdent(src[j] as string)) j++
      push('ident', src.slice(i, j))
      i = j
      continue
    }
    if (isDigit(c)) {
      const m = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i, i + 400))
      const text = m ? m[0] : c
      push('number', text)
      i += text.length
      continue
    }
    if (c === '"') {
      let j = i + 1
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\n') throw new RegoSyntaxError('unterminated string', line, col)
        if (src[j] === '\\') j++
        j++
      }
      if (j >= src.length) throw new RegoSyntaxError('unterminated string', line, col)
      let text: string
      try {
        text = JSON.parse(src.slice(i, j + 1)) as string
      } catch {
        throw new RegoSyntaxError(`invalid string literal ${src.slice(i, j + 1)}`, line, col)
      }
      push('string', text)
      i = j + 1
      continue
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1)
      if (j < 0) throw new RegoSyntaxError('unterminated raw string', line, col)
      const text = src.slice(i + 1, j)
      push('string', text, { raw: true })
      for (const ch of text) if (ch === '\n') line++
      const lastNl = text.lastIndexOf('\n')
      if (lastNl >= 0) lineStart = i + 1 + lastNl + 1
      i = j + 1
      continue
    }
    const two = src.slice(i, i + 2)
    if (PUNCT3.has(two)) {
      push('punct', two)
      i += 2
      continue
    }
    if (PUNCT1.has(c)) {
      push('punct', c)
      i++
      continue
    }
    throw new RegoSyntaxError(`unexpected character ${JSON.stringify(c)}`, line, col)
  }
  out.push({ kind: 'eof', text: '', line, col: i - lineStart + 1, nlBefore: true, wsBefore: true })
  return out
}
