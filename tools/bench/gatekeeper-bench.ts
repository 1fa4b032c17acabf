/**
 * `npm run bench:gatekeeper`: the Gatekeeper library's pod-security templates (with their
 * sample constraints) over the pods of the 20,000-resource bench corpus, each on Rego and
 * on CEL, against the built-in policy that makes the same check. Prints nanoseconds per
 * evaluation and the ratio to the built-in; the floor is 3× on the better engine of a
 * template (the one `palisade scan` runs: CEL when the template has it).
 * `--runs=N` repeats each measurement (median), default 5.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import type { KubeObject } from '../../src/core/index.js'
import { readConstraint } from '../../src/compat/gatekeeper/constraint.js'
import { constraintPolicy, type GatekeeperEnv } from '../../src/compat/gatekeeper/policy.js'
import { readConstraintTemplate } from '../../src/compat/gatekeeper/template.js'
import { compilePolicy, syntheticRequest, withBudget, type CompiledPolicy } from '../../src/engine/index.js'
import { BUILTIN_POLICIES } from '../../src/policies/index.js'
import { writeCorpus } from './corpus.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const library = fileURLToPath(new URL('../../../shared/corpus/gatekeeper-library/library/pod-security-policy/', import.meta.url))
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
      else if (template && typeof template === 'object' && template.spec) out.push({ apiVersion: 'v1', kind: 'Pod', metadata: { ...((template.metadata as object) ?? {}), name: String((o.metadata as { name?: string }).name ?? ''), namespace: (o.metadata as { namespace?: string }).namespace ?? 'default' }, spec: template.spec as Record<string, unknown> })
    }
  }
  return out
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const LIMITS = { cost: 10_000_000, timeoutMs: 2_000, clock: () => performance.now() }

function time(label: string, n: number, run: () => number): { ns: number; failures: number } {
  let failures = 0
  const samples: number[] = []
  run() // warm-up
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    failures = run()
    samples.push(Number(process.hrtime.bigint() - t0) / n)
  }
  void label
  return { ns: median(samples), failures }
}

const generated = writeCorpus(join(root, '.bench', 'corpus-gatekeeper'), 2000, 42)
const all = pods(generated.objects)
console.log(`corpus: ${generated.resources} resources, ${all.length} pods (Pods and workload pod templates); median of ${runs} runs\n`)
console.log(`  ${'template'.padEnd(28)}${'built-in'.padEnd(36)}${'built-in ns'.padStart(12)}${'Rego ns'.padStart(10)}${'CEL ns'.padStart(10)}  ratio (scan engine)  fails b/r/c`)
let worst = 0
for (const [dir, sample, builtinId] of PAIRS) {
  const tdoc = YAML.parse(readFileSync(join(library, dir, 'template.yaml'), 'utf8')) as KubeObject
  const cdoc = YAML.parse(readFileSync(join(library, dir, 'samples', sample, 'constraint.yaml'), 'utf8')) as KubeObject
  const template = readConstraintTemplate(tdoc)
  const constraint = readConstraint(cdoc, template)
  const spec = BUILTIN_POLICIES.find((p) => p.id === builtinId)
  if (!spec) throw new Error(`no built-in ${builtinId}`)
  const builtin = compilePolicy(spec).policy as CompiledPolicy
  const env: GatekeeperEnv = { operation: 'CREATE', oldObject: null, user: { username: '', groups: [] }, namespaceLabels: {}, objects: [] }
  const b = time('builtin', all.length, () => {
    let f = 0
    for (const p of all) if (withBudget(LIMITS, () => builtin.evaluate(p, { request: syntheticRequest(p) }))?.status === 'fail') f++
    return f
  })
  const engine = (e: 'Rego' | 'K8sNativeValidation'): { ns: number; failures: number } | undefined => {
    if ((e === 'Rego' && !template.rego) || (e === 'K8sNativeValidation' && !template.cel)) return undefined
    const policy = constraintPolicy(template, constraint, e)
    return time(e, all.length, () => {
      let f = 0
      for (const p of all) if (withBudget(LIMITS, () => policy.run(p, env)).some((r) => r.status === 'fail')) f++
      return f
    })
  }
  const rego = engine('Rego')
  const cel = engine('K8sNativeValidation')
  const scanEngine = cel ?? rego
  const ratio = (scanEngine?.ns ?? 0) / b.ns
  worst = Math.max(worst, ratio)
  console.log(`  ${dir.padEnd(28)}${builtinId.padEnd(36)}${b.ns.toFixed(0).padStart(12)}${(rego ? rego.ns.toFixed(0) : '-').padStart(10)}${(cel ? cel.ns.toFixed(0) : '-').padStart(10)}  ${`${ratio.toFixed(2)}x (${cel ? 'CEL' : 'Rego'})`.padEnd(19)}  ${b.failures}/${rego?.failures ?? '-'}/${cel?.failures ?? '-'}`)
}
console.log(`\nworst ratio ${worst.toFixed(2)}x (floor ${FLOOR}x)`)
if (worst > FLOOR) process.exitCode = 1
