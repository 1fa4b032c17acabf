import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ToolError } from '../core/index.js'
import { CREDENTIAL_POLICY_ID, loadPolicySet, loadServePolicies, type AppIo } from './index.js'

const io = (cwd: string): AppIo => ({
  stdin: Readable.from([]),
  cwd,
  env: {},
  now: () => new Date('2026-01-01T00:00:00Z'),
})
const ids = (set: { policies: { policies: readonly { meta: { id: string } }[] } }): string[] =>
  set.policies.policies.map((p) => p.meta.id)

describe('loadPolicySet: the one policy assembly', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-app-policies-'))
    mkdirSync(join(dir, 'good'))
    writeFileSync(
      join(dir, 'good', 'policy.yaml'),
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: need-team }\nspec:\n  validationFailureAction: Audit\n  rules:\n    - name: team\n      match: { any: [ { resources: { kinds: [Pod] } } ] }\n      validate: { message: team, pattern: { metadata: { labels: { team: "?*" } } } }\n',
    )
    mkdirSync(join(dir, 'bad'))
    writeFileSync(
      join(dir, 'bad', 'policy.yaml'),
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: bad }\nspec: { rules: 7 }\n',
    )
    writeFileSync(join(dir, 'palisade.yaml'), 'policies:\n  select: best-practices\n')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('takes the built-ins by palisade.yaml and --policies, plus --policy-dir with its declared action', async () => {
    const set = await loadPolicySet({ policies: 'disallow-latest-image-tag', policyDir: 'good' }, io(dir))
    expect(ids(set)).toEqual(['disallow-latest-image-tag', 'need-team'])
    expect(set.resolverAt(new Date()).actionFor('need-team', 'medium', undefined)).toBe('audit')
    expect(set.environments).toEqual(['production', 'staging', 'dev', 'qa'])
    expect(set.diagnostics).toEqual([])
  })

  it('keeps going past a broken user policy (scan), but refuses it when strict (serve, install)', async () => {
    const scan = await loadPolicySet({ policyDir: 'bad' }, io(dir))
    expect(scan.diagnostics.length).toBeGreaterThan(0)
    await expect(loadServePolicies({ policyDir: 'bad' }, io(dir))).rejects.toBeInstanceOf(ToolError)
    await expect(loadServePolicies({ policyDir: 'missing' }, io(dir))).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
    })
  })

  it('leaves out excluded policies when asked (the pre-commit hook), with the environments scan has', async () => {
    const full = await loadPolicySet({ policies: 'all' }, io(dir))
    const hook = await loadPolicySet({ policies: 'all', exclude: [CREDENTIAL_POLICY_ID] }, io(dir))
    expect(ids(full)).toContain(CREDENTIAL_POLICY_ID)
    expect(ids(hook)).not.toContain(CREDENTIAL_POLICY_ID)
    expect(ids(hook).length).toBe(ids(full).length - 1)
    expect(hook.environments).toEqual(full.environments)
  })

  it('serve hashes what it read: a changed policy file changes the hash', async () => {
    const before = await loadServePolicies({ policyDir: 'good' }, io(dir))
    writeFileSync(join(dir, 'good', 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n')
    const after = await loadServePolicies({ policyDir: 'good' }, io(dir))
    expect(after.hash).not.toBe(before.hash)
  })
})
