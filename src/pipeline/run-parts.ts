import type { KubeObject, LocatedResource } from '../core/index.js'
import { namespacesByName } from '../core/index.js'
import type { CompiledPolicy, CompiledPolicySet, PolicyOutcome } from '../engine/index.js'

/** A cross-resource outcome of one resource of a file. */
export interface CrossOutcome {
  policy: CompiledPolicy
  outcome: PolicyOutcome
}

/** Whether every cross-resource policy of a set declares what it reads (so a run need not hold whole objects). */
export function crossReadsDeclared(policies: CompiledPolicySet): boolean {
  return policies.crossResource.every((p) => p.reads !== undefined)
}

/**
 * What a streaming scan keeps of a whole run while it reads the files a first time: the
 * Namespaces (policies see a resource's Namespace object) and, for each cross-resource
 * policy, the parts of objects it declares it reads (`CompiledPolicy.reads`), each with the
 * file and place it came from. `finish` evaluates the cross-resource policies over those
 * parts, once; the second pass over the files takes each file's outcomes. Pure.
 */
interface Kept {
  parts: KubeObject[]
  environments: (string | undefined)[]
  files: number[]
  places: number[]
}

export class RunParts {
  readonly #namespaces: KubeObject[] = []
  readonly #kept: Kept[]
  readonly #policies: readonly CompiledPolicy[]

  constructor(policies: CompiledPolicySet) {
    if (!crossReadsDeclared(policies))
      throw new Error('RunParts: a cross-resource policy does not declare what it reads')
    this.#policies = policies.crossResource
    this.#kept = this.#policies.map(() => ({ parts: [], environments: [], files: [], places: [] }))
  }

  /** Keep what the run needs of a file's resources (in the order a whole-run check would see them). */
  add(file: number, resources: readonly LocatedResource[], environments: readonly (string | undefined)[]): void {
    resources.forEach((resource, place) => {
      const object = resource.object
      if (object.kind === 'Namespace') this.#namespaces.push(object)
      this.#policies.forEach((policy, k) => {
        const part = (policy.reads as NonNullable<CompiledPolicy['reads']>)(object)
        if (part === undefined) return
        const into = this.#kept[k] as Kept
        into.parts.push(part)
        into.environments.push(environments[place])
        into.files.push(file)
        into.places.push(place)
      })
    })
  }

  /** The run's Namespaces by name, and each file's cross-resource outcomes by the resource's place in the file. */
  finish(): {
    namespaces: Map<string, KubeObject>
    outcomes: Map<number, Map<number, CrossOutcome[]>>
  } {
    const outcomes = new Map<number, Map<number, CrossOutcome[]>>()
    this.#policies.forEach((policy, k) => {
      const kept = this.#kept[k] as Kept
      for (const [i, outcome] of policy.evaluateAll?.(kept.parts, kept.environments) ?? []) {
        const file = kept.files[i] as number
        const place = kept.places[i] as number
        let ofFile = outcomes.get(file)
        if (!ofFile) outcomes.set(file, (ofFile = new Map()))
        const list = ofFile.get(place)
        if (list) list.push({ policy, outcome })
        else ofFile.set(place, [{ policy, outcome }])
      }
      this.#kept[k] = { parts: [], environments: [], files: [], places: [] }
    })
    return { namespaces: namespacesByName(this.#namespaces), outcomes }
  }
}
