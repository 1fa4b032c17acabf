import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findControl } from '../src/core/index.js'
import type { PolicySpec } from '../src/engine/index.js'
import { runPolicy } from '../src/testing/index.js'
import { createPolicy, refusal } from '../tools/new-policy.js'

const engine = join(import.meta.dirname, '..', 'src', 'engine')

describe('npm run new-policy', () => {
  let root: string
  let policies: string
  beforeEach(() => {
    // A src/ of its own, with the real engine linked in, so the scaffold's imports resolve.
    root = mkdtempSync(join(tmpdir(), 'palisade-new-policy-'))
    policies = join(root, 'src', 'policies')
    mkdirSync(join(policies, 'disallow-existing'), { recursive: true })
    writeFileSync(join(policies, 'disallow-existing', 'policy.ts'), 'export default {}\n')
    symlinkSync(engine, join(root, 'src', 'engine'), 'dir')
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('refuses a missing, an invalid or an existing id, and creates nothing', () => {
    expect(refusal(undefined, policies)).toMatch(/^usage: npm run new-policy/)
    for (const bad of [
      'foo',
      'Disallow-foo',
      'disallow_foo',
      'disallow-',
      'disallow--foo',
      'deny-foo',
      '../disallow-x',
    ])
      expect(refusal(bad, policies), bad).toMatch(/is not a policy id/)
    expect(refusal('disallow-existing', policies)).toMatch(/already exists/)
    expect(() => createPolicy('disallow-existing', policies)).toThrow(/already exists/)
    expect(() => createPolicy('nope', policies)).toThrow(/is not a policy id/)
    expect(readdirSync(policies).sort()).toEqual(['disallow-existing'])
  })

  it('creates policy.ts, its test, a valid and an invalid fixture, and regenerates the registry', async () => {
    createPolicy('require-new-thing', policies)
    const dir = join(policies, 'require-new-thing')
    expect(readdirSync(join(dir, 'fixtures')).sort()).toEqual(['invalid-example.yaml', 'valid-example.yaml'])
    expect(existsSync(join(dir, 'policy.test.ts'))).toBe(true)
    const index = readFileSync(join(policies, 'index.ts'), 'utf8')
    expect(index).toContain("import disallowExisting from './disallow-existing/policy.js'")
    expect(index).toContain("import requireNewThing from './require-new-thing/policy.js'")

    // The stub passes what the registry meta-test asks of every policy, and its fixtures say what they claim.
    const policy = ((await import(pathToFileURL(join(dir, 'policy.ts')).href)) as { default: PolicySpec }).default
    expect(policy.id).toBe('require-new-thing')
    expect(policy.stage).toBe('experimental')
    expect(policy.summary).toMatch(/\.$/)
    expect(policy.title).not.toMatch(/\.$/)
    expect(policy.rationale.length).toBeGreaterThan(60)
    for (const { framework, control } of policy.controls)
      expect(findControl(framework, control), `${framework}:${control}`).toBeDefined()
    expect(policy.controls.some((c) => c.framework === 'nist')).toBe(true)
    expect(runPolicy(policy, readFileSync(join(dir, 'fixtures', 'valid-example.yaml'), 'utf8')).findings).toEqual([])
    expect(
      runPolicy(policy, readFileSync(join(dir, 'fixtures', 'invalid-example.yaml'), 'utf8')).findings,
    ).toHaveLength(1)
  })
})
