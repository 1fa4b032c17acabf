import { createPrivateKey, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { compileCel } from '../engine/index.js'
import {
  boundedWarnings,
  createWebhookCertificates,
  installManifests,
  resourceOfKind,
  toRfc6902,
  WARNING_LIMITS,
} from './index.js'

describe('boundedWarnings', () => {
  it('deduplicates, clips to 120 characters, keeps at most 10 and says how many were left out', () => {
    const many = Array.from({ length: 25 }, (_, i) => `[p${i}] /spec: ${'x'.repeat(200)}`)
    const out = boundedWarnings([...many, ...many])
    expect(out).toHaveLength(WARNING_LIMITS.count)
    expect(out.every((w) => w.length <= WARNING_LIMITS.length)).toBe(true)
    expect(out.at(-1)).toBe('palisade: 16 more warnings not shown')
    expect(boundedWarnings(['a', 'a', 'b'])).toEqual(['a', 'b'])
  })
})

describe('toRfc6902', () => {
  it('creates missing parents in one add, drops replace/remove of missing paths, and sees earlier operations', () => {
    const object = { spec: { containers: [{ name: 'a' }] } }
    expect(
      toRfc6902(object, [
        { op: 'add', path: '/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false },
        { op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true },
        { op: 'replace', path: '/spec/missing', value: 1 },
        { op: 'remove', path: '/spec/containers/3' },
      ]),
    ).toEqual([
      { op: 'add', path: '/spec/containers/0/securityContext', value: { allowPrivilegeEscalation: false } },
      { op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true },
    ])
    expect(object).toEqual({ spec: { containers: [{ name: 'a' }] } }) // the input is not changed
  })
})

describe('createWebhookCertificates', () => {
  it('issues a CA and a serving certificate it signed, with the DNS names, localhost and 127.0.0.1', () => {
    const certs = createWebhookCertificates(
      ['palisade-webhook.palisade-system.svc'],
      30,
      new Date('2026-12-05T00:00:00Z'),
    )
    const ca = new X509Certificate(certs.caCert)
    const cert = new X509Certificate(certs.cert)
    expect(ca.ca).toBe(true)
    expect(cert.ca).toBe(false)
    expect(cert.verify(ca.publicKey)).toBe(true)
    expect(cert.checkIssued(ca)).toBe(true)
    expect(cert.subjectAltName).toBe('DNS:palisade-webhook.palisade-system.svc, DNS:localhost, IP Address:127.0.0.1')
    expect(cert.checkPrivateKey(createPrivateKey(certs.key))).toBe(true)
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(new Date('2027-01-03T00:00:00Z').getTime())
  })
})

describe('installManifests', () => {
  const manifests = installManifests({
    namespace: 'palisade-system',
    image: 'ghcr.io/x/palisade@sha256:' + 'a'.repeat(64),
    caBundle: 'Q0E=',
    environments: ['production', 'staging'],
    resources: ['pods', 'deployments'],
    failurePolicy: 'Fail',
    timeoutSeconds: 5,
    serveArgs: [],
  })
  const byKind = (kind: string) => manifests.filter((m) => m.kind === kind) as Record<string, any>[] // eslint-disable-line @typescript-eslint/no-explicit-any

  it('registers one webhook per environment by namespace label, plus one for the rest, leaving out kube-system and its own namespace', () => {
    const [validating] = byKind('ValidatingWebhookConfiguration')
    const hooks = validating?.webhooks as Record<string, any>[] // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(hooks.map((h) => h.clientConfig.service.path)).toEqual([
      '/validate/production',
      '/validate/staging',
      '/validate',
    ])
    expect(hooks[0]?.namespaceSelector.matchLabels).toEqual({ 'palisade.dev/environment': 'production' })
    expect(hooks[2]?.namespaceSelector.matchExpressions).toEqual([
      { key: 'palisade.dev/environment', operator: 'NotIn', values: ['production', 'staging'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'palisade-system'] },
    ])
    for (const h of hooks)
      expect(h).toMatchObject({
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 5,
        failurePolicy: 'Fail',
        clientConfig: { caBundle: 'Q0E=' },
      })
    expect(
      byKind('MutatingWebhookConfiguration')[0]?.webhooks.map(
        (h: { clientConfig: { service: { path: string } } }) => h.clientConfig.service.path,
      ),
    ).toEqual(['/mutate/production', '/mutate/staging', '/mutate'])
  })

  it('runs two replicas with a PodDisruptionBudget, probes and no service account token', () => {
    const [deployment] = byKind('Deployment')
    expect(deployment?.spec.replicas).toBe(2)
    expect(deployment?.spec.template.spec.automountServiceAccountToken).toBe(false)
    expect(deployment?.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/readyz')
    expect(byKind('PodDisruptionBudget')[0]?.spec.minAvailable).toBe(1)
    expect(byKind('Namespace')[0]?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted')
  })

  it('keeps Events, Leases and review requests out of a webhook on every resource, and judges cluster-scoped objects once (catch-all entry)', () => {
    const everything = installManifests({
      namespace: 'palisade-system',
      image: 'x',
      caBundle: '',
      environments: ['production', 'staging'],
      resources: ['*'],
      failurePolicy: 'Fail',
      timeoutSeconds: 5,
      serveArgs: [],
    })
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const hooks = (everything.find((m) => m.kind === 'ValidatingWebhookConfiguration') as Record<string, any>)
      .webhooks as { name: string; matchConditions?: { name: string; expression: string }[] }[]
    // The API server runs these CEL expressions; compile and run them with Palisade's own CEL (VAP semantics).
    const sent = (hook: (typeof hooks)[number], group: string, resource: string, namespace: string): boolean =>
      (hook.matchConditions ?? []).every((c) => {
        const compiled = compileCel(c.expression, { variables: ['request', 'object', 'oldObject'] })
        if (!compiled.ok) throw new Error(`${c.name}: ${compiled.error.message}`)
        return (
          compiled.program({
            request: { resource: { group, version: 'v1', resource }, namespace },
            object: null,
            oldObject: null,
          }) === true
        )
      })
    const [production, , catchAll] = hooks as [(typeof hooks)[number], (typeof hooks)[number], (typeof hooks)[number]]
    for (const hook of hooks) {
      expect(sent(hook, '', 'events', 'shop'), hook.name).toBe(false)
      expect(sent(hook, 'events.k8s.io', 'events', 'shop'), hook.name).toBe(false)
      expect(sent(hook, 'coordination.k8s.io', 'leases', 'kube-node-lease'), hook.name).toBe(false)
      expect(sent(hook, 'authorization.k8s.io', 'subjectaccessreviews', ''), hook.name).toBe(false)
      expect(sent(hook, 'apps', 'deployments', 'shop'), hook.name).toBe(true)
      expect(sent(hook, '', 'configmaps', 'shop'), hook.name).toBe(true)
      expect(sent(hook, '', 'namespaces', ''), hook.name).toBe(true)
    }
    expect(sent(production, 'rbac.authorization.k8s.io', 'clusterrolebindings', '')).toBe(false)
    expect(sent(catchAll, 'rbac.authorization.k8s.io', 'clusterrolebindings', '')).toBe(true)
    // With an explicit resource list there is no churn to exclude; environment entries still leave cluster-scoped objects to the catch-all.
    const [validating] = byKind('ValidatingWebhookConfiguration')
    expect(
      (validating?.webhooks as { matchConditions?: { name: string }[] }[]).map((h) =>
        (h.matchConditions ?? []).map((c) => c.name),
      ),
    ).toEqual([['namespaced-or-namespace'], ['namespaced-or-namespace'], []])
  })

  it('names resources as webhook rules do', () => {
    expect(['Pod', 'Ingress', 'NetworkPolicy', 'Kustomization', 'ConfigMap'].map(resourceOfKind)).toEqual([
      'pods',
      'ingresses',
      'networkpolicies',
      'kustomizations',
      'configmaps',
    ])
  })
})

describe('jsonDepthExceeds', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
  it('counts nesting outside strings only, escapes included', async () => {
    const { jsonDepthExceeds } = await import('./json-depth.js')
    const bytes = (s: string) => Buffer.from(s)
    expect(jsonDepthExceeds(bytes(deep(5)), 5)).toBe(false)
    expect(jsonDepthExceeds(bytes(deep(6)), 5)).toBe(true)
    expect(jsonDepthExceeds(bytes(`{"a":"${'['.repeat(50)}"}`), 2)).toBe(false)
    expect(jsonDepthExceeds(bytes(`{"a":"x\\\\"${'['.repeat(9)}`), 5)).toBe(true) // the string ends after an escaped backslash
    expect(jsonDepthExceeds(bytes(`{"a":"x\\"[[[[[[[["}`), 2)).toBe(false) // an escaped quote does not end the string
    expect(jsonDepthExceeds(bytes(deep(10_000)), 200)).toBe(true)
  })
})
