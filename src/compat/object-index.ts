import { isRecord, type KubeObject } from '../core/index.js'

/**
 * The objects of a run indexed once, by kind and name (a policy's lookup of one object) and
 * by kind (a list), so that a lookup per evaluation costs a map read and not a pass over
 * every object of the run (which made a scan quadratic). Each bucket keeps the run's order,
 * so the first match is the one a linear search would find. Built on first use.
 */
export interface ObjectIndex {
  /** The objects of this kind and name, in run order. */
  named(kind: string, name: string): readonly KubeObject[]
  /** The objects of this kind ('' for all), in run order. */
  ofKind(kind: string): readonly KubeObject[]
}

const NONE: readonly KubeObject[] = []

/** `nameOf` says what name an object is found under (default: metadata.name when a string). */
export function indexObjects(
  all: readonly KubeObject[],
  nameOf: (o: KubeObject) => string | undefined = stringName,
): ObjectIndex {
  let byName: Map<string, KubeObject[]> | undefined
  let byKind: Map<string, KubeObject[]> | undefined
  const build = (): void => {
    byName = new Map()
    byKind = new Map()
    for (const o of all) {
      const kind = o.kind
      if (typeof kind !== 'string') continue
      const name = nameOf(o)
      push(byKind, kind, o)
      if (name !== undefined) push(byName, `${kind}\u0000${name}`, o)
    }
  }
  return {
    named(kind, name) {
      if (byName === undefined) build()
      return byName?.get(`${kind}\u0000${name}`) ?? NONE
    },
    ofKind(kind) {
      if (kind === '') return all
      if (byKind === undefined) build()
      return byKind?.get(kind) ?? NONE
    },
  }
}

function stringName(o: KubeObject): string | undefined {
  const name = isRecord(o.metadata) ? o.metadata.name : undefined
  return typeof name === 'string' ? name : undefined
}

function push(map: Map<string, KubeObject[]>, key: string, o: KubeObject): void {
  const bucket = map.get(key)
  if (bucket === undefined) map.set(key, [o])
  else bucket.push(o)
}
