import { podReview } from './tools/bench/pod-review.js'
import { credentialPolicy } from './src/git/index.js'
import { compilePolicySet } from './src/engine/index.js'
const { set } = compilePolicySet([credentialPolicy()])
const p = set.policies[0]!
const obj = (podReview() as any).request.object
const ctx = { request: {}, oldObject: null, namespaceObject: null }
for (let i = 0; i < 2000; i++) p.evaluate(obj, ctx)
const t = performance.now()
for (let i = 0; i < 20000; i++) p.evaluate(obj, ctx)
console.log(((performance.now() - t) / 20000 * 1000).toFixed(1), 'us')
