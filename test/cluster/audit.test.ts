import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KubeClient } from '../../src/cluster/index.js'
import type { KubeObject } from '../../src/core/index.js'
import { runInProcess } from '../../src/cli/in-process.test-support.js'
import { adminClient, cluster, mustCreate, namespace, uniqueNamespace } from './kube.js'

const pod = (
  ns: string,
  name: string,
  securityContext: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, annotations },
  spec: { containers: [{ name: 'app', image: 'registry.example/app@sha256:' + 'a'.repeat(64), securityContext }] },
})

interface JsonReport {
  findings: Array<{
    policy: string
    status: string
    action: string
    resource: { kind: string; namespace?: string; name: string }
    file: string
    line: number
    path: string
    environment: string | null
    renders?: Array<{ application: string }>
  }>
  errors: unknown[]
}

/** A minimal PolicyReport CRD pair (the real ones are Kyverno's; the shape of what is stored is ours). */
function reportCrd(kind: 'PolicyReport' | 'ClusterPolicyReport'): KubeObject {
  const plural = `${kind.toLowerCase()}s`
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.wgpolicyk8s.io` },
    spec: {
      group: 'wgpolicyk8s.io',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: kind === 'PolicyReport' ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: 'v1alpha2',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  }
}

describe.skipIf(!cluster)('palisade audit against a real kube-apiserver', () => {
  let client: KubeClient
  let ns: string
  const kubeconfig = (): string => cluster?.kubeconfig as string
  beforeAll(async () => {
    client = adminClient()
    ns = uniqueNamespace('audit')
    await mustCreate(client, namespace(ns))
    await mustCreate(client, pod(ns, 'plain', { privileged: false }))
    // Created out of band: nothing in Git says so.
    await mustCreate(
      client,
      pod(ns, 'priv', { privileged: true }, { 'argocd.argoproj.io/tracking-id': 'shop:/Pod:' + ns + '/priv' }),
    )
  })
  afterAll(() => client?.close())

  it('reports a privileged Pod created out of band, at its line in the live YAML, with its Argo CD application', async () => {
    const run = await runInProcess([
      'audit',
      '--kubeconfig',
      kubeconfig(),
      '-n',
      ns,
      '--policies',
      'disallow-privileged-containers',
      '--format',
      'json',
    ])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as JsonReport
    expect(report.findings.map((f) => [f.policy, f.resource.kind, f.resource.name, f.path])).toEqual([
      ['disallow-privileged-containers', 'Pod', 'priv', '/spec/containers/0/securityContext/privileged'],
    ])
    const [finding] = report.findings
    expect(finding?.file).toBe(`k8s://test/${ns}/Pod/priv`)
    expect(finding?.line).toBeGreaterThan(1)
    expect(finding?.renders?.map((r) => r.application)).toEqual(['Application shop'])
  })

  it('passes a namespace without violations (exit 0), and text output has a code frame of the live object', async () => {
    const clean = uniqueNamespace('clean')
    await mustCreate(client, namespace(clean))
    await mustCreate(client, pod(clean, 'ok', { privileged: false }))
    const ok = await runInProcess([
      'audit',
      '--kubeconfig',
      kubeconfig(),
      '-n',
      clean,
      '--policies',
      'disallow-privileged-containers',
    ])
    expect(ok.code).toBe(0)
    const text = await runInProcess([
      'audit',
      '--kubeconfig',
      kubeconfig(),
      '-n',
      ns,
      '--policies',
      'disallow-privileged-containers',
      '--no-color',
    ])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(new RegExp(`k8s://test/${ns}/Pod/priv:\\d+:\\d+`))
    expect(text.stdout).toContain('privileged: true')
  })

  it('uses palisade.yaml environments by namespace: a warn environment does not block', async () => {
    const dir = path.join(cluster?.dir as string, `cfg-${ns}`)
    const { mkdirSync } = await import('node:fs')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      path.join(dir, 'palisade.yaml'),
      `environments:\n  - name: sandbox\n    namespaces: ["${ns}"]\n    actions:\n      default: warn\n`,
    )
    const run = await runInProcess([
      'audit',
      '--kubeconfig',
      kubeconfig(),
      '-n',
      ns,
      '--policies',
      'disallow-privileged-containers',
      '--format',
      'json',
      '--config',
      path.join(dir, 'palisade.yaml'),
    ])
    const report = JSON.parse(run.stdout) as JsonReport
    expect(report.findings.map((f) => [f.resource.name, f.environment, f.action])).toEqual([
      ['priv', 'sandbox', 'warn'],
    ])
    expect(run.code).toBe(0)
  })

  it('--format policyreport gives a PolicyReport per namespace; --write-reports applies it and replaces the previous ones', async () => {
    const run = await runInProcess([
      'audit',
      '--kubeconfig',
      kubeconfig(),
      '-n',
      ns,
      '--policies',
      'disallow-privileged-containers',
      '--format',
      'policyreport',
    ])
    const list = JSON.parse(run.stdout) as {
      items: Array<{
        kind: string
        metadata: { namespace?: string }
        summary: Record<string, number>
        results: Array<{ result: string; resources: Array<{ name: string }> }>
      }>
    }
    const report = list.items.find((r) => r.kind === 'PolicyReport' && r.metadata.namespace === ns)
    expect(report?.summary).toMatchObject({ pass: 1, fail: 1 })
    expect(report?.results.map((r) => [r.resources[0]?.name, r.result]).sort()).toEqual([
      ['plain', 'pass'],
      ['priv', 'fail'],
    ])

    await mustCreate(client, reportCrd('PolicyReport'))
    await mustCreate(client, reportCrd('ClusterPolicyReport'))
    // A stale report from an earlier run, in this namespace, under another name.
    const stale = {
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      metadata: { name: 'palisade-old', namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'palisade' } },
      results: [],
    }
    const reports = `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${ns}/policyreports`
    // The CRD takes a moment to be served.
    for (let i = 0; ; i++) {
      const answer = await client.request('POST', reports, { body: stale, accept: [404] })
      if (answer.status < 300) break
      if (i > 100) throw new Error('PolicyReport CRD never served')
      await new Promise((r) => setTimeout(r, 100))
    }
    const write = await runInProcess([
      'audit',
      '--kubeconfig',
      kubeconfig(),
      '-n',
      ns,
      '--policies',
      'disallow-privileged-containers',
      '--write-reports',
      '--format',
      'json',
    ])
    expect(write.stderr).toMatch(/wrote \d+ policy report\(s\), removed 1 old one\(s\)/)
    const stored = (await client.request('GET', reports)).body as {
      items: Array<{ metadata: { name: string }; summary: Record<string, number> }>
    }
    expect(stored.items.map((r) => r.metadata.name)).toEqual(['palisade'])
    expect(stored.items[0]?.summary).toMatchObject({ pass: 1, fail: 1 })
  })

  it('a user without list rights gets an error that blocks, never a quiet pass', async () => {
    const run = await runInProcess([
      'audit',
      '--kubeconfig',
      kubeconfig(),
      '--context',
      'alice',
      '-n',
      ns,
      '--policies',
      'disallow-privileged-containers',
      '--format',
      'json',
    ])
    expect(run.code).not.toBe(0)
    expect(`${run.stdout}${run.stderr}`).toMatch(/403|forbidden/i)
  })
})
