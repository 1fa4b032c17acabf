import { isRecord } from '../../core/index.js'
import { CompatError } from '../shared/errors.js'

/** Looks a JMESPath variable up in the rule's context. */
export type Resolver = (expression: string) => unknown

// `{{ ... }}` not preceded by a backslash; inner braces only one level deep, so the
// innermost of nested variables is found first, as in Kyverno.
const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g
const ESCAPED_VARIABLE = /\\\{\{(?:\{[^{}]*\}|[^{}])*\}\}/g
const REFERENCE = /(^|[^\\])(\$\([^ ]*?\))/g

/** True when the text holds a `{{ }}` variable. */
export function hasVariables(text: string): boolean {
  VARIABLE.lastIndex = 0
  return VARIABLE.test(text)
}

/**
 * Substitute `{{ }}` variables in every string (keys included) of a JSON document, as
 * Kyverno does: a string that is exactly one variable takes the variable's value (any
 * type); otherwise values are spliced in as text (non-strings as JSON). Nested variables
 * are resolved innermost first; `\{{` escapes. `$(path)` references are resolved against
 * the document itself first.
 */
export function substituteAll(document: unknown, resolve: Resolver): unknown {
  const withRefs = substituteReferences(document, document, '')
  return walk(withRefs, (s) => substituteString(s, resolve))
}

function walk(node: unknown, fn: (s: string) => unknown): unknown {
  if (typeof node === 'string') return fn(node)
  if (Array.isArray(node)) return node.map((n) => walk(n, fn))
  if (isRecord(node)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      const key = k.includes('{{') ? fn(k) : k
      out[typeof key === 'string' ? key : JSON.stringify(key)] = walk(v, fn)
    }
    return out
  }
  return node
}

/** Substitute the variables of one string. */
export function substituteString(text: string, resolve: Resolver): unknown {
  if (!text.includes('{{')) return text
  let value = text
  for (let guard = 0; guard < 100; guard++) {
    VARIABLE.lastIndex = 0
    const found = [...value.matchAll(VARIABLE)]
    if (found.length === 0) break
    const original = value
    for (const m of found) {
      const variable = m[2] as string
      const expression = variable.slice(2, -2).trim()
      if (expression === '') throw new CompatError('POLICY_INVALID', `empty variable ${variable}`)
      const resolved = resolve(expression)
      if (original === variable) return resolved
      const replacement = typeof resolved === 'string' ? resolved : JSON.stringify(resolved ?? null)
      value = value.replace(variable, () => replacement)
    }
  }
  return value.replace(ESCAPED_VARIABLE, (s) => s.slice(1))
}

function substituteReferences(node: unknown, root: unknown, path: string): unknown {
  if (typeof node === 'string') return node.includes('$(') ? resolveReferences(node, root, path) : node
  if (Array.isArray(node)) return node.map((n, i) => substituteReferences(n, root, `${path}/${i}`))
  if (isRecord(node)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) out[k] = substituteReferences(v, root, `${path}/${k}`)
    return out
  }
  return node
}

function resolveReferences(text: string, root: unknown, path: string): string {
  return text
    .replace(REFERENCE, (_, prefix: string, ref: string) => {
      let target = ref.slice(2, -1)
      const op = ['>=', '<=', '>', '<', '!'].find((o) => target.startsWith(o)) ?? ''
      target = target.slice(op.length)
      const absolute = target.startsWith('/') ? target : joinPath(path, target)
      const value = lookupAnchored(root, absolute)
      if (value === undefined || value === null)
        throw new CompatError('POLICY_INVALID', `reference ${ref} not resolved at path ${path}`)
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new CompatError('POLICY_INVALID', `reference ${ref} at path ${path} is not a scalar`)
      return `${prefix}${op}${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(6) : String(value)}`
    })
    .replace(/\\\$\(/g, '$(')
}

function joinPath(base: string, relative: string): string {
  const parts = base.split('/').filter((p) => p !== '')
  for (const p of relative.split('/')) {
    if (p === '' || p === '.') continue
    if (p === '..') parts.pop()
    else parts.push(p)
  }
  return `/${parts.join('/')}`
}

/** Follow a slash path through a pattern whose keys may carry anchors. */
function lookupAnchored(root: unknown, path: string): unknown {
  let node = root
  for (const part of path.split('/').filter((p) => p !== '')) {
    if (Array.isArray(node)) node = node[Number(part)]
    else if (isRecord(node)) {
      const key = Object.keys(node).find((k) => k === part || k.replace(/^[+<=X^]?\((.*)\)$/, '$1') === part)
      node = key === undefined ? undefined : node[key]
    } else return undefined
  }
  return node
}
