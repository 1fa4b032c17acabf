import { isRecord, type KubeObject } from '../core/index.js'

/** One field that differs between what Git says and what runs. */
export interface FieldChange {
  /** JSON Pointer (Git's indexes for arrays). */
  path: string
  change: 'changed' | 'added' | 'removed'
  /** The value in Git (absent when the field was added live). */
  git?: unknown
  /** The live value (absent when the field was removed live). */
  live?: unknown
}

/**
 * Fields the API server sets or owns, never drift: identity and bookkeeping in metadata,
 * status, and values it allocates (cluster IPs, node ports) or that controllers write.
 */
const IGNORED = [
  /^\/status(\/|$)/,
  /^\/metadata\/(uid|resourceVersion|generation|creationTimestamp|managedFields|selfLink|generateName|deletionTimestamp|deletionGracePeriodSeconds|ownerReferences|finalizers)(\/|$)/,
  /^\/metadata\/annotations\/(kubectl\.kubernetes\.io~1last-applied-configuration|deployment\.kubernetes\.io~1revision|argocd\.argoproj\.io~1tracking-id)$/,
  /^\/metadata\/labels\/(kustomize\.toolkit\.fluxcd\.io~1|helm\.toolkit\.fluxcd\.io~1)/,
  // Set by the API server on every Namespace, to its name (the dry-run copy has a generated one).
  /^\/metadata\/labels\/kubernetes\.io~1metadata\.name$/,
  /^\/spec\/(clusterIP|clusterIPs|healthCheckNodePort|volumeName|nodeName)(\/|$)/,
  /^\/spec\/ports\/\d+\/nodePort$/,
  /^\/secrets(\/|$)/,
]

/** True for a path the comparison ignores. */
export function isIgnoredPath(pointer: string): boolean {
  return IGNORED.some((re) => re.test(pointer))
}

/**
 * Every field that differs between the Git object (after the API server's defaulting, when
 * the caller could get it) and the live one, leaf by leaf; ignored paths are skipped.
 * Arrays are compared by position; a list present on one side only is one change.
 */
export function diffObjects(git: KubeObject, live: KubeObject): FieldChange[] {
  const out: FieldChange[] = []
  // An explicit stack, not recursion: a live object is whatever was written to the cluster, and a
  // custom resource's free-form field may nest 10000 levels deep. Children are pushed last-first,
  // so fields come out in the order of a depth-first walk.
  const stack: Array<[unknown, unknown, string]> = [[git, live, '']]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const children = step(next[0], next[1], next[2], out)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as [unknown, unknown, string])
  }
  return out
}

/** Compare one place; returns the places below it still to compare. */
function step(git: unknown, live: unknown, pointer: string, out: FieldChange[]): Array<[unknown, unknown, string]> {
  if (pointer !== '' && isIgnoredPath(pointer)) return []
  if (git === undefined && live === undefined) return []
  // A mapping on one side only is reported leaf by leaf (securityContext added live shows as
  // /securityContext/privileged, which says what it does); a list on one side only is one change.
  if (git === undefined && isRecord(live) && Object.keys(live).length > 0)
    return Object.keys(live).map((k) => [undefined, live[k], `${pointer}/${escape(k)}`])
  if (live === undefined && isRecord(git) && Object.keys(git).length > 0)
    return Object.keys(git).map((k) => [git[k], undefined, `${pointer}/${escape(k)}`])
  if (git === undefined) return (void out.push({ path: pointer, change: 'added', live }), [])
  if (live === undefined) return (void out.push({ path: pointer, change: 'removed', git }), [])
  if (isRecord(git) && isRecord(live))
    return [...new Set([...Object.keys(git), ...Object.keys(live)])].map((key) => [
      git[key],
      live[key],
      `${pointer}/${escape(key)}`,
    ])
  if (Array.isArray(git) && Array.isArray(live))
    return Array.from({ length: Math.max(git.length, live.length) }, (_, i) => [git[i], live[i], `${pointer}/${i}`])
  if (!sameValue(git, live)) out.push({ path: pointer, change: 'changed', git, live })
  return []
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  // 1 and "1" for quantities and int-or-string fields are written either way.
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string'))
    return String(a) === String(b)
  return false
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}
