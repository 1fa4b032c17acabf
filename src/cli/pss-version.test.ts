import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runInProcess, type CliRun } from './in-process.test-support.js'

const scan = (args: string[], cwd: string): Promise<CliRun> => runInProcess(['scan', ...args], cwd)

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: proxy
  namespace: edge
spec:
  securityContext:
    sysctls:
      - name: net.ipv4.tcp_rmem
        value: "4096 87380 16777216"
  containers:
    - name: proxy
      image: registry.example.com/proxy:2.8.0
`
const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: edge
  labels:
    pod-security.kubernetes.io/enforce-version: v1.35
---
`

describe('palisade scan --pss-version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-pss-'))
  writeFileSync(join(dir, 'pod.yaml'), POD)
  writeFileSync(join(dir, 'pinned.yaml'), NAMESPACE + POD)

  it('checks the latest Pod Security Standards by default', async () => {
    const { code, stdout } = await scan(['pod.yaml', '--policies', 'pss-baseline', '--format', 'json'], dir)
    expect(code).toBe(0)
    expect((JSON.parse(stdout) as { findings: unknown[] }).findings).toEqual([])
  })

  it('pins an older version, where tcp_rmem was not yet a safe sysctl', async () => {
    const { code, stdout } = await scan(
      ['pod.yaml', '--policies', 'pss-baseline', '--pss-version', 'v1.31', '--format', 'json'],
      dir,
    )
    expect(code).toBe(1)
    const { findings } = JSON.parse(stdout) as {
      findings: { policy: string; line: number; controls: Record<string, string[]> }[]
    }
    expect(findings.map((f) => [f.policy, f.line, f.controls.pss])).toEqual([
      ['restrict-sysctls', 9, ['baseline/sysctls']],
    ])
  })

  it('lets the namespace enforce-version label win over the flag, as Pod Security Admission does', async () => {
    const { code } = await scan(
      ['pinned.yaml', '--policies', 'pss-baseline', '--pss-version', 'v1.31', '--format', 'json'],
      dir,
    )
    expect(code).toBe(0)
  })

  it('refuses a malformed version with a usage error', async () => {
    const { code, stderr } = await scan(['pod.yaml', '--pss-version', '1.31'], dir)
    expect(code).toBe(2)
    expect(stderr).toContain('expected "latest" or "v1.N"')
  })
})
