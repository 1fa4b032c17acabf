/** Kyverno anchor kinds: `(k)` condition, `<(k)` global, `X(k)` negation, `+(k)` add-if-absent, `=(k)` equality, `^(k)` existence. */
export type AnchorKind = 'condition' | 'global' | 'negation' | 'add' | 'equality' | 'existence'

export interface Anchor {
  kind: AnchorKind
  key: string
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/
const KINDS: Readonly<Record<string, AnchorKind>> = {
  '': 'condition',
  '<': 'global',
  X: 'negation',
  '+': 'add',
  '=': 'equality',
  '^': 'existence',
}

/** Parse a map key as an anchor; undefined for a plain key. */
export function parseAnchor(key: string): Anchor | undefined {
  const m = ANCHOR.exec(key.trim())
  if (!m) return undefined
  return { kind: KINDS[m[1] ?? ''] as AnchorKind, key: m[2] as string }
}

/** Does any key inside this pattern value (recursively) carry an anchor? */
export function hasNestedAnchors(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNestedAnchors)
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (parseAnchor(k) !== undefined || hasNestedAnchors(v)) return true
  }
  return false
}
