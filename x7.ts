import { podReview } from './tools/bench/pod-review.js'
import { loadServePolicies } from './src/cli/serve-policies.js'
import { processIo } from './src/cli/io.js'
import { PolicyGeneration, decide, readAdmissionReview } from './src/server/index.js'
const loaded = await loadServePolicies({}, processIo())
const gen = new PolicyGeneration(1, loaded, new Date())
const text = JSON.stringify(podReview())
const t = performance.now()
let n = 0
while (performance.now() - t < 6000) { n++; decide({ request: readAdmissionReview(JSON.parse(text)), mode: 'validate', pathEnvironment: undefined, fallbackEnvironment: undefined, generation: gen, failurePolicy: 'deny', now: Date.now() }) }
console.log(n)
