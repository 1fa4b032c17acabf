import { isRecord } from '../../../core/index.js'
import { parseAnchor } from '../anchor.js'
import { matchPattern } from '../pattern.js'

/** Why a strategic-merge patch with anchors does not apply. */
export class AnchorSkip extends Error {
  constructor(
    readonly global: boolean,
    message: string,
  ) {
    super(message)
  }
}

type Raw = Record<string, unknown>

const conditionHolds = (value: unknown, pattern: unknown): boolean => matchPattern(value, pattern).status === 'pass'

/**
 * Resolve Kyverno's anchors in a patchStrategicMerge against the resource: conditional
 * `(k)` and global `<(k)` anchors must hold (a failing global anchor skips the whole
 * rule; a failing conditional one drops the element, or the rule when it is not inside a
 * list), add-if-absent `+(k)` adds only missing fields, and lists whose elements carry
 * conditions become one patch element per matching resource element. Returns the patch
 * without anchors.
 */
export function resolveAnchors(pattern: unknown, resource: unknown): unknown {
  if (isRecord(pattern)) return resolveMap(pattern, isRecord(resource) ? resource : undefined)
  if (Array.isArray(pattern)) return resolveList(pattern, Array.isArray(resource) ? resource : undefined)
  return pattern
}

function resolveMap(pattern: Raw, resource: Raw | undefined): Raw {
  const out: Raw = {}
  for (const [key, value] of Object.entries(pattern)) {
    const a = parseAnchor(key)
    if (a?.kind === 'condition' || a?.kind === 'global') {
      const present = resource !== undefined && Object.hasOwn(resource, a.key)
      if (!present || !conditionHolds(resource[a.key], value)) {
        throw new AnchorSkip(
          a.kind === 'global',
          `${a.kind === 'global' ? 'global' : 'conditional'} anchor (${a.key}) not satisfied`,
        )
      }
      // A condition on a scalar keeps the resource's own value (it identifies list elements).
      if (!isRecord(value) && !Array.isArray(value)) out[a.key] = resource[a.key]
      else out[a.key] = resolveAnchors(value, resource[a.key])
    }
  }
  for (const [key, value] of Object.entries(pattern)) {
    const a = parseAnchor(key)
    if (a?.kind === 'condition' || a?.kind === 'global') continue
    if (a?.kind === 'add') {
      if (resource === undefined || !Object.hasOwn(resource, a.key)) out[a.key] = stripAnchors(value)
      continue
    }
    const name = a && (a.kind === 'equality' || a.kind === 'existence' || a.kind === 'negation') ? a.key : key
    out[name] = resolveAnchors(value, resource?.[name])
  }
  return out
}

function hasConditions(element: unknown): boolean {
  return (
    isRecord(element) &&
    Object.keys(element).some((k) => {
      const a = parseAnchor(k)
      return a?.kind === 'condition' || a?.kind === 'global'
    })
  )
}

function resolveList(pattern: unknown[], resource: unknown[] | undefined): unknown[] {
  const out: unknown[] = []
  for (const element of pattern) {
    if (
      !hasConditions(element) &&
      !(isRecord(element) && Object.values(element).some((v) => isRecord(v) && hasConditions(v)))
    ) {
      out.push(stripAnchors(element))
      continue
    }
    const items = resource ?? []
    let matched = 0
    let globalFailure: AnchorSkip | undefined
    const globals = isRecord(element)
      ? Object.keys(element)
          .filter((k) => parseAnchor(k)?.kind === 'global')
          .map((k) => parseAnchor(k)?.key as string)
      : []
    for (const item of items) {
      try {
        const resolved = resolveAnchors(element, item)
        matched++
        if (!isRecord(resolved)) {
          out.push(resolved)
          continue
        }
        for (const g of globals) delete resolved[g]
        if (Object.keys(resolved).length === 0) continue
        // Keep the element's identity so that the merge lands on it.
        if (isRecord(item))
          for (const k of MERGE_KEYS) if (Object.hasOwn(item, k) && !Object.hasOwn(resolved, k)) resolved[k] = item[k]
        out.push(resolved)
      } catch (error) {
        if (!(error instanceof AnchorSkip)) throw error
        if (error.global) globalFailure = error
      }
    }
    if (matched > 0 && out.length === 0 && globals.length > 0) continue
    if (matched === 0) throw globalFailure ?? new AnchorSkip(false, 'no list element satisfies the conditional anchors')
  }
  return out
}

/** Remove anchor syntax from keys (for values added as they are). */
export function stripAnchors(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnchors)
  if (isRecord(value)) {
    const out: Raw = {}
    for (const [k, v] of Object.entries(value)) out[parseAnchor(k)?.key ?? k] = stripAnchors(v)
    return out
  }
  return value
}

// kyaml's associative list keys, in its order of preference.
const MERGE_KEYS = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort']

function mergeKey(patch: unknown[], base: unknown[]): string | undefined {
  const all = [...patch, ...base]
  if (all.length === 0 || !all.every(isRecord)) return undefined
  return MERGE_KEYS.find((k) => all.every((e) => Object.hasOwn(e as Raw, k)))
}

/**
 * Strategic merge as Kyverno applies it (kyaml merge2): maps merge key by key, `null`
 * deletes, lists of maps that share an associative key (name, mountPath, containerPort,
 * ...) merge element by element (new elements appended), other lists are replaced.
 */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isRecord(patch)) {
    if (patch.$patch === 'replace') {
      const { $patch: _p, ...rest } = patch
      return rest
    }
    const out: Raw = isRecord(base) ? { ...base } : {}
    for (const [k, v] of Object.entries(patch)) {
      if (k === '$patch') continue
      if (v === null) delete out[k]
      else out[k] = strategicMerge(out[k], v)
    }
    return out
  }
  if (Array.isArray(patch)) {
    if (!Array.isArray(base)) return patch.map((p) => strategicMerge(undefined, p))
    const key = mergeKey(patch, base)
    if (key === undefined) return patch.map((p) => strategicMerge(undefined, p))
    const out = [...base]
    for (const p of patch) {
      const pr = p as Raw
      const i = out.findIndex((b) => (b as Raw)[key] === pr[key])
      if (pr.$patch === 'delete') {
        if (i >= 0) out.splice(i, 1)
      } else if (i >= 0) out[i] = strategicMerge(out[i], p)
      else out.push(strategicMerge(undefined, p))
    }
    return out
  }
  return patch
}
