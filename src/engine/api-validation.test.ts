import { describe, expect, it } from 'vitest'
import type { KubeObject } from '../core/index.js'
import { apiServerProblems } from './api-validation.js'
import { combineFixes } from './fix.js'

const pod = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', ...(annotations ? { annotations } : {}) },
  spec,
})
const one = (securityContext: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  pod({ containers: [{ name: 'c', image: 'x:1', securityContext, ...extra }] })

describe('apiServerProblems: the API server rules for the fields fixes touch', () => {
  it('allowPrivilegeEscalation false with privileged true or CAP_SYS_ADMIN', () => {
    expect(apiServerProblems(one({ allowPrivilegeEscalation: false, privileged: true }))).toEqual([
      '/spec/containers/0/securityContext: cannot set allowPrivilegeEscalation to false and privileged to true',
    ])
    expect(
      apiServerProblems(one({ allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] } })),
    ).toHaveLength(1)
    expect(
      apiServerProblems(
        one({ allowPrivilegeEscalation: false, privileged: false, capabilities: { add: ['NET_ADMIN'] } }),
      ),
    ).toEqual([])
    expect(apiServerProblems(one({ allowPrivilegeEscalation: true, privileged: true }))).toEqual([])
  })

  it('runAsNonRoot true with runAsUser 0, from the pod or the container', () => {
    expect(apiServerProblems(one({ runAsNonRoot: true, runAsUser: 0 }))).toHaveLength(1)
    expect(
      apiServerProblems(
        pod({
          securityContext: { runAsUser: 0 },
          containers: [{ name: 'c', securityContext: { runAsNonRoot: true } }],
        }),
      ),
    ).toHaveLength(1)
    expect(
      apiServerProblems(
        pod({
          securityContext: { runAsUser: 0 },
          containers: [{ name: 'c', securityContext: { runAsNonRoot: true, runAsUser: 1000 } }],
        }),
      ),
    ).toEqual([])
    expect(apiServerProblems(one({ runAsUser: -1 }))).toHaveLength(1)
  })

  it('seccomp and AppArmor profiles: known type, localhostProfile only with Localhost', () => {
    expect(apiServerProblems(one({ seccompProfile: { type: 'RuntimeDefault' } }))).toEqual([])
    expect(apiServerProblems(one({ seccompProfile: { type: 'Localhost' } }))).toHaveLength(1)
    expect(
      apiServerProblems(one({ seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'a.json' } })),
    ).toHaveLength(1)
    expect(apiServerProblems(one({ appArmorProfile: { type: 'Sometimes' } }))).toHaveLength(1)
  })

  it('seccomp and AppArmor annotations must agree with the fields', () => {
    const spec = { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'c' }] }
    expect(apiServerProblems(pod(spec, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }))).toHaveLength(1)
    expect(apiServerProblems(pod(spec, { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' }))).toEqual([])
    const armored = { containers: [{ name: 'c', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }] }
    expect(
      apiServerProblems(pod(armored, { 'container.apparmor.security.beta.kubernetes.io/c': 'localhost/k8s-nginx' })),
    ).toHaveLength(1)
  })

  it('Windows pods may not set Linux-only fields', () => {
    expect(
      apiServerProblems(
        pod({
          os: { name: 'windows' },
          containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }],
        }),
      ),
    ).toHaveLength(1)
  })

  it('requests may not exceed limits', () => {
    expect(
      apiServerProblems(
        one({}, { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '512Mi' } } }),
      ),
    ).toEqual(['/spec/containers/0/resources/requests/memory: must be less than or equal to the memory limit of 512Mi'])
  })

  it('reads pod templates of workloads', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        template: {
          spec: { containers: [{ name: 'c', securityContext: { privileged: true, allowPrivilegeEscalation: false } }] },
        },
      },
    }
    expect(apiServerProblems(deployment)).toEqual([
      '/spec/template/spec/containers/0/securityContext: cannot set allowPrivilegeEscalation to false and privileged to true',
    ])
  })
})

describe('combineFixes', () => {
  it('keeps fixes that leave the object valid and skips the one that would not', () => {
    const object = one({ privileged: true })
    const ok = {
      id: 'pull',
      fix: {
        safety: 'safe' as const,
        patch: [{ op: 'add' as const, path: '/spec/containers/0/imagePullPolicy', value: 'Always' }],
      },
    }
    const bad = {
      id: 'ape',
      fix: {
        safety: 'safe' as const,
        patch: [
          { op: 'add' as const, path: '/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false },
        ],
      },
    }
    const { operations, skipped } = combineFixes(object, [ok, bad])
    expect(operations).toEqual(ok.fix.patch)
    expect(skipped.map((s) => s.item.id)).toEqual(['ape'])
  })
})

describe('applyFixOperations', () => {
  it('copies only what it changes and leaves the input as it was', async () => {
    const { applyFixOperations } = await import('./fix.js')
    const object = pod({
      containers: [
        { name: 'a', image: 'x:1' },
        { name: 'b', image: 'y:1' },
      ],
      volumes: [{ name: 'v' }],
    })
    const before = structuredClone(object)
    const after = applyFixOperations(object, [
      { op: 'add', path: '/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false },
      { op: 'replace', path: '/spec/containers/1/image', value: 'y:2' },
      { op: 'remove', path: '/spec/volumes/0' },
    ])
    expect(object).toEqual(before)
    expect(after.spec).toEqual({
      containers: [
        { name: 'a', image: 'x:1', securityContext: { allowPrivilegeEscalation: false } },
        { name: 'b', image: 'y:2' },
      ],
      volumes: [],
    })
    expect(after.metadata).toBe(object.metadata)
  })
})
