import type { KubeObject, LocatedResource } from '../core/index.js'
import { namespacesByName } from '../core/index.js'
import type { CompiledPolicy, CompiledPolicySet, PolicyOutcome } from '../engine/index.js'
import { ByteLog } from './byte-log.js'

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
  /** Handles of the parts in the log, with the environment, file and place of each. */
  parts: number[]
  environments: (string | undefined)[]
  files: number[]
  places: number[]
}

const nothingKept = (): Kept => ({ parts: [], environments: [], files: [], places: [] })

/** A file's cross-resource outcomes, as kept between the passes: the policy's index in the set and the outcome's handle. */
interface KeptOutcome {
  place: number
  policy: number
  outcome: number
}

export class RunParts {
  readonly #namespaces: KubeObject[] = []
  readonly #kept: Kept[]
  readonly #policies: readonly CompiledPolicy[]
  readonly #log = new ByteLog()

  constructor(policies: CompiledPolicySet) {
    if (!crossReadsDeclared(policies))
      throw new Error('RunParts: a cross-resource policy does not declare what it reads')
    this.#policies = policies.crossResource
    this.#kept = this.#policies.map(nothingKept)
  }

  /** Keep what the run needs of a file's resources (in the order a whole-run check would see them). */
  add(file: number, resources: readonly LocatedResource[], environments: readonly (string | undefined)[]): void {
    resources.forEach((resource, place) => {
      const object = resource.object
      // Copies: strings read from a file are slices of its whole text, and would keep every file's text alive.
      if (object.kind === 'Namespace') this.#namespaces.push(structuredClone(object))
      this.#policies.forEach((policy, k) => {
        const part = (policy.reads as NonNullable<CompiledPolicy['reads']>)(object)
        if (part === undefined) return
        const into = this.#kept[k] as Kept
        into.parts.push(this.#log.add(part))
        into.environments.push(environments[place])
        into.files.push(file)
        into.places.push(place)
      })
    })
  }

  /**
   * Evaluate the cross-resource policies over the kept parts, once: the run's Namespaces by
   * name, and each file's outcomes (read them once, in the second pass, with `outcomesOf`).
   */
  finish(): RunOutcomes {
    // Outcomes repeat (one message for every pod of a namespace): the same ones share their bytes.
    const log = new ByteLog(4096)
    const byFile = new Map<number, KeptOutcome[]>()
    this.#policies.forEach((policy, k) => {
      const kept = this.#kept[k] as Kept
      const parts = kept.parts.map((h) => this.#log.get(h) as KubeObject)
      for (const [i, outcome] of policy.evaluateAll?.(parts, kept.environments) ?? []) {
        const file = kept.files[i] as number
        const entry = { place: kept.places[i] as number, policy: k, outcome: log.add(outcome) }
        const list = byFile.get(file)
        if (list) list.push(entry)
        else byFile.set(file, [entry])
      }
      this.#kept[k] = nothingKept()
    })
    const policies = this.#policies
    return {
      namespaces: namespacesByName(this.#namespaces),
      outcomesOf(file) {
        const entries = byFile.get(file)
        byFile.delete(file)
        const out = new Map<number, CrossOutcome[]>()
        for (const e of entries ?? []) {
          const outcome = { policy: policies[e.policy] as CompiledPolicy, outcome: log.get(e.outcome) as PolicyOutcome }
          const list = out.get(e.place)
          if (list) list.push(outcome)
          else out.set(e.place, [outcome])
        }
        return out
      },
    }
  }
}

/** What the first pass over a run gives the second. */
export interface RunOutcomes {
  namespaces: Map<string, KubeObject>
  /** A file's cross-resource outcomes by the resource's place in the file (each file's once: they are let go). */
  outcomesOf(file: number): Map<number, CrossOutcome[]>
}
