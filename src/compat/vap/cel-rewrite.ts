import { parsePointer } from '../../core/index.js'

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A CEL string literal. */
export function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/** A CEL literal for a JSON value (params inlined into exported policies). */
export function celLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return celString(v)
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v)
  if (Array.isArray(v)) return `[${v.map(celLiteral).join(', ')}]`
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${celString(k)}: ${celLiteral(x)}`)
    .join(', ')}}`
}

/** The CEL of a JSON Pointer below a base, with optional selection and a default: `base.?a.?b.orValue([])`. */
export function celPath(base: string, pointer: string, fallback = '[]'): string {
  const tokens = parsePointer(pointer)
  if (tokens.length === 0) return base
  return `${base}${tokens.map((t) => (IDENT.test(t) ? `.?${t}` : `[?${celString(t)}]`)).join('')}.orValue(${fallback})`
}

/**
 * Point a pod-level expression at a workload's pod template: `object.spec` and
 * `object.metadata` (and oldObject's) become the given variables, except
 * `object.metadata.name` and `.namespace`, which stay the workload's own.
 */
export function rewritePodView(expression: string): string {
  return expression
    .replace(/(?<![A-Za-z0-9_.])object\.spec(?![A-Za-z0-9_])/g, 'variables.podSpec')
    .replace(
      /(?<![A-Za-z0-9_.])object\.metadata(?!\.(?:name|namespace)(?![A-Za-z0-9_]))(?![A-Za-z0-9_])/g,
      'variables.podMetadata',
    )
}

/** Rename a bare identifier (params → variables.params), leaving member selections alone. */
export function renameIdentifier(expression: string, from: string, to: string): string {
  return expression.replace(new RegExp(`(?<![A-Za-z0-9_.'"])${from}(?![A-Za-z0-9_])`, 'g'), to)
}
