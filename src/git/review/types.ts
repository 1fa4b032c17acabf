import type { KubeObject, Severity } from '../../core/index.js'
import type { LocatedResource } from '../../pipeline/index.js'

/** One security-weakening change between a base and a head, before owners and actions are attached. */
export interface WeakeningChange {
  /** camelCase id of the kind of change: rbacWildcard, networkPolicyDeleted, ... */
  messageId: string
  message: string
  severity: Severity
  /** The resource the change is about: the head's, or the base's when it was deleted. */
  resource: LocatedResource
  side: 'base' | 'head'
  /** JSON Pointer of the field inside that resource. */
  path: string
}

/** A resource present on both sides, matched by identity. */
export interface ResourcePair {
  base: LocatedResource
  head: LocatedResource
}

/** A detector: compares what both sides hold and reports weakening changes. */
export type Detector = (
  pairs: readonly ResourcePair[],
  added: readonly LocatedResource[],
  removed: readonly LocatedResource[],
) => WeakeningChange[]

/** Short helpers for object fields. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
export const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string')
export const kindOf = (o: KubeObject): string => (typeof o.kind === 'string' ? o.kind : '')
