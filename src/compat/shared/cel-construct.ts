/**
 * CEL message construction, as Kubernetes' MutatingAdmissionPolicy and Kyverno's
 * MutatingPolicy write apply configurations and patches: `Object{spec: Object.spec{...}}`,
 * `JSONPatch{op: "add", path: "/x", value: 1}`. Palisade's CEL has no message types
 * (Kubernetes objects are JSON), so before compiling, each construction is rewritten into the
 * map literal it serialises to: the type name goes, field names become string keys
 * (`{"spec": {...}}`). Strings and comments are copied untouched. Field types are not checked
 * (the API server's schema does that for the result; see engine/api-validation.ts).
 */

interface Token {
  kind: 'ident' | 'string' | 'punct' | 'space' | 'other'
  text: string
}

const RESERVED = new Set([
  'in',
  'true',
  'false',
  'null',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
])

/** The end of a string literal starting at `i` (after any r/b prefix), or the text's end if unterminated. */
function stringEnd(text: string, i: number, raw: boolean): number {
  const quote = text[i] as string
  const triple = text.startsWith(quote.repeat(3), i)
  const close = triple ? quote.repeat(3) : quote
  let j = i + close.length
  while (j < text.length) {
    if (!raw && text[j] === '\\') {
      j += 2
      continue
    }
    if (text.startsWith(close, j)) return j + close.length
    if (!triple && text[j] === '\n') return j
    j++
  }
  return text.length
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] as string
    if (/\s/.test(c)) {
      let j = i + 1
      while (j < text.length && /\s/.test(text[j] as string)) j++
      tokens.push({ kind: 'space', text: text.slice(i, j) })
      i = j
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i)
      const j = nl < 0 ? text.length : nl
      tokens.push({ kind: 'space', text: text.slice(i, j) })
      i = j
    } else if (c === '"' || c === "'") {
      const j = stringEnd(text, i, false)
      tokens.push({ kind: 'string', text: text.slice(i, j) })
      i = j
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j] as string)) j++
      const word = text.slice(i, j)
      const next = text[j]
      if ((next === '"' || next === "'") && /^[rRbB]{1,2}$/.test(word)) {
        const end = stringEnd(text, j, /r/i.test(word))
        tokens.push({ kind: 'string', text: text.slice(i, end) })
        i = end
      } else {
        tokens.push({ kind: 'ident', text: word })
        i = j
      }
    } else if ('{}()[],:.'.includes(c)) {
      tokens.push({ kind: 'punct', text: c })
      i++
    } else {
      tokens.push({ kind: 'other', text: c })
      i++
    }
  }
  return tokens
}

/**
 * Rewrite every message construction of a CEL expression into a map literal. An expression
 * without one comes back unchanged.
 */
export function rewriteConstructions(expression: string): string {
  if (!/[A-Za-z0-9_]\s*\{/.test(expression)) return expression
  const tokens = tokenize(expression)
  const out = tokens.map((t) => t.text)
  const significant = (from: number, step: 1 | -1): number => {
    let j = from + step
    while (j >= 0 && j < tokens.length && (tokens[j] as Token).kind === 'space') j += step
    return j
  }
  const is = (j: number, kind: Token['kind'], text?: string): boolean =>
    j >= 0 && j < tokens.length && tokens[j]?.kind === kind && (text === undefined || tokens[j]?.text === text)
  // One entry per open bracket: is it a message construction, and is the next token a field name?
  const stack: { message: boolean; field: boolean }[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    const top = stack[stack.length - 1]
    if (t.kind === 'punct' && t.text === '{') {
      // A type name (a.b.c, or .a.b) right before `{`: a message construction.
      let j = significant(i, -1)
      let start = -1
      while (is(j, 'ident') && !RESERVED.has((tokens[j] as Token).text)) {
        start = j
        const dot = significant(j, -1)
        if (!is(dot, 'punct', '.')) break
        start = dot
        j = significant(dot, -1)
      }
      const message = start >= 0
      if (message) for (let k = start; k < i; k++) out[k] = ''
      stack.push({ message, field: message })
      continue
    }
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) {
      if (top) top.field = false
      stack.push({ message: false, field: false })
      continue
    }
    if (t.kind === 'punct' && (t.text === '}' || t.text === ')' || t.text === ']')) {
      stack.pop()
      continue
    }
    if (top === undefined || !top.message) continue
    if (t.kind === 'punct' && t.text === ',') {
      top.field = true
      continue
    }
    if (t.kind === 'space') continue
    if (top.field && t.kind === 'ident' && is(significant(i, 1), 'punct', ':')) out[i] = JSON.stringify(t.text)
    top.field = false
  }
  return out.join('')
}
