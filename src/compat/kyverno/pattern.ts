import { escapePointerToken, isRecord } from '../../core/index.js'
import { hasNestedAnchors, parseAnchor, type Anchor } from './anchor.js'
import { matchValue } from './value-pattern.js'
import { hasWildcard, wildcardMatch } from '../shared/wildcard.js'

/** Result of matching a resource against a validate pattern. */
export type PatternResult =
  | { status: 'pass' }
  /** `path` is the JSON Pointer of the field that failed. */
  | { status: 'fail'; path: string; message: string }
  /** A conditional or global anchor did not hold: the rule does not apply. */
  | { status: 'skip'; message: string }
  | { status: 'error'; message: string }

type ErrorKind = 'plain' | 'conditional' | 'global' | 'negation'
interface PatternError {
  kind: ErrorKind
  path: string
  message: string
}

/** Tracks whether anchor keys of the pattern were ever present in the resource. */
type AnchorSeen = Map<string, boolean>

/**
 * Kyverno's validate-pattern semantics: maps are matched key by key (anchors first),
 * lists of maps element by element with conditional anchors selecting elements, scalar
 * leaves through value patterns. Paths use JSON Pointers into the resource.
 */
export function matchPattern(resource: unknown, pattern: unknown): PatternResult {
  const seen: AnchorSeen = new Map()
  const err = element(resource, pattern, '', seen)
  if (err === undefined) return { status: 'pass' }
  if (err.kind === 'conditional' || err.kind === 'global') return { status: 'skip', message: err.message }
  if (err.kind === 'negation') return { status: 'fail', path: err.path, message: err.message }
  if ([...seen.values()].some((v) => !v)) return { status: 'error', message: err.message }
  return { status: 'fail', path: err.path, message: err.message }
}

const isSkip = (e: PatternError): boolean => e.kind === 'conditional' || e.kind === 'global'

function element(resource: unknown, pattern: unknown, path: string, seen: AnchorSeen): PatternError | undefined {
  if (isRecord(pattern)) {
    if (!isRecord(resource)) {
      return {
        kind: 'plain',
        path,
        message: `pattern and resource have different structures at ${path || '/'}: expected a map`,
      }
    }
    noteAnchors(pattern, resource, seen)
    return map(resource, pattern, path, seen)
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) {
      return {
        kind: 'plain',
        path,
        message: `validation rule failed at path ${path || '/'}, resource does not satisfy the expected overlay pattern`,
      }
    }
    return array(resource, pattern, path, seen)
  }
  if (Array.isArray(resource)) {
    for (let i = 0; i < resource.length; i++) {
      if (!matchValue(resource[i], pattern)) return valueError(resource, pattern, path)
    }
    return undefined
  }
  return matchValue(resource, pattern) ? undefined : valueError(resource, pattern, path)
}

function valueError(resource: unknown, pattern: unknown, path: string): PatternError {
  const shown = typeof resource === 'string' ? resource : JSON.stringify(resource ?? null)
  return {
    kind: 'plain',
    path,
    message: `resource value '${shown}' does not match '${String(pattern)}' at path ${path || '/'}`,
  }
}

function noteAnchors(pattern: Record<string, unknown>, resource: Record<string, unknown>, seen: AnchorSeen): void {
  for (const key of Object.keys(pattern)) {
    const a = parseAnchor(key)
    if (!a || !(a.kind === 'condition' || a.kind === 'existence' || a.kind === 'negation')) continue
    if (seen.get(key) === true) continue
    seen.set(key, Object.hasOwn(resource, a.key))
  }
}

function map(
  resource: Record<string, unknown>,
  rawPattern: Record<string, unknown>,
  path: string,
  seen: AnchorSeen,
): PatternError | undefined {
  const pattern = expandMetadataWildcards(rawPattern, resource)
  const anchors: [string, Anchor, unknown][] = []
  const plain: [string, unknown][] = []
  for (const [key, value] of Object.entries(pattern)) {
    const a = parseAnchor(key)
    if (a && a.kind !== 'global' && a.kind !== 'add') anchors.push([key, a, value])
    else plain.push([key, value])
  }
  for (const [, a, value] of anchors) {
    const err = handle(a, a.key, value, resource, path, seen)
    if (err) return err
  }
  // Keys whose patterns hold anchors go first, so that a skip wins over a failure.
  plain.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const front = plain.filter(([, v]) => hasNestedAnchors(v)).reverse()
  const back = plain.filter(([, v]) => !hasNestedAnchors(v))
  for (const [key, value] of [...front, ...back]) {
    const a = parseAnchor(key)
    const err = handle(a, a ? a.key : key, value, resource, path, seen)
    if (err) return err
  }
  return undefined
}

function handle(
  a: Anchor | undefined,
  key: string,
  pattern: unknown,
  resource: Record<string, unknown>,
  path: string,
  seen: AnchorSeen,
): PatternError | undefined {
  const at = `${path}/${escapePointerToken(key)}`
  const present = Object.hasOwn(resource, key)
  switch (a?.kind) {
    case 'negation':
      return present ? { kind: 'negation', path: at, message: `${at} is not allowed` } : undefined
    case 'equality':
      return present ? element(resource[key], pattern, at, seen) : undefined
    case 'condition': {
      if (!present)
        return { kind: 'conditional', path: at, message: `conditional anchor key ${key} doesn't exist in the resource` }
      const err = element(resource[key], pattern, at, seen)
      return err
        ? { kind: 'conditional', path: err.path, message: `conditional anchor mismatch: ${err.message}` }
        : undefined
    }
    case 'global': {
      if (!present) return undefined
      const err = element(resource[key], pattern, at, seen)
      return err ? { kind: 'global', path: err.path, message: `global anchor mismatch: ${err.message}` } : undefined
    }
    case 'existence':
      return present ? existence(resource[key], pattern, at, seen) : undefined
    default: {
      const value = present ? resource[key] : undefined
      if (pattern === '*') {
        return value !== undefined && value !== null
          ? undefined
          : { kind: 'plain', path: at, message: `${at} not found` }
      }
      return element(value, pattern, at, seen)
    }
  }
}

function existence(value: unknown, pattern: unknown, at: string, seen: AnchorSeen): PatternError | undefined {
  if (!Array.isArray(value))
    return { kind: 'plain', path: at, message: `existence anchor ^() can be used only on a list at ${at}` }
  if (!Array.isArray(pattern))
    return { kind: 'plain', path: at, message: `existence anchor pattern at ${at} must be a list` }
  for (const p of pattern) {
    if (!isRecord(p))
      return { kind: 'plain', path: at, message: `existence anchor pattern at ${at} must be a list of maps` }
    if (!value.some((item, i) => element(item, p, `${at}/${i}`, seen) === undefined)) {
      return { kind: 'plain', path: at, message: `existence anchor validation failed at path ${at}` }
    }
  }
  return undefined
}

function array(resource: unknown[], pattern: unknown[], path: string, seen: AnchorSeen): PatternError | undefined {
  if (pattern.length === 0) return { kind: 'plain', path, message: 'pattern array empty' }
  const first = pattern[0]
  if (isRecord(first)) return eachMatches(resource, () => first, resource.length, path, seen)
  if (!Array.isArray(first)) return element(resource, first, path, seen)
  if (resource.length < pattern.length) {
    return {
      kind: 'plain',
      path,
      message: `array length mismatch: resource has ${resource.length} items, pattern ${pattern.length}`,
    }
  }
  return eachMatches(resource, (i) => pattern[i], pattern.length, path, seen)
}

function eachMatches(
  resource: unknown[],
  patternAt: (i: number) => unknown,
  count: number,
  path: string,
  seen: AnchorSeen,
): PatternError | undefined {
  let applied = 0
  const skipped: PatternError[] = []
  for (let i = 0; i < count; i++) {
    const err = element(resource[i], patternAt(i), `${path}/${i}`, seen)
    if (err === undefined) {
      applied++
      continue
    }
    if (isSkip(err)) {
      skipped.push(err)
      continue
    }
    return err
  }
  if (applied === 0 && skipped.length > 0) {
    return { kind: 'conditional', path, message: skipped.map((e) => e.message).join('; ') }
  }
  return undefined
}

/**
 * Wildcard keys under metadata.labels / metadata.annotations of a pattern are replaced
 * by the first matching key of the resource (anchors kept), as Kyverno expands them.
 */
function expandMetadataWildcards(
  pattern: Record<string, unknown>,
  resource: Record<string, unknown>,
): Record<string, unknown> {
  const metaKey = Object.keys(pattern).find((k) => (parseAnchor(k)?.key ?? k) === 'metadata')
  if (metaKey === undefined) return pattern
  const meta = pattern[metaKey]
  const resourceMeta = resource.metadata
  if (!isRecord(meta) || !isRecord(resourceMeta)) return pattern
  let changed: Record<string, unknown> | undefined
  for (const tag of ['labels', 'annotations']) {
    const tagKey = Object.keys(meta).find((k) => (parseAnchor(k)?.key ?? k) === tag)
    if (tagKey === undefined) continue
    const patternTags = meta[tagKey]
    const resourceTags = resourceMeta[tag]
    if (!isRecord(patternTags) || !isRecord(resourceTags)) continue
    if (!Object.keys(patternTags).some((k) => hasWildcard(parseAnchor(k)?.key ?? k))) continue
    const expanded: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(patternTags)) {
      const a = parseAnchor(k)
      const bare = a?.key ?? k
      if (!hasWildcard(bare)) {
        expanded[k] = v
        continue
      }
      const match = Object.keys(resourceTags)
        .sort()
        .find((rk) => wildcardMatch(bare, rk))
      expanded[match === undefined ? k : a ? k.replace(`(${bare})`, `(${match})`) : match] = v
    }
    changed ??= { ...meta }
    changed[tagKey] = expanded
  }
  return changed ? { ...pattern, [metaKey]: changed } : pattern
}
