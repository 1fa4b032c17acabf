import picomatch from 'picomatch'
import { apiGroup, isRecord, type KubeObject } from '../core/index.js'
import type { MatchSpec } from './policy-spec.js'
import { POD_CONTROLLER_KINDS, podTemplateTarget, type Target } from './pod-templates.js'

interface KindPattern {
  group: string | undefined
  version: string | undefined
  kind: string
}

function parseKind(entry: string): KindPattern {
  const parts = entry.split('/')
  if (parts.length === 3) return { group: parts[0], version: parts[1], kind: parts[2] as string }
  if (parts.length === 2) return { group: parts[0], version: undefined, kind: parts[1] as string }
  return { group: undefined, version: undefined, kind: entry }
}

const wild = (pattern: string | undefined, value: string): boolean =>
  pattern === undefined || pattern === '*' || pattern === value

/** A compiled match: the targets a resource offers to the policy (empty = does not apply). */
export interface CompiledMatch {
  /** Kind names used to index the policy; undefined = any kind. */
  kinds: ReadonlySet<string> | undefined
  targets(object: KubeObject, environment: string | undefined): Target[]
}

/** Compile a MatchSpec (without its CEL condition, which the policy compiler handles). */
export function compileMatch(spec: MatchSpec): CompiledMatch {
  const patterns = spec.kinds.map(parseKind)
  const anyKind = patterns.some((p) => p.kind === '*')
  const podPattern = spec.includePodTemplates ? patterns.find((p) => p.kind === 'Pod' && wild(p.group, '')) : undefined
  const kinds = anyKind
    ? undefined
    : new Set([...patterns.map((p) => p.kind), ...(podPattern ? POD_CONTROLLER_KINDS : [])])
  const include = spec.namespaces?.length ? picomatch([...spec.namespaces]) : undefined
  const exclude = spec.excludeNamespaces?.length ? picomatch([...spec.excludeNamespaces]) : undefined
  const environments = spec.environments?.length ? new Set(spec.environments) : undefined

  // Most policies name plain kinds (Pod, Deployment) with no group or version: a set lookup.
  const plainKinds = patterns.every((p) => p.group === undefined && p.version === undefined)
    ? new Set(patterns.map((p) => p.kind))
    : undefined
  const kindMatches = (object: KubeObject): boolean => {
    const kind = typeof object.kind === 'string' ? object.kind : ''
    if (plainKinds) return plainKinds.has(kind) || plainKinds.has('*')
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
    const group = apiGroup(apiVersion)
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1)
    return patterns.some((p) => wild(p.kind, kind) && wild(p.group, group) && wild(p.version, version))
  }

  return {
    kinds,
    targets(object, environment) {
      if (environments && (environment === undefined || !environments.has(environment))) return []
      if (include || exclude) {
        const meta = isRecord(object.metadata) ? object.metadata : {}
        const ns = typeof meta.namespace === 'string' ? meta.namespace : ''
        if (include && (ns === '' || !include(ns))) return []
        if (exclude && ns !== '' && exclude(ns)) return []
      }
      if (kindMatches(object)) return [{ object, prefix: '' }]
      if (podPattern) {
        const target = podTemplateTarget(object)
        if (target) return [target]
      }
      return []
    },
  }
}
