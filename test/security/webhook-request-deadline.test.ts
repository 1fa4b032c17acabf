/**
 * Hole: `palisade serve` gave each user policy its own evaluation deadline (--eval-timeout),
 * so many slow policies together could take longer than the API server waits for the
 * webhook (timeoutSeconds, 5 s from `palisade install`, at most 30 s): the API server then
 * applies its own failurePolicy and Palisade's answer, when it came, was an allow that said
 * every policy passed. One deadline per AdmissionReview (--request-timeout) is shared by all
 * its policies: past it the rest are not evaluated and the answer is an error as
 * --failure-policy says (deny with a clear message; allow only with a warning).
 *
 * Each policy here passes, within its own cost budget and deadline; only together are they
 * slow. A real `palisade serve` (the built CLI, real TLS) is asked about one Pod.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../e2e/run-cli.js'
import { podReview, postJson, startServe, type ServeProcess } from '../e2e/webhook-process.js'
import { logLine } from './serve-fixture.js'
import { podWithTier, tempDir, writeFiles } from './hostile-fixtures.js'

/** Policies that each pass a Pod after about 6.5 million cost units (under the 10 million of one evaluation). */
const SLOW_POLICIES = 16
const LIST = `[${Array.from({ length: 90 }, (_, i) => i).join(', ')}]`
const slowPolicy = (n: number): string => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: slow-${n}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [pods]
  variables:
    - name: l
      expression: "${LIST}"
  validations:
${'    - expression: "variables.l.all(a, variables.l.all(b, variables.l.all(c, a + b + c >= 0)))"\n'.repeat(9)}---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: slow-${n}
spec:
  policyName: slow-${n}
  validationActions: [Deny]
`

const serves: ServeProcess[] = []
let dir: string
let remove: () => void
let ca: Buffer

beforeAll(() => {
  const temp = tempDir('palisade-webhook-deadline-')
  dir = temp.dir
  remove = temp.remove
  const certs = runCli(['certs', '--out', join(dir, 'certs')])
  expect(certs.code, certs.stderr).toBe(0)
  ca = readFileSync(join(dir, 'certs/ca.crt'))
  writeFiles(
    dir,
    Object.fromEntries(Array.from({ length: SLOW_POLICIES }, (_, i) => [`policies/slow-${i}.yaml`, slowPolicy(i)])),
  )
})

afterAll(async () => {
  for (const serve of serves) {
    if (serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL')
      await serve.exited
    }
  }
  remove()
})

async function serveWith(extra: readonly string[]): Promise<ServeProcess> {
  const serve = await startServe(
    [
      '--tls-cert',
      'certs/tls.crt',
      '--tls-key',
      'certs/tls.key',
      '--policy-dir',
      'policies',
      '--policies',
      'pss-baseline',
      '--no-watch',
      '--eval-timeout',
      '60000',
      ...extra,
    ],
    dir,
  )
  serves.push(serve)
  return serve
}

let uid = 0
const review = (object: Record<string, unknown>) =>
  podReview(`7d1e4a2b-3c5d-4e6f-8a9b-${String(++uid).padStart(12, '0')}`, object, {
    username: 'jane@example.com',
    groups: ['system:authenticated'],
  })

type Response = { allowed: boolean; status?: { code?: number; message?: string }; warnings?: string[] }

describe('palisade serve given an AdmissionReview whose user policies together outlast --request-timeout', () => {
  it('denies with a message that says the object could not be checked in time, not an allow after every policy', async () => {
    const serve = await serveWith(['--request-timeout', '1000'])
    const reply = await postJson(serve.port, '/validate?timeout=5s', review(podWithTier('backend', 'slow-checked')), ca)
    expect(reply.status).toBe(200)
    const response = reply.json.response as Response
    expect(response.allowed).toBe(false)
    expect(response.status?.code).toBe(500)
    expect(response.status?.message).toMatch(
      /could not check Pod\/shop\/slow-checked in time: request deadline of 1000 ms passed after \d+ user polic(y|ies) started; the rest were not evaluated/,
    )
    const started = Number(/after (\d+) user/.exec(response.status?.message ?? '')?.[1])
    expect(started).toBeLessThan(SLOW_POLICIES)
    expect(
      await logLine(serve, (l) => l.msg === 'evaluation failed' && String(l.error).includes('request deadline')),
    ).toBeDefined()
  })

  it('with --failure-policy allow, admits only with a warning that the object was not checked, and logs the error', async () => {
    const serve = await serveWith(['--request-timeout', '1000', '--failure-policy', 'allow'])
    const reply = await postJson(serve.port, '/validate?timeout=5s', review(podWithTier('backend', 'slow-allowed')), ca)
    const response = reply.json.response as Response
    expect(response.allowed).toBe(true)
    expect(response.warnings).toEqual([
      'palisade: Pod/shop/slow-allowed not checked in time (--request-timeout 1000 ms); failure policy: allow',
    ])
    expect(
      await logLine(
        serve,
        (l) => l.msg === 'evaluation failed' && String(l.error).includes('the rest were not evaluated'),
      ),
    ).toBeDefined()
  })
})
