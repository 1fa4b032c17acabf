import type { KubeObject } from '../core/index.js'
import { namespacesByName } from '../core/index.js'
import type { CompiledPolicy, CompiledPolicySet, PolicyOutcome } from '../engine/index.js'
import { ByteLog, type ByteLogData } from './byte-log.js'

/** A cross-resource outcome of one resource of a file. */
export interface CrossOutcome {
  policy: CompiledPolicy
  outcome: PolicyOutcome
}

/** A file's cross-resource outcomes, as kept between the passes: the policy's index in the set and the outcome's handle. */
export interface KeptOutcome {
  place: number
  policy: number
  outcome: number
}

/** A policy's facts by scope, in run order (materialized: a few per namespace; see PartRole). */
export type Facts = Map<string, { parts: KubeObject[]; environments: (string | undefined)[] }>

/** What the first pass over a run gives the second. */
export interface RunOutcomes {
  namespaces: Map<string, KubeObject>
  /**
   * A file's cross-resource outcomes by the resource's place in the file (each file's once:
   * they are let go). `objects` and `environments`: the file's resources, for the policies that
   * judge each subject from the run's facts (PartRole) here. `places`: each resource's place as
   * the first pass numbered it, when not its index (see pipeline/kept-parts.ts).
   */
  outcomesOf(
    file: number,
    objects: readonly KubeObject[],
    environments: readonly (string | undefined)[],
    places?: readonly number[],
  ): Map<number, CrossOutcome[]>
  /** Plain data for another thread (`runOutcomesFrom`): the namespaces, the facts and every file's outcomes not yet taken. */
  data(): RunOutcomesData
}

/** A run's outcomes as data a worker thread is sent (structured clone). */
export interface RunOutcomesData {
  namespaces: KubeObject[]
  /** file, place, policy, outcome handle: four numbers per outcome. */
  entries: Int32Array
  log: ByteLogData
  /** Per cross-resource policy (by index), its facts by scope. */
  facts: Facts[]
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
  return runOutcomes(policies, data.namespaces, byFile, ByteLog.fromData(data.log), data.facts)
}

/** The outcomes a run's first pass gives (RunParts.finish, runOutcomesFrom). */
export function runOutcomes(
  set: CompiledPolicySet,
  namespaces: KubeObject[],
  byFile: Map<number, KeptOutcome[]>,
  log: ByteLog,
  facts: Facts[],
): RunOutcomes {
  const policies = set.crossResource
  const judges = policies.flatMap((policy, k) => (policy.partRole && policy.reads ? [k] : []))
  return {
    namespaces: namespacesByName(namespaces),
    outcomesOf(file, objects, environments, places) {
      const entries = byFile.get(file)
      byFile.delete(file)
      const found: (KeptOutcome & { got: PolicyOutcome })[] = []
      for (const e of entries ?? []) found.push({ ...e, got: log.get(e.outcome) as PolicyOutcome })
      for (const k of judges)
        for (const [place, got] of subjectOutcomes(policies[k] as CompiledPolicy, facts[k], objects, environments))
          found.push({ place: places ? (places[place] as number) : place, policy: k, outcome: -1, got })
      // A resource's outcomes in policy order, as a whole-run evaluation gives them.
      found.sort((a, b) => a.place - b.place || a.policy - b.policy)
      const out = new Map<number, CrossOutcome[]>()
      for (const e of found) {
        const outcome = { policy: policies[e.policy] as CompiledPolicy, outcome: e.got }
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
      return { namespaces, entries, log: log.data(), facts }
    },
  }
}

/**
 * The outcomes of a file's subjects (PartRole) by place: evaluateAll over the facts of a scope
 * and the file's subjects in it, once per scope (subjects do not read each other), so a
 * file costs its subjects plus the facts of their scopes.
 */
function subjectOutcomes(
  policy: CompiledPolicy,
  facts: Facts | undefined,
  objects: readonly KubeObject[],
  environments: readonly (string | undefined)[],
): [number, PolicyOutcome][] {
  const byScope = new Map<string, { places: number[]; parts: KubeObject[]; environments: (string | undefined)[] }>()
  objects.forEach((object, place) => {
    const part = policy.reads?.(object)
    const role = part === undefined ? undefined : policy.partRole?.(part)
    if (!role || !('subject' in role)) return
    const into = byScope.get(role.subject) ?? { places: [], parts: [], environments: [] }
    into.places.push(place)
    into.parts.push(part as KubeObject)
    into.environments.push(environments[place])
    byScope.set(role.subject, into)
  })
  const out: [number, PolicyOutcome][] = []
  for (const [scope, subjects] of byScope) {
    const scoped = facts?.get(scope) ?? { parts: [], environments: [] }
    const from = scoped.parts.length
    const all = policy.evaluateAll?.(
      [...scoped.parts, ...subjects.parts],
      [...scoped.environments, ...subjects.environments],
    )
    for (const [i, outcome] of all ?? []) if (i >= from) out.push([subjects.places[i - from] as number, outcome])
  }
  return out
}
