import { podReview } from './tools/bench/pod-review.js'
import { loadServePolicies } from './src/cli/serve-policies.js'
import { processIo } from './src/cli/io.js'
import { evaluate } from './src/engine/index.js'
import { checkObject } from './src/pipeline/index.js'
const loaded = await loadServePolicies({}, processIo())
const resolver = loaded.resolverAt(new Date())
const text = JSON.stringify(podReview())
const obj = JSON.parse(text).request.object
const raw = JSON.parse(text).request
const bench = (label: string, f: () => unknown) => {
  for (let i = 0; i < 3000; i++) f()
  const N = 20000, t = performance.now()
  for (let i = 0; i < N; i++) f()
  console.log(label, ((performance.now() - t) / N * 1000).toFixed(1), 'us')
}
bench('parse', () => JSON.parse(text))
bench('evaluate', () => evaluate(loaded.policies, obj, { request: raw, oldObject: null, namespaceObject: null }))
bench('checkObject', () => checkObject(obj, { policies: loaded.policies, resolver, environment: undefined, context: { request: raw, oldObject: null, namespaceObject: null } }))
const evs = evaluate(loaded.policies, obj, { request: raw, oldObject: null, namespaceObject: null })
console.log(evs.length, evs.filter(e => e.outcome.violations.length).map(e => e.policy.meta.id))
bench('actionFor', () => resolver.actionFor('x', 'high', undefined))
bench('waiverFor', () => resolver.waiverFor('x', { apiVersion: 'v1', kind: 'Pod', name: 'a' }, undefined))
import { PolicyGeneration, decide, readAdmissionReview } from './src/server/index.js'
const gen = new PolicyGeneration(1, loaded, new Date())
const req = readAdmissionReview(JSON.parse(text))
bench('decide', () => decide({ request: req, mode: 'validate', pathEnvironment: undefined, fallbackEnvironment: undefined, generation: gen, failurePolicy: 'deny', now: Date.now() }))
bench('checkObject again', () => checkObject(obj, { policies: loaded.policies, resolver, environment: undefined, context: { request: raw, oldObject: null, namespaceObject: null } }))
bench('envForNs', () => resolver.environmentForNamespace('shop'))
