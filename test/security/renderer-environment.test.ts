import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createConfinement } from '../../src/gitops/confine.js'
import { DEFAULT_LIMITS, runConfined } from '../../src/gitops/exec.js'

let scratch: string | undefined
afterEach(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true })
  scratch = undefined
})

describe('renderers get nothing of the runner: no tokens, no kubeconfig, no proxy, no network', () => {
  it('the environment a renderer sees is the minimal one, with HOME and helm folders in the scratch folder', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'palisade-env-'))
    const saved = { ...process.env }
    Object.assign(process.env, {
      GITHUB_TOKEN: 'ghp_x',
      KUBECONFIG: '/root/.kube/config',
      HTTPS_PROXY: 'http://proxy:3128',
      HELM_REPOSITORY_CONFIG: '/root/repos.yaml',
      AWS_SECRET_ACCESS_KEY: 'k',
    })
    try {
      const { confinement } = await createConfinement(scratch, DEFAULT_LIMITS)
      const run = await runConfined('/usr/bin/env', [], { cwd: scratch, confinement })
      const seen = Object.fromEntries(
        run.stdout
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      )
      for (const name of ['GITHUB_TOKEN', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'AWS_SECRET_ACCESS_KEY'])
        expect(seen[name]).toBeUndefined()
      expect(seen.PATH).toBe('/usr/local/bin:/usr/bin:/bin')
      for (const name of [
        'HOME',
        'HELM_CACHE_HOME',
        'HELM_CONFIG_HOME',
        'HELM_DATA_HOME',
        'HELM_REPOSITORY_CONFIG',
        'KUBECONFIG',
        'TMPDIR',
      ])
        expect(seen[name]?.startsWith(scratch)).toBe(true)
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
    }
  })

  it('where the platform allows a network namespace, a renderer sees no network interface but loopback', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'palisade-net-'))
    const { confinement, isolated } = await createConfinement(scratch, DEFAULT_LIMITS)
    // Root here (and CI runners that allow user namespaces) can make one; elsewhere the fallback is said once per scan.
    if (!isolated) return
    const run = await runConfined('/bin/cat', ['/proc/net/dev'], { cwd: scratch, confinement })
    const interfaces = run.stdout
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(':')[0])
      .filter((l) => l !== '')
    expect(interfaces).toEqual(['lo'])
  })
})
