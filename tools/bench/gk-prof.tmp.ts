import { readFileSync } from 'node:fs'
import YAML from 'yaml'
import { readConstraint } from '../../dist/compat/gatekeeper/constraint.js'
import { constraintPolicy } from '../../dist/compat/gatekeeper/policy.js'
import { readConstraintTemplate } from '../../dist/compat/gatekeeper/template.js'
import { withBudget } from '../../dist/engine/index.js'
const L = '/work/shared/corpus/gatekeeper-library/library/pod-security-policy/'
const [dir, sample, engine] = process.argv.slice(2) as [string, string, 'Rego' | 'K8sNativeValidation']
const t = readConstraintTemplate(YAML.parse(readFileSync(L + dir + '/template.yaml', 'utf8')))
const c = readConstraint(YAML.parse(readFileSync(`${L}${dir}/samples/${sample}/constraint.yaml`, 'utf8')), t)
const p = constraintPolicy(t, c, engine)
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, spec: { containers: [{ name: 'a', image: 'nginx', securityContext: { privileged: false } }, { name: 'b', image: 'x' }] } }
const env = { operation: 'CREATE', oldObject: null, user: { username: '', groups: [] }, namespaceLabels: {}, objects: [] }
const LIMITS = { cost: 10_000_000, timeoutMs: 2_000, clock: () => performance.now() }
const t0 = performance.now()
for (let i = 0; i < 20000; i++) withBudget(LIMITS, () => p.run(pod, env))
console.log(((performance.now() - t0) * 1e6) / 20000, 'ns/eval')
