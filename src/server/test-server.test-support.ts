import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createResolver, parseConfig } from '../config/index.js'
import { compilePolicySet, definePolicy, indexPolicies } from '../engine/index.js'
import { BUILTIN_POLICIES } from '../policies/index.js'
import { createHandler, PolicyGeneration, WebhookMetrics, type DecisionRecord, type HandlerOptions } from './index.js'

/** palisade.yaml for the tests: prod denies, staging warns (and warns require-run-as-non-root until 2099), audit-ns audits. */
export const CONFIG = `environments:
  - name: production
    namespaces: [prod-*]
  - name: staging
    namespaces: [staging-*]
    actions:
      default: warn
  - name: audit
    namespaces: [audit-*]
    actions:
      default: audit
actions:
  policies:
    require-run-as-non-root: { action: warn, until: "2099-01-01", then: deny }
`

/** A policy that reads oldObject: an UPDATE must not change the team label. */
export const TEAM_POLICY = definePolicy({
  id: 'restrict-team-label-change',
  title: 'The team label is fixed',
  summary: 'An update must keep metadata.labels.team.',
  rationale: 'Ownership moves through a review, not an edit.',
  severity: 'medium',
  category: 'workload',
  controls: [{ framework: 'nist', control: 'CM-3' }],
  messages: { changed: 'ConfigMap changes its team label.' },
  match: { kinds: ['ConfigMap'] },
  rules: [
    {
      messageId: 'changed',
      path: '/metadata/labels/team',
      expression:
        "oldObject == null || object.metadata.?labels.?team.orValue('') == oldObject.metadata.?labels.?team.orValue('')",
    },
  ],
})

/** A policy that cannot evaluate objects labelled boom=true (its check throws): status error. */
export const BOOM_POLICY = definePolicy({
  id: 'restrict-boom',
  title: 'A check that fails to run',
  summary: 'Throws on objects labelled boom=true.',
  rationale: 'Tests the failure policy.',
  severity: 'low',
  category: 'workload',
  controls: [{ framework: 'nist', control: 'CM-3' }],
  messages: { never: 'never reported' },
  match: { kinds: ['ConfigMap'] },
  check: (object) => {
    const labels = (object.metadata as { labels?: Record<string, string> } | undefined)?.labels
    if (labels?.boom === 'true') throw new Error('lookup backend unavailable')
    return []
  },
})

const compiled = compilePolicySet([...BUILTIN_POLICIES, TEAM_POLICY, BOOM_POLICY])
if (compiled.diagnostics.length > 0) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '))
const parsed = parseConfig(CONFIG, 'palisade.yaml', '.')
if (!parsed.config) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '))
const config = parsed.config

/** A generation of every built-in policy plus TEAM_POLICY under CONFIG. */
export function testGeneration(id = 1): PolicyGeneration {
  return new PolicyGeneration(
    id,
    {
      policies: indexPolicies(compiled.set.policies),
      resolverAt: (now) => createResolver(config, now),
      hash: `h${id}`,
      environments: ['production', 'staging', 'audit'],
    },
    new Date('2026-12-01T00:00:00Z'),
  )
}

/** The handler on a plain HTTP server on a free loopback port (real TLS is for test/e2e). */
export async function startTestServer(
  overrides: Partial<HandlerOptions> & { configure?: (server: Server) => void } = {},
) {
  const decisions: DecisionRecord[] = []
  const logs: string[] = []
  const metrics = new WebhookMetrics({ processMetrics: false })
  let generation: PolicyGeneration | undefined = testGeneration()
  let accepting = true
  const handler = createHandler({
    state: { generation: () => generation, accepting: () => accepting },
    metrics,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    failurePolicy: 'deny',
    onDecision: (r) => decisions.push(r),
    clock: () => Date.parse('2026-12-05T12:00:00Z'),
    ...overrides,
  })
  const server = createServer({ connectionsCheckingInterval: 100 }, handler)
  overrides.configure?.(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    decisions,
    logs,
    metrics,
    setGeneration: (g: PolicyGeneration | undefined) => (generation = g),
    setAccepting: (a: boolean) => (accepting = a),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** An AdmissionReview as kube-apiserver sends it. */
export function review(
  object: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const meta = (object?.metadata ?? {}) as Record<string, unknown>
  const apiVersion = String(object?.apiVersion ?? 'v1')
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1)
  const kind = String(object?.kind ?? 'Pod')
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'b3c1f0a2-5d1e-4c4f-9c6d-1f2e3d4c5b6a',
      kind: { group, version, kind },
      resource: { group, version, resource: `${kind.toLowerCase()}s` },
      requestKind: { group, version, kind },
      requestResource: { group, version, resource: `${kind.toLowerCase()}s` },
      name: meta.name ?? '',
      namespace: meta.namespace ?? '',
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
      ...extra,
    },
  }
}

/** A pod that breaks several restricted-profile rules. */
export function privilegedPod(namespace: string, name = 'web'): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [{ name: 'app', image: 'registry.example.com/app:1.2.3', securityContext: { privileged: true } }],
    },
  }
}
