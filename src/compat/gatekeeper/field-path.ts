import { isRecord, type KubeObject } from '../../core/index.js'

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const
/** Keys too common to say which field a message is about. */
const VAGUE = new Set(['name', 'metadata', 'spec', 'template', 'type', 'value', 'key', 'kind', 'apiVersion'])

function podSpecPath(o: KubeObject): string | undefined {
  const spec = isRecord(o.spec) ? o.spec : undefined
  if (!spec) return undefined
  if (CONTAINER_LISTS.some((l) => Array.isArray(spec[l]))) return '/spec'
  const template = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : undefined
  if (template) return '/spec/template/spec'
  const job =
    isRecord(spec.jobTemplate) &&
    isRecord(spec.jobTemplate.spec) &&
    isRecord(spec.jobTemplate.spec.template) &&
    isRecord(spec.jobTemplate.spec.template.spec)
      ? spec.jobTemplate.spec.template.spec
      : undefined
  return job ? '/spec/jobTemplate/spec/template/spec' : undefined
}

function at(o: unknown, pointer: string): unknown {
  let v = o
  for (const p of pointer.split('/').slice(1)) v = isRecord(v) ? v[p] : Array.isArray(v) ? v[Number(p)] : undefined
  return v
}

const mentions = (msg: string, word: string): boolean => {
  const i = msg.indexOf(word)
  if (i < 0 || word === '') return false
  const before = msg[i - 1]
  const after = msg[i + word.length]
  const boundary = (c: string | undefined): boolean => c === undefined || !/[A-Za-z0-9_-]/.test(c)
  return boundary(before) && boundary(after)
}

/** The deepest key below `base` (three levels at most) that the message names. */
function namedKey(value: unknown, base: string, msg: string, depth: number): string | undefined {
  if (depth === 0 || !isRecord(value)) return undefined
  for (const [k, v] of Object.entries(value)) {
    if (VAGUE.has(k)) continue
    const here = `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`
    const deeper = namedKey(v, here, msg, depth - 1)
    if (deeper) return deeper
    if (mentions(msg, k)) return here
  }
  return undefined
}

/**
 * The JSON pointer of the field a violation is about, where its message lets Palisade tell:
 * the container it names (and the key of that container it names), else a key of the spec
 * it names; '' (the object) otherwise.
 */
export function violationPath(object: KubeObject, msg: string): string {
  const pod = podSpecPath(object)
  if (pod) {
    const podSpec = at(object, pod)
    const hits: string[] = []
    for (const list of CONTAINER_LISTS) {
      const cs = isRecord(podSpec) && Array.isArray(podSpec[list]) ? (podSpec[list] as unknown[]) : []
      cs.forEach((c, i) => {
        if (isRecord(c) && typeof c.name === 'string' && mentions(msg, c.name)) hits.push(`${pod}/${list}/${i}`)
      })
    }
    if (hits.length === 1) {
      const base = hits[0] as string
      return namedKey(at(object, base), base, msg, 3) ?? base
    }
  }
  return namedKey(object.spec, '/spec', msg, 3) ?? ''
}
