/**
 * /mutate must never return a patch the API server then rejects: "safe" fixes were applied
 * blindly, and allowPrivilegeEscalation: false on a privileged container makes the Pod
 * invalid ("cannot set allowPrivilegeEscalation to false and privileged to true"), so the
 * user's create failed because of Palisade. Checked against a real `palisade serve`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiServerProblems } from '../../src/engine/index.js'
import { runCli } from './run-cli.js'
import { podCreateReview, postJson, startServe, type ServeProcess } from './webhook-process.js'

let dir: string
let serve: ServeProcess
let ca: Buffer
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-mutate-'))
  expect(runCli(['certs', '--out', dir]).code).toBe(0)
  ca = readFileSync(join(dir, 'ca.crt'))
  serve = await startServe(['--tls-cert', 'tls.crt', '--tls-key', 'tls.key', '--action', 'deny'], dir)
})
afterAll(async () => {
  serve.child.kill('SIGTERM')
  await serve.exited
  rmSync(dir, { recursive: true, force: true })
})

/** RFC 6902 add/replace on a copy (the API server's side of the exchange). */
function applyPatch(
  object: Record<string, unknown>,
  ops: { op: string; path: string; value?: unknown }[],
): Record<string, unknown> {
  const doc = structuredClone(object)
  for (const op of ops) {
    const tokens = op.path
      .slice(1)
      .split('/')
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    let parent = doc as Record<string, unknown>
    for (const t of tokens.slice(0, -1)) parent = parent[t] as Record<string, unknown>
    const last = tokens[tokens.length - 1] as string
    if (Array.isArray(parent) && last === '-') parent.push(op.value)
    else if (op.op === 'remove') delete parent[last]
    else parent[last] = op.value
  }
  return doc
}

describe('/mutate on a privileged container', () => {
  it('does not add allowPrivilegeEscalation: false there, says why, and still fixes the other container', async () => {
    const review = podCreateReview(
      '7d1e6c2a-0000-4000-8000-000000000001',
      {
        name: 'agent',
        namespace: 'default',
        containers: [
          { name: 'agent', image: 'registry.example.com/agent:2.0.1', securityContext: { privileged: true } },
          { name: 'web', image: 'registry.example.com/web:1.4.2' },
        ],
      },
      'dev',
    )
    const reply = await postJson(serve.port, '/mutate', review, ca)
    expect(reply.status).toBe(200)
    const response = reply.json.response as { allowed: boolean; patch?: string; warnings?: string[] }
    expect(response.allowed).toBe(true)
    const ops = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString()) as {
      op: string
      path: string
      value?: unknown
    }[]
    const patched = applyPatch(review.request.object as Record<string, unknown>, ops)
    expect(apiServerProblems(patched)).toEqual([])
    const containers = (patched.spec as { containers: { securityContext?: Record<string, unknown> }[] }).containers
    expect(containers[0]?.securityContext?.allowPrivilegeEscalation).toBeUndefined()
    expect(containers[1]?.securityContext?.allowPrivilegeEscalation).toBe(false)
    expect(response.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('disallow-privilege-escalation')]),
    )
  })
})
