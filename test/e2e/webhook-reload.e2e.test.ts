/**
 * Reloads of a running `palisade serve`: policies and configuration as GitOps (a change on
 * disk becomes a new generation; a bad change keeps the last good one, logged and
 * counted) and certificate rotation (new pair served without a restart; a mismatched pair
 * is refused and the old one keeps serving).
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { getText, podCreateReview, postJson, startServe } from './webhook-process.js'

const review = (uid: string) =>
  podCreateReview(
    uid,
    {
      name: 'p',
      namespace: 'shop',
      containers: [{ name: 'c', image: 'registry.example.com/c:1', securityContext: { privileged: true } }],
    },
    'dev',
  )

/** Write a file the way editors and ConfigMap volumes do: a new file renamed over the old one. */
function replace(file: string, text: string | Buffer): void {
  writeFileSync(`${file}.tmp`, text)
  renameSync(`${file}.tmp`, file)
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('palisade serve reloads', () => {
  it('swaps in a changed configuration, keeps the last good one when a change is bad, and reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-reload-'))
    expect(runCli(['certs', '--out', dir]).code).toBe(0)
    const ca = readFileSync(join(dir, 'ca.crt'))
    const config = join(dir, 'palisade.yaml')
    writeFileSync(config, 'actions:\n  default: warn\n')
    const serve = await startServe(['--tls-cert', 'tls.crt', '--tls-key', 'tls.key', '--config', 'palisade.yaml'], dir)
    try {
      const allowed = async (uid: string) =>
        (await postJson(serve.port, '/validate', review(uid), ca)).json.response as { allowed: boolean }
      expect((await allowed('a-1')).allowed).toBe(true) // warn

      replace(config, 'actions:\n  default: deny\n')
      await until(async () => ((await allowed('a-2')).allowed === false ? true : undefined))
      expect(serve.logs.filter((l) => l.msg === 'policies loaded').map((l) => l.generation)).toEqual([1, 2])

      replace(config, 'actions:\n  default: block\n') // not an action
      const failure = await until(async () =>
        serve.logs.find((l) => l.level === 'error' && /reload failed/.test(String(l.msg))),
      )
      expect(failure).toMatchObject({
        generation: 2,
        diagnostics: [expect.objectContaining({ code: 'CONFIG_INVALID' })],
      })
      expect((await allowed('a-3')).allowed).toBe(false) // generation 2 still serves
      const metrics = await getText(serve.port, '/metrics', ca)
      expect(metrics).toMatch(/^palisade_policy_last_reload_success 0$/m)
      expect(metrics).toMatch(/^palisade_policy_reload_errors_total 1$/m)
      expect(metrics).toMatch(/^palisade_policy_generation 2$/m)
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).toBe(0)
    }
  })

  it('serves a rotated certificate without a restart, and keeps the old one when the new pair does not match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-certs-'))
    expect(runCli(['certs', '--out', join(dir, 'old')]).code).toBe(0)
    expect(runCli(['certs', '--out', join(dir, 'new')]).code).toBe(0)
    expect(runCli(['certs', '--out', join(dir, 'other')]).code).toBe(0)
    writeFileSync(join(dir, 'tls.crt'), readFileSync(join(dir, 'old/tls.crt')))
    writeFileSync(join(dir, 'tls.key'), readFileSync(join(dir, 'old/tls.key')))
    const oldCa = readFileSync(join(dir, 'old/ca.crt'))
    const newCa = readFileSync(join(dir, 'new/ca.crt'))
    const serve = await startServe(['--tls-cert', 'tls.crt', '--tls-key', 'tls.key'], dir)
    try {
      // A fresh agent with no session cache: a resumed TLS session would skip the certificate check.
      const works = (ca: Buffer) =>
        postJson(serve.port, '/validate', review('c-1'), ca, new Agent({ maxCachedSessions: 0 })).then(
          (r) => r.status === 200,
          () => false,
        )
      expect(await works(oldCa)).toBe(true)
      expect(await works(newCa)).toBe(false)

      // A half-rotated pair (certificate of one, key of another) is refused; the old pair keeps serving.
      replace(join(dir, 'tls.crt'), readFileSync(join(dir, 'new/tls.crt')))
      await until(async () =>
        serve.logs.find((l) => l.msg === 'certificate reload failed; the previous certificate keeps serving'),
      )
      expect(await works(oldCa)).toBe(true)

      replace(join(dir, 'tls.key'), readFileSync(join(dir, 'new/tls.key')))
      await until(async () => ((await works(newCa)) ? true : undefined))
      expect(await works(oldCa)).toBe(false)
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).toBe(0)
    }
  })

  it('runs --policy-dir Kyverno policies as scan does, and reloads them when the folder changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-policy-dir-'))
    expect(runCli(['certs', '--out', dir]).code).toBe(0)
    const ca = readFileSync(join(dir, 'ca.crt'))
    mkdirSync(join(dir, 'policies'))
    const policy = (action: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
spec:
  validationFailureAction: ${action}
  rules:
    - name: team
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      validate:
        message: "ConfigMaps need a team label."
        pattern:
          metadata:
            labels:
              team: "?*"
`
    writeFileSync(join(dir, 'policies/team.yaml'), policy('Enforce'))
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: {} }
    writeFileSync(join(dir, 'cm.yaml'), JSON.stringify(configMap))
    const scan = JSON.parse(
      runCli(['scan', join(dir, 'cm.yaml'), '--policy-dir', join(dir, 'policies'), '--format', 'json', '--no-render'])
        .stdout,
    ) as { findings: { policy: string; action: string }[] }
    expect(scan.findings.map((f) => `${f.policy} ${f.action}`)).toEqual(['require-team-label deny'])

    const serve = await startServe(['--tls-cert', 'tls.crt', '--tls-key', 'tls.key', '--policy-dir', 'policies'], dir)
    try {
      const body = (uid: string) => ({
        ...review(uid),
        request: {
          ...review(uid).request,
          kind: { group: '', version: 'v1', kind: 'ConfigMap' },
          resource: { group: '', version: 'v1', resource: 'configmaps' },
          object: configMap,
        },
      })
      const answer = async (uid: string) =>
        (await postJson(serve.port, '/validate', body(uid), ca)).json.response as {
          allowed: boolean
          status?: { message: string }
        }
      const denied = await answer('k-1')
      expect(denied.allowed).toBe(false)
      expect(denied.status?.message).toContain('require-team-label')

      replace(join(dir, 'policies/team.yaml'), policy('Audit'))
      await until(async () => ((await answer('k-2')).allowed ? true : undefined))
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).toBe(0)
    }
  })
})
