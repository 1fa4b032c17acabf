import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findControl } from '../core/index.js'
import { compilePolicy } from '../engine/index.js'
import { renderRegistry } from '../../tools/gen-registry.js'
import { BUILTIN_POLICIES, isPssPolicy } from './index.js'

const here = dirname(fileURLToPath(import.meta.url))
const STALE =
  'src/policies/index.ts is out of date with the policy folders: regenerate it with `npm run gen` (a new policy: `npm run new-policy -- <id>`)'

/** The 19 checks of the Pod Security Standards, as pod-security-admission names them. */
const PSS_CHECKS = [
  'baseline/privileged',
  'baseline/hostNamespaces',
  'baseline/hostPathVolumes',
  'baseline/hostPorts',
  'baseline/capabilities_baseline',
  'baseline/appArmorProfile',
  'baseline/seLinuxOptions',
  'baseline/procMount',
  'baseline/seccompProfile_baseline',
  'baseline/sysctls',
  'baseline/windowsHostProcess',
  'baseline/hostProbesAndHostLifecycle',
  'restricted/restrictedVolumes',
  'restricted/runAsNonRoot',
  'restricted/allowPrivilegeEscalation',
  'restricted/seccompProfile_restricted',
  'restricted/capabilities_restricted',
  'restricted/runAsUser',
  'restricted/procMount_restricted',
]

describe('the built-in policy registry', () => {
  it('holds at least 80 policies, one per folder, with unique ids', () => {
    expect(BUILTIN_POLICIES.length).toBeGreaterThanOrEqual(80)
    const ids = BUILTIN_POLICIES.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    const folders = readdirSync(here).filter((d) => existsSync(join(here, d, 'policy.ts')))
    expect([...ids].sort(), STALE).toEqual(folders.sort())
  })

  it('is what tools/gen-registry.ts generates from the folders on disk', () => {
    expect(readFileSync(join(here, 'index.ts'), 'utf8'), STALE).toBe(renderRegistry())
  })

  it('has at least 60 policies beyond the Pod Security Standards', () => {
    expect(BUILTIN_POLICIES.filter((p) => !isPssPolicy(p)).length).toBeGreaterThanOrEqual(60)
  })

  it('maps each Pod Security Standards check to exactly one policy', () => {
    const pss = BUILTIN_POLICIES.flatMap((p) => p.controls.filter((c) => c.framework === 'pss').map((c) => c.control))
    expect([...pss].sort()).toEqual([...PSS_CHECKS].sort())
  })

  for (const policy of BUILTIN_POLICIES) {
    describe(policy.id, () => {
      it('has a verb-prefixed kebab-case id and one-line metadata', () => {
        // verify- is for policies that check a cryptographic claim (issue 20 names verify-image-signatures).
        expect(policy.id).toMatch(/^(disallow|require|restrict|verify)-[a-z0-9]+(-[a-z0-9]+)*$/)
        expect(policy.summary).not.toMatch(/\n/)
        expect(policy.summary.length).toBeLessThanOrEqual(200)
        expect(policy.summary).toMatch(/\.$/)
        expect(policy.title).not.toMatch(/\.$/)
        expect(policy.rationale.length).toBeGreaterThan(60)
      })

      it('maps to known controls, with CIS or NSA/CISA and NIST SP 800-53 among them', () => {
        for (const { framework, control } of policy.controls)
          expect(findControl(framework, control), `${framework}:${control}`).toBeDefined()
        const frameworks = new Set(policy.controls.map((c) => c.framework))
        expect(frameworks.has('cis') || frameworks.has('nsa')).toBe(true)
        expect(frameworks.has('nist')).toBe(true)
        expect(policy.controls.filter((c) => c.framework === 'pss').length).toBeLessThanOrEqual(1)
      })

      it('has fixtures (valid and invalid) and a test next to it', () => {
        const dir = join(here, policy.id)
        const fixtures = readdirSync(join(dir, 'fixtures'))
        expect(fixtures.filter((f) => /^valid-.+\.yaml$/.test(f)).length).toBeGreaterThan(0)
        expect(fixtures.filter((f) => /^invalid-.+(?<!\.fixed)\.yaml$/.test(f)).length).toBeGreaterThan(0)
        for (const fixed of fixtures.filter((f) => f.endsWith('.fixed.yaml')))
          expect(fixtures).toContain(fixed.replace('.fixed.yaml', '.yaml'))
        for (const f of fixtures) expect(f).toMatch(/^(valid|invalid)-[a-z0-9-]+(\.fixed)?\.yaml$/)
        expect(existsSync(join(dir, 'policy.test.ts'))).toBe(true)
      })

      it('compiles without diagnostics', () => {
        const { policy: compiled, diagnostics } = compilePolicy(policy)
        expect(diagnostics).toEqual([])
        expect(compiled).toBeDefined()
      })
    })
  }
})
