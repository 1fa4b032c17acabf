import { describe, expect, it } from 'vitest'
import { builtinPodSecurity } from './pod-security.js'

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'proxy' },
  spec: {
    hostUsers: false,
    securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }] },
    containers: [
      { name: 'proxy', image: 'registry.example.com/proxy:2.8.0', securityContext: { procMount: 'Unmasked' } },
    ],
  },
}

describe('validate.podSecurity through the built-in PSS policies', () => {
  const evaluate = builtinPodSecurity()

  it('checks the latest policy version', () => {
    // v1.37: tcp_rmem is safe, and an Unmasked /proc is allowed at baseline in a user namespace
    expect(evaluate(pod, 'baseline', 'latest')).toEqual([])
    expect(evaluate(pod, 'restricted', 'latest').map((f) => f.checkId)).toContain('procMount_restricted')
  })

  it('pins an older version', () => {
    // v1.31: tcp_rmem not yet safe (v1.32), no user-namespace relaxation for procMount (v1.35)
    const failures = evaluate(pod, 'baseline', 'v1.31')
    expect([...failures].sort((a, b) => a.checkId.localeCompare(b.checkId))).toEqual([
      { checkId: 'procMount', path: '/spec/containers/0/securityContext/procMount' },
      { checkId: 'sysctls', path: '/spec/securityContext/sysctls/0/name' },
    ])
  })

  it('refuses a version that is not one', () => {
    expect(() => evaluate(pod, 'baseline', '1.31')).toThrow(/latest" or "v1.N/)
  })
})
