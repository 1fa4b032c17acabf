import type { KubeObject, LocatedResource } from '../core/index.js'
import { namespacesByName } from '../core/index.js'
import type { CompiledPolicy, CompiledPolicySet, PolicyOutcome } from '../engine/index.js'
import { ByteLog, type ByteLogData } from './byte-log.js'

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
 * What one file gives a whole run: its Namespaces and, for each cross-resource policy (by its
 * index in `crossResource`), the parts it reads, each with its place in the file. Plain data
 * (a worker thread computes it and posts it to the thread that keeps the run's parts).
 */
export interface FileParts {
  namespaces: KubeObject[]
  /** In the order a whole-run check would see them: by place, then by policy. */
  parts: { policy: number; place: number; part: unknown; environment: string | undefined }[]
}

/** What a file's resources give the run (pure: `reads` of each cross-resource policy). */
export function filePartsOf(
  policies: CompiledPolicySet,
  resources: readonly LocatedResource[],
  environments: readonly (string | undefined)[],
): FileParts {
  const out: FileParts = { namespaces: [], parts: [] }
  resources.forEach((resource, place) => {
    const object = resource.object
    if (object.kind === 'Namespace') out.namespaces.push(object)
    policies.crossResource.forEach((policy, k) => {
      const part = (policy.reads as NonNullable<CompiledPolicy['reads']>)(object)
      if (part !== undefined) out.parts.push({ policy: k, place, part, environment: environments[place] })
    })
  })
  return out
}

/**
 * What a streaming scan keeps of a whole run while it reads the files a first time: the
 * Namespaces (policies see a resource's Namespace object) and, for each cross-resource
 * policy, the parts of objects it declares it reads (`CompiledPolicy.reads`), each with the
 * file and place it came from. Files may come in any order (threads read shares of them):
 * `finish` puts them in file order, then evaluates the cross-resource policies over those
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
  readonly #namespaces: { file: number; object: KubeObject }[] = []
  readonly #kept: Kept[]
  readonly #set: CompiledPolicySet
  #log = new ByteLog()

  constructor(policies: CompiledPolicySet) {
    if (!crossReadsDeclared(policies))
      throw new Error('RunParts: a cross-resource policy does not declare what it reads')
    this.#set = policies
    this.#kept = policies.crossResource.map(nothingKept)
  }

  /** Keep what the run needs of a file's resources (in the order a whole-run check would see them). */
  add(file: number, resources: readonly LocatedResource[], environments: readonly (string | undefined)[]): void {
    this.addParts(file, filePartsOf(this.#set, resources, environments))
  }

  /** Keep a file's parts (computed here or by another thread); files in any order, each once. */
  addParts(file: number, parts: FileParts): void {
    // Copies: strings read from a file are slices of its whole text, and would keep every file's text alive.
    for (const object of parts.namespaces) this.#namespaces.push({ file, object: structuredClone(object) })
    for (const { policy, place, part, environment } of parts.parts) {
      const into = this.#kept[policy] as Kept
      into.parts.push(this.#log.add(part))
      into.environments.push(environment)
      into.files.push(file)
      into.places.push(place)
    }
  }

  /**
   * Evaluate the cross-resource policies over the kept parts, once, in file order: the run's
   * Namespaces by name, and each file's outcomes (read them once, in the second pass, with `outcomesOf`).
   */
  finish(): RunOutcomes {
    // Outcomes repeat (one message for every pod of a namespace): the same ones share their bytes.
    const log = new ByteLog(4096)
    const byFile = new Map<number, KeptOutcome[]>()
    this.#set.crossResource.forEach((policy, k) => {
      const kept = this.#kept[k] as Kept
      // Stable: a file's parts were added in place order.
      const order = kept.files.map((_, i) => i).sort((a, b) => (kept.files[a] as number) - (kept.files[b] as number))
      const parts = order.map((i) => this.#log.get(kept.parts[i] as number) as KubeObject)
      const environments = order.map((i) => kept.environments[i])
      for (const [j, outcome] of policy.evaluateAll?.(parts, environments) ?? []) {
        const i = order[j] as number
        const file = kept.files[i] as number
        const entry = { place: kept.places[i] as number, policy: k, outcome: log.add(outcome) }
        const list = byFile.get(file)
        if (list) list.push(entry)
        else byFile.set(file, [entry])
      }
      this.#kept[k] = nothingKept()
    })
    const namespaces = this.#namespaces.sort((a, b) => a.file - b.file).map((n) => n.object)
    // The parts are let go (the second pass holds this object while it checks the files): ~17 MB at 100,000 resources.
    this.#log = new ByteLog()
    this.#namespaces.length = 0
    return runOutcomes(this.#set, namespaces, byFile, log)
  }
}

/** What the first pass over a run gives the second. */
export interface RunOutcomes {
  namespaces: Map<string, KubeObject>
  /** A file's cross-resource outcomes by the resource's place in the file (each file's once: they are let go). */
  outcomesOf(file: number): Map<number, CrossOutcome[]>
  /** Plain data for another thread (`runOutcomesFrom`): the namespaces and every file's outcomes not yet taken. */
  data(): RunOutcomesData
}

/** A run's outcomes as data a worker thread is sent (structured clone). */
export interface RunOutcomesData {
  namespaces: KubeObject[]
  /** file, place, policy, outcome handle: four numbers per outcome. */
  entries: Int32Array
  log: ByteLogData
}

/** The run's outcomes in another thread, from `RunOutcomes.data()`, for the same policy set. */
export function runOutcomesFrom(policies: CompiledPolicySet, data: RunOutcomesData): RunOutcomes {
  const byFile = new Map<number, KeptOutcome[]>()
  const e = data.entries
  for (let i = 0; i < e.length; i += 4) {
    const file = e[i] as number
    const entry = { place: e[i + 1] as number, policy: e[i + 2] as number, outcome: e[i + 3] as number }
    const list = byFile.get(file)
    if (list) list.push(entry)
    else byFile.set(file, [entry])
  }
  return runOutcomes(policies, data.namespaces, byFile, ByteLog.fromData(data.log))
}

function runOutcomes(
  set: CompiledPolicySet,
  namespaces: KubeObject[],
  byFile: Map<number, KeptOutcome[]>,
  log: ByteLog,
): RunOutcomes {
  const policies = set.crossResource
  return {
    namespaces: namespacesByName(namespaces),
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
    data() {
      let n = 0
      for (const list of byFile.values()) n += list.length
      const entries = new Int32Array(n * 4)
      let at = 0
      for (const [file, list] of byFile)
        for (const entry of list) {
          entries.set([file, entry.place, entry.policy, entry.outcome], at)
          at += 4
        }
      return { namespaces, entries, log: log.data() }
    },
  }
}
