/**
 * `npm run bench:gatekeeper`: the Gatekeeper library's pod-security templates (with their
 * sample constraints) over the pods of the 20,000-resource bench corpus, each on Rego and
 * on CEL, against the built-in policy that makes the same check. Prints nanoseconds per
 * evaluation (CPU time) and the ratio to the built-in; the floor is 3× on the better engine of a
 * template (the one `palisade scan` runs: CEL when the template has it).
 * Runs the built code (dist/), as the CLI does. `--runs=N` repeats each measurement (median), default 5.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import type { KubeObject } from '../../dist/core/index.js'
import { readConstraint } from '../../dist/compat/gatekeeper/constraint.js'
import { constraintPolicy, type GatekeeperEnv } from '../../dist/compat/gatekeeper/policy.js'
import { readConstraintTemplate } from '../../dist/compat/gatekeeper/template.js'
import { compilePolicy, syntheticRequest, withBudget, type CompiledPolicy } from '../../dist/engine/index.js'
import { BUILTIN_POLICIES } from '../../dist/policies/index.js'
import { writeCorpus } from './corpus.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const library = fileURLToPath(
  new URL('../../../shared/corpus/gatekeeper-library/library/pod-security-policy/', import.meta.url),
)
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5)
const FLOOR = 3

/** Library template folder, its sample constraint, the built-in policy making the same check. */
const PAIRS: readonly [string, string, string][] = [
  ['privileged-containers', 'psp-privileged-container', 'disallow-privileged-containers'],
  ['host-namespaces', 'psp-host-namespace', 'disallow-host-namespaces'],
  ['allow-privilege-escalation', 'psp-allow-privilege-escalation-container', 'disallow-privilege-escalation'],
  ['host-network-ports', 'block_host_network', 'disallow-host-ports'],
  ['read-only-root-filesystem', 'psp-readonlyrootfilesystem', 'require-read-only-root-filesystem'],
  ['proc-mount', 'psp-proc-mount', 'disallow-unmasked-proc-mount'],
  ['host-filesystem', 'no-host-paths', 'disallow-host-path-volumes'],
  ['forbidden-sysctls', 'psp-forbidden-sysctls', 'restrict-sysctls'],
]

/** The pod of every resource that has one (Pods, and the pod template of workloads). */
function pods(objects: readonly unknown[][]): KubeObject[] {
  const out: KubeObject[] = []
  for (const file of objects) {
    for (const o of file as KubeObject[]) {
      const spec = (o.spec ?? {}) as Record<string, unknown>
      const job = spec.jobTemplate as { spec?: { template?: unknown } } | undefined
      const template = (spec.template ?? job?.spec?.template) as Record<string, unknown> | undefined
      if (o.kind === 'Pod') out.push(o)
      else if (template && typeof template === 'object' && template.spec)
        out.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            ...((template.metadata as object) ?? {}),
            name: String((o.metadata as { name?: string }).name ?? ''),
            namespace: (o.metadata as { namespace?: string }).namespace ?? 'default',
          },
          spec: template.spec as Record<string, unknown>,
        })
    }
  }
  return out
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const LIMITS = { cost: 10_000_000, timeoutMs: 2_000, clock: () => performance.now() }

/**
 * CPU time of this process in nanoseconds. The machine is shared (often more runnable
 * threads than cores): wall time would count the time spent waiting for a core, which has
 * nothing to do with the cost of an evaluation; CPU time does not.
 */
function cpuNs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) * 1000
}

/** CPU nanoseconds per pod of one pass over all pods, and the pods that failed. */
function pass(n: number, run: () => number): { ns: number; failures: number } {
  const t0 = cpuNs()
  const failures = run()
  return { ns: (cpuNs() - t0) / n, failures }
}

const generated = writeCorpus(join(root, '.bench', 'corpus-gatekeeper'), 2000, 42)
const all = pods(generated.objects)
console.log(
  `corpus: ${generated.resources} resources, ${all.length} pods (Pods and workload pod templates); median of ${runs} runs\n`,
)
console.log(
  `  ${'template'.padEnd(28)}${'built-in'.padEnd(36)}${'built-in ns'.padStart(12)}${'Rego ns'.padStart(10)}${'CEL ns'.padStart(10)}  ratio (scan engine)  fails b/r/c`,
)
let worst = 0
for (const [dir, sample, builtinId] of PAIRS) {
  const tdoc = YAML.parse(readFileSync(join(library, dir, 'template.yaml'), 'utf8')) as KubeObject
  const cdoc = YAML.parse(readFileSync(join(library, dir, 'samples', sample, 'constraint.yaml'), 'utf8')) as KubeObject
  const template = readConstraintTemplate(tdoc)
  const constraint = readConstraint(cdoc, template)
  const spec = BUILTIN_POLICIES.find((p) => p.id === builtinId)
  if (!spec) throw new Error(`no built-in ${builtinId}`)
  const builtin = compilePolicy(spec).policy as CompiledPolicy
  const env: GatekeeperEnv = {
    operation: 'CREATE',
    oldObject: null,
    user: { username: '', groups: [] },
    namespaceLabels: {},
    objects: [],
  }
  const runBuiltin = (): number => {
    let f = 0
    for (const p of all)
      if (withBudget(LIMITS, () => builtin.evaluate(p, { request: syntheticRequest(p) }))?.status === 'fail') f++
    return f
  }
  const runEngine = (e: 'Rego' | 'K8sNativeValidation'): (() => number) | undefined => {
    if ((e === 'Rego' && !template.rego) || (e === 'K8sNativeValidation' && !template.cel)) return undefined
    const policy = constraintPolicy(template, constraint, e)
    return () => {
      let f = 0
      for (const p of all) if (withBudget(LIMITS, () => policy.run(p, env)).some((r) => r.status === 'fail')) f++
      return f
    }
  }
  const regoRun = runEngine('Rego')
  const celRun = runEngine('K8sNativeValidation')
  const scanRun = celRun ?? regoRun
  // The machine is shared: each run measures the three back to back, and the ratio is the median of the runs' ratios.
  const samples: { b: number; r?: number; c?: number; ratio: number }[] = []
  const fails = { b: 0, r: -1, c: -1 }
  for (let i = 0; i <= runs; i++) {
    const b = pass(all.length, runBuiltin)
    const r = regoRun ? pass(all.length, regoRun) : undefined
    const c = celRun ? pass(all.length, celRun) : undefined
    fails.b = b.failures
    fails.r = r?.failures ?? -1
    fails.c = c?.failures ?? -1
    const scan = celRun ? c : r
    if (i > 0)
      samples.push({ b: b.ns, ...(r ? { r: r.ns } : {}), ...(c ? { c: c.ns } : {}), ratio: (scan?.ns ?? 0) / b.ns })
  }
  void scanRun
  const b = { ns: median(samples.map((x) => x.b)), failures: fails.b }
  const rego = regoRun ? { ns: median(samples.map((x) => x.r ?? 0)), failures: fails.r } : undefined
  const cel = celRun ? { ns: median(samples.map((x) => x.c ?? 0)), failures: fails.c } : undefined
  const ratio = median(samples.map((x) => x.ratio))
  worst = Math.max(worst, ratio)
  console.log(
    `  ${dir.padEnd(28)}${builtinId.padEnd(36)}${b.ns.toFixed(0).padStart(12)}${(rego ? rego.ns.toFixed(0) : '-').padStart(10)}${(cel ? cel.ns.toFixed(0) : '-').padStart(10)}  ${`${ratio.toFixed(2)}x (${cel ? 'CEL' : 'Rego'})`.padEnd(19)}  ${b.failures}/${rego?.failures ?? '-'}/${cel?.failures ?? '-'}`,
  )
}
console.log(`\nworst ratio ${worst.toFixed(2)}x (floor ${FLOOR}x)`)
if (worst > FLOOR) process.exitCode = 1
