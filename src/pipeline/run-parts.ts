import type { KubeObject, LocatedResource } from '../core/index.js'
import type { CompiledPolicy, CompiledPolicySet } from '../engine/index.js'
import { ByteLog } from './byte-log.js'
import { runOutcomes, type Facts, type KeptOutcome, type RunOutcomes } from './run-outcomes.js'

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

/**
 * What a file's resources give the run (pure: `reads` of each cross-resource policy). `places`:
 * each resource's place in its file, when `resources` are not all of them (pipeline/kept-parts.ts).
 */
export function filePartsOf(
  policies: CompiledPolicySet,
  resources: readonly LocatedResource[],
  environments: readonly (string | undefined)[],
  places?: readonly number[],
): FileParts {
  const out: FileParts = { namespaces: [], parts: [] }
  // Per policy, the `first` keys this file already gave: a later part with the same key is never read.
  const firsts = policies.crossResource.map(() => new Set<string>())
  resources.forEach((resource, index) => {
    const object = resource.object
    const place = places ? (places[index] as number) : index
    if (object.kind === 'Namespace') out.namespaces.push(object)
    policies.crossResource.forEach((policy, k) => {
      const part = (policy.reads as NonNullable<CompiledPolicy['reads']>)(object)
      if (part === undefined) return
      const role = policy.partRole?.(part)
      // Subjects are judged in the second pass, from the facts: nothing of them is kept.
      if (role && 'subject' in role) return
      if (role && 'first' in role) {
        const seen = firsts[k] as Set<string>
        if (seen.has(role.first)) return
        seen.add(role.first)
      }
      out.parts.push({ policy: k, place, part, environment: environments[index] })
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
  /** Facts only: the scope of each (PartRole). */
  scopes: string[]
}

const nothingKept = (): Kept => ({ parts: [], environments: [], files: [], places: [], scopes: [] })

/** One policy's kept parts by what they are to it (PartRole). */
interface PolicyKept {
  /** Read with every other: parts without a role. */
  whole: Kept
  /** The first part of each `first` key, in file order (files come in any order). */
  firsts: Map<string, { file: number; place: number; part: number; environment: string | undefined }>
  facts: Kept
}

const nothingKeptFor = (): PolicyKept => ({ whole: nothingKept(), firsts: new Map(), facts: nothingKept() })

function keep(into: Kept, part: number, environment: string | undefined, file: number, place: number): void {
  into.parts.push(part)
  into.environments.push(environment)
  into.files.push(file)
  into.places.push(place)
}

/** Indices of a Kept's entries in run order: by file, then place. */
function runOrder(kept: Kept): number[] {
  const { files, places } = kept
  return files
    .map((_, i) => i)
    .sort((a, b) => (files[a] as number) - (files[b] as number) || (places[a] as number) - (places[b] as number))
}

export class RunParts {
  readonly #namespaces: { file: number; object: KubeObject }[] = []
  readonly #kept: PolicyKept[]
  readonly #set: CompiledPolicySet
  #log = new ByteLog()

  constructor(policies: CompiledPolicySet) {
    if (!crossReadsDeclared(policies))
      throw new Error('RunParts: a cross-resource policy does not declare what it reads')
    this.#set = policies
    this.#kept = policies.crossResource.map(nothingKeptFor)
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
      const into = this.#kept[policy] as PolicyKept
      const role = this.#set.crossResource[policy]?.partRole?.(part as KubeObject)
      if (role && 'subject' in role) continue
      if (role && 'first' in role) {
        const had = into.firsts.get(role.first)
        if (had && had.file <= file) continue
        into.firsts.set(role.first, { file, place, part: this.#log.add(part), environment })
      } else if (role && 'fact' in role) {
        keep(into.facts, this.#log.add(part), environment, file, place)
        into.facts.scopes.push(role.fact)
      } else keep(into.whole, this.#log.add(part), environment, file, place)
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
    const facts: Facts[] = []
    this.#set.crossResource.forEach((policy, k) => {
      const { whole: kept, firsts, facts: factsKept } = this.#kept[k] as PolicyKept
      for (const f of firsts.values()) keep(kept, f.part, f.environment, f.file, f.place)
      const order = runOrder(kept)
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
      const scoped: Facts = new Map()
      for (const i of runOrder(factsKept)) {
        const scope = factsKept.scopes[i] as string
        const into = scoped.get(scope) ?? { parts: [], environments: [] }
        into.parts.push(this.#log.get(factsKept.parts[i] as number) as KubeObject)
        into.environments.push(factsKept.environments[i])
        scoped.set(scope, into)
      }
      facts.push(scoped)
      this.#kept[k] = nothingKeptFor()
    })
    const namespaces = this.#namespaces.sort((a, b) => a.file - b.file).map((n) => n.object)
    // The parts are let go (the second pass holds this object while it checks the files): ~17 MB at 100,000 resources.
    this.#log = new ByteLog()
    this.#namespaces.length = 0
    return runOutcomes(this.#set, namespaces, byFile, log, facts)
  }
}
